/* models/care_tables.h - loads the scenario's CSV tables into a care_config and checks their
 * shape: every age band present once, time-in-state bands identical across age bands and
 * increasing from 0, shares summing to 1, rates finite and >= 0. Each table may carry `source`
 * and `note` columns (documentation; ignored by the model). key is the scenario key that named
 * the file, used in messages. Called by care_scenario_load; fills the fields named in each. */
#ifndef CARE_TABLES_H
#define CARE_TABLES_H

#include "../sim/err.h"
#include "care_config.h"

int care_tables_areas(care_config *c, const char *path, const char *key, sim_err *err);
int care_tables_entry_rates(care_config *c, const char *path, const char *key, sim_err *err);
int care_tables_entry_trend(care_config *c, const char *path, const char *key, sim_err *err);
/* names: the n_k transition names, columns are NAME_per_day or NAME_per_year. */
int care_tables_hazards(care_hazard_table *h, const char *path, const char *key, const char *const *names,
                        int n_k, sim_err *err);
/* Shares of placement types by age band (each row sums to 1), into shares. */
int care_tables_placement_shares(double shares[CARE_NAGE][CARE_NPLACE], const char *path, const char *key,
                                 sim_err *err);
int care_tables_placement_costs(care_config *c, const char *path, const char *key, sim_err *err);
int care_tables_referral_rates(care_config *c, const char *path, const char *key, sim_err *err);
/* Appends the rows of one initial-stock file (a scenario may list several). */
int care_tables_initial_stock(care_config *c, const char *path, const char *key, sim_err *err);
int care_age_band_index(const char *name);   /* -1 if unknown */

#endif
