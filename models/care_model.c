/* models/care_model.c - see care_model.h. Event handlers and the child pool. */
#include "care_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "../sim/rng.h"
#include "care_calib.h"
#include "care_config.h"
#include "care_episodes.h"
#include "care_hazard.h"
#include "care_output.h"
#include "care_pathtrend.h"
#include "care_model_impl.h"
#include "care_uasc.h"

static const struct { uint32_t event; uint64_t stream; int trend; } procs[NPROC] = {
    [PROC_ENTRY] = {EV_ARRIVAL, STREAM_ARRIVAL, 1}, [PROC_REFERRAL] = {EV_REFERRAL, STREAM_REFERRAL, 0}};

/* ---- streams ---- */
void care_model_child_stream(sim_ctx *ctx, const care_child *k)
{
    uint64_t kind = k->serial >= INITIAL_SERIAL ? STREAM_INITIAL : k->serial >= REFERRED_SERIAL ? STREAM_REFERRED
                  : k->serial >= UASC_SERIAL ? STREAM_UASC_CHILD : STREAM_CHILD;
    sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, kind << 56 | k->area, k->serial, k->rng_pos);
}
void care_model_child_save(care_child *k, sim_ctx *ctx) { k->rng_pos = sim_rng_position(ctx->rng); }


#define REDRAW 255   /* k->next: no transition, the hazards change (care_mprog.c) */

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
        if (k->state != CARE_FREE && m->lazy[k->state] && k->close_at <= now) {
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
    k->next_at = NAN;   /* an event the slot's last child left never matches */
    return k;
}

static void free_child(care_model *m, uint32_t id)
{
    m->kids[id].state = CARE_FREE;
    m->free_ids[m->n_free++] = id;
}

/* ---- scheduling ---- */
/* A UASC child's exit: `other` at tables.uasc's hazard before `end`, else end_tr at end. */
static int schedule_uasc_exit(care_model *m, sim_ctx *ctx, care_child *k, uint32_t id, double now, double end, int end_tr,
                              sim_err *err)
{
    double t = care_uasc_exit(m->cfg->uasc, m->trend_rule, now, fmin(end, ctx->horizon), care_unit_exponential(ctx->rng));
    k->next_at = INFINITY;
    if (isinf(t) && end > ctx->horizon) return SIM_OK;   /* in care at the horizon */
    k->next = (uint8_t)(isinf(t) ? end_tr : CARE_TR_OTHER);
    k->next_at = isinf(t) ? end : t;
    return sim_schedule(ctx, k->next_at, EV_CHILD, id, err);
}

/* The one scheduling routine: the child's next transition out of (or within) its state, drawn
 * from the state's hazard table until its 18th birthday or the end of the state's window, where
 * the state's rule applies. A LAZY transition to outside (a case closing) needs no handler: it is
 * marked on the child and counted now, which spares the queue one event per case closed. */
static int schedule(care_model *m, sim_ctx *ctx, care_child *k, uint32_t id, double now, sim_err *err)
{
    int s = k->state, kind, tr;
    int end_tr;
    double end = care_state_end(m->cfg, s, k->birth, k->since, &end_tr);
    if (k->uasc)   /* tables.uasc's own exit hazard, and nothing else */
        return schedule_uasc_exit(m, ctx, k, id, now, end, end_tr, err);
    if (m->lazy[s]) k->close_at = INFINITY;
    k->next_at = INFINITY;
    const double *mult = m->areas[k->area].mult[s];
    double own[CARE_MAXK], until, limit = fmin(end, ctx->horizon);
    const care_hazard_table *h = care_medit_haz(m, s, now, &until);   /* dated edits: until the next date */
    if (m->pr && care_mprog_treated(m, k)) {   /* a programme's effects, constant until `until` */
        memcpy(own, mult, sizeof own);
        until = fmin(until, care_mprog_mult(m, k, now, own));
        mult = own;
    }
    double t = care_hazard_draw_cal(h, mult, &m->cal[s], now, k->birth, k->since,
                                    fmin(limit, until), ctx->rng, &kind);
    if (isinf(t) && until < limit) {   /* the effect changes first: draw again then */
        k->next = REDRAW;
        k->next_at = until;
        return sim_schedule(ctx, until, EV_CHILD, id, err);
    }
    if (isinf(t)) {
        if (end > ctx->horizon) return SIM_OK;   /* still in the state at the horizon */
        t = end;
        tr = end_tr;
    } else {
        tr = h->tr[kind];
    }
    if ((care_transitions[tr].flags & CARE_TF_LAZY) && !(m->pr && care_mprog_holds(m, k))) {
        k->close_at = t;
        care_model_account(m, k, k->since, t);
        care_model_count_ahead(m, t, k, tr);
        return SIM_OK;
    }
    k->next = (uint8_t)tr;
    k->next_at = t;
    return sim_schedule(ctx, t, EV_CHILD, id, err);
}

int care_model_schedule(care_model *m, sim_ctx *ctx, care_child *k, uint32_t id, double now, sim_err *err)
{
    return schedule(m, ctx, k, id, now, err);
}

/* ---- the episode log ---- */
static void log_open(care_model *m, care_child *k, double t, int reason)
{
    if (!m->cfg->episodes) return;
    care_episode ep = {.child = (int64_t)k->area << 32 | k->serial, .birth = k->birth, .start = t,
                       .area = k->area, .placement = k->state == CARE_ST_LAC ? k->placement : -1,
                       .state = k->state, .reason_started = reason,
                       .period = k->episodes, .male = k->sex};
    k->ep = care_episodes_open(&m->log, &ep);
    m->log_failed |= k->ep == (uint32_t)-1;
}

static void log_close(care_model *m, const care_child *k, double t, int tr)
{
    if (m->cfg->episodes && k->ep != (uint32_t)-1)
        care_episodes_close(&m->log, k->ep, t, tr);
}

/* ---- what each state does on entry and exit, beyond what every state shares ---- */
/* tr: the transition (CARE_TR_NONE: a child of the initial stock, or the horizon). */
static void enter_lac(care_model *m, sim_ctx *ctx, care_child *k, double t, int tr)
{
    int b = care_age_band_at(t - k->birth), moved = tr != CARE_TR_NONE && care_transitions[tr].from == CARE_ST_LAC;
    if (!moved)
        k->episodes++;
    k->pl_since = t;
    const double *sh = care_medit_shares(m, b, t, moved);
    if (tr == CARE_TR_NONE && m->cfg->has_initial_share)   /* initial stock: its own mix, by age today */
        sh = m->cfg->initial_share[care_age_band_at(0.0 - k->birth)];
    if (k->uasc) sh = care_uasc_shares(m->cfg->uasc, m->trend_rule, t);
    int want = care_mplace_pick(sh, ctx, moved ? k->placement : -1);
    /* a full type sends the child to the fallback (care_mplace.c); the initial stock is placed on the start date */
    k->placement = (uint8_t)(m->places.occupied ? care_mplace_take(m, k, want, tr == CARE_TR_NONE ? 0.0 : t) : want);
    log_open(m, k, t, tr == CARE_TR_NONE ? CARE_START_INITIAL : care_transition_start_code(tr));
}

static void leave_lac(care_model *m, care_child *k, double t, int tr)
{
    care_model_account(m, k, k->pl_since, t);
    if (m->places.occupied) care_mplace_release(m, k);
    if (tr != CARE_TR_NONE)
        log_close(m, k, t, tr);
}

static void enter_home(care_model *m, sim_ctx *ctx, care_child *k, double t, int tr)
{
    (void)m, (void)ctx, (void)t;
    if (tr == CARE_TR_NONE)
        k->episodes = 1;   /* at home at the start: after one period of care */
}

/* States before care keep a row of the episode log per spell (a CIN episode, a plan). */
static void enter_logged(care_model *m, sim_ctx *ctx, care_child *k, double t, int tr)
{
    (void)ctx;
    log_open(m, k, t, tr == CARE_TR_NONE ? CARE_START_INITIAL : care_transition_start_code(tr));
}

static void leave_logged(care_model *m, care_child *k, double t, int tr)
{
    care_model_account(m, k, k->since, t);
    if (tr != CARE_TR_NONE)
        log_close(m, k, t, tr);
}

static void leave_plain(care_model *m, care_child *k, double t, int tr)
{
    (void)tr;
    care_model_account(m, k, k->since, t);
}

typedef struct state_hooks {
    void (*enter)(care_model *m, sim_ctx *ctx, care_child *k, double t, int tr);
    void (*leave)(care_model *m, care_child *k, double t, int tr);
} state_hooks;
static const state_hooks hooks[CARE_NSTATE] = {
    [CARE_ST_LAC] = {enter_lac, leave_lac},
    [CARE_ST_HOME] = {enter_home, leave_plain},
    [CARE_ST_CIN] = {enter_logged, leave_logged},
    [CARE_ST_CPP] = {enter_logged, leave_logged},
    [CARE_ST_CLOSED] = {NULL, leave_plain},
};

/* Puts k in the destination of tr (CARE_TR_NONE: in `state`, from the initial stock). */
static void enter(care_model *m, sim_ctx *ctx, care_child *k, double t, int tr, int state)
{
    int to = tr == CARE_TR_NONE ? state : care_transitions[tr].to;
    if (tr == CARE_TR_NONE || care_transitions[tr].from != to) {
        k->state = (uint8_t)to;
        k->since = t;
    }
    if (hooks[to].enter)
        hooks[to].enter(m, ctx, k, t, tr);
}

/* ---- handlers ---- */

static int schedule_arrival(care_model *m, sim_ctx *ctx, int p, uint32_t a, double now, sim_err *err)
{
    arrival *ar = &m->areas[a].proc[p];
    if (ar->base_rate <= 0) return SIM_OK;
    sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, procs[p].stream << 56 | a, 0, ar->rng_pos);
    double e = care_unit_exponential(ctx->rng), t = now;
    ar->rng_pos = sim_rng_position(ctx->rng);
    while (t <= ctx->horizon) {   /* invert the cumulative rate across trend steps (and dated edits) */
        double until, step = INFINITY, trend = INFINITY;
        const arrival *now_ar = care_medit_arrival(m, a, p, t, &until);
        double rate = now_ar->base_rate * (procs[p].trend ? care_trend_at(m->cfg, t, &step) : 1.0);
        if (procs[p].trend && m->cfg->n_rate_trend)   /* trends by age band (tables.rate_trend) */
            rate *= care_calib_entry_scale(m->cfg, m->trend_rule, t, now_ar->cum, &trend);
        else if (p == PROC_REFERRAL && m->cfg->pathway_trend)   /* tables.pathway_trend */
            rate *= care_pathtrend_referral(m->cfg->pathway_trend, m->trend_rule, t, &trend);
        if (p == PROC_REFERRAL) rate *= m->draw.referral;   /* tables.pathway_draws (1: none) */
        until = fmin(until, fmin(step, trend));
        if (p == PROC_ENTRY && m->entry_max) rate *= m->entry_max[a];   /* thinned back on arrival (care_mprog.c) */
        if (rate > 0 && rate * (until - t) >= e)
            return sim_schedule(ctx, t + e / rate, procs[p].event, a, err);
        e -= rate * (until - t);
        t = until;
    }
    return SIM_OK;
}

static int age_band_of(const arrival *ar, double u)
{
    int b = 0;
    u *= ar->cum[CARE_NAGE - 1];
    while (b + 1 < CARE_NAGE && u >= ar->cum[b]) b++;   /* zero-weight bands are never chosen */
    return b;
}

/* A new child of age band b (b < 0: drawn from the process's weights) arriving by tr. */
static int arrive(care_model *m, sim_ctx *ctx, int p, uint32_t a, int b, double t, int tr, sim_err *err)
{
    uint32_t id;
    care_child *k = new_child(m, &id, t, err);
    if (!k) return SIM_ENOMEM;
    area_state *as = &m->areas[a];
    k->area = (uint16_t)a;
    k->serial = p == PROC_ENTRY ? as->next_serial++ : REFERRED_SERIAL | as->next_referred++;
    care_model_child_stream(ctx, k);
    double next;
    if (b < 0) {   /* with trends by age band (tables.rate_trend), the band's weights of the day */
        const arrival *now_ar = care_medit_arrival(m, a, p, t, &next);
        double u = gsl_rng_uniform(ctx->rng);
        b = p == PROC_ENTRY && m->cfg->n_rate_trend ? care_calib_entry_band(m->cfg, m->trend_rule, t, now_ar->cum, u)
                                                    : age_band_of(now_ar, u);
    }
    if (p == PROC_ENTRY && m->cfg->entry_ages.n[b]) {   /* the interval first: no extra draw without the table */
        double u1 = gsl_rng_uniform(ctx->rng);
        k->birth = t - care_calib_age(&m->cfg->entry_ages, b, 0.0, u1, gsl_rng_uniform(ctx->rng));
    } else {
        double lo = care_age_lo_years[b] * CARE_YEAR_DAYS, hi = care_age_lo_years[b + 1] * CARE_YEAR_DAYS;
        k->birth = t - gsl_ran_flat(ctx->rng, lo, hi);
    }
    k->sex = gsl_rng_uniform(ctx->rng) < m->cfg->male_share[b];
    int rc = SIM_OK;
    if (p == PROC_ENTRY && m->entry_max) {   /* a programme may prevent this entry: decided on its own stream */
        care_model_child_save(k, ctx);
        if (!care_mprog_keep_entry(m, ctx, k, (int)a, t)) {
            free_child(m, id);
            return SIM_OK;
        }
        care_model_child_stream(ctx, k);
    }
    enter(m, ctx, k, t, tr, 0);
    if (m->pr) rc = care_mprog_enter(m, ctx, k, id, t, 1, err);
    care_model_count(m, t, k, tr);
    if (rc == SIM_OK) rc = schedule(m, ctx, k, id, t, err);
    care_model_child_save(k, ctx);
    return rc;
}

static int on_arrival(care_model *m, sim_ctx *ctx, uint32_t a, double t, sim_err *err)
{
    int rc = arrive(m, ctx, PROC_ENTRY, a, -1, t, CARE_TR_ENTRY, err);
    return rc != SIM_OK ? rc : schedule_arrival(m, ctx, PROC_ENTRY, a, t, err);
}

/* A referral: its age band and whether it needs no further action come from the area's referral
 * stream, so a referral that keeps no child costs no child stream. */
static int on_referral(care_model *m, sim_ctx *ctx, uint32_t a, double t, sim_err *err)
{
    arrival *ar = &m->areas[a].proc[PROC_REFERRAL];
    sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, (uint64_t)STREAM_REFERRAL << 56 | a, 0, ar->rng_pos);
    int b = age_band_of(ar, gsl_rng_uniform(ctx->rng)), rc = SIM_OK;
    double share = care_pathtrend_nfa(m->cfg->pathway_trend, m->trend_rule, t, care_medit_nfa(m, b, t),
                                      m->draw.nfa_odds);
    int nfa = gsl_rng_uniform(ctx->rng) < share;
    ar->rng_pos = sim_rng_position(ctx->rng);
    if (nfa) {
        care_child k = {.area = (uint16_t)a, .birth = t - care_age_lo_years[b] * CARE_YEAR_DAYS};
        care_model_count(m, t, &k, CARE_TR_REFERRAL_NFA);
    } else {
        rc = arrive(m, ctx, PROC_REFERRAL, a, b, t, CARE_TR_REFERRAL, err);
    }
    return rc != SIM_OK ? rc : schedule_arrival(m, ctx, PROC_REFERRAL, a, t, err);
}

/* Unaccompanied asylum-seeking children (tables.uasc): the area's own arrivals, ages, placements
 * and exit; no programme prevents their entry or takes them. */
static int schedule_uasc(care_model *m, sim_ctx *ctx, uint32_t a, double now, sim_err *err)
{
    area_state *as = &m->areas[a];
    sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, (uint64_t)STREAM_UASC << 56 | a, 0, as->uasc_pos);
    double e = care_unit_exponential(ctx->rng);
    as->uasc_pos = sim_rng_position(ctx->rng);
    double t = care_uasc_arrival(m->cfg->uasc, m->trend_rule, (int)a, now, ctx->horizon, e / m->draw.uasc);
    return isinf(t) ? SIM_OK : sim_schedule(ctx, t, EV_UASC, a, err);
}

static int on_uasc(care_model *m, sim_ctx *ctx, uint32_t a, double t, sim_err *err)
{
    uint32_t id;
    care_child *k = new_child(m, &id, t, err);
    if (!k) return SIM_ENOMEM;
    k->area = (uint16_t)a;
    k->serial = UASC_SERIAL | m->areas[a].next_uasc++;
    k->uasc = 1;
    care_model_child_stream(ctx, k);
    double u1 = gsl_rng_uniform(ctx->rng);
    k->birth = t - care_uasc_entry_age(m->cfg->uasc, m->trend_rule, t, u1, gsl_rng_uniform(ctx->rng));
    k->sex = gsl_rng_uniform(ctx->rng) < care_uasc_male(m->cfg->uasc, m->trend_rule, t);
    enter(m, ctx, k, t, CARE_TR_ENTRY, 0);
    care_model_count(m, t, k, CARE_TR_ENTRY);
    int rc = schedule(m, ctx, k, id, t, err);
    care_model_child_save(k, ctx);
    return rc != SIM_OK ? rc : schedule_uasc(m, ctx, a, t, err);
}

static int on_child(care_model *m, sim_ctx *ctx, uint32_t id, double t, sim_err *err)
{
    care_child *k = &m->kids[id];
    if (t != k->next_at || k->state == CARE_FREE)
        return SIM_OK;   /* superseded by a redraw (care_mprog.c) */
    int tr = k->next, rc = SIM_OK;
    if (tr == REDRAW) {   /* a programme's effect steps: the same state, new hazards from now */
        care_model_child_stream(ctx, k);
        rc = schedule(m, ctx, k, id, t, err);
        care_model_child_save(k, ctx);
        return rc;
    }
    const care_transition_info *ti = &care_transitions[tr];
    care_model_count(m, t, k, tr);
    if (hooks[ti->from].leave)
        hooks[ti->from].leave(m, k, t, tr);
    if (ti->to == CARE_ST_OUT) {
        if (m->pr) rc = care_mprog_leave(m, ctx, k, t, err);
        free_child(m, id);
        return rc;
    }
    care_model_child_stream(ctx, k);   /* only a child who stays draws: a leaving child needs no Philox block */
    enter(m, ctx, k, t, tr, 0);
    if (m->pr) rc = care_mprog_enter(m, ctx, k, id, t, ti->from != ti->to, err);
    if (rc == SIM_OK) rc = schedule(m, ctx, k, id, t, err);
    care_model_child_save(k, ctx);
    return rc;
}

static void on_observe(care_model *m, size_t i, double t)
{
    for (uint32_t id = 0; id < m->n_kids; id++) {
        const care_child *k = &m->kids[id];
        if (k->state == CARE_FREE) continue;
        if (m->lazy[k->state] && k->close_at < t) {
            free_child(m, id);
            continue;
        }
        size_t b = (size_t)care_age_band_at(t - k->birth);
        m->stock[care_var_at(CARE_VAR_STOCK, m->A, i, k->area, k->state, b)]++;
        if (k->state == CARE_ST_LAC)
            m->placements[care_var_at(CARE_VAR_PLACEMENTS, m->A, i, k->area, k->placement, b)]++;
        if (k->uasc)
            ((int32_t *)m->buf[CARE_VAR_UASC_STOCK])[care_var_at(CARE_VAR_UASC_STOCK, m->A, i, k->area, b, 0)]++;
    }
    care_mprog_observe(m, i);
}

static int handle(void *state, const sim_event *ev, sim_ctx *ctx, sim_err *err)
{
    care_model *m = state;
    switch (ev->kind) {
    case EV_ARRIVAL: return on_arrival(m, ctx, ev->id, ev->time, err);
    case EV_REFERRAL: return on_referral(m, ctx, ev->id, ev->time, err);
    case EV_UASC: return on_uasc(m, ctx, ev->id, ev->time, err);
    case EV_CHILD: return on_child(m, ctx, ev->id, ev->time, err);
    case EV_PROG: return care_mprog_event(m, ctx, ev->id, ev->time, err);
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
    int ok = 1;
    for (int v = 0; v < CARE_NVAR; v++)
        ok &= (m->buf[v] = calloc(care_var_elems_run(v, c) + 1, sim_type_size(care_vars[v].type))) != NULL;
    m->stock = m->buf[CARE_VAR_STOCK];
    m->placements = m->buf[CARE_VAR_PLACEMENTS];
    m->flow = m->buf[CARE_VAR_FLOW];
    m->days = m->buf[CARE_VAR_DAYS];
    m->cost = m->buf[CARE_VAR_COST];
    m->days_state = m->buf[CARE_VAR_DAYS_STATE];
    m->served = m->buf[CARE_VAR_SERVED];
    m->referred = m->buf[CARE_VAR_REFERRED];
    m->waiting = m->buf[CARE_VAR_WAITING];
    m->areas = calloc(m->A, sizeof *m->areas);
    if (!ok || !m->areas)
        return sim_err_set(err, SIM_ENOMEM, "care model: out of memory for %zu areas x %zu times", m->A, m->T);
    for (int tr = 0; tr < CARE_NTR; tr++)
        if (care_transitions[tr].flags & CARE_TF_LAZY)
            m->lazy[care_transitions[tr].from] = 1;
    care_calib_no_draw(&m->draw);
    if (c->n_draws) {    /* this replicate's parameters and projection rule: one draw, the same in every scenario */
        sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, (uint64_t)STREAM_PARAMS << 56, 0, 0);
        care_calib_pick(c, (size_t)gsl_rng_uniform_int(ctx->rng, (unsigned long)c->n_draws), &m->draw);
        m->trend_rule = m->draw.rule;
    }
    const double *de = m->draw.entry, *dx = m->draw.has_haz ? &m->draw.haz[0][0] : NULL;
    for (int s = 0; s < CARE_NSTATE; s++) m->cal[s] = care_pathtrend_steps(c, m->trend_rule, s);
    for (size_t a = 0; a < m->A; a++) {
        area_state *as = &m->areas[a];
        const care_area *ar = &c->areas[a];
        for (int p = 0; p < NPROC; p++) {   /* referrals follow the area's entry multiplier too */
            const double *rate = p == PROC_ENTRY ? c->entry_rate : c->referral_rate;
            double acc = 0;
            for (int b = 0; b < CARE_NAGE; b++)
                as->proc[p].cum[b] = (acc += ar->pop[b] * rate[b] * (p == PROC_ENTRY && de ? de[b] : 1.0));
            as->proc[p].base_rate = acc * ar->entry_mult;
        }
        for (int s = 0; s < CARE_NSTATE; s++)
            for (int k = 0; k < c->haz[s].n_k; k++)
                as->mult[s][k] = care_hazard_mult(c, (int)a, s, k) * care_draw_mult(dx, s, k);
    }
    int rc = care_medit_create(m, de, err);
    for (size_t i = 0; i < m->T && rc == SIM_OK; i++)
        rc = sim_schedule(ctx, c->obs[i], EV_OBS, (uint32_t)i, err);
    if (rc == SIM_OK) rc = care_mplace_create(m, err);
    if (rc == SIM_OK) rc = initial_stock(m, ctx, err);
    if (rc == SIM_OK) rc = care_mprog_create(m, ctx, err);   /* before arrivals: entry effects */
    for (size_t a = 0; a < m->A && rc == SIM_OK; a++)
        for (int p = 0; p < NPROC && rc == SIM_OK; p++)
            rc = schedule_arrival(m, ctx, p, (uint32_t)a, -c->burn_in, err);
    for (size_t a = 0; a < m->A && rc == SIM_OK && c->uasc; a++)
        rc = schedule_uasc(m, ctx, (uint32_t)a, -c->burn_in, err);
    return rc;
}

/* Children of the initial-stock table, placed at day 0 with age and time in their state drawn
 * uniformly within their bands, or within the intervals of the stock's age tables
 * (care_calib_stock_age), never longer than the child's life, nor, at home, than the
 * follow-up window. */
static int initial_stock(care_model *m, sim_ctx *ctx, sim_err *err)
{
    const care_config *c = m->cfg;
    uint32_t serial = INITIAL_SERIAL;
    for (size_t r = 0; r < c->n_stock; r++) {
        const care_stock_row *row = &c->stock[r];
        const care_hazard_table *h = &c->haz[row->state];
        double lo = care_age_lo_years[row->age] * CARE_YEAR_DAYS, hi = care_age_lo_years[row->age + 1] * CARE_YEAR_DAYS;
        double tb0 = h->tb_from[row->tb], tb1 = h->tb_from[row->tb + 1];
        tb1 = fmin(tb1, c->window[row->state]);
        const care_age_cuts *cuts = care_calib_stock_cuts(c, row->state, row->tb);
        for (uint32_t n = 0; n < row->count; n++) {
            uint32_t id;
            care_child *k = new_child(m, &id, 0.0, err);
            if (!k) return SIM_ENOMEM;
            k->area = (uint16_t)row->area;
            k->serial = serial++;
            care_model_child_stream(ctx, k);
            double age, tic;
            k->uasc = (uint8_t)row->uasc;
            if (row->uasc) {   /* at least 14 at entry (care_uasc.h) */
                double u1 = gsl_rng_uniform(ctx->rng);
                care_uasc_initial(c->uasc, m->trend_rule, row->age, tb0, tb1, u1, gsl_rng_uniform(ctx->rng), &age, &tic);
            } else if (cuts->n[row->age]) {   /* an interval of age (and time in care), then within it */
                double u1 = gsl_rng_uniform(ctx->rng), t0, t1;
                care_calib_stock_age(cuts, row->age, tb0, tb1, u1, gsl_rng_uniform(ctx->rng), &age, &t0, &t1);
                tic = gsl_ran_flat(ctx->rng, t0, t1);
            } else {
                age = gsl_ran_flat(ctx->rng, fmax(lo, tb0), hi);
                tic = gsl_ran_flat(ctx->rng, tb0, fmin(tb1, age));
            }
            k->birth = -age;
            k->sex = gsl_rng_uniform(ctx->rng) < (row->uasc ? care_uasc_male(c->uasc, m->trend_rule, 0.0) : c->male_share[row->age]);
            enter(m, ctx, k, -tic, CARE_TR_NONE, row->state);
            if (k->state == CARE_ST_LAC)
                k->pl_since = 0.0;   /* cost and days are counted from the start date */
            int rc = schedule(m, ctx, k, id, 0.0, err);
            care_model_child_save(k, ctx);
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
    for (uint32_t id = 0; id < m->n_kids; id++) {   /* the time of children still in a state */
        care_child *k = &m->kids[id];
        if (k->state != CARE_FREE && hooks[k->state].leave && !(m->lazy[k->state] && isfinite(k->close_at)))
            hooks[k->state].leave(m, k, ctx->horizon, CARE_TR_NONE);   /* a closing already drawn was counted */
    }
    care_mprog_finish(m, ctx->horizon);
    for (int v = 0; v < CARE_NVAR; v++)
        memcpy(bufs[v], m->buf[v], care_var_elems_run(v, m->cfg) * sim_type_size(care_vars[v].type));
    return SIM_OK;
}

static void destroy(void *state)
{
    care_model *m = state;
    if (!m) return;
    care_episodes_free(&m->log);
    care_progrun_destroy(m->pr);
    care_mplace_destroy(m);
    free(m->ep_entry);
    free(m->entry_max);
    free(m->kids);
    free(m->free_ids);
    free(m->areas);
    for (int v = 0; v < CARE_NVAR; v++)
        free(m->buf[v]);
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
