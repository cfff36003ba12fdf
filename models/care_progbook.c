/* models/care_progbook.c - see care_progbook.h. */
#include "care_progbook.h"

#include <math.h>
#include <stdlib.h>

#include "../sim/rng.h"
#include "care_cost.h"

#define STREAM_THIN 6ull     /* entries thinned by an entry effect: one stream per (area, serial) */

int care_progbook_has(const int *idx, int n, int state)
{
    for (int j = 0; j < n; j++)
        if (idx[j] == state) return 1;
    return 0;
}

int care_progbook_referable(const care_programme *p, int area, int state, double birth, double t)
{
    double age = (t - birth) / CARE_YEAR_DAYS;
    return p->in_area[area] && care_progrun_active(p, t) && care_progbook_has(p->state_idx, p->n_states, state) &&
           age >= p->age_lo && age < p->age_hi + 1;
}

/* ---- counting and money ---- */
static size_t period_of(const care_progbook *b, double t)   /* the period (obs[p-1], obs[p]] holding t */
{
    const double *obs = b->cfg->obs;
    size_t lo = 0, hi = b->T;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (obs[mid] >= t) hi = mid; else lo = mid + 1;
    }
    return lo;
}

static int counted(const care_progbook *b, double t) { return t > b->cfg->obs[0] && t <= b->cfg->obs[b->T - 1]; }

static size_t prog_at(const care_progbook *b, size_t p, int area, int i)
{
    return (p * b->A + (size_t)area) * (size_t)b->cfg->n_prog_run + (size_t)b->cfg->prog_index[i];
}

static size_t item_at(const care_progbook *b, size_t p, int area, int i)
{
    return (p * b->A + (size_t)area) * (size_t)b->cfg->n_items + (size_t)(CARE_NPLACE + b->cfg->prog_index[i]);
}

static double price(const care_progbook *b, const care_programme *p, double gbp)
{
    return p->price_year ? gbp * care_cost_price_factor(&b->cfg->money, p->price_year) : gbp;
}

/* A cost rate (GBP per day) over [t0, t1], split by observation period. */
static void add_rate(const care_progbook *b, int area, int i, double t0, double t1, double per_day)
{
    const double *obs = b->cfg->obs;
    t0 = fmax(t0, obs[0]);
    t1 = fmin(t1, obs[b->T - 1]);
    while (per_day != 0 && t0 < t1) {
        size_t p = period_of(b, t0);
        if (obs[p] == t0) p++;
        if (p >= b->T) break;
        double end = fmin(t1, obs[p]);
        b->cost[item_at(b, p, area, i)] += (end - t0) * per_day;
        t0 = end;
    }
}

void care_progbook_referred(const care_progbook *b, int i, int area, double t)
{
    if (counted(b, t)) b->referred[prog_at(b, period_of(b, t), area, i)]++;
}

void care_progbook_served(const care_progbook *b, int i, int area, double t)
{
    const care_programme *p = &b->cfg->progs[i];
    if (!counted(b, t)) return;
    size_t per = period_of(b, t);
    b->served[prog_at(b, per, area, i)]++;
    double gbp = price(b, p, p->cost_per_child);
    if (gbp != 0) b->cost[item_at(b, per, area, i)] += gbp;
}

void care_progbook_days(const care_progbook *b, int i, int area, double t0, double t1)
{
    const care_programme *p = &b->cfg->progs[i];
    add_rate(b, area, i, t0, t1, price(b, p, p->cost_per_day));
}

void care_progbook_fixed(const care_progbook *b, int i)
{
    const care_programme *p = &b->cfg->progs[i];
    for (int j = 0; j < p->n_areas; j++)
        add_rate(b, p->areas[j], i, p->time.start, p->time.end, price(b, p, p->cost_fixed_per_area_year) / CARE_YEAR_DAYS);
}

/* ---- entry effects ---- */
int care_progbook_entry_max(const care_progrun *r, size_t n_areas, double **out, sim_err *err)
{
    *out = NULL;
    for (int i = 0; i < r->n; i++) {
        const care_programme *p = &r->p[i];
        for (int e = 0; e < p->n_effects; e++)
            if (p->effects[e].from_state == CARE_PROG_ENTRY && r->ratio[i][e] != 1.0) {
                if (!*out) {
                    if (!(*out = malloc((n_areas ? n_areas : 1) * sizeof **out)))
                        return sim_err_set(err, SIM_ENOMEM, "care model: out of memory");
                    for (size_t a = 0; a < n_areas; a++) (*out)[a] = 1.0;
                }
                for (int j = 0; j < p->n_areas; j++)   /* a bound on the product of multipliers */
                    (*out)[p->areas[j]] *= fmax(1.0, r->ratio[i][e]);
            }
    }
    return SIM_OK;
}

int care_progbook_keep_entry(const care_progrun *r, double entry_max, int a, double birth, double t, uint32_t serial,
                             gsl_rng *g, uint64_t seed, uint32_t replicate)
{
    double mult = 1.0, until;
    for (int i = 0; i < r->n; i++)
        mult *= care_progrun_entry_mult(r, i, a, (t - birth) / CARE_YEAR_DAYS, t, &until);
    double keep = mult / entry_max;
    if (keep >= 1.0) return 1;
    sim_rng_key(g, seed, replicate, STREAM_THIN << 56 | (uint64_t)a, serial, 0);
    return gsl_rng_uniform(g) < keep;
}
