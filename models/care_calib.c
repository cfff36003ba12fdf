/* models/care_calib.c - see care_calib.h. */
#include "care_calib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care_csv.h"
#include "care_date.h"
#include "care_pathdraws.h"
#include "care_pathtrend.h"
#include "care_tables.h"
#include "care_uasc.h"

static int age_row(care_age_cuts *c, const care_csv *t, size_t r, const int col[4], sim_err *err)
{
    int b = care_age_band_index(t->rows[r].fields[col[0]]);
    double lo, hi, share;
    if (b < 0) return care_csv_bad(t, r, "age_band", "unknown age band", err);
    int rc = care_csv_nonneg(t, r, col[1], &lo, err);
    if (rc == SIM_OK) rc = care_csv_nonneg(t, r, col[2], &hi, err);
    if (rc == SIM_OK) rc = care_csv_nonneg(t, r, col[3], &share, err);
    if (rc != SIM_OK) return rc;
    double blo = care_age_lo_years[b] * CARE_YEAR_DAYS, bhi = care_age_lo_years[b + 1] * CARE_YEAR_DAYS;
    if (!(lo < hi) || lo < blo - 1e-6 || hi > bhi + 1e-6)
        return care_csv_bad(t, r, "to_age_days", "the interval must be non-empty and inside the age band", err);
    int n = c->n[b];
    if (n == CARE_MAXCUT) return care_csv_bad(t, r, "age_band", "too many intervals for one age band", err);
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

/* The optional time-in-care interval of the row just added by age_row (cols: from_tic_days,
 * to_tic_days; both empty: the whole band [b0, b1)): inside the band, and starting before the
 * interval's oldest age (no child has been in care longer than it has lived). */
static int tic_row(care_age_cuts *c, const care_csv *t, size_t r, const int col[2], double b0, double b1, sim_err *err)
{
    const char *f0 = t->rows[r].fields[col[0]], *f1 = t->rows[r].fields[col[1]];
    int b = care_age_band_index(t->rows[r].fields[care_csv_col(t, "age_band")]), n = c->n[b] - 1;
    double lo, hi;
    if (!*f0 && !*f1)
        return SIM_OK;
    int rc = care_csv_nonneg(t, r, col[0], &lo, err);
    if (rc == SIM_OK) rc = care_csv_nonneg(t, r, col[1], &hi, err);
    if (rc != SIM_OK) return rc;
    if (!(lo < hi) || lo < b0 - 1e-6 || hi > b1 + 1e-6)
        return care_csv_bad(t, r, "to_tic_days", "the interval must be non-empty and inside the time-in-care band from from_days", err);
    if (!(lo < c->hi[b][n]))
        return care_csv_bad(t, r, "from_tic_days", "longer in care than the interval's oldest age", err);
    c->tic_lo[b][n] = fmax(lo, b0);
    c->tic_hi[b][n] = fmin(hi, b1);
    return SIM_OK;
}

/* Why by time in care: the initial stock's age and time in care are far from independent
 * within a band (of the 1-4s in care 1-2 years most are aged 1: they came as infants), and
 * adoption and SGO hazards depend on both. */
int care_calib_age_cuts_by_time(care_config *c, const char *path, const char *key, sim_err *err)
{
    static const char *const allowed[] = {"from_days", "age_band", "from_age_days", "to_age_days", "share",
                                          "from_tic_days", "to_tic_days", "source", "note", NULL};
    static const char *const names[4] = {"age_band", "from_age_days", "to_age_days", "share"};
    const care_hazard_table *h = &c->haz[CARE_ST_LAC];
    care_csv t;
    int col[4], cday = -1, rc = care_csv_read(&t, path, key, err);
    if (rc != SIM_OK) return rc;
    rc = care_csv_check_header(&t, allowed, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "from_days", &cday, err);
    for (int i = 0; i < 4 && rc == SIM_OK; i++) rc = care_csv_need(&t, names[i], &col[i], err);
    int ctic[2] = {care_csv_col(&t, "from_tic_days"), care_csv_col(&t, "to_tic_days")};
    if (rc == SIM_OK && (ctic[0] < 0) != (ctic[1] < 0))
        rc = sim_err_set(err, SIM_EINVAL, "%s:1: %s: required with %s", path, ctic[0] < 0 ? "from_tic_days" : "to_tic_days",
                         ctic[0] < 0 ? "to_tic_days" : "from_tic_days");
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        double d;
        rc = care_csv_nonneg(&t, r, cday, &d, err);
        int tb = 0;
        while (rc == SIM_OK && tb < h->n_tb && fabs(h->tb_from[tb] - d) > 1e-9) tb++;
        if (rc == SIM_OK && tb == h->n_tb)
            rc = care_csv_bad(&t, r, "from_days", "not the start of a time-in-care band of tables.lac_hazards", err);
        if (rc == SIM_OK) rc = age_row(&c->stock_ages_tb[tb], &t, r, col, err);
        if (rc == SIM_OK && ctic[0] >= 0) rc = tic_row(&c->stock_ages_tb[tb], &t, r, ctic, h->tb_from[tb], h->tb_from[tb + 1], err);
        if (rc == SIM_OK) c->stock_ages_from[tb] = d;
    }
    c->n_stock_ages_tb = rc == SIM_OK ? h->n_tb : 0;
    for (size_t r = 0; r < c->n_stock && rc == SIM_OK; r++) {   /* every band the stock in care uses */
        const care_stock_row *row = &c->stock[r];
        if (row->state == CARE_ST_LAC && !row->uasc && !c->stock_ages_tb[row->tb].n[row->age])
            rc = sim_err_set(err, SIM_EINVAL, "%s: from_days: no rows for age band '%s' in care from %g days, "
                             "which the initial stock has", path, care_age_names[row->age], h->tb_from[row->tb]);
    }
    for (int tb = 0; tb < c->n_stock_ages_tb && rc == SIM_OK; tb++)
        for (int b = 0; b < CARE_NAGE && rc == SIM_OK; b++)
            if (c->stock_ages_tb[tb].n[b] && !(c->stock_ages_tb[tb].cum[b][c->stock_ages_tb[tb].n[b] - 1] > 0))
                rc = sim_err_set(err, SIM_EINVAL, "%s: share: the shares of age band '%s' from %g days sum to 0",
                                 path, care_age_names[b], h->tb_from[tb]);
    if (rc != SIM_OK) c->n_stock_ages_tb = 0;
    care_csv_free(&t);
    return rc;
}

const care_age_cuts *care_calib_stock_cuts(const care_config *c, int state, int tb)
{
    return state == CARE_ST_LAC && c->n_stock_ages_tb ? &c->stock_ages_tb[tb] : &c->stock_ages;
}

/* care_calib_age, also giving the interval chosen (*idx; -1: none, uniform over the band). An
 * interval's ages start no lower than its time in care (tic_lo, 0 unless given). */
static double pick_age(const care_age_cuts *a, int b, double min_days, double u1, double u2, int *idx)
{
    double lo = fmax(care_age_lo_years[b] * CARE_YEAR_DAYS, min_days), hi = care_age_lo_years[b + 1] * CARE_YEAR_DAYS;
    double w[CARE_MAXCUT], tot = 0;
    int n = a->n[b];
    for (int i = 0; i < n; i++)
        tot += w[i] = a->hi[b][i] > fmax(lo, a->tic_lo[b][i]) ? a->cum[b][i] - (i ? a->cum[b][i - 1] : 0.0) : 0.0;
    *idx = -1;
    if (!(tot > 0))
        return lo + (hi - lo) * u2;
    double u = u1 * tot, acc = 0;
    int i = 0;
    for (; i + 1 < n; i++)                  /* zero-share intervals are never chosen */
        if (w[i] > 0 && u < (acc += w[i])) break;
    while (w[i] == 0 && i > 0) i--;
    *idx = i;
    double l = fmax(fmax(a->lo[b][i], lo), a->tic_lo[b][i]);
    return l + (a->hi[b][i] - l) * u2;
}

double care_calib_age(const care_age_cuts *a, int b, double min_days, double u1, double u2)
{
    int i;
    return pick_age(a, b, min_days, u1, u2, &i);
}

void care_calib_stock_age(const care_age_cuts *a, int b, double tb0, double tb1, double u1, double u2,
                          double *age, double *tic0, double *tic1)
{
    int i;
    *age = pick_age(a, b, tb0, u1, u2, &i);
    *tic0 = tb0;
    *tic1 = fmin(tb1, *age);
    if (i >= 0 && a->tic_hi[b][i] > 0) {
        *tic0 = fmax(tb0, a->tic_lo[b][i]);
        *tic1 = fmin(fmin(tb1, a->tic_hi[b][i]), *age);
    }
}

/* Columns of the draws and trend tables: `first` (draw, from_date), an optional `rule` (in
 * *crule, -1 when absent), entry_<age band>, exit_<lac_hazards transition>, and where cu is
 * not NULL (the draws) an optional uasc_entries (*cu, -1 when absent). */
static int draw_columns(const care_csv *t, const char *first, int ce[CARE_NAGE], int cx[CARE_MAXK], int *crule,
                        int *cu, sim_err *err)
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
    *crule = care_csv_col(t, "rule");
    if (cu) *cu = care_csv_col(t, "uasc_entries");
    for (int i = 0; i < t->ncols; i++) {
        const char *h = t->header[i];
        int known = !strcmp(h, first) || !strcmp(h, "source") || !strcmp(h, "note") || i == *crule || (cu && i == *cu);
        for (int b = 0; b < CARE_NAGE; b++) known |= ce[b] == i;
        for (int k = 0; k < nk; k++) known |= cx[k] == i;
        if (!known)
            return sim_err_set(err, SIM_EINVAL,
                               "%s:1: %s: unknown column (expected %s, rule, entry_AGE, exit_TRANSITION%s)",
                               t->path, h, first, cu ? ", uasc_entries" : "");
    }
    return SIM_OK;
}

/* Field (r, col) as a projection rule's index: a whole number 0-999. */
static int rule_field(const care_csv *t, size_t r, int col, int *out, sim_err *err)
{
    const char *f = t->rows[r].fields[col];
    char *end;
    long v = strtol(f, &end, 10);
    if (end == f || *end || v < 0 || v > 999)
        return care_csv_bad(t, r, "rule", "expected a whole number 0-999", err);
    *out = (int)v;
    return SIM_OK;
}

int care_calib_draws(care_config *c, const char *path, const char *key, sim_err *err)
{
    care_csv t;
    int ce[CARE_NAGE], cx[CARE_MAXK], cr, cu, rc = care_csv_read(&t, path, key, err);
    if (rc != SIM_OK) return rc;
    rc = draw_columns(&t, "draw", ce, cx, &cr, &cu, err);
    if (rc == SIM_OK && t.nrows == 0) rc = sim_err_set(err, SIM_EINVAL, "%s:2: %s: no rows", path, key);
    if (rc == SIM_OK) {
        c->draw_entry = malloc(t.nrows * CARE_NAGE * sizeof *c->draw_entry);
        c->draw_exit = malloc(t.nrows * CARE_MAXK * sizeof *c->draw_exit);
        if (cr >= 0) c->draw_rule = malloc(t.nrows * sizeof *c->draw_rule);
        if (cu >= 0) c->draw_uasc = malloc(t.nrows * sizeof *c->draw_uasc);
        if (!c->draw_entry || !c->draw_exit || (cr >= 0 && !c->draw_rule) || (cu >= 0 && !c->draw_uasc))
            rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        if (cr >= 0) rc = rule_field(&t, r, cr, &c->draw_rule[r], err);
        if (rc == SIM_OK && cu >= 0) rc = care_csv_nonneg(&t, r, cu, &c->draw_uasc[r], err);
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

/* Row r of tables.rate_trend, row j of its rule's block: its date (set by rule 0's block, the
 * same in every other) and multipliers (1 where a column is absent). */
static int trend_row(care_config *c, const care_csv *t, size_t r, size_t j, int cd, const int *ce, const int *cx,
                     sim_err *err)
{
    int64_t day;
    if (care_date_parse(t->rows[r].fields[cd], &day) != 0)
        return care_csv_bad(t, r, "from_date", "expected YYYY-MM-DD", err);
    double from = (double)(day - c->start_date);
    if (r == j) {
        c->rate_trend_from[j] = from;
        if (j > 0 && from <= c->rate_trend_from[j - 1])
            return care_csv_bad(t, r, "from_date", "dates must increase", err);
    } else if (from != c->rate_trend_from[j]) {
        return care_csv_bad(t, r, "from_date", "every rule must have the dates of rule 0", err);
    }
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

int care_calib_rule_blocks(const care_csv *t, int cr, int *n_rules, size_t *per_rule, sim_err *err)
{
    int prev = 0, rule = 0, rc = SIM_OK;
    size_t first_end = t->nrows;
    for (size_t r = 0; r < t->nrows && cr >= 0 && rc == SIM_OK; r++) {
        rc = rule_field(t, r, cr, &rule, err);
        if (rc == SIM_OK && rule != prev && rule != prev + 1)
            rc = care_csv_bad(t, r, "rule", "rules must come in blocks 0, 1, 2, ... in order", err);
        if (rc == SIM_OK && rule == 1 && prev == 0) first_end = r;
        prev = rule;
    }
    if (rc != SIM_OK) return rc;
    *n_rules = prev + 1;
    *per_rule = first_end;
    if (first_end * (size_t)*n_rules != t->nrows)
        return sim_err_set(err, SIM_EINVAL, "%s:2: rule: every rule needs as many rows as rule 0 (%zu)",
                           t->path, first_end);
    for (size_t r = 0; r < t->nrows && cr >= 0 && rc == SIM_OK; r++) {
        rc = rule_field(t, r, cr, &rule, err);
        if (rc == SIM_OK && (size_t)rule != r / first_end)
            rc = care_csv_bad(t, r, "rule", "every rule needs as many rows as rule 0", err);
    }
    return rc;
}

/* Sets n_trend_rules and n_rate_trend (rows per rule) from tables.rate_trend's blocks. */
static int trend_blocks(care_config *c, const care_csv *t, int cr, sim_err *err)
{
    size_t per_rule = 0;
    int rc = care_calib_rule_blocks(t, cr, &c->n_trend_rules, &per_rule, err);
    c->n_rate_trend = (int)per_rule;
    return rc;
}

int care_calib_rate_trend(care_config *c, const char *path, const char *key, sim_err *err)
{
    care_csv t;
    int ce[CARE_NAGE], cx[CARE_MAXK], cd = -1, cr, rc = care_csv_read(&t, path, key, err);
    if (rc != SIM_OK) return rc;
    rc = draw_columns(&t, "from_date", ce, cx, &cr, NULL, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "from_date", &cd, err);
    if (rc == SIM_OK && t.nrows == 0) rc = sim_err_set(err, SIM_EINVAL, "%s:2: %s: no rows", path, key);
    if (rc == SIM_OK) rc = trend_blocks(c, &t, cr, err);
    if (rc == SIM_OK) {
        c->rate_trend_from = malloc((size_t)c->n_rate_trend * sizeof *c->rate_trend_from);
        c->rate_trend_entry = malloc(t.nrows * CARE_NAGE * sizeof *c->rate_trend_entry);
        c->rate_trend_exit = malloc(t.nrows * CARE_MAXK * sizeof *c->rate_trend_exit);
        if (!c->rate_trend_from || !c->rate_trend_entry || !c->rate_trend_exit)
            rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++)
        rc = trend_row(c, &t, r, r % (size_t)c->n_rate_trend, cd, ce, cx, err);
    if (rc == SIM_OK)
        c->rate_trend_from[0] = -INFINITY;   /* the first row also covers any burn-in */
    else
        c->n_rate_trend = c->n_trend_rules = 0;
    care_csv_free(&t);
    return rc;
}

int care_calib_check_rules(const care_config *c, const char *path, sim_err *err)
{
    int rules = c->n_trend_rules;   /* without tables.rate_trend the column is not used there */
    int urules = c->uasc ? care_uasc_rules(c->uasc) : 0;   /* 0: one block, for every rule */
    if (c->n_rate_trend && urules && urules != rules)
        return sim_err_set(err, SIM_EINVAL, "%s:2: rule: %d rules, but tables.rate_trend has %d (every rule in both)",
                           c->uasc_path, urules, rules);
    int prules = c->pathway_trend ? care_pathtrend_rules(c->pathway_trend) : 0;
    if (c->n_rate_trend && prules && prules != rules)
        return sim_err_set(err, SIM_EINVAL, "%s:2: rule: %d rules, but tables.rate_trend has %d (every rule in both)",
                           c->pathway_trend_path, prules, rules);
    if (urules && prules && prules != urules)
        return sim_err_set(err, SIM_EINVAL, "%s:2: rule: %d rules, but tables.uasc has %d (every rule in both)",
                           c->pathway_trend_path, prules, urules);
    for (int d = 0; c->draw_rule && d < c->n_draws; d++) {
        if (prules && c->draw_rule[d] >= prules)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: rule: %d is not a rule of tables.pathway_trend (0-%d)",
                               path, d + 2, c->draw_rule[d], prules - 1);
        if (c->n_rate_trend && c->draw_rule[d] >= rules)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: rule: %d is not a rule of tables.rate_trend (0-%d)",
                               path, d + 2, c->draw_rule[d], rules - 1);
        if (urules && c->draw_rule[d] >= urules)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: rule: %d is not a rule of tables.uasc (0-%d)",
                               path, d + 2, c->draw_rule[d], urules - 1);
    }
    return SIM_OK;
}

int care_calib_draw_rule(const care_config *c, size_t d)
{
    return c->draw_rule ? c->draw_rule[d] : 0;
}

void care_calib_no_draw(care_repdraw *r)
{
    r->entry = NULL;
    for (int s = 0; s < CARE_NSTATE; s++)
        for (int k = 0; k < CARE_MAXK; k++) r->haz[s][k] = 1.0;
    r->has_haz = 0;
    r->referral = r->nfa_odds = r->uasc = 1.0;
    r->rule = 0;
}

void care_calib_pick(const care_config *c, size_t d, care_repdraw *r)
{
    care_calib_no_draw(r);
    r->entry = c->draw_entry + d * CARE_NAGE;
    for (int k = 0; k < CARE_MAXK; k++) r->haz[CARE_ST_LAC][k] = c->draw_exit[d * CARE_MAXK + k];
    r->has_haz = 1;
    if (c->draw_uasc) r->uasc = c->draw_uasc[d];
    r->rule = care_calib_draw_rule(c, d);
    if (c->pathway_draws) care_pathdraws_row(c->pathway_draws, d, r);
}

care_cal_steps care_calib_lac_steps(const care_config *c, int rule)
{
    if (!c->n_rate_trend) return (care_cal_steps){0, NULL, NULL};
    return (care_cal_steps){c->n_rate_trend, c->rate_trend_from,
                            c->rate_trend_exit + (size_t)rule * (size_t)c->n_rate_trend * CARE_MAXK};
}

/* The row in force at day t; in *until the day the next one starts. */
static int trend_step(const care_config *c, double t, double *until)
{
    int i = 0;
    while (i + 1 < c->n_rate_trend && t >= c->rate_trend_from[i + 1]) i++;
    *until = i + 1 < c->n_rate_trend ? c->rate_trend_from[i + 1] : INFINITY;
    return i;
}

/* Rule `rule`'s entry multipliers in force at day t. */
static const double *entry_row(const care_config *c, int rule, double t, double *until)
{
    size_t i = (size_t)rule * (size_t)c->n_rate_trend + (size_t)trend_step(c, t, until);
    return c->rate_trend_entry + i * CARE_NAGE;
}

double care_calib_entry_scale(const care_config *c, int rule, double t, const double cum[CARE_NAGE], double *until)
{
    const double *e = entry_row(c, rule, t, until);
    double s = 0.0;
    for (int b = 0; b < CARE_NAGE; b++)
        s += (cum[b] - (b ? cum[b - 1] : 0.0)) * e[b];
    return cum[CARE_NAGE - 1] > 0 ? s / cum[CARE_NAGE - 1] : 0.0;
}

int care_calib_entry_band(const care_config *c, int rule, double t, const double cum[CARE_NAGE], double u)
{
    double until;
    const double *e = entry_row(c, rule, t, &until);
    double w[CARE_NAGE], tot = 0.0, acc = 0.0;
    for (int b = 0; b < CARE_NAGE; b++)
        tot += w[b] = (cum[b] - (b ? cum[b - 1] : 0.0)) * e[b];
    int b = 0;
    u *= tot;
    while (b + 1 < CARE_NAGE && (w[b] == 0.0 || u >= (acc += w[b]))) b++;
    while (w[b] == 0.0 && b > 0) b--;   /* rounding at the top: the last band with weight */
    return b;
}
