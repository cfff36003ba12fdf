/* models/care_override.c - changes a loaded scenario from the command line without new files:
 * a different horizon, or only some of its areas. Both run before care_scenario_resolve, so the
 * resolved scenario stored in the output says what was run. */
#include <stdlib.h>
#include <string.h>

#include "care_capacity.h"
#include "care_scenario.h"
#include "care_uasc.h"

int care_scenario_set_horizon(care_config *c, const char *span, sim_err *err)
{
    care_span sp;
    if (care_span_parse(span, &sp) != 0 || (sp.years == 0 && sp.months == 0 && sp.days == 0))
        return sim_err_set(err, SIM_EINVAL, "caresim run: --horizon: expected a duration such as 5y, 18m or 90d, got '%s'",
                           span);
    c->horizon_span = sp;
    return care_scenario_obs_times(c, err);
}

static int find_area(const care_config *c, const char *code, size_t len)
{
    for (int a = 0; a < c->n_areas; a++)
        if (strlen(c->areas[a].code) == len && !strncmp(c->areas[a].code, code, len))
            return a;
    return -1;
}

static void free_area(care_area *a)
{
    free(a->code);
    free(a->name);
    free(a->region);
    free(a->ofsted);
}

/* Keeps the areas named in `codes` (in the areas table's order) and the initial stock rows of
 * those areas, renumbered. */
int care_scenario_keep_areas(care_config *c, const char *codes, sim_err *err)
{
    if (!*codes)
        return sim_err_set(err, SIM_EINVAL, "caresim run: --areas: expected area codes, e.g. --areas E09000007,E06000001");
    int *keep = calloc((size_t)c->n_areas + 1, sizeof *keep);
    if (!keep) return sim_err_set(err, SIM_ENOMEM, "out of memory");
    for (const char *p = codes; *p;) {
        size_t len = strcspn(p, ",");
        int a = len ? find_area(c, p, len) : -1;
        if (a < 0) {
            free(keep);
            return sim_err_set(err, SIM_EINVAL, "caresim run: --areas: '%.*s' is not an area of %s (codes as in its areas "
                               "table)", (int)len, p, c->path);
        }
        keep[a] = 1;
        p += len + (p[len] == ',');
    }
    int n = 0, n_old = c->n_areas;
    for (int a = 0; a < c->n_areas; a++) {
        if (keep[a]) {
            c->areas[n] = c->areas[a];
            keep[a] = n++;   /* now the new index */
        } else {
            free_area(&c->areas[a]);
            keep[a] = -1;
        }
    }
    c->n_areas = n;
    size_t m = 0;
    for (size_t i = 0; i < c->n_stock; i++)
        if (keep[c->stock[i].area] >= 0) {
            c->stock[m] = c->stock[i];
            c->stock[m++].area = keep[c->stock[i].area];
        }
    c->n_stock = m;
    care_capacity_keep(c, keep);
    care_uasc_keep(c->uasc, keep, n_old);   /* each kept area keeps its national share of UASC */
    free(keep);
    return SIM_OK;
}
