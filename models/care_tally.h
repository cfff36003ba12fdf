/* models/care_tally.h - the counts one task of the care model writes (care_output.h):
 * stock and placements at each observation, flows per period, days in each state, days in care
 * and placement cost per period, by area and age band. The case-based model adds whole spells to it;
 * the rules (which period a flow at time t falls in, which observations see a spell, how a
 * stay is split by period and age band) are those of care_model.c.
 * Ownership: the tally owns its arrays (care_tally_free); it borrows the config. */
#ifndef CARE_TALLY_H
#define CARE_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "care_config.h"
#include "care_output.h"

typedef struct care_tally {
    const care_config *cfg;
    size_t A, T;
    void *buf[CARE_NVAR];                  /* the output variables (care_output.h) */
    uint32_t *stock, *placements, *flow;   /* = buf[CARE_VAR_STOCK], ... */
    double *days, *cost, *days_state;
    /* band_from[b]: the least age in days that care_age_band_at puts in band b or above, so
     * that the band is found by comparisons alone, with the same answer. */
    double band_from[CARE_NAGE];
    /* band_len[b]: care_age_lo_years[b + 1] * CARE_YEAR_DAYS, the age in days at which band b
     * ends (INFINITY for the last), the product every caller forms, formed once. */
    double band_len[CARE_NAGE];
    size_t hint;   /* the period last found: a child's successive times mostly fall in it */
    const double *obs;                     /* = cfg->obs */
    /* Element (p, area, i, j) of variable v is at (p * A + area) * per_pa[v] + i * n2[v] + j:
     * care_var_at with the run's sizes, read once. */
    size_t per_pa[CARE_NVAR], n2[CARE_NVAR];
} care_tally;

/* The bands' lower ends rise, so the band is the number of them at or below the age: counted
 * without a branch that a child's age would make unpredictable. */
static inline int care_tally_band(const care_tally *t, double age_days)
{
    int b = 0;
    for (int i = 1; i < CARE_NAGE; i++)
        b += age_days >= t->band_from[i];
    return b;
}

static inline size_t care_tally_at(const care_tally *t, int v, size_t p, int area, size_t i, size_t j)
{
    return (p * t->A + (size_t)area) * t->per_pa[v] + i * t->n2[v] + j;
}

/* The hint is the period of every time in (obs[hint-1], obs[hint]]: the common case of the
 * calls below, answered inline; the others go through the search. */
static inline int care_tally_in_hint(const care_tally *t, double from, double to)
{
    size_t h = t->hint;
    return h > 0 && h < t->T && t->obs[h - 1] < from && to <= t->obs[h];
}

int care_tally_init(care_tally *t, const care_config *c);   /* 0, or -1 when out of memory */
void care_tally_free(care_tally *t);
/* A transition at time t (counted in the period (obs[i-1], obs[i]] that holds t; not at all
 * at or before obs[0], the start date). */
void care_tally_flow_search(care_tally *t, double time, int area, double birth, int tr);
static inline void care_tally_flow(care_tally *t, double time, int area, double birth, int tr)
{
    if (!care_tally_in_hint(t, time, time)) {
        care_tally_flow_search(t, time, area, birth, tr);
        return;
    }
    int b = care_tally_band(t, time - birth);
    t->flow[care_tally_at(t, CARE_VAR_FLOW, t->hint, area, (size_t)tr, (size_t)b)]++;
}
/* The same into variable v (CARE_VAR_FLOW or CARE_VAR_UASC_FLOW). */
void care_tally_flow_in(care_tally *t, int v, double time, int area, double birth, int tr);
/* A UASC child's spell in care, as care_tally_seen counts it, into CARE_VAR_UASC_STOCK. */
void care_tally_seen_uasc(care_tally *t, double from, double to, int area, double birth);
/* A spell in `state` (and, in care, `placement`) seen by the observations o with
 * from < o <= to: an observation at the instant of a transition sees the state before it. */
void care_tally_seen_search(care_tally *t, double from, double to, int area, double birth, int state,
                            int placement);
static inline void care_tally_seen(care_tally *t, double from, double to, int area, double birth, int state,
                                   int placement)
{
    size_t h = t->hint;   /* (from, to] within the hint's period, short of its end: seen by none */
    if (h > 0 && h < t->T && t->obs[h - 1] <= from && to < t->obs[h])
        return;
    care_tally_seen_search(t, from, to, area, birth, state, placement);
}
/* Days in `state` over [t0, t1], split by period and age band; in care (placement: the
 * child's placement) also days in care and placement cost. */
void care_tally_days(care_tally *t, double t0, double t1, int area, double birth, int state, int placement);
/* Copies the counts into the output buffers (one per CARE_VAR_*). */
void care_tally_copy(const care_tally *t, void *const *bufs);

#endif
