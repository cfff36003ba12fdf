/* models/care_stock.c - the initial-stock table: children in each state (column state, a label
 * of care_states.h; lac when absent) at the start date, by area, age band and time-in-state
 * band (the bands of the state's hazard table). Declared in care_tables.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "care_csv.h"
#include "care_tables.h"
#include "care_uasc.h"

static int area_index(const care_config *c, const char *code)
{
    for (int a = 0; a < c->n_areas; a++)
        if (strcmp(c->areas[a].code, code) == 0)
            return a;
    return -1;
}

static int band_of(const care_hazard_table *h, double from)
{
    for (int i = 0; i < h->n_tb; i++)
        if (h->tb_from[i] == from)
            return i;
    return -1;
}

/* Column uasc: 1 marks unaccompanied asylum-seeking children (tables.uasc), in care, aged 14 or
 * more at entry. */
static int uasc_row(const care_config *c, const care_csv *t, size_t r, int col, double from, care_stock_row *out,
                    sim_err *err)
{
    int line = t->rows[r].line;
    double v;
    int rc = care_csv_nonneg(t, r, col, &v, err);
    if (rc != SIM_OK) return rc;
    if (v != 0 && v != 1)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: uasc: must be 0 or 1, got %g", t->path, line, v);
    out->uasc = v == 1;
    if (!out->uasc) return SIM_OK;
    if (!c->uasc)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: uasc: children marked uasc need tables.uasc", t->path, line);
    if (out->state != CARE_ST_LAC)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: uasc: children marked uasc must be in state lac", t->path, line);
    if (care_age_lo_years[out->age + 1] * CARE_YEAR_DAYS <= CARE_UASC_AGE0 * CARE_YEAR_DAYS + from)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: uasc: a child aged %s cannot have entered at %d or older %g days ago",
                           t->path, line, care_age_names[out->age], CARE_UASC_AGE0, from);
    return SIM_OK;
}

static int parse_row(care_config *c, const care_csv *t, size_t r, const int *col, care_stock_row *out, sim_err *err)
{
    char **f = t->rows[r].fields;
    int line = t->rows[r].line, rc;
    double from, count;
    out->uasc = 0;
    out->state = col[4] >= 0 ? care_state_find(f[col[4]]) : CARE_ST_LAC;
    if (out->state < 0 || !c->haz[out->state].n_k)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: state: '%s' is not a state with a hazard table in this scenario",
                           t->path, line, f[col[4]]);
    const care_hazard_table *h = &c->haz[out->state];
    const char *table = care_states[out->state].table;
    out->area = area_index(c, f[col[0]]);
    if (out->area < 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: area: '%s' is not in the areas table", t->path, line, f[col[0]]);
    out->age = care_age_band_index(f[col[1]]);
    if (out->age < 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: age_band: unknown age band '%s'", t->path, line, f[col[1]]);
    if ((rc = care_csv_nonneg(t, r, col[2], &from, err)) != SIM_OK) return rc;
    out->tb = band_of(h, from);
    if (out->tb < 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: from_days: %g is not a band start of the %s table", t->path, line,
                           from, table);
    if (from >= care_age_lo_years[out->age + 1] * CARE_YEAR_DAYS)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: from_days: a child aged %s cannot have been in that state %g days",
                           t->path, line, care_age_names[out->age], from);
    if (from >= c->window[out->state])
        return sim_err_set(err, SIM_EINVAL, "%s:%d: from_days: %g days in state %s is past its window (%g days)",
                           t->path, line, from, care_states[out->state].name, c->window[out->state]);
    if ((rc = care_csv_nonneg(t, r, col[3], &count, err)) != SIM_OK) return rc;
    if (count != floor(count) || count > 1e8)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: count: must be a whole number, got %g", t->path, line, count);
    out->count = (uint32_t)count;
    return col[5] >= 0 ? uasc_row(c, t, r, col[5], from, out, err) : SIM_OK;
}

int care_tables_initial_stock(care_config *c, const char *path, const char *key, sim_err *err)
{
    static const char *const allowed[] = {"area", "state", "age_band", "from_days", "count", "uasc", "source", "note", NULL};
    static const char *const need[] = {"area", "age_band", "from_days", "count"};
    care_csv t;
    int col[6], rc = care_csv_read(&t, path, key, err);
    if (rc != SIM_OK)
        return rc;
    rc = care_csv_check_header(&t, allowed, err);
    for (int k = 0; k < 4 && rc == SIM_OK; k++)
        rc = care_csv_need(&t, need[k], &col[k], err);
    col[4] = care_csv_col(&t, "state");   /* optional: lac when absent */
    col[5] = care_csv_col(&t, "uasc");    /* optional: 0 when absent */
    care_stock_row *rows = NULL;
    if (rc == SIM_OK && t.nrows && !(rows = realloc(c->stock, (c->n_stock + t.nrows) * sizeof *rows)))
        rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path);
    if (rows) c->stock = rows;
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++)
        if ((rc = parse_row(c, &t, r, col, &c->stock[c->n_stock], err)) == SIM_OK)
            c->n_stock++;
    care_csv_free(&t);
    return rc;
}
