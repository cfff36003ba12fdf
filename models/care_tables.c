/* models/care_tables.c - see care_tables.h. */
#include "care_tables.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "care_csv.h"

int care_age_band_index(const char *name)
{
    for (int b = 0; b < CARE_NAGE; b++)
        if (strcmp(name, care_age_names[b]) == 0)
            return b;
    return -1;
}

static int age_of_row(const care_csv *t, size_t r, int col, int *b, sim_err *err)
{
    *b = care_age_band_index(t->rows[r].fields[col]);
    if (*b < 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: age_band: unknown age band '%s' (expected under_1, 1_4, 5_9, 10_15, 16_17)",
                           t->path, t->rows[r].line, t->rows[r].fields[col]);
    return SIM_OK;
}

/* Every age band exactly once (tables with one row per age band). */
static int check_all_ages(const care_csv *t, const int *seen, sim_err *err)
{
    for (int b = 0; b < CARE_NAGE; b++)
        if (seen[b] != 1)
            return sim_err_set(err, SIM_EINVAL, "%s:%zu: age_band: '%s' appears %d times (each age band exactly once)",
                               t->path, t->nrows ? (size_t)t->rows[t->nrows - 1].line : 1u, care_age_names[b], seen[b]);
    return SIM_OK;
}

static const care_area *sort_areas;   /* qsort has no context argument; loading is single-threaded */
static int by_code(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int d = strcmp(sort_areas[i].code, sort_areas[j].code);
    return d ? d : (i > j) - (i < j);
}

/* Every area code once; sorting keeps this fast for tens of thousands of areas. The message
 * names the later row of the first repeated pair, in file order. */
static int unique_codes(const care_config *c, const care_csv *t, sim_err *err)
{
    size_t n = (size_t)c->n_areas, *idx = malloc((n ? n : 1) * sizeof *idx), worst = n;
    if (!idx)
        return sim_err_set(err, SIM_ENOMEM, "%s: out of memory", t->path);
    for (size_t i = 0; i < n; i++) idx[i] = i;
    sort_areas = c->areas;
    qsort(idx, n, sizeof *idx, by_code);
    for (size_t i = 1; i < n; i++)
        if (!strcmp(c->areas[idx[i]].code, c->areas[idx[i - 1]].code) && idx[i] < worst)
            worst = idx[i];
    free(idx);
    if (worst < n)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: code: area '%s' appears twice", t->path, t->rows[worst].line,
                           c->areas[worst].code);
    return SIM_OK;
}

int care_tables_areas(care_config *c, const char *path, const char *key, sim_err *err)
{
    static const char *const allowed[] = {"code", "name", "region", "pop_under_1", "pop_1_4", "pop_5_9",
        "pop_10_15", "pop_16_17", "entry_multiplier", "exit_multiplier", "ofsted", "cla_2015", "cla_2016",
        "cla_2017", "source", "note", NULL};
    care_csv t;
    int rc = care_csv_read(&t, path, key, err), col[10];
    static const char *const need[] = {"code", "name", "region", "pop_under_1", "pop_1_4", "pop_5_9",
        "pop_10_15", "pop_16_17", "entry_multiplier", "exit_multiplier"};
    if (rc != SIM_OK)
        return rc;
    rc = care_csv_check_header(&t, allowed, err);
    for (int k = 0; k < 10 && rc == SIM_OK; k++)
        rc = care_csv_need(&t, need[k], &col[k], err);
    if (rc == SIM_OK && t.nrows == 0)
        rc = sim_err_set(err, SIM_EINVAL, "%s:2: %s: no areas", path, key);
    if (rc == SIM_OK && t.nrows > 65535)
        rc = sim_err_set(err, SIM_EINVAL, "%s: %s: at most 65535 areas", path, key);
    if (rc == SIM_OK && !(c->areas = calloc(t.nrows, sizeof *c->areas)))
        rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path);
    int c_of = care_csv_col(&t, "ofsted"), c_cla[3] = {care_csv_col(&t, "cla_2015"),
        care_csv_col(&t, "cla_2016"), care_csv_col(&t, "cla_2017")};
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        care_area *a = &c->areas[r];
        char **f = t.rows[r].fields;
        c->n_areas = (int)r + 1;
        a->code = strdup(f[col[0]]);
        a->name = strdup(f[col[1]]);
        a->region = strdup(f[col[2]]);
        a->ofsted = strdup(c_of >= 0 ? f[c_of] : "");
        if (!a->code || !a->name || !a->region || !a->ofsted) {
            rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path);
            break;
        }
        if (!a->code[0])
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: code: empty area code", path, t.rows[r].line);
        for (int b = 0; b < CARE_NAGE && rc == SIM_OK; b++)
            rc = care_csv_nonneg(&t, r, col[3 + b], &a->pop[b], err);
        if (rc == SIM_OK) rc = care_csv_nonneg(&t, r, col[8], &a->entry_mult, err);
        if (rc == SIM_OK) rc = care_csv_nonneg(&t, r, col[9], &a->exit_mult, err);
        for (int y = 0; y < 3 && rc == SIM_OK; y++) {
            a->cla[y] = NAN;
            if (c_cla[y] >= 0 && f[c_cla[y]][0])
                rc = care_csv_nonneg(&t, r, c_cla[y], &a->cla[y], err);
        }
    }
    if (rc == SIM_OK)
        rc = unique_codes(c, &t, err);
    care_csv_free(&t);
    return rc;
}

int care_tables_entry_rates(care_config *c, const char *path, const char *key, sim_err *err)
{
    static const char *const allowed[] = {"age_band", "rate_per_10000_per_year", "male_share", "source", "note", NULL};
    care_csv t;
    int rc = care_csv_read(&t, path, key, err), ca, cr, cm, seen[CARE_NAGE] = {0};
    if (rc != SIM_OK)
        return rc;
    rc = care_csv_check_header(&t, allowed, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "age_band", &ca, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "rate_per_10000_per_year", &cr, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "male_share", &cm, err);
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        int b;
        double v, m;
        rc = age_of_row(&t, r, ca, &b, err);
        if (rc == SIM_OK) rc = care_csv_nonneg(&t, r, cr, &v, err);
        if (rc == SIM_OK) rc = care_csv_nonneg(&t, r, cm, &m, err);
        if (rc == SIM_OK && m > 1)
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: male_share: must be in [0, 1], got %g", path, t.rows[r].line, m);
        if (rc == SIM_OK) {
            seen[b]++;
            c->entry_rate[b] = v / 10000.0 / CARE_YEAR_DAYS;
            c->male_share[b] = m;
        }
    }
    if (rc == SIM_OK)
        rc = check_all_ages(&t, seen, err);
    care_csv_free(&t);
    return rc;
}

int care_tables_entry_trend(care_config *c, const char *path, const char *key, sim_err *err)
{
    static const char *const allowed[] = {"from_date", "multiplier", "source", "note", NULL};
    care_csv t;
    int rc = care_csv_read(&t, path, key, err), cd, cm;
    if (rc != SIM_OK)
        return rc;
    rc = care_csv_check_header(&t, allowed, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "from_date", &cd, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "multiplier", &cm, err);
    if (rc == SIM_OK && t.nrows == 0)
        rc = sim_err_set(err, SIM_EINVAL, "%s:2: %s: no rows", path, key);
    if (rc == SIM_OK) {
        c->trend_from = malloc(t.nrows * sizeof *c->trend_from);
        c->trend_mult = malloc(t.nrows * sizeof *c->trend_mult);
        if (!c->trend_from || !c->trend_mult)
            rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path);
    }
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        int64_t day;
        if (care_date_parse(t.rows[r].fields[cd], &day) != 0) {
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: from_date: expected YYYY-MM-DD, got '%s'", path,
                             t.rows[r].line, t.rows[r].fields[cd]);
            break;
        }
        c->trend_from[r] = (double)(day - c->start_date);
        if (r > 0 && c->trend_from[r] <= c->trend_from[r - 1])
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: from_date: dates must increase", path, t.rows[r].line);
        if (rc == SIM_OK)
            rc = care_csv_nonneg(&t, r, cm, &c->trend_mult[r], err);
        c->n_trend = (int)r + 1;
    }
    if (rc == SIM_OK)
        c->trend_from[0] = -INFINITY;   /* the first multiplier also covers any burn-in */
    care_csv_free(&t);
    return rc;
}

/* Parses "NAME_per_day" / "NAME_per_year" into (transition index, factor to per day). */
static int rate_column(const char *h, const char *const *names, int n_k, int *k, double *to_day)
{
    for (int i = 0; i < n_k; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(h, names[i], n) != 0) continue;
        if (strcmp(h + n, "_per_day") == 0) { *k = i; *to_day = 1.0; return 1; }
        if (strcmp(h + n, "_per_year") == 0) { *k = i; *to_day = 1.0 / CARE_YEAR_DAYS; return 1; }
    }
    return 0;
}

static int hazard_columns(const care_csv *t, const char *const *names, int n_k, int *col, double *to_day,
                          int *ca, int *cf, sim_err *err)
{
    for (int k = 0; k < n_k; k++) col[k] = -1;
    *ca = *cf = -1;
    for (int c = 0; c < t->ncols; c++) {
        const char *h = t->header[c];
        int k;
        double f;
        int *fixed = !strcmp(h, "age_band") ? ca : !strcmp(h, "from_days") ? cf : NULL;
        if (fixed && *fixed >= 0)
            return sim_err_set(err, SIM_EINVAL, "%s:1: %s: column appears twice", t->path, h);
        if (fixed) *fixed = c;
        else if (strcmp(h, "source") == 0 || strcmp(h, "note") == 0) continue;
        else if (rate_column(h, names, n_k, &k, &f) && col[k] < 0) { col[k] = c; to_day[k] = f; }
        else return sim_err_set(err, SIM_EINVAL, "%s:1: %s: unknown or repeated column (expected age_band, "
                                "from_days, NAME_per_year or NAME_per_day for each transition, source, note)", t->path, h);
    }
    if (*ca < 0) return sim_err_set(err, SIM_EINVAL, "%s:1: age_band: required column is missing", t->path);
    if (*cf < 0) return sim_err_set(err, SIM_EINVAL, "%s:1: from_days: required column is missing", t->path);
    for (int k = 0; k < n_k; k++)
        if (col[k] < 0)
            return sim_err_set(err, SIM_EINVAL, "%s:1: %s_per_year: required column is missing (or %s_per_day)",
                               t->path, names[k], names[k]);
    return SIM_OK;
}

int care_tables_hazards(care_hazard_table *h, const char *path, const char *key, const char *const *names,
                        int n_k, sim_err *err)
{
    care_csv t;
    int col[CARE_MAXK], ca, cf, n_in[CARE_NAGE] = {0};
    double to_day[CARE_MAXK];
    int rc = care_csv_read(&t, path, key, err);
    if (rc != SIM_OK)
        return rc;
    memset(h, 0, sizeof *h);
    h->n_k = n_k;
    rc = hazard_columns(&t, names, n_k, col, to_day, &ca, &cf, err);
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        int b, line = t.rows[r].line;
        double from;
        rc = age_of_row(&t, r, ca, &b, err);
        if (rc == SIM_OK) rc = care_csv_nonneg(&t, r, cf, &from, err);
        if (rc != SIM_OK) break;
        int i = n_in[b]++;
        if (i >= CARE_MAXTB) { rc = sim_err_set(err, SIM_EINVAL, "%s:%d: from_days: at most %d bands per age band", path, line, CARE_MAXTB); break; }
        if (i == 0 && from != 0) { rc = sim_err_set(err, SIM_EINVAL, "%s:%d: from_days: the first band of each age band must start at 0, got %g", path, line, from); break; }
        if (b == 0) h->tb_from[i] = from;
        else if (i >= h->n_tb || h->tb_from[i] != from) {
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: from_days: age band %s must use the same bands as under_1 (band %d: expected %g, got %g)",
                             path, line, care_age_names[b], i + 1, i < h->n_tb ? h->tb_from[i] : -1.0, from);
            break;
        }
        if (i > 0 && from <= h->tb_from[i - 1]) { rc = sim_err_set(err, SIM_EINVAL, "%s:%d: from_days: bands must increase", path, line); break; }
        if (b == 0) h->n_tb = i + 1;
        for (int k = 0; k < n_k && rc == SIM_OK; k++) {
            double v = 0.0;
            if ((rc = care_csv_nonneg(&t, r, col[k], &v, err)) == SIM_OK)
                h->rate[b][i][k] = v * to_day[k];
        }
    }
    for (int b = 0; b < CARE_NAGE && rc == SIM_OK; b++)
        if (n_in[b] != h->n_tb || h->n_tb == 0)
            rc = sim_err_set(err, SIM_EINVAL, "%s:%zu: age_band: '%s' has %d bands, under_1 has %d (every age band needs the same bands)",
                             path, t.nrows ? (size_t)t.rows[t.nrows - 1].line : 1u, care_age_names[b], n_in[b], h->n_tb);
    h->tb_from[h->n_tb] = INFINITY;
    care_csv_free(&t);
    return rc;
}

int care_tables_placement_shares(double shares[CARE_NAGE][CARE_NPLACE], const char *path, const char *key,
                                 sim_err *err)
{
    static const char *const allowed[] = {"age_band", "foster", "kinship", "residential", "placed_with_parents",
                                          "independent", "source", "note", NULL};
    care_csv t;
    int rc = care_csv_read(&t, path, key, err), ca, cp[CARE_NPLACE], seen[CARE_NAGE] = {0};
    if (rc != SIM_OK)
        return rc;
    rc = care_csv_check_header(&t, allowed, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "age_band", &ca, err);
    for (int p = 0; p < CARE_NPLACE && rc == SIM_OK; p++)
        rc = care_csv_need(&t, care_placement_names[p], &cp[p], err);
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        int b;
        double sum = 0;
        rc = age_of_row(&t, r, ca, &b, err);
        for (int p = 0; p < CARE_NPLACE && rc == SIM_OK; p++) {
            rc = care_csv_nonneg(&t, r, cp[p], &shares[b][p], err);
            sum += shares[b][p];
        }
        if (rc == SIM_OK && fabs(sum - 1.0) > 1e-3)
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: shares must sum to 1, got %.4f", path, t.rows[r].line,
                             care_placement_names[CARE_NPLACE - 1], sum);
        if (rc == SIM_OK) seen[b]++;
    }
    if (rc == SIM_OK)
        rc = check_all_ages(&t, seen, err);
    care_csv_free(&t);
    return rc;
}

int care_tables_placement_costs(care_config *c, const char *path, const char *key, sim_err *err)
{
    static const char *const allowed[] = {"placement", "cost_per_day", "source", "note", NULL};
    care_csv t;
    int rc = care_csv_read(&t, path, key, err), cp, cc, seen[CARE_NPLACE] = {0};
    if (rc != SIM_OK)
        return rc;
    rc = care_csv_check_header(&t, allowed, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "placement", &cp, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "cost_per_day", &cc, err);
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        int p = 0;
        while (p < CARE_NPLACE && strcmp(t.rows[r].fields[cp], care_placement_names[p]) != 0) p++;
        if (p == CARE_NPLACE) {
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: placement: unknown placement '%s'", path, t.rows[r].line, t.rows[r].fields[cp]);
            break;
        }
        seen[p]++;
        rc = care_csv_nonneg(&t, r, cc, &c->cost_per_day[p], err);
    }
    for (int p = 0; p < CARE_NPLACE && rc == SIM_OK; p++)
        if (seen[p] != 1)
            rc = sim_err_set(err, SIM_EINVAL, "%s:1: placement: '%s' appears %d times (each placement exactly once)",
                             path, care_placement_names[p], seen[p]);
    care_csv_free(&t);
    return rc;
}
