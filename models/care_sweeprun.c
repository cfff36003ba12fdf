/* models/care_sweeprun.c - a run's scenarios: a file with a sweep: block expanded into one
 * scenario per point, and the programme axis the scenarios of a run share. Declared in
 * care_scenario.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care_prog.h"
#include "care_scenario.h"
#include "care_sweep.h"

static int one(care_config ***out, int *n, care_config *c, sim_err *err)
{
    if (!(*out = malloc(sizeof **out))) {
        care_config_free(c);
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    }
    (*out)[0] = c;
    *n = 1;
    return SIM_OK;
}

/* Loads sweep point p (values v[0..J-1]) of path. */
static int point(care_config **out, const char *path, const care_sweep *s, size_t p, const double *v, sim_err *err)
{
    int J = s->n_params;
    care_override ov[CARE_SWEEP_MAX_PARAMS];
    for (int j = 0; j < J; j++) ov[j] = (care_override){s->params[j].key, v[j], 0};
    care_overrides o = {ov, J};
    int rc = care_scenario_load_with(out, path, &o, err);
    if (rc != SIM_OK) return rc;
    care_config *c = *out;
    const care_override *u = care_override_unused(&o);
    if (u)
        return sim_err_set(err, SIM_EINVAL, "%s: sweep: %s: names no numeric key of the scenario (a dotted key such as "
                           "adjust.entry_rates or programmes.NAME.effects.0.ratio)", path, u->key);
    char name[256];
    snprintf(name, sizeof name, "%s_p%03zu", c->name, p);
    free(c->name);
    c->param_keys = calloc((size_t)J, sizeof *c->param_keys);
    c->param_values = malloc((size_t)J * sizeof *c->param_values);
    if (!(c->name = strdup(name)) || !c->param_keys || !c->param_values)
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    c->n_params = J;
    for (int j = 0; j < J; j++) {
        c->param_values[j] = v[j];
        if (!(c->param_keys[j] = strdup(s->params[j].key))) return sim_err_set(err, SIM_ENOMEM, "out of memory");
    }
    return SIM_OK;
}

int care_scenario_expand(care_config ***out, int *n, const char *path, sim_err *err)
{
    *out = NULL;
    *n = 0;
    care_config *c0;
    int rc = care_scenario_load(&c0, path, err);
    if (rc != SIM_OK) return rc;
    if (!c0->sweep) return one(out, n, c0, err);
    const care_sweep *s = c0->sweep;
    size_t np = care_sweep_points(s), J = (size_t)s->n_params;
    double *v = malloc(np * J * sizeof *v);
    care_config **cfgs = calloc(np, sizeof *cfgs);
    rc = v && cfgs ? care_sweep_expand(s, v, err) : sim_err_set(err, SIM_ENOMEM, "out of memory");
    size_t made = 0;
    for (size_t p = 0; p < np && rc == SIM_OK; p++, made++)
        rc = point(&cfgs[p], path, s, p, v + p * J, err);
    free(v);
    care_config_free(c0);
    if (rc != SIM_OK) {
        for (size_t p = 0; cfgs && p <= made && p < np; p++) care_config_free(cfgs[p]);
        free(cfgs);
        return rc;
    }
    *out = cfgs;
    *n = (int)np;
    return SIM_OK;
}

int care_scenario_link(care_config **cfgs, int n, sim_err *err)
{
    int total = 0;
    for (int s = 0; s < n; s++) total += cfgs[s]->n_progs;
    char **names = calloc((size_t)(total ? total : 1), sizeof *names);
    if (!names) return sim_err_set(err, SIM_ENOMEM, "out of memory");
    int m = 0;
    for (int s = 0; s < n; s++)
        for (int i = 0; i < cfgs[s]->n_progs; i++) {
            int j = 0;
            while (j < m && strcmp(names[j], cfgs[s]->progs[i].name)) j++;
            if (j == m) names[m++] = cfgs[s]->progs[i].name;
            cfgs[s]->prog_index[i] = j;
        }
    int rc = SIM_OK;
    for (int s = 0; s < n && rc == SIM_OK; s++) {
        care_config *c = cfgs[s];
        for (int i = 0; c->prog_run_names && i < c->n_prog_run; i++) free(c->prog_run_names[i]);
        free(c->prog_run_names);
        c->n_prog_run = 0;
        if (!(c->prog_run_names = calloc((size_t)(m ? m : 1), sizeof *c->prog_run_names))) {
            rc = sim_err_set(err, SIM_ENOMEM, "out of memory");
            break;
        }
        for (int j = 0; j < m && rc == SIM_OK; j++)
            if (!(c->prog_run_names[j] = strdup(names[j]))) rc = sim_err_set(err, SIM_ENOMEM, "out of memory");
        c->n_prog_run = m;
        c->n_items = CARE_NPLACE + m;
    }
    free(names);
    return rc;
}

int care_scenario_has_finite_capacity(const care_config *c)
{
    if (c->n_cap > 0)   /* places per area and placement type (care_capacity.h) */
        return 1;
    for (int i = 0; i < c->n_progs; i++)
        if (c->progs[i].n_cap > 0 && c->progs[i].n_states > 0)
            return 1;
    return 0;
}
