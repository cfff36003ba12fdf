/* models/care_calib.h - two optional tables that the calibration (python3 -m caresim calibrate)
 * writes and the model reads:
 * - tables.entry_ages: where in its age band an entrant's age falls (intervals of age in days
 *   with shares; e.g. most under-1 entrants are newborns). Without it, ages are uniform in the
 *   band; tables.initial_stock_ages, the same for the children of the initial stock;
 * - tables.parameter_draws: joint draws of the fitted parameters' uncertainty, as multipliers on
 *   the entry rates by age band and on the exit hazards of lac_hazards by transition. Each
 *   replicate uses one draw, chosen by its own keyed stream, the same in every scenario of a
 *   run (paired replicates see the same parameters). An optional `rule` column gives each
 *   draw its projection rule (a block of tables.rate_trend), so the replicate's rule is drawn
 *   with its parameters, by the same one number. An optional `uasc_entries` column multiplies
 *   the replicate's UASC entries (tables.uasc; not used without it);
 * - tables.pathway_draws (care_pathdraws.h): the pathway fit's draws, row d of which goes with
 *   row d of tables.parameter_draws (care_calib_pick);
 * - tables.rate_trend: calendar steps (from_date) of multipliers on first entries by age band
 *   (entry_<band>) and on the exit hazards of lac_hazards by transition (exit_<transition>),
 *   the projection rule(s) the calibration chose (docs/calibration.md); they multiply whatever
 *   else applies (entry_trend, area multipliers, draws, programmes). With a `rule` column the
 *   rows come in blocks, rule 0, 1, ..., each with the same dates; without parameter draws
 *   (or without their rule column) every replicate uses rule 0, and without tables.rate_trend
 *   the draws' rule column is not used for it. tables.uasc may come in the same blocks
 *   (care_uasc.h): then a replicate's UASC follow the rule it drew, and both tables, where
 *   both have blocks, must hold the same rules; so may tables.pathway_trend (care_pathtrend.h).
 * All fill fields of care_config; care_config_free releases them. */
#ifndef CARE_CALIB_H
#define CARE_CALIB_H

#include "../sim/err.h"
#include "care_config.h"
#include "care_hazard.h"

/* Intervals of age with shares (tables.entry_ages, tables.initial_stock_ages) into a. */
int care_calib_age_cuts(care_age_cuts *a, const char *path, const char *key, sim_err *err);
/* tables.initial_stock_ages_by_time: the same columns plus from_days, a band start of
 * lac_hazards (loaded before), into c->stock_ages_tb; every band of lac_hazards that a row of
 * the initial stock in care uses must have its rows. Optional from_tic_days, to_tic_days (both
 * or neither; both empty in a row: the whole band) make a row a joint cell of age x time in
 * care within its band. */
int care_calib_age_cuts_by_time(care_config *c, const char *path, const char *key, sim_err *err);
/* The intervals for a child of the initial stock in `state`, in time-in-state band tb: the
 * by-time ones for children in care where given, else tables.initial_stock_ages. */
const care_age_cuts *care_calib_stock_cuts(const care_config *c, int state, int tb);
int care_calib_draws(care_config *c, const char *path, const char *key, sim_err *err);

/* One replicate's draw, as both engines use it: the same row d of every draws table. */
typedef struct care_repdraw {
    const double *entry;                  /* [CARE_NAGE] multipliers on entry rates (NULL: none) */
    double haz[CARE_NSTATE][CARE_MAXK];   /* multipliers on every state's hazard columns */
    int has_haz;                          /* 0: no draws (engines pass NULL for haz) */
    double referral, nfa_odds;            /* on new referrals and the odds of no further action */
    double uasc;                          /* on UASC entries */
    int rule;                             /* the projection rule (care_calib_draw_rule) */
} care_repdraw;
/* No draw: every multiplier 1, rule 0. */
void care_calib_no_draw(care_repdraw *r);
/* Row d of tables.parameter_draws, with row d of tables.pathway_draws where given. */
void care_calib_pick(const care_config *c, size_t d, care_repdraw *r);
int care_calib_rate_trend(care_config *c, const char *path, const char *key, sim_err *err);
/* The blocks of rows of a table with an optional `rule` column (cr; -1: one block): rules 0, 1,
 * ... in order, each with as many rows (in *per_rule); *n_rules blocks. */
struct care_csv;
int care_calib_rule_blocks(const struct care_csv *t, int cr, int *n_rules, size_t *per_rule, sim_err *err);
/* After the tables are read: every draw's rule is one of tables.rate_trend's, tables.uasc's
 * and tables.pathway_trend's where they have blocks, and those have the same rules (path: the
 * draws table, for the message). */
int care_calib_check_rules(const care_config *c, const char *path, sim_err *err);
/* The projection rule of parameter draw d (0 without the draws' rule column), and its steps on lac_hazards
 * (borrowing c's arrays; n = 0 without tables.rate_trend). */
int care_calib_draw_rule(const care_config *c, size_t d);
care_cal_steps care_calib_lac_steps(const care_config *c, int rule);
/* For an area's cumulative entry weights by age band `cum`, with rule `rule`'s row of
 * tables.rate_trend in force at day t: the factor on the area's total entry rate (in *until, the day the next row
 * starts), and the age band of an entrant from a uniform u (weights x the row's multipliers;
 * bands of zero weight are never chosen). */
double care_calib_entry_scale(const care_config *c, int rule, double t, const double cum[CARE_NAGE], double *until);
int care_calib_entry_band(const care_config *c, int rule, double t, const double cum[CARE_NAGE], double u);
/* An age in days within band b, at least min_days, from two uniforms u1 (interval) and u2
 * (within it): intervals wholly below min_days are left out; without intervals (or when all
 * are below min_days), uniform over [max(band start, min_days), band end). */
double care_calib_age(const care_age_cuts *a, int b, double min_days, double u1, double u2);
/* A child of the initial stock in age band b and time-in-care band [tb0, tb1): its age (as
 * care_calib_age, an interval at least as old as its time in care can be) and the range
 * [*tic0, *tic1] from which the caller draws its time in care uniformly: the chosen interval's
 * time in care within the band, never longer than the age. Both engines draw u1, u2, then the
 * time in care, so their draws stay identical. */
void care_calib_stock_age(const care_age_cuts *a, int b, double tb0, double tb1, double u1, double u2,
                          double *age, double *tic0, double *tic1);

#endif
