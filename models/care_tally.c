/* models/care_tally.c - see care_tally.h. */
#include "care_tally.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


/* care_age_band_at compares age / 365.25 with each band's lower age in years; division is
 * monotonic, so the ages it puts at or above a band form a half-line whose least element is
 * found by stepping one double at a time from the product. */
static double least_age_in_band(int b)
{
    double years = care_age_lo_years[b], x = years * CARE_YEAR_DAYS;
    while (x / CARE_YEAR_DAYS >= years)
        x = nextafter(x, -INFINITY);
    while (!(x / CARE_YEAR_DAYS >= years))
        x = nextafter(x, INFINITY);
    return x;
}

int care_tally_init(care_tally *t, const care_config *c)
{
    memset(t, 0, sizeof *t);
    for (int b = 0; b < CARE_NAGE; b++)
        t->band_from[b] = least_age_in_band(b);
    t->cfg = c;
    t->A = (size_t)c->n_areas;
    t->T = (size_t)c->n_obs;
    size_t ta = t->T * t->A;
    t->stock = calloc(ta * CARE_NSTATE * CARE_NAGE, sizeof *t->stock);
    t->placements = calloc(ta * CARE_NPLACE * CARE_NAGE, sizeof *t->placements);
    t->flow = calloc(ta * CARE_NTR * CARE_NAGE, sizeof *t->flow);
    t->days = calloc(ta * CARE_NAGE, sizeof *t->days);
    t->cost = calloc(ta * CARE_NPLACE, sizeof *t->cost);
    return t->stock && t->placements && t->flow && t->days && t->cost ? 0 : -1;
}

void care_tally_free(care_tally *t)
{
    free(t->stock);
    free(t->placements);
    free(t->flow);
    free(t->days);
    free(t->cost);
    memset(t, 0, sizeof *t);
}

/* fmin and fmax for numbers (no NaN here), inlined. */
static inline double min2(double a, double b) { return b < a ? b : a; }
static inline double max2(double a, double b) { return b > a ? b : a; }

static size_t period_after(const care_tally *t, double time)   /* first i with obs[i] > time */
{
    size_t lo = 0, hi = t->T;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->cfg->obs[mid] > time) hi = mid; else lo = mid + 1;
    }
    return lo;
}

void care_tally_flow(care_tally *t, double time, int area, double birth, int tr)
{
    const double *obs = t->cfg->obs;
    if (time <= obs[0] || time > obs[t->T - 1])
        return;
    size_t p = period_after(t, time);
    if (p > 0 && obs[p - 1] == time) p--;   /* the period (obs[p-1], obs[p]] holds time */
    int b = care_tally_band(t, time - birth);
    t->flow[((p * t->A + (size_t)area) * CARE_NTR + (size_t)tr) * CARE_NAGE + (size_t)b]++;
}

void care_tally_seen(care_tally *t, double from, double to, int area, double birth, int state, int placement)
{
    const double *obs = t->cfg->obs;
    for (size_t i = isinf(from) ? 0 : period_after(t, from); i < t->T && obs[i] <= to; i++) {
        size_t b = (size_t)care_tally_band(t, obs[i] - birth), ta = i * t->A + (size_t)area;
        t->stock[(ta * CARE_NSTATE + (size_t)state) * CARE_NAGE + b]++;
        if (state == CARE_ST_LAC)
            t->placements[(ta * CARE_NPLACE + (size_t)placement) * CARE_NAGE + b]++;
    }
}

void care_tally_days(care_tally *t, double t0, double t1, int area, double birth, int placement)
{
    const double *obs = t->cfg->obs;
    t0 = max2(t0, obs[0]);
    t1 = min2(t1, obs[t->T - 1]);
    double cpd = t->cfg->cost_per_day[placement];
    while (t0 < t1) {
        size_t p = period_after(t, t0);
        if (p >= t->T) break;
        int b = care_tally_band(t, t0 - birth);
        double age_end = b + 1 < CARE_NAGE ? birth + care_age_lo_years[b + 1] * CARE_YEAR_DAYS : INFINITY;
        double end = min2(min2(t1, obs[p]), max2(age_end, t0 + 1e-9));
        size_t ta = p * t->A + (size_t)area;
        t->days[ta * CARE_NAGE + (size_t)b] += end - t0;
        if (cpd != 0)   /* adding +0 changes nothing: skipped */
            t->cost[ta * CARE_NPLACE + (size_t)placement] += (end - t0) * cpd;
        t0 = end;
    }
}

void care_tally_copy(const care_tally *t, void *const *bufs)
{
    size_t ta = t->T * t->A;
    memcpy(bufs[0], t->stock, ta * CARE_NSTATE * CARE_NAGE * sizeof *t->stock);
    memcpy(bufs[1], t->placements, ta * CARE_NPLACE * CARE_NAGE * sizeof *t->placements);
    memcpy(bufs[2], t->flow, ta * CARE_NTR * CARE_NAGE * sizeof *t->flow);
    memcpy(bufs[3], t->days, ta * CARE_NAGE * sizeof *t->days);
    memcpy(bufs[4], t->cost, ta * CARE_NPLACE * sizeof *t->cost);
}
