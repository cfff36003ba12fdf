/* models/care_scenario.h - reads a scenario file (YAML, docs/scenarios.md) and the CSV tables it
 * names into a validated care_config. Table paths are relative to the scenario file. Every key
 * is checked; any error names "file:line: key: message" and no config is returned.
 * Ownership: *out is the caller's, released with care_config_free. */
#ifndef CARE_SCENARIO_H
#define CARE_SCENARIO_H

#include "../sim/err.h"
#include "care_config.h"

int care_scenario_load(care_config **out, const char *path, sim_err *err);
/* (Re)builds c->resolved_yaml; call again after changing the config (e.g. --seed). */
int care_scenario_resolve(care_config *c, sim_err *err);

#endif
