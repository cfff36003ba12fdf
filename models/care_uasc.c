/* models/care_uasc.c - see care_uasc.h. */
#include "care_uasc.h"

#include <math.h>
#include <stdlib.h>

#include "care_calib.h"
#include "care_csv.h"
#include "care_date.h"

static const char *const age_cols[CARE_UASC_NAGE] = {"age_14", "age_15", "age_16", "age_17"};

static int bad(const care_csv *t, size_t r, const char *col, const char *msg, double v, sim_err *err)
{
    return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: %s, got %.4g", t->path, t->rows[r].line, col, msg, v);
}

void care_uasc_free(care_uasc *u)
{
    if (!u) return;
    free(u->from);
    free(u->per_day);
    free(u->age_cum);
    free(u->share);
    free(u->male);
    free(u->exit);
    free(u->area_share);
    free(u);
}

/* Columns: the date, entries, four ages, the placements, male share, exit hazard. */
enum { C_DATE, C_ENTRIES, C_AGE, C_PLACE = C_AGE + CARE_UASC_NAGE, C_MALE = C_PLACE + CARE_NPLACE, C_EXIT, NCOL };

/* Row r of the table, row j of its rule's block: its date (set by rule 0's block, the same in
 * every other) and values. */
static int read_row(care_uasc *u, const care_config *c, const care_csv *t, size_t r, size_t j, const int *col,
                    sim_err *err)
{
    int64_t day;
    double v[NCOL];
    if (care_date_parse(t->rows[r].fields[col[C_DATE]], &day) != 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: from_date: expected YYYY-MM-DD", t->path, t->rows[r].line);
    double from = (double)(day - c->start_date);
    if (r == j) {
        u->from[j] = from;
        if (j > 0 && from <= u->from[j - 1])
            return sim_err_set(err, SIM_EINVAL, "%s:%d: from_date: dates must increase", t->path, t->rows[r].line);
    } else if (from != u->from[j]) {
        return sim_err_set(err, SIM_EINVAL, "%s:%d: from_date: every rule must have the dates of rule 0", t->path,
                           t->rows[r].line);
    }
    for (int k = 1; k < NCOL; k++) {
        int rc = care_csv_nonneg(t, r, col[k], &v[k], err);
        if (rc != SIM_OK) return rc;
    }
    double sa = 0.0, sp = 0.0;
    for (int j = 0; j < CARE_UASC_NAGE; j++)
        u->age_cum[r][j] = sa += v[C_AGE + j];
    for (int p = 0; p < CARE_NPLACE; p++)
        sp += u->share[r][p] = v[C_PLACE + p];
    if (fabs(sa - 1.0) > 1e-3) return bad(t, r, age_cols[CARE_UASC_NAGE - 1], "ages' shares must sum to 1", sa, err);
    if (fabs(sp - 1.0) > 1e-3) return bad(t, r, care_placement_names[CARE_NPLACE - 1], "placement shares must sum to 1", sp, err);
    if (v[C_MALE] > 1.0) return bad(t, r, "male_share", "a share must be <= 1", v[C_MALE], err);
    u->per_day[r] = v[C_ENTRIES] / CARE_YEAR_DAYS;
    u->male[r] = v[C_MALE];
    u->exit[r] = v[C_EXIT] / CARE_YEAR_DAYS;
    return SIM_OK;
}

static int alloc(care_uasc *u, size_t n, size_t per_rule, int areas)
{
    u->from = malloc(per_rule * sizeof *u->from);
    u->per_day = malloc(n * sizeof *u->per_day);
    u->age_cum = malloc(n * sizeof *u->age_cum);
    u->share = malloc(n * sizeof *u->share);
    u->male = malloc(n * sizeof *u->male);
    u->exit = malloc(n * sizeof *u->exit);
    u->area_share = calloc((size_t)areas + 1, sizeof *u->area_share);
    return u->from && u->per_day && u->age_cum && u->share && u->male && u->exit && u->area_share;
}

/* The table into u (ctx: the config, whose areas are loaded). */
static int fill(void *obj, const care_csv *t, const char *key, const void *ctx, sim_err *err)
{
    static const char *const allowed[] = {"from_date", "entries_per_year", "age_14", "age_15", "age_16", "age_17",
        "foster", "kinship", "residential", "placed_with_parents", "independent", "male_share", "other_per_year",
        "rule", "source", "note", NULL};
    care_uasc *u = obj;
    const care_config *c = ctx;
    const char *names[NCOL] = {"from_date", "entries_per_year"};
    for (int j = 0; j < CARE_UASC_NAGE; j++) names[C_AGE + j] = age_cols[j];
    for (int p = 0; p < CARE_NPLACE; p++) names[C_PLACE + p] = care_placement_names[p];
    names[C_MALE] = "male_share";
    names[C_EXIT] = "other_per_year";
    int col[NCOL], rc = care_csv_check_header(t, allowed, err);
    for (int k = 0; k < NCOL && rc == SIM_OK; k++)
        rc = care_csv_need(t, names[k], &col[k], err);
    if (rc == SIM_OK && t->nrows == 0) rc = sim_err_set(err, SIM_EINVAL, "%s:2: %s: no rows", t->path, key);
    int cr = care_csv_col(t, "rule"), n_rules = 1;
    size_t per_rule = t->nrows;
    if (rc == SIM_OK) rc = care_calib_rule_blocks(t, cr, &n_rules, &per_rule, err);
    if (rc == SIM_OK && !alloc(u, t->nrows, per_rule, c->n_areas))
        rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", t->path);
    for (size_t r = 0; r < t->nrows && rc == SIM_OK; r++)
        rc = read_row(u, c, t, r, r % per_rule, col, err);
    if (rc == SIM_OK) {
        u->n = (int)per_rule;
        u->n_rules = n_rules;
        u->has_rules = cr >= 0;
        u->from[0] = -INFINITY;   /* the first row also covers any burn-in */
    }
    double pop = 0.0;   /* shared by population aged 16-17 */
    for (int a = 0; a < c->n_areas && rc == SIM_OK; a++) pop += c->areas[a].pop[CARE_AGE_16_17];
    for (int a = 0; a < c->n_areas && rc == SIM_OK; a++)
        u->area_share[a] = pop > 0 ? c->areas[a].pop[CARE_AGE_16_17] / pop : 0.0;
    return rc;
}

static void release(void *u)
{
    care_uasc_free(u);
}

int care_uasc_load(care_config *c, const char *path, const char *key, sim_err *err)
{
    static const care_csv_loader loader = {sizeof(care_uasc), fill, release};
    void *u = NULL;
    int rc = care_csv_load(&loader, path, key, c, &u, err);
    if (rc == SIM_OK) c->uasc = u;
    return rc;
}

/* The row in force at day t; in *until the day the next one starts. */
static int step(const care_uasc *u, double t, double *until)
{
    int i = 0;
    while (i + 1 < u->n && t >= u->from[i + 1]) i++;
    *until = i + 1 < u->n ? u->from[i + 1] : INFINITY;
    return i;
}

int care_uasc_rules(const care_uasc *u)
{
    return u->has_rules ? u->n_rules : 0;
}

/* The first row of the replicate's rule's block (care_calib_check_rules has checked the rule). */
static size_t block(const care_uasc *u, int rule)
{
    return u->has_rules ? (size_t)rule * (size_t)u->n : 0;
}

/* Inverts the cumulative of a rate constant within each row: rate[i] x scale (rate: the rule's
 * block). */
static double invert(const care_uasc *u, const double *rate, double scale, double now, double limit, double e)
{
    double t = now;
    while (t < limit) {
        double until;
        double r = rate[step(u, t, &until)] * scale, end = fmin(until, limit);
        if (r > 0 && r * (end - t) >= e) return t + e / r;
        e -= r * (end - t);
        t = end;
    }
    return INFINITY;
}

double care_uasc_arrival(const care_uasc *u, int rule, int area, double now, double horizon, double e)
{
    return invert(u, u->per_day + block(u, rule), u->area_share[area], now, horizon, e);
}

double care_uasc_exit(const care_uasc *u, int rule, double now, double limit, double e)
{
    return invert(u, u->exit + block(u, rule), 1.0, now, limit, e);
}

double care_uasc_entry_age(const care_uasc *u, int rule, double t, double u1, double u2)
{
    double until;
    const double *cum = u->age_cum[block(u, rule) + (size_t)step(u, t, &until)];
    int j = 0;
    u1 *= cum[CARE_UASC_NAGE - 1];
    while (j + 1 < CARE_UASC_NAGE && (u1 >= cum[j] || cum[j] == (j ? cum[j - 1] : 0.0))) j++;
    while (j > 0 && cum[j] == cum[j - 1]) j--;   /* rounding at the top: the last age with weight */
    return (CARE_UASC_AGE0 + j + u2) * CARE_YEAR_DAYS;
}

const double *care_uasc_shares(const care_uasc *u, int rule, double t)
{
    double until;
    return u->share[block(u, rule) + (size_t)step(u, t, &until)];
}

double care_uasc_male(const care_uasc *u, int rule, double t)
{
    double until;
    return u->male[block(u, rule) + (size_t)step(u, t, &until)];
}

void care_uasc_keep(care_uasc *u, const int *keep, int n_old)
{
    if (!u) return;
    for (int a = 0; a < n_old; a++)   /* keep[a] <= a: in place */
        if (keep[a] >= 0) u->area_share[keep[a]] = u->area_share[a];
}

/* Why not uniform within the band: the stock at a time in care is made of entrants of the
 * stream's ages at entry (mostly 16-17), so older time in care means older children; uniform
 * ages within 16-17 put too few 17-year-olds in the stock and too few leave at 18 in the first
 * year. Days in care are drawn first (u2), then the age at entry from the entry-age shares of
 * the row in force when the child came (u1), among those that land the child in band b. */
void care_uasc_initial(const care_uasc *u, int rule, int b, double tb0, double tb1, double u1, double u2,
                       double *age, double *tic)
{
    double a0 = CARE_UASC_AGE0 * CARE_YEAR_DAYS, y = CARE_YEAR_DAYS;
    double lo = care_age_lo_years[b] * y, hi = care_age_lo_years[b + 1] * y;
    double t1 = fmax(tb0, fmin(tb1, hi - a0));
    *tic = tb0 * (1 - u2) + t1 * u2;
    double elo = fmax(a0, lo - *tic), ehi = fmin(a0 + CARE_UASC_NAGE * y, hi - *tic);
    double until, mass[CARE_UASC_NAGE], total = 0;
    const double *cum = u->age_cum[block(u, rule) + (size_t)step(u, -*tic, &until)];
    for (int j = 0; j < CARE_UASC_NAGE; j++) {   /* weight of year j within [elo, ehi) */
        double w = cum[j] - (j ? cum[j - 1] : 0.0);
        double from = fmax(elo, a0 + j * y), to = fmin(ehi, a0 + (j + 1) * y);
        mass[j] = to > from ? w * (to - from) : 0.0;
        total += mass[j];
    }
    if (!(total > 0)) {   /* no entry age of weight reaches the band: uniform where it can */
        *age = fmax(lo, fmin(hi, elo + *tic)) + u1 * fmax(0.0, fmin(hi, ehi + *tic) - fmax(lo, elo + *tic));
        return;
    }
    double r = u1 * total;
    int j = 0;
    while (j + 1 < CARE_UASC_NAGE && (r >= mass[j] || mass[j] == 0)) r -= mass[j++];
    while (mass[j] == 0) j--;   /* rounding at the top: the last year with weight */
    double from = fmax(elo, a0 + j * y), to = fmin(ehi, a0 + (j + 1) * y);
    double e = from + fmin(1.0, fmax(0.0, r / mass[j])) * (to - from);
    *age = fmin(e + *tic, nextafter(hi, 0));
}
