/* models/care_model.c - see care_model.h. Event handlers and the child pool. */
#include "care_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "../sim/rng.h"
#include "care_config.h"
#include "care_episodes.h"
#include "care_hazard.h"

enum { EV_ARRIVAL, EV_CHILD, EV_OBS };
enum { STREAM_ARRIVAL = 1, STREAM_CHILD = 2, STREAM_INITIAL = 3 };
#define INITIAL_SERIAL 0x80000000u   /* initial-stock children: serials from here, own stream kind */

typedef struct care_child {
    double birth;        /* day of birth (negative: before the start date) */
    double since;        /* day the current state (period of care, or time at home) began */
    union {
        double pl_since; /* in care: day the current placement began */
        double close_at; /* at home: day the case closes (INFINITY if it does not close first) */
    };
    uint64_t rng_pos;    /* position in the child's own stream */
    uint32_t serial;
    uint32_t ep;         /* open row of the episode log, if the log is on */
    uint16_t area;
    uint8_t state;       /* CARE_ST_*, or FREE */
    uint8_t placement;
    uint8_t next;        /* CARE_TR_* of the pending event */
    uint8_t episodes;
    uint8_t sex;         /* 1 = male */
} care_child;
#define FREE 255

typedef struct area_state {
    uint64_t rng_pos;
    uint32_t next_serial;
    double base_rate;             /* entries per day before the trend multiplier */
    double cum[CARE_NAGE];        /* cumulative age-band weights of entries */
    double lac_mult[CARE_NLX];    /* multipliers on lac hazards (exits scaled, moves not) */
} area_state;

typedef struct care_model {
    const care_config *cfg;
    care_child *kids;
    uint32_t n_kids, cap_kids, *free_ids, n_free;
    area_state *areas;
    int period;                   /* observation period of the current time, for flows */
    size_t A, T;
    uint32_t *stock, *placements, *flow;   /* [T][A][state|placement|transition][age] */
    double *days, *cost;                   /* [T][A][age], [T][A][placement] */
    care_episodes log;                     /* only when cfg->episodes */
    int log_failed;
} care_model;

static const double one[CARE_MAXK] = {1, 1, 1, 1, 1, 1, 1, 1};
static const uint8_t lac_to_tr[CARE_NLX] = {CARE_TR_HOME, CARE_TR_ADOPTED, CARE_TR_SGO_CAO,
                                            CARE_TR_INDEPENDENT, CARE_TR_OTHER, CARE_TR_MOVE};

/* ---- streams ---- */
static void child_stream(sim_ctx *ctx, const care_child *k)
{
    uint64_t kind = k->serial >= INITIAL_SERIAL ? STREAM_INITIAL : STREAM_CHILD;
    sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, kind << 56 | k->area, k->serial, k->rng_pos);
}
static void child_save(care_child *k, sim_ctx *ctx) { k->rng_pos = sim_rng_position(ctx->rng); }

/* ---- counting ---- */
static size_t period_after(const care_model *m, double t)   /* first i with obs[i] > t */
{
    size_t lo = 0, hi = m->T;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->cfg->obs[mid] > t) hi = mid; else lo = mid + 1;
    }
    return lo;
}

/* A flow at a future time t (a case closing, counted when drawn): its period is searched. */
static size_t period_after(const care_model *m, double t);
static void count_flow_ahead(care_model *m, double t, const care_child *k, int tr)
{
    const double *obs = m->cfg->obs;
    if (t <= obs[0] || t > obs[m->T - 1])
        return;
    size_t p = period_after(m, t);
    if (p > 0 && obs[p - 1] == t) p--;   /* the period (obs[p-1], obs[p]] holds t */
    int b = care_age_band_at(t - k->birth);
    m->flow[((p * m->A + k->area) * CARE_NTR + (size_t)tr) * CARE_NAGE + (size_t)b]++;
}

static void count_flow(care_model *m, double t, const care_child *k, int tr)
{
    const double *obs = m->cfg->obs;
    if (t <= obs[0])
        return;   /* burn-in: not observed */
    while ((size_t)m->period < m->T && obs[m->period] < t)
        m->period++;
    int b = care_age_band_at(t - k->birth);
    m->flow[(((size_t)m->period * m->A + k->area) * CARE_NTR + (size_t)tr) * CARE_NAGE + (size_t)b]++;
}

/* Days in care and placement cost of [t0, t1], split by observation period and age band. */
static void account(care_model *m, const care_child *k, double t0, double t1)
{
    const double *obs = m->cfg->obs;
    t0 = fmax(t0, obs[0]);
    t1 = fmin(t1, obs[m->T - 1]);
    double cpd = m->cfg->cost_per_day[k->placement];
    while (t0 < t1) {
        size_t p = period_after(m, t0);
        if (p >= m->T) break;
        int b = care_age_band_at(t0 - k->birth);
        double age_end = b + 1 < CARE_NAGE ? k->birth + care_age_lo_years[b + 1] * CARE_YEAR_DAYS : INFINITY;
        double end = fmin(fmin(t1, obs[p]), fmax(age_end, t0 + 1e-9));
        size_t ta = p * m->A + k->area;
        m->days[ta * CARE_NAGE + (size_t)b] += end - t0;
        m->cost[ta * CARE_NPLACE + k->placement] += (end - t0) * cpd;
        t0 = end;
    }
}

/* ---- the child pool ---- */
static void free_child(care_model *m, uint32_t id);

/* Frees the slots of children whose case closed by `now`. A closing is not queued as an event
 * (nothing happens to the child then; it is counted when drawn), so its slot is reclaimed here:
 * at each observation, and before the pool would otherwise grow. */
static uint32_t reclaim(care_model *m, double now)
{
    uint32_t n = 0;
    for (uint32_t id = 0; id < m->n_kids; id++) {
        care_child *k = &m->kids[id];
        if (k->state == CARE_ST_HOME && k->close_at <= now) {
            free_child(m, id);
            n++;
        }
    }
    return n;
}

static care_child *new_child(care_model *m, uint32_t *id, double now, sim_err *err)
{
    if (!m->n_free && m->n_kids == m->cap_kids && m->cap_kids)
        reclaim(m, now);
    if (m->n_free) {
        *id = m->free_ids[--m->n_free];
    } else {
        if (m->n_kids == m->cap_kids) {
            uint32_t cap = m->cap_kids ? 2 * m->cap_kids : 1024;
            care_child *nk = realloc(m->kids, cap * sizeof *nk);
            uint32_t *nf = realloc(m->free_ids, cap * sizeof *nf);
            if (nk) m->kids = nk;
            if (nf) m->free_ids = nf;
            if (!nk || !nf) { sim_err_set(err, SIM_ENOMEM, "care model: out of memory for %u children", cap); return NULL; }
            m->cap_kids = cap;
        }
        *id = m->n_kids++;
    }
    care_child *k = &m->kids[*id];
    memset(k, 0, sizeof *k);
    return k;
}

static void free_child(care_model *m, uint32_t id)
{
    m->kids[id].state = FREE;
    m->free_ids[m->n_free++] = id;
}

/* ---- scheduling ---- */
/* A placement type drawn from the shares (entry or move) of the age band, leaving out `exclude`. */
static int pick_placement(const double *sh, sim_ctx *ctx, int exclude)
{
    double tot = 0, acc = 0;
    for (int p = 0; p < CARE_NPLACE; p++) tot += p == exclude ? 0 : sh[p];
    if (tot <= 0) return exclude >= 0 ? exclude : CARE_PL_FOSTER;
    double u = gsl_rng_uniform(ctx->rng) * tot;
    int last = 0;
    for (int p = 0; p < CARE_NPLACE; p++) {
        if (p == exclude || sh[p] == 0) continue;
        last = p;
        acc += sh[p];
        if (u < acc) return p;
    }
    return last;
}

static int schedule_lac(care_model *m, sim_ctx *ctx, care_child *k, uint32_t id, double now, sim_err *err)
{
    double age_out = k->birth + CARE_AGE_OUT_DAYS, limit = fmin(age_out, ctx->horizon);
    int kind;
    double t = care_hazard_draw(&m->cfg->lac, m->areas[k->area].lac_mult, now, k->birth, k->since, limit, ctx->rng, &kind);
    if (isinf(t)) {
        if (age_out > ctx->horizon) return SIM_OK;   /* still in care at the horizon */
        t = age_out;
        k->next = CARE_TR_AGED_OUT;
    } else {
        k->next = lac_to_tr[kind];
    }
    return sim_schedule(ctx, t, EV_CHILD, id, err);
}

/* At home: a re-entry is an event; a closing (by hazard, at the end of the follow-up window or
 * at 18) is only marked and counted now, which spares the queue one event per case closed. */
static int schedule_home(care_model *m, sim_ctx *ctx, care_child *k, uint32_t id, double now, sim_err *err)
{
    double end = fmin(k->since + m->cfg->follow_up, k->birth + CARE_AGE_OUT_DAYS), limit = fmin(end, ctx->horizon);
    int kind;
    double t = care_hazard_draw(&m->cfg->home, one, now, k->birth, k->since, limit, ctx->rng, &kind);
    k->close_at = INFINITY;
    if (isinf(t)) {
        if (end > ctx->horizon) return SIM_OK;
        t = end;
        kind = CARE_HX_CLOSED;
    }
    if (kind == CARE_HX_CLOSED) {
        k->close_at = t;
        count_flow_ahead(m, t, k, CARE_TR_CLOSED);
        return SIM_OK;
    }
    k->next = CARE_TR_REENTRY;
    return sim_schedule(ctx, t, EV_CHILD, id, err);
}

/* ---- the episode log ---- */
static void log_open(care_model *m, care_child *k, double t, int reason)
{
    if (!m->cfg->episodes) return;
    care_episode ep = {.child = (int64_t)k->area << 32 | k->serial, .birth = k->birth, .start = t,
                       .area = k->area, .placement = k->placement, .reason_started = reason,
                       .period = k->episodes, .male = k->sex};
    k->ep = care_episodes_open(&m->log, &ep);
    m->log_failed |= k->ep == (uint32_t)-1;
}

static void log_close(care_model *m, const care_child *k, double t, int tr)
{
    if (m->cfg->episodes && k->ep != (uint32_t)-1)
        care_episodes_close(&m->log, k->ep, t, tr);
}

static void enter_care(care_model *m, sim_ctx *ctx, care_child *k, double t, int reason)
{
    k->state = CARE_ST_LAC;
    k->since = k->pl_since = t;
    k->episodes++;
    k->placement = (uint8_t)pick_placement(m->cfg->placement_share[care_age_band_at(t - k->birth)], ctx, -1);
    log_open(m, k, t, reason);
}

/* ---- handlers ---- */
static double trend_at(const care_config *c, double t, double *until)
{
    if (c->n_trend == 0) { *until = INFINITY; return 1.0; }
    int i = 0;
    while (i + 1 < c->n_trend && t >= c->trend_from[i + 1]) i++;
    *until = i + 1 < c->n_trend ? c->trend_from[i + 1] : INFINITY;
    return c->trend_mult[i];
}

static int schedule_arrival(care_model *m, sim_ctx *ctx, uint32_t a, double now, sim_err *err)
{
    area_state *as = &m->areas[a];
    if (as->base_rate <= 0) return SIM_OK;
    sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, (uint64_t)STREAM_ARRIVAL << 56 | a, 0, as->rng_pos);
    double e = care_unit_exponential(ctx->rng), t = now;
    as->rng_pos = sim_rng_position(ctx->rng);
    while (t <= ctx->horizon) {   /* invert the cumulative rate across trend steps */
        double until, rate = as->base_rate * trend_at(m->cfg, t, &until);
        if (rate > 0 && rate * (until - t) >= e)
            return sim_schedule(ctx, t + e / rate, EV_ARRIVAL, a, err);
        e -= rate * (until - t);
        t = until;
    }
    return SIM_OK;
}

static int on_arrival(care_model *m, sim_ctx *ctx, uint32_t a, double t, sim_err *err)
{
    uint32_t id;
    care_child *k = new_child(m, &id, t, err);
    if (!k) return SIM_ENOMEM;
    area_state *as = &m->areas[a];
    k->area = (uint16_t)a;
    k->serial = as->next_serial++;
    child_stream(ctx, k);
    double u = gsl_rng_uniform(ctx->rng) * as->cum[CARE_NAGE - 1];
    int b = 0;
    while (b + 1 < CARE_NAGE && u >= as->cum[b]) b++;   /* zero-weight bands are never chosen */
    double lo = care_age_lo_years[b] * CARE_YEAR_DAYS, hi = care_age_lo_years[b + 1] * CARE_YEAR_DAYS;
    k->birth = t - gsl_ran_flat(ctx->rng, lo, hi);
    k->sex = gsl_rng_uniform(ctx->rng) < m->cfg->male_share[b];
    enter_care(m, ctx, k, t, CARE_START_ENTRY);
    count_flow(m, t, k, CARE_TR_ENTRY);
    int rc = schedule_lac(m, ctx, k, id, t, err);
    child_save(k, ctx);
    return rc != SIM_OK ? rc : schedule_arrival(m, ctx, a, t, err);
}

static int on_child(care_model *m, sim_ctx *ctx, uint32_t id, double t, sim_err *err)
{
    care_child *k = &m->kids[id];
    int tr = k->next, rc = SIM_OK;
    count_flow(m, t, k, tr);
    if (tr == CARE_TR_MOVE || tr == CARE_TR_HOME || tr == CARE_TR_REENTRY)
        child_stream(ctx, k);   /* only these draw: a leaving child needs no Philox block */
    switch (tr) {
    case CARE_TR_MOVE:
        account(m, k, k->pl_since, t);
        log_close(m, k, t, tr);
        k->placement = (uint8_t)pick_placement(m->cfg->move_share[care_age_band_at(t - k->birth)], ctx, k->placement);
        k->pl_since = t;
        log_open(m, k, t, CARE_START_MOVE);
        rc = schedule_lac(m, ctx, k, id, t, err);
        break;
    case CARE_TR_HOME:
        account(m, k, k->pl_since, t);
        log_close(m, k, t, tr);
        k->state = CARE_ST_HOME;
        k->since = t;
        rc = schedule_home(m, ctx, k, id, t, err);
        break;
    case CARE_TR_REENTRY:
        enter_care(m, ctx, k, t, CARE_START_REENTRY);
        rc = schedule_lac(m, ctx, k, id, t, err);
        break;
    default:   /* adopted, sgo_cao, independent_living, other, aged_out: the child leaves */
        account(m, k, k->pl_since, t);
        log_close(m, k, t, tr);
        free_child(m, id);
        return SIM_OK;
    }
    child_save(k, ctx);
    return rc;
}

static void on_observe(care_model *m, size_t i, double t)
{
    for (uint32_t id = 0; id < m->n_kids; id++) {
        const care_child *k = &m->kids[id];
        if (k->state == FREE) continue;
        if (k->state == CARE_ST_HOME && k->close_at < t) {
            free_child(m, id);
            continue;
        }
        size_t b = (size_t)care_age_band_at(t - k->birth), ta = i * m->A + k->area;
        m->stock[(ta * CARE_NSTATE + k->state) * CARE_NAGE + b]++;
        if (k->state == CARE_ST_LAC)
            m->placements[(ta * CARE_NPLACE + k->placement) * CARE_NAGE + b]++;
    }
}

static int handle(void *state, const sim_event *ev, sim_ctx *ctx, sim_err *err)
{
    care_model *m = state;
    switch (ev->kind) {
    case EV_ARRIVAL: return on_arrival(m, ctx, ev->id, ev->time, err);
    case EV_CHILD: return on_child(m, ctx, ev->id, ev->time, err);
    default: on_observe(m, ev->id, ev->time); return SIM_OK;
    }
}

/* ---- creation ---- */
static int initial_stock(care_model *m, sim_ctx *ctx, sim_err *err);

static int create(void **out, const void *cfgv, sim_ctx *ctx, sim_err *err)
{
    const care_config *c = cfgv;
    care_model *m = calloc(1, sizeof *m);
    *out = m;
    if (!m) return sim_err_set(err, SIM_ENOMEM, "care model: out of memory");
    m->cfg = c;
    m->A = (size_t)c->n_areas;
    m->T = (size_t)c->n_obs;
    size_t ta = m->T * m->A;
    m->stock = calloc(ta * CARE_NSTATE * CARE_NAGE, sizeof *m->stock);
    m->placements = calloc(ta * CARE_NPLACE * CARE_NAGE, sizeof *m->placements);
    m->flow = calloc(ta * CARE_NTR * CARE_NAGE, sizeof *m->flow);
    m->days = calloc(ta * CARE_NAGE, sizeof *m->days);
    m->cost = calloc(ta * CARE_NPLACE, sizeof *m->cost);
    m->areas = calloc(m->A, sizeof *m->areas);
    if (!m->stock || !m->placements || !m->flow || !m->days || !m->cost || !m->areas)
        return sim_err_set(err, SIM_ENOMEM, "care model: out of memory for %zu areas x %zu times", m->A, m->T);
    for (size_t a = 0; a < m->A; a++) {
        area_state *as = &m->areas[a];
        const care_area *ar = &c->areas[a];
        double acc = 0;
        for (int b = 0; b < CARE_NAGE; b++)
            as->cum[b] = (acc += ar->pop[b] * c->entry_rate[b]);
        as->base_rate = acc * ar->entry_mult;
        for (int k = 0; k < CARE_NLX; k++)
            as->lac_mult[k] = k == CARE_LX_MOVE ? 1.0 : ar->exit_mult;
    }
    int rc = SIM_OK;
    for (size_t i = 0; i < m->T && rc == SIM_OK; i++)
        rc = sim_schedule(ctx, c->obs[i], EV_OBS, (uint32_t)i, err);
    if (rc == SIM_OK) rc = initial_stock(m, ctx, err);
    for (size_t a = 0; a < m->A && rc == SIM_OK; a++)
        rc = schedule_arrival(m, ctx, (uint32_t)a, -c->burn_in, err);
    return rc;
}

/* Children of the initial-stock table, placed at day 0 with age and time in their state drawn
 * uniformly within their bands (never longer than the child's life, nor, at home, than the
 * follow-up window). */
static int initial_stock(care_model *m, sim_ctx *ctx, sim_err *err)
{
    const care_config *c = m->cfg;
    uint32_t serial = INITIAL_SERIAL;
    for (size_t r = 0; r < c->n_stock; r++) {
        const care_stock_row *row = &c->stock[r];
        const care_hazard_table *h = row->state == CARE_ST_LAC ? &c->lac : &c->home;
        double lo = care_age_lo_years[row->age] * CARE_YEAR_DAYS, hi = care_age_lo_years[row->age + 1] * CARE_YEAR_DAYS;
        double tb0 = h->tb_from[row->tb], tb1 = h->tb_from[row->tb + 1];
        if (row->state == CARE_ST_HOME)
            tb1 = fmin(tb1, c->follow_up);
        for (uint32_t n = 0; n < row->count; n++) {
            uint32_t id;
            care_child *k = new_child(m, &id, 0.0, err);
            if (!k) return SIM_ENOMEM;
            k->area = (uint16_t)row->area;
            k->serial = serial++;
            child_stream(ctx, k);
            double age = gsl_ran_flat(ctx->rng, fmax(lo, tb0), hi);
            double tic = gsl_ran_flat(ctx->rng, tb0, fmin(tb1, age));
            k->birth = -age;
            k->sex = gsl_rng_uniform(ctx->rng) < c->male_share[row->age];
            int rc;
            if (row->state == CARE_ST_HOME) {
                k->state = CARE_ST_HOME;
                k->since = -tic;
                k->episodes = 1;
                rc = schedule_home(m, ctx, k, id, 0.0, err);
            } else {
                enter_care(m, ctx, k, -tic, CARE_START_INITIAL);
                k->pl_since = 0.0;   /* cost and days are counted from the start date */
                rc = schedule_lac(m, ctx, k, id, 0.0, err);
            }
            child_save(k, ctx);
            if (rc != SIM_OK) return rc;
        }
    }
    return SIM_OK;
}

static int finish(void *state, sim_ctx *ctx, void *const *bufs, sim_table *table, sim_err *err)
{
    care_model *m = state;
    if (m->log_failed || (m->cfg->episodes && care_episodes_table(&m->log, table) != 0))
        return sim_err_set(err, SIM_ENOMEM, "episode log: out of memory after %zu episodes", m->log.n);
    for (uint32_t id = 0; id < m->n_kids; id++)
        if (m->kids[id].state == CARE_ST_LAC)
            account(m, &m->kids[id], m->kids[id].pl_since, ctx->horizon);
    size_t ta = m->T * m->A;
    memcpy(bufs[0], m->stock, ta * CARE_NSTATE * CARE_NAGE * sizeof *m->stock);
    memcpy(bufs[1], m->placements, ta * CARE_NPLACE * CARE_NAGE * sizeof *m->placements);
    memcpy(bufs[2], m->flow, ta * CARE_NTR * CARE_NAGE * sizeof *m->flow);
    memcpy(bufs[3], m->days, ta * CARE_NAGE * sizeof *m->days);
    memcpy(bufs[4], m->cost, ta * CARE_NPLACE * sizeof *m->cost);
    return SIM_OK;
}

static void destroy(void *state)
{
    care_model *m = state;
    if (!m) return;
    care_episodes_free(&m->log);
    free(m->kids);
    free(m->free_ids);
    free(m->areas);
    free(m->stock);
    free(m->placements);
    free(m->flow);
    free(m->days);
    free(m->cost);
    free(m);
}

/* Calendar buckets of one day: a national task handles a few hundred events a day; widths
 * from half a day to two days measured alike, a week 10% slower (bench/README.md). */
static void prefetch(const void *state, uint32_t kind, uint32_t id)
{
    const care_model *m = state;
    if (kind == EV_CHILD && id < m->n_kids)
        __builtin_prefetch(&m->kids[id]);
}

const sim_model_ops care_model_ops = {create, handle, finish, destroy, 1.0, prefetch};
