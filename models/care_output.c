/* models/care_output.c - see care_output.h. */
#include "care_output.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X_DSIZE(id, name, size, labels) DSIZE_##id = size,
enum { CARE_DIM_LIST(X_DSIZE) DSIZE_NONE = 1 };
#define X_SIZE(id) (size_t)DSIZE_##id
#define X_VAR(id, name, type, d1, d2, units, long_name) \
    {name, type, CARE_D_##d1, CARE_D_##d2, X_SIZE(d1), X_SIZE(d2), units, long_name},
const care_var_info care_vars[CARE_NVAR] = {CARE_VAR_LIST(X_VAR)};

/* The axes set per run: cost items (placements, then the run's programmes), programmes, and
 * one param_<key>(scenario) variable per swept key (NaN in scenarios that do not sweep it). */
static int run_axes(care_output *o, const care_config *const *cfgs, int n_scen, sim_err *err)
{
    const care_config *c = cfgs[0];
    for (int s = 1; s < n_scen; s++)
        if (cfgs[s]->n_prog_run != c->n_prog_run)
            return sim_err_set(err, SIM_EINVAL, "%s: programmes not linked across the run (care_scenario_link)", cfgs[s]->path);
    int P = c->n_prog_run;
    o->items = malloc((size_t)(CARE_NPLACE + P) * sizeof *o->items);
    o->progs = malloc((size_t)(P ? P : 1) * sizeof *o->progs);
    if (!o->items || !o->progs) return sim_err_set(err, SIM_ENOMEM, "out of memory");
    for (int i = 0; i < CARE_NPLACE; i++) o->items[i] = care_placement_names[i];
    for (int j = 0; j < P; j++) o->items[CARE_NPLACE + j] = o->progs[j] = c->prog_run_names[j];
    o->dims[CARE_D_ITEM] = (sim_dim){"item", (size_t)(CARE_NPLACE + P), o->items, NULL, NULL, NULL};
    o->dims[CARE_D_PROG] = (sim_dim){"programme", (size_t)P, o->progs, NULL, NULL, NULL};
    const char *keys[CARE_SWEEP_MAX_PARAMS];
    int J = 0;
    for (int s = 0; s < n_scen; s++)
        for (int j = 0; j < cfgs[s]->n_params; j++) {
            int q = 0;
            while (q < J && strcmp(keys[q], cfgs[s]->param_keys[j])) q++;
            if (q == J && J < CARE_SWEEP_MAX_PARAMS) keys[J++] = cfgs[s]->param_keys[j];
        }
    if (!J) return SIM_OK;
    if (!(o->param_values = malloc((size_t)J * (size_t)n_scen * sizeof *o->param_values)))
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    for (int q = 0; q < J; q++) {
        care_sweep_coord_name(keys[q], o->param_names[q], sizeof o->param_names[q]);
        for (int s = 0; s < n_scen; s++) {
            double v = NAN;
            for (int j = 0; j < cfgs[s]->n_params; j++)
                if (!strcmp(cfgs[s]->param_keys[j], keys[q])) v = cfgs[s]->param_values[j];
            o->param_values[(size_t)q * (size_t)n_scen + (size_t)s] = v;
        }
        o->aux[o->naux++] = (sim_aux){o->param_names[q], CARE_D_SCEN, NULL, o->param_values + (size_t)q * (size_t)n_scen};
    }
    return SIM_OK;
}

int care_output_init(care_output *o, const care_config *const *cfgs, int n_scen, const char *command_line,
                     const char *version, const char *created, sim_err *err)
{
    memset(o, 0, sizeof *o);
    const care_config *c = cfgs[0];
    for (int s = 1; s < n_scen; s++) {
        const care_config *o = cfgs[s];
        int same = o->n_obs == c->n_obs && o->n_areas == c->n_areas && o->start_date == c->start_date &&
                   o->replicates == c->replicates;
        for (int t = 0; same && t < c->n_obs; t++) same = o->obs[t] == c->obs[t];
        for (int a = 0; same && a < c->n_areas; a++) same = !strcmp(o->areas[a].code, c->areas[a].code);
        if (!same)
            return sim_err_set(err, SIM_EINVAL, "%s: scenarios of one run must share start date, horizon, "
                               "observation times, replicates and areas (as %s)", o->path, c->path);
    }
    size_t len = 1;
    for (int s = 0; s < n_scen; s++)
        len += strlen(cfgs[s]->resolved_yaml ? cfgs[s]->resolved_yaml : "") + 8;
    if (!(o->yaml = malloc(len)))
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    o->yaml[0] = '\0';
    for (int s = 0; s < n_scen; s++) {
        if (n_scen > 1) strcat(o->yaml, "---\n");
        strcat(o->yaml, cfgs[s]->resolved_yaml ? cfgs[s]->resolved_yaml : "");
    }
    size_t A = (size_t)c->n_areas;
    o->scenario_names = malloc((size_t)n_scen * sizeof *o->scenario_names);
    o->codes = malloc(A * sizeof *o->codes);
    o->names = malloc(A * sizeof *o->names);
    o->regions = malloc(A * sizeof *o->regions);
    if (!o->scenario_names || !o->codes || !o->names || !o->regions) {
        care_output_free(o);
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    }
    for (int s = 0; s < n_scen; s++)
        o->scenario_names[s] = cfgs[s]->name;
    for (size_t a = 0; a < A; a++) {
        o->codes[a] = c->areas[a].code;
        o->names[a] = c->areas[a].name;
        o->regions[a] = c->areas[a].region;
    }
    care_date_format(c->start_date, o->start);
    snprintf(o->time_units, sizeof o->time_units, "days since %s", o->start);
    snprintf(o->seed, sizeof o->seed, "%" PRIu64, c->seed);

    o->dims[CARE_D_SCEN] = (sim_dim){"scenario", (size_t)n_scen, o->scenario_names, NULL, NULL, NULL};
    o->dims[CARE_D_REP] = (sim_dim){"replicate", c->replicates, NULL, NULL, NULL, NULL};
    o->dims[CARE_D_TIME] = (sim_dim){"time", (size_t)c->n_obs, NULL, c->obs, o->time_units, "standard"};
    o->dims[CARE_D_AREA] = (sim_dim){"area", A, o->codes, NULL, NULL, NULL};
#define X_DIM(id, name, size, labels) \
    if (size) o->dims[CARE_D_##id] = (sim_dim){name, (size_t)(size), labels, NULL, NULL, NULL};
    CARE_DIM_LIST(X_DIM)
    o->aux[0] = (sim_aux){"area_name", CARE_D_AREA, o->names, NULL};
    o->aux[1] = (sim_aux){"region", CARE_D_AREA, o->regions, NULL};
    for (int tr = 0; tr < CARE_NTR; tr++) {
        int from = care_transitions[tr].from, to = care_transitions[tr].to;
        o->tr_from[tr] = from == CARE_ST_OUT ? "out" : care_state_names[from];
        o->tr_to[tr] = to == CARE_ST_OUT ? "out" : care_state_names[to];
    }
    o->aux[2] = (sim_aux){"transition_from", CARE_D_TRANS, o->tr_from, NULL};
    o->aux[3] = (sim_aux){"transition_to", CARE_D_TRANS, o->tr_to, NULL};
    o->naux = 4;
    int rc = run_axes(o, cfgs, n_scen, err);
    if (rc != SIM_OK) {
        care_output_free(o);
        return rc;
    }
    for (int v = 0; v < CARE_NVAR; v++) {
        const care_var_info *vi = &care_vars[v];
        int by_tr = vi->d1 == CARE_D_TRANS;
        o->vars[v] = (sim_var){vi->name, vi->type, vi->d2 == CARE_D_NONE ? 5 : 6,
                               {CARE_D_SCEN, CARE_D_REP, CARE_D_TIME, CARE_D_AREA, vi->d1, vi->d2}, vi->units,
                               vi->long_name, by_tr ? "area_name region transition_from transition_to" : "area_name region"};
    }

    o->attrs[0] = (sim_attr){"caresim_version", version};
    o->attrs[1] = (sim_attr){"created", created};
    o->attrs[2] = (sim_attr){"command_line", command_line};
    o->attrs[3] = (sim_attr){"seed", o->seed};
    o->attrs[4] = (sim_attr){"scenario_yaml", o->yaml};
    o->attrs[5] = (sim_attr){"start_date", o->start};
    o->attrs[6] = (sim_attr){"Conventions", "CF-1.8"};
    o->layout = (sim_out_layout){o->dims, CARE_NDIM, o->aux, o->naux, o->vars, CARE_NVAR, o->attrs, 7, "scenario_yaml", c->deflate};
    return SIM_OK;
}

void care_output_free(care_output *o)
{
    free(o->items);
    free(o->progs);
    free(o->param_values);
    free(o->scenario_names);
    free(o->yaml);
    free(o->codes);
    free(o->names);
    free(o->regions);
    memset(o, 0, sizeof *o);
}
