/* models/care_capacity.c - see care_capacity.h. */
#include "care_capacity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "care_bounds.h"
#include "care_csv.h"

int care_placement_index(const char *name)
{
    for (int p = 0; p < CARE_NPLACE; p++)
        if (!strcmp(name, care_placement_names[p])) return p;
    return -1;
}

/* Rows in (placement, area, from) order, `all` before any area: lookups take a contiguous run. */
static int by_pair(const void *a, const void *b)
{
    const care_cap_row *x = a, *y = b;
    if (x->placement != y->placement) return x->placement - y->placement;
    if (x->area != y->area) return x->area - y->area;
    return (x->from > y->from) - (x->from < y->from);
}

static int area_of(const care_config *c, const char *code)
{
    if (!strcmp(code, "all")) return CARE_CAP_ALL;
    for (int a = 0; a < c->n_areas; a++)
        if (!strcmp(c->areas[a].code, code)) return a;
    return -2;
}

/* One row: its area, placement, date and places, each checked. */
static int read_row(const care_config *c, const care_csv *t, size_t r, const int col[4], care_cap_row *out,
                    sim_err *err)
{
    char **f = t->rows[r].fields;
    int line = t->rows[r].line;
    if ((out->area = area_of(c, f[col[0]])) == -2)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: area: '%s' is not an area of the areas table (a code, or all)",
                           t->path, line, f[col[0]]);
    if ((out->placement = care_placement_index(f[col[1]])) < 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: placement: unknown placement '%s' (expected foster, kinship, "
                           "residential, placed_with_parents or independent)", t->path, line, f[col[1]]);
    if (out->placement == c->placement_fallback)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: placement: '%s' is the fallback (placement_fallback), which takes "
                           "every child another type cannot: it has no capacity", t->path, line, f[col[1]]);
    out->from = -INFINITY;
    if (col[2] >= 0 && f[col[2]][0]) {
        int64_t day;
        if (care_date_parse(f[col[2]], &day) != 0)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: from_date: expected YYYY-MM-DD or empty, got '%s'", t->path,
                               line, f[col[2]]);
        out->from = (double)(day - c->start_date);
    }
    uint64_t places;
    if (!f[col[3]][0]) {   /* empty: unlimited from this date */
        out->places = INFINITY;
        return SIM_OK;
    }
    if (care_uint_parse(f[col[3]], &places) != 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: places: expected a whole number >= 0, got '%s'", t->path, line,
                           f[col[3]]);
    out->places = (double)places;
    return care_bound_check(t->path, line, "places", out->places, err);
}

int care_capacity_load(care_config *c, const char *path, const char *key, sim_err *err)
{
    static const char *const allowed[] = {"area", "placement", "from_date", "places", "source", "note", NULL};
    care_csv t;
    int rc = care_csv_read(&t, path, key, err), col[4] = {-1, -1, -1, -1};
    if (rc != SIM_OK) return rc;
    rc = care_csv_check_header(&t, allowed, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "area", &col[0], err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "placement", &col[1], err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "places", &col[3], err);
    col[2] = care_csv_col(&t, "from_date");
    if (rc == SIM_OK && t.nrows == 0) rc = sim_err_set(err, SIM_EINVAL, "%s:2: %s: no rows", path, key);
    int *line = NULL;
    if (rc == SIM_OK && (!(c->cap = calloc(t.nrows, sizeof *c->cap)) || !(line = malloc(t.nrows * sizeof *line))))
        rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path);
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        rc = read_row(c, &t, r, col, &c->cap[r], err);
        line[r] = t.rows[r].line;
        c->n_cap = r + 1;
        for (size_t q = 0; q < r && rc == SIM_OK; q++)   /* tables are small: a pair given twice on one date */
            if (c->cap[q].area == c->cap[r].area && c->cap[q].placement == c->cap[r].placement &&
                c->cap[q].from == c->cap[r].from)
                rc = sim_err_set(err, SIM_EINVAL, "%s:%d: from_date: %s of %s from this date is already given on line %d",
                                 path, line[r], t.rows[r].fields[col[1]], t.rows[r].fields[col[0]], line[q]);
    }
    if (rc == SIM_OK) qsort(c->cap, c->n_cap, sizeof *c->cap, by_pair);
    free(line);
    care_csv_free(&t);
    return rc;
}

/* The run of rows with this placement and area, in the sorted table. */
static void run_of(const care_config *c, int area, int placement, size_t *first, size_t *n)
{
    size_t i = 0;
    while (i < c->n_cap && (c->cap[i].placement < placement ||
                            (c->cap[i].placement == placement && c->cap[i].area < area)))
        i++;
    size_t j = i;
    while (j < c->n_cap && c->cap[j].placement == placement && c->cap[j].area == area) j++;
    *first = i;
    *n = j - i;
}

void care_capacity_rows(const care_config *c, int area, int placement, size_t *first, size_t *n)
{
    run_of(c, area, placement, first, n);
    if (*n == 0) run_of(c, CARE_CAP_ALL, placement, first, n);   /* the area has none of its own */
}

double care_capacity_at(const care_cap_row *rows, size_t n, double t)
{
    double places = INFINITY;
    for (size_t i = 0; i < n && rows[i].from <= t; i++) places = rows[i].places;
    return places;
}

void care_capacity_keep(care_config *c, const int *newidx)
{
    size_t m = 0;
    for (size_t i = 0; i < c->n_cap; i++) {
        care_cap_row r = c->cap[i];
        if (r.area != CARE_CAP_ALL && (r.area = newidx[r.area]) < 0) continue;
        c->cap[m++] = r;
    }
    c->n_cap = m;
    qsort(c->cap, c->n_cap, sizeof *c->cap, by_pair);   /* kept areas keep their order: still sorted; cheap */
}
