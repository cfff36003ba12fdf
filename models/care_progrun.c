/* models/care_progrun.c - see care_progrun.h. */
#include "care_progrun.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int care_progrun_create(care_progrun **out, const care_programme *p, int n, int n_areas, uint64_t seed,
                        uint32_t replicate, gsl_rng *g, sim_err *err)
{
    care_progrun *r = calloc(1, sizeof *r);
    *out = r;
    if (!r) return sim_err_set(err, SIM_ENOMEM, "programmes: out of memory");
    r->p = p;
    r->n = n;
    r->n_areas = n_areas;
    size_t pa = (size_t)(n ? n : 1) * (size_t)(n_areas ? n_areas : 1);
    r->ratio = calloc((size_t)(n ? n : 1), sizeof *r->ratio);
    r->acts = calloc((size_t)(n ? n : 1), sizeof *r->acts);
    r->used = calloc(pa, sizeof *r->used);
    r->waiting = calloc(pa, sizeof *r->waiting);
    r->queue = calloc(pa, sizeof *r->queue);
    if (!r->ratio || !r->acts || !r->used || !r->waiting || !r->queue)
        return sim_err_set(err, SIM_ENOMEM, "programmes: out of memory");
    for (int i = 0; i < n; i++)
        for (int e = 0; e < p[i].n_effects; e++) {
            /* a shared draw: the same stream, so the same normal deviate (perfect correlation) */
            int key = p[i].effects[e].same_draw ? p[i].effects[e].same_draw - 1 : e;
            care_effect_stream(g, seed, replicate, p[i].name, key);
            r->ratio[i][e] = care_effect_draw(&p[i].effects[e].size, g);
            /* a ratio of exactly 1 changes nothing: no redraws, so the run stays bit-identical */
            if (r->ratio[i][e] != 1.0 && p[i].effects[e].from_state >= 0)
                r->acts[i] |= 1u << p[i].effects[e].from_state;
        }
    return SIM_OK;
}

void care_progrun_destroy(care_progrun *r)
{
    if (!r) return;
    size_t pa = (size_t)(r->n ? r->n : 1) * (size_t)(r->n_areas ? r->n_areas : 1);
    for (size_t q = 0; r->queue && q < pa; q++) free(r->queue[q].v);
    free(r->queue);
    free(r->ratio);
    free(r->acts);
    free(r->used);
    free(r->waiting);
    free(r);
}

int care_progrun_active(const care_programme *p, double t) { return t >= p->time.start && t < p->time.end; }

double care_progrun_mult(const care_progrun *r, int i, int state, double t, double *mult)
{
    double until = INFINITY;
    if (!(r->acts[i] >> state & 1u)) return until;
    const care_programme *p = &r->p[i];
    double level = care_effect_level(&p->time, t, &until);
    for (int e = 0; e < p->n_effects; e++)
        if (p->effects[e].from_state == state && r->ratio[i][e] != 1.0)
            mult[p->effects[e].column] *= level == 1.0 ? r->ratio[i][e] : pow(r->ratio[i][e], level);
    return until;
}

double care_progrun_entry_mult(const care_progrun *r, int i, int area, double age_years, double t, double *until)
{
    const care_programme *p = &r->p[i];
    *until = INFINITY;
    if (!p->in_area[area] || age_years < p->age_lo || age_years >= p->age_hi + 1) return 1.0;
    double m = 1.0, level = -1;
    for (int e = 0; e < p->n_effects; e++)
        if (p->effects[e].from_state == CARE_PROG_ENTRY && r->ratio[i][e] != 1.0) {
            if (level < 0) level = care_effect_level(&p->time, t, until);
            m *= level == 1.0 ? r->ratio[i][e] : pow(r->ratio[i][e], level);
        }
    return m;
}

static int push(care_queue *q, care_wait w)
{
    if (q->n == q->cap) {
        uint32_t cap = q->cap ? 2 * q->cap : 16;
        care_wait *v = malloc(cap * sizeof *v);
        if (!v) return SIM_ENOMEM;
        for (uint32_t j = 0; j < q->n; j++) v[j] = q->v[(q->head + j) % q->cap];
        free(q->v);
        q->v = v;
        q->cap = cap;
        q->head = 0;
    }
    q->v[(q->head + q->n++) % q->cap] = w;
    return SIM_OK;
}

int care_progrun_refer(care_progrun *r, int i, int area, uint32_t id, double t, uint32_t *ticket, sim_err *err)
{
    size_t k = (size_t)i * (size_t)r->n_areas + (size_t)area;
    double until;
    if (r->waiting[k] == 0 && r->used[k] < care_prog_places(&r->p[i], t, &until)) {
        r->used[k] += 1;
        return 1;
    }
    *ticket = ++r->next_ticket;
    if (push(&r->queue[k], (care_wait){id, *ticket}) != SIM_OK)
        return -sim_err_set(err, SIM_ENOMEM, "programme %s: out of memory for its waiting list", r->p[i].name);
    r->waiting[k]++;
    return 0;
}

void care_progrun_unwait(care_progrun *r, int i, int area)
{
    r->waiting[(size_t)i * (size_t)r->n_areas + (size_t)area]--;
}

void care_progrun_release(care_progrun *r, int i, int area)
{
    r->used[(size_t)i * (size_t)r->n_areas + (size_t)area] -= 1;
}

int care_progrun_next(care_progrun *r, int i, int area, double t,
                      int (*valid)(void *user, uint32_t id, uint32_t ticket), void *user, uint32_t *id)
{
    size_t k = (size_t)i * (size_t)r->n_areas + (size_t)area;
    care_queue *q = &r->queue[k];
    double until;
    if (r->used[k] >= care_prog_places(&r->p[i], t, &until)) return 0;
    while (q->n) {
        care_wait w = q->v[q->head];
        q->head = (q->head + 1) % q->cap;
        q->n--;
        if (valid(user, w.id, w.ticket)) {
            r->waiting[k]--;
            r->used[k] += 1;
            *id = w.id;
            return 1;
        }
    }
    return 0;
}

void care_progrun_clear(care_progrun *r, int i)
{
    for (int a = 0; a < r->n_areas; a++) {
        size_t k = (size_t)i * (size_t)r->n_areas + (size_t)a;
        r->queue[k].n = r->queue[k].head = 0;
        r->waiting[k] = 0;
    }
}
