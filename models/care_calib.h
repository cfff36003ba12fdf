/* models/care_calib.h - two optional tables that the calibration (python3 -m caresim calibrate)
 * writes and the model reads:
 * - tables.entry_ages: where in its age band an entrant's age falls (intervals of age in days
 *   with shares; e.g. most under-1 entrants are newborns). Without it, ages are uniform in the
 *   band; tables.initial_stock_ages, the same for the children of the initial stock;
 * - tables.parameter_draws: joint draws of the fitted parameters' uncertainty, as multipliers on
 *   the entry rates by age band and on the exit hazards of lac_hazards by transition. Each
 *   replicate uses one draw, chosen by its own keyed stream, the same in every scenario of a
 *   run (paired replicates see the same parameters).
 * Both fill fields of care_config; care_config_free releases them. */
#ifndef CARE_CALIB_H
#define CARE_CALIB_H

#include "../sim/err.h"
#include "care_config.h"

/* Intervals of age with shares (tables.entry_ages, tables.initial_stock_ages) into a. */
int care_calib_age_cuts(care_age_cuts *a, const char *path, const char *key, sim_err *err);
int care_calib_draws(care_config *c, const char *path, const char *key, sim_err *err);
/* An age in days within band b, at least min_days, from two uniforms u1 (interval) and u2
 * (within it): intervals wholly below min_days are left out; without intervals (or when all
 * are below min_days), uniform over [max(band start, min_days), band end). */
double care_calib_age(const care_age_cuts *a, int b, double min_days, double u1, double u2);

#endif
