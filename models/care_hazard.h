/* models/care_hazard.h - exact draws from piecewise-constant competing hazards.
 * A hazard table is indexed by age band x time-in-state band; the total hazard a child faces is
 * therefore constant on pieces bounded by its age-band birthdays and its time-in-state band
 * boundaries. The next event time is found by inverting the cumulative total hazard across the
 * pieces (no daily steps), and the kind by the hazards' shares in the piece where it falls.
 * Pure functions; the caller passes the generator. */
#ifndef CARE_HAZARD_H
#define CARE_HAZARD_H

#include <math.h>
#include <gsl/gsl_rng.h>

#include "../sim/rng.h"
#include "care_config.h"
#include "care_states.h"

int care_age_band_at(double age_days);

/* A unit exponential variate, -log(U) with U uniform on (0, 1] (gsl_rng_uniform_pos).
 * gsl_ran_exponential computes -log1p(-U), the same distribution, but log1p costs about twice
 * log here and this is the model's most frequent draw (bench/README.md, profile). */
static inline double care_unit_exponential(gsl_rng *g) { return -log(gsl_rng_uniform_pos(g)); }

/* First event after `now` for a child born at `birth` (day) who entered the state at `since`,
 * with per-transition multipliers mult[k]. Returns the event time and sets *kind, or returns
 * INFINITY when no event happens before `limit`. Draws one exponential and, if an event
 * happens, one uniform, from g. */
double care_hazard_draw(const care_hazard_table *h, const double *mult, double now, double birth,
                        double since, double limit, gsl_rng *g, int *kind);

/* Calendar steps of multipliers on a table's columns (tables.rate_trend on lac_hazards): step j
 * holds from day from[j] (from[0] = -INFINITY) and multiplies column k by mult[j * CARE_MAXK + k].
 * The caller owns the arrays. */
typedef struct care_cal_steps {
    int n;
    const double *from, *mult;
} care_cal_steps;

/* care_hazard_draw with the hazards also changing at the steps of `cal` (NULL: none; then the
 * same draws as care_hazard_draw). */
double care_hazard_draw_cal(const care_hazard_table *h, const double *mult, const care_cal_steps *cal,
                            double now, double birth, double since, double limit, gsl_rng *g, int *kind);

/* A placement type drawn from the shares sh[CARE_NPLACE] (entry or move), leaving out `exclude`
 * (-1: none): one uniform from g, and none when no share is left (then `exclude`, or foster
 * care). Both engines place children with it, so their streams stay the same. */
int care_share_pick(const double *sh, int exclude, sim_stream *g);

/* The running sums of shares sh[CARE_NPLACE] and the last type with a share, formed once so
 * that a pick leaving nothing out need not form them again (care_share_pick_summed). */
typedef struct care_share_sums {
    double cum[CARE_NPLACE];
    int last;
} care_share_sums;
void care_share_sum(const double *sh, care_share_sums *out);

/* care_share_pick(sh, -1, g) on sh's sums: the same uniform, the same type. */
static inline int care_share_pick_summed(const double *sh, const care_share_sums *s, sim_stream *g)
{
    double tot = s->cum[CARE_NPLACE - 1];
    if (tot <= 0) return CARE_PL_FOSTER;
    double u = sim_stream_uniform(g) * tot;
    for (int p = 0; p < CARE_NPLACE; p++)
        if (sh[p] != 0 && u < s->cum[p]) return p;
    return s->last;
}

/* The multiplier area `area` puts on column k of state s's hazards (the area's exit_multiplier
 * on transitions flagged EXIT_MULT, else 1). */
double care_hazard_mult(const care_config *c, int area, int state, int k);
/* The replicate's drawn multiplier on column k of state s's hazards: draw_haz is
 * [CARE_NSTATE][CARE_MAXK] (care_calib.h's care_repdraw.haz), NULL without parameter draws. */
static inline double care_draw_mult(const double *draw_haz, int s, int k)
{
    return draw_haz ? draw_haz[s * CARE_MAXK + k] : 1.0;
}
/* Every state's multipliers in `area`, with this replicate's drawn multipliers (draw_haz, as
 * care_draw_mult reads it), as care_model.c's create sets them: both case-engine samplers read
 * them. */
void care_hazard_mults(const care_config *c, int area, const double *draw_haz,
                       double mult[CARE_NSTATE][CARE_MAXK]);

/* The entry-trend multiplier in force at day t, and (in *until) the day it next changes. */
double care_trend_at(const care_config *c, double t, double *until);

/* When a child in state s (born `birth`, in s since `since`) leaves it without a hazard: at 18,
 * or at the end of the state's window if that comes first; the transition in *tr. Inline: both
 * engines ask it before every draw. */
static inline double care_state_end(const care_config *c, int s, double birth, double since, int *tr)
{
    const care_state_info *si = &care_states[s];
    double end = birth + CARE_AGE_OUT_DAYS;
    *tr = si->at_18;
    if (si->window_end != CARE_TR_NONE) {
        double w = since + c->window[s];
        if (w < end) end = w, *tr = si->window_end;
    }
    return end;
}

#endif
