/* models/care_progbook.h - what both engines do alike for programmes (docs/programmes.md), so
 * that the event list (care_mprog.c) and the case-based sampler (care_progcase.c) count, cost and
 * refer with the same code: who may be referred, the served and referred counts by period, and
 * the programme's costs (per child, per day served, fixed per area and year) split by period.
 * Also the entry effects (an effect on out->lac): each area's bound on the product of the
 * multipliers, by which entries arrive faster, and the draw that keeps an entry with probability
 * multiplier / bound, from the entrant's own thinning stream.
 * Ownership: a care_progbook borrows the config and the output arrays it writes to;
 * care_progbook_entry_max returns an array the caller frees (NULL, with SIM_OK, when no effect
 * acts on entries). */
#ifndef CARE_PROGBOOK_H
#define CARE_PROGBOOK_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "../sim/err.h"
#include "care_config.h"
#include "care_progrun.h"

typedef struct care_progbook {
    const care_config *cfg;
    size_t A, T;                  /* areas, observations */
    double *cost;                 /* [period][area][item] (CARE_VAR_COST) */
    int32_t *served, *referred;   /* [period][area][programme of the run] */
} care_progbook;

/* 1 if state is among idx[0..n). */
int care_progbook_has(const int *idx, int n, int state);
/* 1 if a child of `area` in `state`, born at day `birth`, may be referred to p at t (p runs
 * there and then, takes the state, and the child's age is within its ages). */
int care_progbook_referable(const care_programme *p, int area, int state, double birth, double t);

/* A referral to programme i at t in area (counted in the period holding t). */
void care_progbook_referred(const care_progbook *b, int i, int area, double t);
/* A child starts being served by programme i at t: counted, and its cost per child spent. */
void care_progbook_served(const care_progbook *b, int i, int area, double t);
/* Programme i's cost per day served over [t0, t1], split by period. */
void care_progbook_days(const care_progbook *b, int i, int area, double t0, double t1);
/* Programme i's fixed cost per area and year over its funded time, in each of its areas. */
void care_progbook_fixed(const care_progbook *b, int i);

/* Each area's bound on the product of the entry multipliers (>= 1), in *out; NULL when no
 * effect of this replicate acts on entries. */
int care_progbook_entry_max(const care_progrun *r, size_t n_areas, double **out, sim_err *err);
/* 1 to keep an entry to area a at t of a child born at `birth`, serial `serial`: kept with
 * probability (product of the programmes' entry multipliers) / entry_max, decided by a uniform
 * from the entrant's own thinning stream (g is re-keyed; nothing is drawn when kept for sure). */
int care_progbook_keep_entry(const care_progrun *r, double entry_max, int a, double birth, double t, uint32_t serial,
                             gsl_rng *g, uint64_t seed, uint32_t replicate);

#endif
