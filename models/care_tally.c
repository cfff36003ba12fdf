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
    for (int b = 0; b < CARE_NAGE; b++)
        t->band_len[b] = b + 1 < CARE_NAGE ? care_age_lo_years[b + 1] * CARE_YEAR_DAYS : INFINITY;
    t->cfg = c;
    t->obs = c->obs;
    t->A = (size_t)c->n_areas;
    t->T = (size_t)c->n_obs;
    for (int v = 0; v < CARE_NVAR; v++) {
        t->n2[v] = care_vars[v].n2;
        t->per_pa[v] = care_var_n1(v, c) * care_vars[v].n2;
    }
    int ok = 1;
    for (int v = 0; v < CARE_NVAR; v++)
        ok &= (t->buf[v] = calloc(care_var_elems_run(v, c) + 1, sim_type_size(care_vars[v].type))) != NULL;
    t->stock = t->buf[CARE_VAR_STOCK];
    t->placements = t->buf[CARE_VAR_PLACEMENTS];
    t->flow = t->buf[CARE_VAR_FLOW];
    t->days = t->buf[CARE_VAR_DAYS];
    t->cost = t->buf[CARE_VAR_COST];
    t->days_state = t->buf[CARE_VAR_DAYS_STATE];
    return ok ? 0 : -1;
}

void care_tally_free(care_tally *t)
{
    for (int v = 0; v < CARE_NVAR; v++)
        free(t->buf[v]);
    memset(t, 0, sizeof *t);
}

/* fmin and fmax for numbers (no NaN here), inlined. */
static inline double min2(double a, double b) { return b < a ? b : a; }
static inline double max2(double a, double b) { return b > a ? b : a; }

static size_t period_after(care_tally *t, double time)   /* first i with obs[i] > time */
{
    const double *obs = t->obs;
    size_t lo = t->hint, hi = t->T;
    if ((lo == 0 || obs[lo - 1] <= time) && (lo == hi || obs[lo] > time))
        return lo;   /* the answer, by its definition: nothing to search */
    lo = 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (obs[mid] > time) hi = mid; else lo = mid + 1;
    }
    return t->hint = lo;
}

void care_tally_flow_search(care_tally *t, double time, int area, double birth, int tr)
{
    care_tally_flow_in(t, CARE_VAR_FLOW, time, area, birth, tr);
}

void care_tally_flow_in(care_tally *t, int v, double time, int area, double birth, int tr)
{
    const double *obs = t->obs;
    if (time <= obs[0] || time > obs[t->T - 1])
        return;
    size_t p = period_after(t, time);
    if (p > 0 && obs[p - 1] == time) p--;   /* the period (obs[p-1], obs[p]] holds time */
    int b = care_tally_band(t, time - birth);
    ((uint32_t *)t->buf[v])[care_var_at(v, t->A, p, (size_t)area, (size_t)tr, (size_t)b)]++;
}

void care_tally_seen_uasc(care_tally *t, double from, double to, int area, double birth)
{
    const double *obs = t->obs;
    uint32_t *n = t->buf[CARE_VAR_UASC_STOCK];
    for (size_t i = isinf(from) ? 0 : period_after(t, from); i < t->T && obs[i] <= to; i++)
        n[care_var_at(CARE_VAR_UASC_STOCK, t->A, i, (size_t)area, (size_t)care_tally_band(t, obs[i] - birth), 0)]++;
}

void care_tally_seen_search(care_tally *t, double from, double to, int area, double birth, int state,
                            int placement)
{
    const double *obs = t->obs;
    for (size_t i = isinf(from) ? 0 : period_after(t, from); i < t->T && obs[i] <= to; i++) {
        size_t b = (size_t)care_tally_band(t, obs[i] - birth);
        t->stock[care_tally_at(t, CARE_VAR_STOCK, i, area, (size_t)state, b)]++;
        if (state == CARE_ST_LAC)
            t->placements[care_tally_at(t, CARE_VAR_PLACEMENTS, i, area, (size_t)placement, b)]++;
    }
}

void care_tally_days(care_tally *t, double t0, double t1, int area, double birth, int state, int placement)
{
    const double *obs = t->obs;
    t0 = max2(t0, obs[0]);
    t1 = min2(t1, obs[t->T - 1]);
    int lac = state == CARE_ST_LAC;
    double cpd = lac ? t->cfg->cost_per_day[placement] : 0.0;
    while (t0 < t1) {
        size_t p = period_after(t, t0);
        if (p >= t->T) break;
        int b = care_tally_band(t, t0 - birth);
        double age_end = birth + t->band_len[b];   /* INFINITY in the last band */
        double end = min2(min2(t1, obs[p]), max2(age_end, t0 + 1e-9));
        size_t pa = p * t->A + (size_t)area;
        t->days_state[pa * t->per_pa[CARE_VAR_DAYS_STATE] + (size_t)state * t->n2[CARE_VAR_DAYS_STATE] + (size_t)b] += end - t0;
        if (lac)
            t->days[pa * t->per_pa[CARE_VAR_DAYS] + (size_t)b * t->n2[CARE_VAR_DAYS]] += end - t0;
        if (cpd != 0)   /* adding +0 changes nothing: skipped */
            t->cost[pa * (size_t)t->cfg->n_items + (size_t)placement] += (end - t0) * cpd;
        t0 = end;
    }
}

void care_tally_copy(const care_tally *t, void *const *bufs)
{
    for (int v = 0; v < CARE_NVAR; v++)
        memcpy(bufs[v], t->buf[v], care_var_elems_run(v, t->cfg) * sim_type_size(care_vars[v].type));
}
