/* models/care_effect.c - see care_effect.h. */
#include "care_effect.h"

#include <math.h>
#include <gsl/gsl_randist.h>

#include "../sim/rng.h"

#define STREAM_EFFECT 4ull    /* stream kind; the model's own kinds are 1-3 */
#define Z975 1.959963984540054

static uint64_t name_hash(const char *s)   /* FNV-1a, cut to the 56 bits a stream key leaves */
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h & ((1ull << 56) - 1);
}

void care_effect_stream(gsl_rng *g, uint64_t seed, uint32_t replicate, const char *programme, int effect)
{
    sim_rng_key(g, seed, replicate, STREAM_EFFECT << 56 | name_hash(programme), (uint64_t)effect, 0);
}

double care_effect_sigma(const care_effect_size *s)
{
    return s->lo > 0 && s->hi > s->lo ? (log(s->hi) - log(s->lo)) / (2 * Z975) : 0.0;
}

double care_effect_draw(const care_effect_size *s, gsl_rng *g)
{
    double z = gsl_ran_ugaussian(g), sigma = care_effect_sigma(s);
    return sigma > 0 ? s->ratio * exp(sigma * z) : s->ratio;
}

/* Step j (0-based) of n over the ramp: the level at the step's middle. */
static double ramp_level(int j, int n) { return (j + 0.5) / n; }

/* The step of width w holding t, counted from t0: the largest j with t0 + j * w <= t, computed
 * as the boundaries themselves are, so that the step starting at a boundary is the one that
 * boundary begins. (floor((t - t0) / w) can round down at a boundary; the step's end would
 * then be t itself, and a redraw there would repeat at the same moment without end.) */
static double step_of(double t0, double w, double t)
{
    double j = floor((t - t0) / w);
    while (t0 + (j + 1) * w <= t) j += 1;
    while (j > 0 && t0 + j * w > t) j -= 1;
    return j;
}

double care_effect_level(const care_effect_time *tm, double t, double *until)
{
    const double step = CARE_EFFECT_STEP_DAYS;
    if (t < tm->start) { *until = tm->start; return 0.0; }
    double full = tm->start + tm->ramp, peak = 1.0;
    if (tm->ramp > 0) {
        int n = (int)ceil(tm->ramp / step);
        int j = t < full ? (int)step_of(tm->start, tm->ramp / n, t) : n;
        if (j < n) {   /* j >= n: past the last boundary (within rounding of `full`): full level */
            *until = fmin(tm->start + (j + 1) * (tm->ramp / n), tm->end);
            if (t < tm->end) return ramp_level(j, n);
        }
        if (tm->end < full) {   /* funding ended during the ramp-up: the level reached then */
            int j = (int)step_of(tm->start, tm->ramp / n, tm->end);
            peak = ramp_level(j < n ? j : n - 1, n);
        }
    }
    if (t < tm->end) { *until = tm->end; return 1.0; }
    switch (tm->after) {
    case CARE_AFTER_PERSIST: *until = INFINITY; return peak;
    case CARE_AFTER_DECAY: {
        if (!(tm->half_life > 0)) { *until = INFINITY; return 0.0; }
        double j = step_of(tm->end, step, t), level = peak * exp2(-(j + 0.5) * step / tm->half_life);
        if (level < CARE_EFFECT_FLOOR) { *until = INFINITY; return 0.0; }
        *until = tm->end + (j + 1) * step;
        return level;
    }
    default: *until = INFINITY; return 0.0;
    }
}
