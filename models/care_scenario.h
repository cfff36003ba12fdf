/* models/care_scenario.h - reads a scenario file (YAML, docs/scenarios.md) and the CSV tables it
 * names into a validated care_config. Table paths are relative to the scenario file. Every key
 * is checked; any error names "file:line: key: message" and no config is returned.
 * Ownership: *out is the caller's, released with care_config_free. */
#ifndef CARE_SCENARIO_H
#define CARE_SCENARIO_H

#include "../sim/err.h"
#include "care_config.h"

int care_scenario_load(care_config **out, const char *path, sim_err *err);
/* As care_scenario_load, with a sweep point's values for numeric keys (care_sweep.h); ov may
 * be NULL. Used by care_scenario_expand. */
struct care_overrides;
int care_scenario_load_with(care_config **out, const char *path, struct care_overrides *ov, sim_err *err);
/* Loads path as one scenario, or, when it has a sweep: block, as one scenario per sweep point
 * (named NAME_p000, ...; each records its values in param_keys/param_values). *out is a new
 * array of *n configs (the caller frees each and the array). Models/care_sweeprun.c. */
int care_scenario_expand(care_config ***out, int *n, const char *path, sim_err *err);
/* The scenarios of one run share one programme axis and one set of cost items: the union of
 * their programmes' names, in order of first appearance. Call after loading them all. */
int care_scenario_link(care_config **cfgs, int n, sim_err *err);
/* 1 when a capacity can bind in this scenario (a programme with places per area, or places per
 * area and placement type, tables.placement_capacity: children then wait for or take each
 * other's places, so the event list must run); 0 when children never interact. */
int care_scenario_has_finite_capacity(const care_config *c);
/* (Re)builds c->resolved_yaml; call again after changing the config (e.g. --seed). */
int care_scenario_resolve(care_config *c, sim_err *err);

/* Observation times (c->obs, c->n_obs) and c->horizon from the spans; call again after changing
 * horizon_span or observe_span. */
int care_scenario_obs_times(care_config *c, sim_err *err);
/* Command-line overrides (models/care_override.c): a shorter or longer horizon ("5y"), and a
 * subset of the areas (comma-separated codes; the initial stock of other areas is dropped).
 * Errors name the option and the bad value (SIM_EINVAL). */
int care_scenario_set_horizon(care_config *c, const char *span, sim_err *err);
int care_scenario_keep_areas(care_config *c, const char *codes, sim_err *err);

#endif
