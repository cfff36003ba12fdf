/* models/care_mplace.c - placements in the event-list model: the type a child wants (drawn from
 * the shares), and placement capacity (care_capacity.h): each
 * area's children placed in each type are counted; a child who wants a type whose places are
 * all taken goes to the scenario's fallback type instead, and the shortfall is counted against
 * the type it wanted. Deciding uses no random number, so a capacity that never binds gives the
 * run without capacity bit for bit. A capacity that falls below the children already placed
 * moves no one: it refuses new placements until enough have left. Part of care_model
 * (care_model_impl.h); the model owns the arrays. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>

#include "care_capacity.h"
#include "care_model_impl.h"

/* A placement type drawn from the shares (entry or move) of the age band, leaving out `exclude`. */
int care_mplace_pick(const double *sh, sim_ctx *ctx, int exclude)
{
    return care_share_pick(sh, exclude, sim_rng_stream(ctx->rng));
}

int care_mplace_create(care_model *m, sim_err *err)
{
    const care_config *c = m->cfg;
    m->places.shortfall = m->buf[CARE_VAR_SHORTFALL];
    if (!c->n_cap) return SIM_OK;
    size_t n = m->A * CARE_NPLACE;
    care_places *p = &m->places;
    p->occupied = calloc(n, sizeof *p->occupied);
    p->first = malloc(n * sizeof *p->first);
    p->n = malloc(n * sizeof *p->n);
    if (!p->occupied || !p->first || !p->n)
        return sim_err_set(err, SIM_ENOMEM, "care model: out of memory for placement capacity");
    for (size_t a = 0; a < m->A; a++)
        for (int t = 0; t < CARE_NPLACE; t++)
            care_capacity_rows(c, (int)a, t, &p->first[a * CARE_NPLACE + (size_t)t], &p->n[a * CARE_NPLACE + (size_t)t]);
    return SIM_OK;
}

void care_mplace_destroy(care_model *m)
{
    free(m->places.occupied);
    free(m->places.first);
    free(m->places.n);
}

/* The observation period holding day t, as for flows: (obs[i-1], obs[i]]; the start date itself
 * (the initial stock's placements) is period 0; -1 before it (burn-in, not observed). */
static long period_of(const care_model *m, double t)
{
    const double *obs = m->cfg->obs;
    if (t < obs[0] || t > obs[m->T - 1]) return -1;
    size_t lo = 0, hi = m->T - 1;   /* first i with obs[i] >= t */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (obs[mid] >= t) hi = mid; else lo = mid + 1;
    }
    return (long)lo;
}

int care_mplace_take(care_model *m, const care_child *k, int wanted, double t)
{
    care_places *p = &m->places;
    size_t i = (size_t)k->area * CARE_NPLACE + (size_t)wanted;
    double places = care_capacity_at(m->cfg->cap + p->first[i], p->n[i], t);
    if ((double)p->occupied[i] < places) {
        p->occupied[i]++;
        return wanted;
    }
    long per = period_of(m, t);
    if (per >= 0) p->shortfall[care_var_at(CARE_VAR_SHORTFALL, m->A, (size_t)per, k->area, (size_t)wanted, 0)]++;
    int fb = m->cfg->placement_fallback;   /* never capacitated (care_capacity.c): always free */
    p->occupied[(size_t)k->area * CARE_NPLACE + (size_t)fb]++;
    return fb;
}

void care_mplace_release(care_model *m, const care_child *k)
{
    uint32_t *o = &m->places.occupied[(size_t)k->area * CARE_NPLACE + k->placement];
    if (*o) (*o)--;
}
