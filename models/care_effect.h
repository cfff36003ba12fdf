/* models/care_effect.h - a programme's effect: its size, drawn once per replicate, and its
 * strength over calendar time.
 * Size: a hazard ratio given as a point estimate, either fixed or lognormal with the point
 * estimate as median and the stated 95% interval as its 2.5% and 97.5% points
 * (sigma = (log hi - log lo) / (2 x 1.96)). The caller keys the generator with
 * care_effect_stream before drawing, so the draw depends only on (seed, replicate, programme
 * name, effect index): the same replicate draws the same effect in every scenario of a run
 * (paired comparisons), and a sweep over the ratio moves the median while the standard normal
 * deviate stays fixed.
 * Strength over time: a level in [0, 1] applied on the log scale (ratio^level): 0 before the
 * start, rising in monthly steps over the ramp-up, 1 until the end date, then 0 (stop), held
 * (persist) or halving every half-life in monthly steps (decay). Levels are constant between
 * steps so that the model's hazards stay piecewise constant and its draws exact.
 * Pure functions; nothing is allocated. */
#ifndef CARE_EFFECT_H
#define CARE_EFFECT_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

#define CARE_EFFECT_STEP_DAYS (365.25 / 12)   /* a month: the step of ramps and decays */
#define CARE_EFFECT_FLOOR 1e-3                /* a decaying level below this is taken as 0 */

typedef struct care_effect_size {
    double ratio;        /* point estimate (median when uncertain), > 0 */
    double lo, hi;       /* 95% interval; lo = hi = 0: fixed */
} care_effect_size;

enum { CARE_AFTER_STOP, CARE_AFTER_PERSIST, CARE_AFTER_DECAY };

typedef struct care_effect_time {
    double start;        /* days since the scenario's start date */
    double ramp;         /* days to full effect (0: full at once) */
    double end;          /* days; INFINITY: never ends */
    int after;           /* CARE_AFTER_* */
    double half_life;    /* days, for CARE_AFTER_DECAY */
} care_effect_time;

/* Keys g to the effect's own stream (position 0). */
void care_effect_stream(gsl_rng *g, uint64_t seed, uint32_t replicate, const char *programme, int effect);
/* The replicate's hazard ratio: one standard normal from g, even when fixed (so adding or
 * removing an interval changes no other draw). */
double care_effect_draw(const care_effect_size *s, gsl_rng *g);
/* Standard deviation of the log ratio (0 when fixed). */
double care_effect_sigma(const care_effect_size *s);

/* Level at day t, constant on [t, *until). */
double care_effect_level(const care_effect_time *tm, double t, double *until);

#endif
