/* models/care_calib.c - see care_calib.h. */
#include "care_calib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care_csv.h"
#include "care_date.h"
#include "care_tables.h"

static int bad(const care_csv *t, size_t r, const char *col, const char *msg, sim_err *err)
{
    return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: %s", t->path, t->rows[r].line, col, msg);
}

static int age_row(care_age_cuts *c, const care_csv *t, size_t r, const int col[4], sim_err *err)
{
    int b = care_age_band_index(t->rows[r].fields[col[0]]);
    double lo, hi, share;
    if (b < 0) return bad(t, r, "age_band", "unknown age band", err);
    int rc = care_csv_nonneg(t, r, col[1], &lo, err);
    if (rc == SIM_OK) rc = care_csv_nonneg(t, r, col[2], &hi, err);
    if (rc == SIM_OK) rc = care_csv_nonneg(t, r, col[3], &share, err);
    if (rc != SIM_OK) return rc;
    double blo = care_age_lo_years[b] * CARE_YEAR_DAYS, bhi = care_age_lo_years[b + 1] * CARE_YEAR_DAYS;
    if (!(lo < hi) || lo < blo - 1e-6 || hi > bhi + 1e-6)
        return bad(t, r, "to_age_days", "the interval must be non-empty and inside the age band", err);
    int n = c->n[b];
    if (n == CARE_MAXCUT) return bad(t, r, "age_band", "too many intervals for one age band", err);
    c->lo[b][n] = fmax(lo, blo);
    c->hi[b][n] = fmin(hi, bhi);
    c->cum[b][n] = share + (n ? c->cum[b][n - 1] : 0.0);
    c->n[b] = n + 1;
    return SIM_OK;
}

int care_calib_age_cuts(care_age_cuts *c, const char *path, const char *key, sim_err *err)
{
    static const char *const allowed[] = {"age_band", "from_age_days", "to_age_days", "share", "source", "note", NULL};
    static const char *const names[4] = {"age_band", "from_age_days", "to_age_days", "share"};
    care_csv t;
    int col[4], rc = care_csv_read(&t, path, key, err);
    if (rc != SIM_OK) return rc;
    rc = care_csv_check_header(&t, allowed, err);
    for (int i = 0; i < 4 && rc == SIM_OK; i++) rc = care_csv_need(&t, names[i], &col[i], err);
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) rc = age_row(c, &t, r, col, err);
    for (int b = 0; b < CARE_NAGE && rc == SIM_OK; b++)
        if (c->n[b] && !(c->cum[b][c->n[b] - 1] > 0))
            rc = sim_err_set(err, SIM_EINVAL, "%s: share: the shares of age band '%s' sum to 0", path, care_age_names[b]);
    care_csv_free(&t);
    return rc;
}

double care_calib_age(const care_age_cuts *a, int b, double min_days, double u1, double u2)
{
    double lo = fmax(care_age_lo_years[b] * CARE_YEAR_DAYS, min_days), hi = care_age_lo_years[b + 1] * CARE_YEAR_DAYS;
    double w[CARE_MAXCUT], tot = 0;
    int n = a->n[b];
    for (int i = 0; i < n; i++)
        tot += w[i] = a->hi[b][i] > lo ? a->cum[b][i] - (i ? a->cum[b][i - 1] : 0.0) : 0.0;
    if (!(tot > 0))
        return lo + (hi - lo) * u2;
    double u = u1 * tot, acc = 0;
    int i = 0;
    for (; i + 1 < n; i++)                  /* zero-share intervals are never chosen */
        if (w[i] > 0 && u < (acc += w[i])) break;
    while (w[i] == 0 && i > 0) i--;
    double l = fmax(a->lo[b][i], lo);
    return l + (a->hi[b][i] - l) * u2;
}

/* Columns of the draws and trend tables: `first` (draw, from_date), entry_<age band>,
 * exit_<lac_hazards transition>. */
static int draw_columns(const care_csv *t, const char *first, int ce[CARE_NAGE], int cx[CARE_MAXK], sim_err *err)
{
    char name[64];
    int tr[CARE_MAXK], nk = care_state_columns(CARE_ST_LAC, tr);
    for (int b = 0; b < CARE_NAGE; b++) {
        snprintf(name, sizeof name, "entry_%s", care_age_names[b]);
        ce[b] = care_csv_col(t, name);
    }
    for (int k = 0; k < CARE_MAXK; k++) cx[k] = -1;
    for (int k = 0; k < nk; k++) {
        snprintf(name, sizeof name, "exit_%s", care_transition_names[tr[k]]);
        cx[k] = care_csv_col(t, name);
    }
    for (int i = 0; i < t->ncols; i++) {
        const char *h = t->header[i];
        int known = !strcmp(h, first) || !strcmp(h, "source") || !strcmp(h, "note");
        for (int b = 0; b < CARE_NAGE; b++) known |= ce[b] == i;
        for (int k = 0; k < nk; k++) known |= cx[k] == i;
        if (!known)
            return sim_err_set(err, SIM_EINVAL, "%s:1: %s: unknown column (expected %s, entry_AGE, exit_TRANSITION)",
                               t->path, h, first);
    }
    return SIM_OK;
}

int care_calib_draws(care_config *c, const char *path, const char *key, sim_err *err)
{
    care_csv t;
    int ce[CARE_NAGE], cx[CARE_MAXK], rc = care_csv_read(&t, path, key, err);
    if (rc != SIM_OK) return rc;
    rc = draw_columns(&t, "draw", ce, cx, err);
    if (rc == SIM_OK && t.nrows == 0) rc = sim_err_set(err, SIM_EINVAL, "%s:2: %s: no rows", path, key);
    if (rc == SIM_OK) {
        c->draw_entry = malloc(t.nrows * CARE_NAGE * sizeof *c->draw_entry);
        c->draw_exit = malloc(t.nrows * CARE_MAXK * sizeof *c->draw_exit);
        if (!c->draw_entry || !c->draw_exit) rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        double *e = c->draw_entry + r * CARE_NAGE, *x = c->draw_exit + r * CARE_MAXK;
        for (int b = 0; b < CARE_NAGE; b++) e[b] = 1.0;
        for (int k = 0; k < CARE_MAXK; k++) x[k] = 1.0;
        for (int b = 0; b < CARE_NAGE && rc == SIM_OK; b++)
            if (ce[b] >= 0) rc = care_csv_nonneg(&t, r, ce[b], &e[b], err);
        for (int k = 0; k < CARE_MAXK && rc == SIM_OK; k++)
            if (cx[k] >= 0) rc = care_csv_nonneg(&t, r, cx[k], &x[k], err);
        c->n_draws = (int)r + 1;
    }
    care_csv_free(&t);
    return rc;
}

/* One row of tables.rate_trend: its date and multipliers (1 where a column is absent). */
static int trend_row(care_config *c, const care_csv *t, size_t r, int cd, const int *ce, const int *cx,
                     sim_err *err)
{
    int64_t day;
    if (care_date_parse(t->rows[r].fields[cd], &day) != 0)
        return bad(t, r, "from_date", "expected YYYY-MM-DD", err);
    c->rate_trend_from[r] = (double)(day - c->start_date);
    if (r > 0 && c->rate_trend_from[r] <= c->rate_trend_from[r - 1])
        return bad(t, r, "from_date", "dates must increase", err);
    double *e = c->rate_trend_entry + r * CARE_NAGE, *x = c->rate_trend_exit + r * CARE_MAXK;
    int rc = SIM_OK;
    for (int b = 0; b < CARE_NAGE; b++) e[b] = 1.0;
    for (int k = 0; k < CARE_MAXK; k++) x[k] = 1.0;
    for (int b = 0; b < CARE_NAGE && rc == SIM_OK; b++)
        if (ce[b] >= 0) rc = care_csv_nonneg(t, r, ce[b], &e[b], err);
    for (int k = 0; k < CARE_MAXK && rc == SIM_OK; k++)
        if (cx[k] >= 0) rc = care_csv_nonneg(t, r, cx[k], &x[k], err);
    return rc;
}

int care_calib_rate_trend(care_config *c, const char *path, const char *key, sim_err *err)
{
    care_csv t;
    int ce[CARE_NAGE], cx[CARE_MAXK], cd = -1, rc = care_csv_read(&t, path, key, err);
    if (rc != SIM_OK) return rc;
    rc = draw_columns(&t, "from_date", ce, cx, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "from_date", &cd, err);
    if (rc == SIM_OK && t.nrows == 0) rc = sim_err_set(err, SIM_EINVAL, "%s:2: %s: no rows", path, key);
    if (rc == SIM_OK) {
        c->rate_trend_from = malloc(t.nrows * sizeof *c->rate_trend_from);
        c->rate_trend_entry = malloc(t.nrows * CARE_NAGE * sizeof *c->rate_trend_entry);
        c->rate_trend_exit = malloc(t.nrows * CARE_MAXK * sizeof *c->rate_trend_exit);
        if (!c->rate_trend_from || !c->rate_trend_entry || !c->rate_trend_exit)
            rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        rc = trend_row(c, &t, r, cd, ce, cx, err);
        c->n_rate_trend = (int)r + 1;
    }
    if (rc == SIM_OK)
        c->rate_trend_from[0] = -INFINITY;   /* the first row also covers any burn-in */
    care_csv_free(&t);
    return rc;
}

/* The row in force at day t; in *until the day the next one starts. */
static int trend_step(const care_config *c, double t, double *until)
{
    int i = 0;
    while (i + 1 < c->n_rate_trend && t >= c->rate_trend_from[i + 1]) i++;
    *until = i + 1 < c->n_rate_trend ? c->rate_trend_from[i + 1] : INFINITY;
    return i;
}

double care_calib_entry_scale(const care_config *c, double t, const double cum[CARE_NAGE], double *until)
{
    const double *e = c->rate_trend_entry + (size_t)trend_step(c, t, until) * CARE_NAGE;
    double s = 0.0;
    for (int b = 0; b < CARE_NAGE; b++)
        s += (cum[b] - (b ? cum[b - 1] : 0.0)) * e[b];
    return cum[CARE_NAGE - 1] > 0 ? s / cum[CARE_NAGE - 1] : 0.0;
}

int care_calib_entry_band(const care_config *c, double t, const double cum[CARE_NAGE], double u)
{
    double until;
    const double *e = c->rate_trend_entry + (size_t)trend_step(c, t, &until) * CARE_NAGE;
    double w[CARE_NAGE], tot = 0.0, acc = 0.0;
    for (int b = 0; b < CARE_NAGE; b++)
        tot += w[b] = (cum[b] - (b ? cum[b - 1] : 0.0)) * e[b];
    int b = 0;
    u *= tot;
    while (b + 1 < CARE_NAGE && (w[b] == 0.0 || u >= (acc += w[b]))) b++;
    while (w[b] == 0.0 && b > 0) b--;   /* rounding at the top: the last band with weight */
    return b;
}
