/* models/care_output.c - see care_output.h. */
#include "care_output.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { D_SCEN, D_REP, D_TIME, D_AREA, D_STATE, D_AGE, D_PLACE, D_TRANS, D_ITEM };

static sim_var var(const char *name, sim_type t, int n, const int *dims, const char *units, const char *long_name)
{
    sim_var v = {name, t, n, {0}, units, long_name, "area_name region"};
    memcpy(v.dims, dims, (size_t)n * sizeof *dims);
    return v;
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

    o->dims[D_SCEN] = (sim_dim){"scenario", (size_t)n_scen, o->scenario_names, NULL, NULL, NULL};
    o->dims[D_REP] = (sim_dim){"replicate", c->replicates, NULL, NULL, NULL, NULL};
    o->dims[D_TIME] = (sim_dim){"time", (size_t)c->n_obs, NULL, c->obs, o->time_units, "standard"};
    o->dims[D_AREA] = (sim_dim){"area", A, o->codes, NULL, NULL, NULL};
    o->dims[D_STATE] = (sim_dim){"state", CARE_NSTATE, care_state_names, NULL, NULL, NULL};
    o->dims[D_AGE] = (sim_dim){"age_band", CARE_NAGE, care_age_names, NULL, NULL, NULL};
    o->dims[D_PLACE] = (sim_dim){"placement", CARE_NPLACE, care_placement_names, NULL, NULL, NULL};
    o->dims[D_TRANS] = (sim_dim){"transition", CARE_NTR, care_transition_names, NULL, NULL, NULL};
    o->dims[D_ITEM] = (sim_dim){"item", CARE_NPLACE, care_placement_names, NULL, NULL, NULL};
    o->aux[0] = (sim_aux){"area_name", D_AREA, o->names};
    o->aux[1] = (sim_aux){"region", D_AREA, o->regions};

    static const int d_stock[] = {D_SCEN, D_REP, D_TIME, D_AREA, D_STATE, D_AGE};
    static const int d_place[] = {D_SCEN, D_REP, D_TIME, D_AREA, D_PLACE, D_AGE};
    static const int d_flow[] = {D_SCEN, D_REP, D_TIME, D_AREA, D_TRANS, D_AGE};
    static const int d_days[] = {D_SCEN, D_REP, D_TIME, D_AREA, D_AGE};
    static const int d_cost[] = {D_SCEN, D_REP, D_TIME, D_AREA, D_ITEM};
    /* counts are stored signed (int32): differences between scenarios never wrap in numpy/xarray;
     * the model's uint32 counters stay far below 2^31, so the bits are the same */
    o->vars[CARE_VAR_STOCK] = var("stock", SIM_I32, 6, d_stock, "children", "children in each state at the observation time");
    o->vars[CARE_VAR_PLACEMENTS] = var("placements", SIM_I32, 6, d_place, "children", "looked-after children by placement at the observation time");
    o->vars[CARE_VAR_FLOW] = var("flow", SIM_I32, 6, d_flow, "events", "transitions in the period ending at the observation time");
    o->vars[CARE_VAR_DAYS] = var("days_in_care", SIM_F64, 5, d_days, "child-days", "child-days in care in the period ending at the observation time");
    o->vars[CARE_VAR_COST] = var("cost", SIM_F64, 5, d_cost, "GBP", "placement cost in the period ending at the observation time");

    o->attrs[0] = (sim_attr){"caresim_version", version};
    o->attrs[1] = (sim_attr){"created", created};
    o->attrs[2] = (sim_attr){"command_line", command_line};
    o->attrs[3] = (sim_attr){"seed", o->seed};
    o->attrs[4] = (sim_attr){"scenario_yaml", o->yaml};
    o->attrs[5] = (sim_attr){"start_date", o->start};
    o->attrs[6] = (sim_attr){"Conventions", "CF-1.8"};
    o->layout = (sim_out_layout){o->dims, 9, o->aux, 2, o->vars, CARE_NVAR, o->attrs, 7, "scenario_yaml", c->deflate};
    return SIM_OK;
}

void care_output_free(care_output *o)
{
    free(o->scenario_names);
    free(o->yaml);
    free(o->codes);
    free(o->names);
    free(o->regions);
    memset(o, 0, sizeof *o);
}
