/* models/care_trend_case.h - the rates that change with the calendar, for the case-based sampler
 * (care_trajectory.c): tables.rate_trend (steps of multipliers on first entries by age band and
 * on the lac_hazards columns, care_calib.h), tables.pathway_trend's steps on the pathway's
 * hazards (care_pathtrend.h; its steps on referrals the sampler applies itself) and dated rate edits (adjust: with from:, care_edit.h:
 * entry rates, hazards, placement shares and "no further action" shares that change on dates).
 * A child's path still depends on its own draws alone, so the case sampler draws it whole; these
 * routines make the same draws, in the same order and with the same floating-point operations,
 * as the event list (care_model.c with care_medit.c and care_hazard_draw_cal), so that both
 * engines give the same paths bit for bit:
 * - an entry time inverts the cumulative rate across every date where the rate changes;
 * - a hazard draw in a state whose rates change stops at the next dated edit and, if nothing
 *   happened before it, draws afresh from that date (the event list's redraw);
 * - an entrant's age band, a placement and a referral's "no further action" use the values in
 *   force at the time they happen.
 * Ownership: care_trend_case_create allocates the object (NULL when the scenario has none of
 * them, so the sampler keeps its fast path); care_trend_case_free releases it. It borrows the
 * config, which must outlive it. */
#ifndef CARE_TREND_CASE_H
#define CARE_TREND_CASE_H

#include <gsl/gsl_rng.h>

#include "../sim/err.h"
#include "care_config.h"
#include "care_hazard.h"

typedef struct care_trend_case {
    const care_config *cfg;
    size_t A;
    int n_ep;                        /* epochs of dated edits (1 without them) */
    double (*cum)[CARE_NAGE];        /* [epoch * A + area] cumulative entry weights by age band */
    double *base;                    /* [epoch * A + area] entries per day before the trends */
    int rule;                        /* the replicate's projection rule (block of tables.rate_trend) */
    care_cal_steps cal[CARE_NSTATE]; /* that rule's steps on each state's hazards (n = 0: none) */
    const double *draw_haz;         /* the replicate's drawn hazard multipliers (care_draw_mult; NULL: none) */
    int area;                        /* the area whose multipliers `mult` holds (-1: none yet) */
    double mult[CARE_NSTATE][CARE_MAXK];
} care_trend_case;

/* For scenario c and the replicate's parameter draw (draw_entry, draw_haz: NULL without
 * tables.parameter_draws) and projection rule (care_calib_draw_rule). *out is NULL, with
 * SIM_OK, when c has neither table. */
int care_trend_case_create(care_trend_case **out, const care_config *c, const double *draw_entry,
                           const double *draw_haz, int rule, sim_err *err);
void care_trend_case_free(care_trend_case *t);   /* accepts NULL */

/* The first entry to care in area a after `now`, from the unit exponential e (INFINITY: none by
 * `horizon`): care_model.c's schedule_arrival for entries, with the rate times `scale` (the
 * programmes' bound on entry multipliers, care_progcase.h; 1 without entry effects). */
double care_trend_case_entry(const care_trend_case *t, int a, double now, double horizon, double e, double scale);
/* The age band of an entrant to area a at day `at`, from a uniform u. */
int care_trend_case_band(const care_trend_case *t, int a, double at, double u);
/* The placement shares (move: on a move within care) and the share of referrals needing no
 * further action in force at day `at`, for age band b. */
const double *care_trend_case_shares(const care_trend_case *t, int b, double at, int move);
double care_trend_case_nfa(const care_trend_case *t, int b, double at);

/* 1 when state s's hazards change with the calendar (then draws go through
 * care_trend_case_draw; otherwise the sampler's own draw gives the same times). */
int care_trend_case_owns(const care_trend_case *t, int s);
/* The next hazard transition of a child of area `area` in state s after `now` (born `birth`, in
 * s since `since`), before `limit`: its time and, in *tr, the transition (CARE_TR_*); INFINITY
 * when none happens before limit. Draws from g as the event list draws. */
double care_trend_case_draw(care_trend_case *t, int area, int s, double now, double birth, double since,
                            double limit, gsl_rng *g, int *tr);

#endif
