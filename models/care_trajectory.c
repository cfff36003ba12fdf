/* models/care_trajectory.c - see care_trajectory.h. The child's draws, and the floating-point
 * operations that turn them into times, are those of care_model.c and care_hazard.c step for
 * step (same order, same expressions), so both engines give the same paths bit for bit. */
#include "care_trajectory.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/rng.h"
#include "care_calib.h"
#include "care_hazard.h"
#include "care_keyedlog.h"
#include "care_progcase.h"
#include "care_pathtrend.h"
#include "care_tally.h"
#include "care_trend_case.h"
#include "care_uasc.h"

/* Stream names: as in care_model.c, so that both engines draw the same numbers. */
enum { STREAM_ARRIVAL = 1, STREAM_CHILD = 2, STREAM_INITIAL = 3, STREAM_PARAMS = 7,
       STREAM_REFERRAL = 8, STREAM_REFERRED = 9, STREAM_UASC = 10, STREAM_UASC_CHILD = 11 };
#define INITIAL_SERIAL 0x80000000u
#define REFERRED_SERIAL 0x40000000u
#define UASC_SERIAL 0x20000000u

/* A hazard table with each piece's terms (rate x multiplier), running sums and total, summed in
 * the order care_hazard.c sums them, so the draws invert to the same times. */
typedef struct piece_table {
    const care_hazard_table *h;
    double total[CARE_NAGE][CARE_MAXTB];
    double term[CARE_NAGE][CARE_MAXTB][CARE_MAXK];
    double cum[CARE_NAGE][CARE_MAXTB][CARE_MAXK];
} piece_table;

typedef struct traj_child {
    double birth, since, pl_since;
    double at;            /* time of the transition that began the current spell */
    double seen_from;     /* observations after this time see the spell (-inf: present at the start) */
    uint32_t serial, ep;
    uint16_t area;
    uint8_t state, placement, next, episodes, sex;
    uint8_t gone;         /* 1: a referral needing no further action (counted), 2: an entry prevented */
    uint8_t uasc;         /* an unaccompanied asylum-seeking child (care_uasc.h) */
} traj_child;

typedef struct traj_model {
    const care_config *cfg;
    care_tally tally;
    double (*cum_entry)[CARE_NAGE];   /* [A] cumulative age-band weights of entries */
    double *base_rate;                /* [A] entries per day before the trend */
    double (*cum_ref)[CARE_NAGE];     /* [A] cumulative age-band weights of referrals */
    double *ref_rate;                 /* [A] referrals per day (before tables.pathway_trend) */
    int pathway;                      /* referrals: streams A..2A-1 are the areas' referrals */
    uint32_t uasc_from;               /* with tables.uasc, streams from here are the areas' UASC */
    int ref_band, ref_nfa;            /* the pending referral's draws (made with its time) */
    uint32_t next_referred;           /* serials of the current area's referred children */
    const double *draw_haz;          /* this replicate's drawn hazard multipliers (care_draw_mult; NULL: none) */
    care_repdraw draw;                /* this replicate's parameter draw (care_calib_pick) */
    int rule;                         /* the replicate's projection rule (block of rate_trend and the rest) */
    uint32_t *stock_from;             /* [rows+1] first initial index of each stock row */
    care_trend_case *tc;              /* rates that change on dates (NULL: none, the fast path) */
    uint8_t trend_owns[CARE_NSTATE];  /* care_trend_case_owns(tc, s), asked once per task */
    care_share_sums entry_sums[CARE_NAGE];   /* of cfg->placement_share */
    care_progcase *pc;                /* programmes (NULL: none) */
    int area_cached;                  /* area whose multipliers `haz` holds */
    piece_table haz[CARE_NSTATE];     /* each state's hazards in that area */
    care_keyedlog log;                /* rows put back in the event list's order at the end */
} traj_model;

static void fill_pieces(piece_table *p, const care_hazard_table *h, const double *mult)
{
    p->h = h;
    for (int b = 0; b < CARE_NAGE; b++)
        for (int i = 0; i < h->n_tb; i++) {
            double s = 0.0;
            for (int k = 0; k < h->n_k; k++) {
                p->term[b][i][k] = h->rate[b][i][k] * mult[k];
                s += p->term[b][i][k];
                p->cum[b][i][k] = s;
            }
            p->total[b][i] = s;
        }
}

/* Children are drawn area by area, so each area's multipliers are applied once. */
static void use_area(traj_model *m, int a)
{
    if (m->area_cached == a)
        return;
    for (int s = 0; s < CARE_NSTATE; s++) {
        double mult[CARE_MAXK];
        for (int k = 0; k < m->cfg->haz[s].n_k; k++)
            mult[k] = care_hazard_mult(m->cfg, a, s, k) * care_draw_mult(m->draw_haz, s, k);
        fill_pieces(&m->haz[s], &m->cfg->haz[s], mult);
    }
    m->area_cached = a;
}

/* fmin for numbers (no NaN here), inlined. */
static inline double min2(double a, double b) { return b < a ? b : a; }

static int time_band(const care_hazard_table *h, double d)
{
    int i = 0;
    while (i + 1 < h->n_tb && d >= h->tb_from[i + 1])
        i++;
    return i;
}

/* care_hazard_draw on precomputed pieces: the same exponential, inversion and uniform. */
static double draw(const traj_model *m, const piece_table *p, double now, double birth, double since, double limit,
                   sim_stream *g, int *kind)
{
    const care_hazard_table *h = p->h;
    double e = -log(sim_stream_uniform_pos(g)), t = now;   /* care_unit_exponential */
    int b = care_tally_band(&m->tally, now - birth), i = time_band(h, now - since);
    for (;;) {
        if (!(t < limit))
            return INFINITY;
        double age_end = birth + m->tally.band_len[b];   /* INFINITY in the last band */
        double tb_end = since + h->tb_from[i + 1];
        double end = min2(min2(age_end, tb_end), limit);
        double rate = p->total[b][i];
        if (rate > 0.0 && rate * (end - t) >= e) {
            t += e / rate;
            break;
        }
        e -= rate * (end - t);
        t = end;
        if (end == age_end) b++;
        if (end == tb_end) i++;
    }
    double u = sim_stream_uniform(g) * p->total[b][i];
    int k = 0;
    for (; k < h->n_k - 1; k++)
        if (u < p->cum[b][i][k])
            break;
    while (p->term[b][i][k] == 0.0 && k > 0)
        k--;
    *kind = k;
    return t;
}

/* The episode log: a row per spell, opened on entry and closed on leaving. */
static void log_open(traj_model *m, traj_child *k, double start, double opened, int tr)
{
    if (!m->cfg->episodes) return;
    int reason = tr == CARE_TR_NONE ? CARE_START_INITIAL : care_transition_start_code(tr);
    care_episode ep = {.child = (int64_t)k->area << 32 | k->serial, .birth = k->birth, .start = start,
                       .area = k->area, .placement = k->state == CARE_ST_LAC ? k->placement : -1,
                       .state = k->state, .reason_started = reason, .period = k->episodes, .male = k->sex};
    k->ep = care_keyedlog_open(&m->log, &ep, opened);
}

static void log_close(traj_model *m, const traj_child *k, double t, int tr)
{
    if (m->cfg->episodes) care_keyedlog_close(&m->log, k->ep, t, tr);
}

/* What a state does on entry and exit beyond what every state shares, as care_model.c's state
 * hooks do (tr: the transition, CARE_TR_NONE for a child of the initial stock or the horizon). */
/* A placement on entering care or moving within it, from the shares in force. */
static int pick_placement(const traj_model *m, const traj_child *k, int b, double t, int tr, int moved, sim_stream *g)
{
    if (k->uasc)   /* tables.uasc's own shares */
        return care_share_pick(care_uasc_shares(m->cfg->uasc, m->rule, t), moved ? k->placement : -1, g);
    int initial = tr == CARE_TR_NONE && m->cfg->has_initial_share;
    if (!m->tc && !moved && !initial)   /* the entry shares, summed once per task */
        return care_share_pick_summed(m->cfg->placement_share[b], &m->entry_sums[b], g);
    const double *sh = m->tc ? care_trend_case_shares(m->tc, b, t, moved)
                             : moved ? m->cfg->move_share[b] : m->cfg->placement_share[b];
    if (initial)   /* initial stock: its own mix, by age today */
        sh = m->cfg->initial_share[care_tally_band(&m->tally, 0.0 - k->birth)];
    return care_share_pick(sh, moved ? k->placement : -1, g);
}

static void enter_lac(traj_model *m, traj_child *k, double t, int tr, sim_stream *g)
{
    int b = care_tally_band(&m->tally, t - k->birth), moved = tr != CARE_TR_NONE && care_transitions[tr].from == CARE_ST_LAC;
    if (!moved)
        k->episodes++;
    k->pl_since = t;
    k->placement = (uint8_t)pick_placement(m, k, b, t, tr, moved, g);
    log_open(m, k, t, tr == CARE_TR_NONE ? -INFINITY : t, tr);
}

static void leave_lac(traj_model *m, traj_child *k, double t, int tr)
{
    care_tally_days(&m->tally, k->pl_since, t, k->area, k->birth, CARE_ST_LAC, k->placement);
    if (tr != CARE_TR_NONE)
        log_close(m, k, t, tr);
}

static void enter_home(traj_model *m, traj_child *k, double t, int tr, sim_stream *g)
{
    (void)m, (void)t, (void)g;
    if (tr == CARE_TR_NONE)
        k->episodes = 1;   /* at home at the start: after one period of care */
}

static void leave_plain(traj_model *m, traj_child *k, double t, int tr)
{
    (void)tr;
    care_tally_days(&m->tally, k->since, t, k->area, k->birth, k->state, 0);
}

/* States before care keep a row of the episode log per spell (a CIN episode, a plan). */
static void enter_logged(traj_model *m, traj_child *k, double t, int tr, sim_stream *g)
{
    (void)g;
    log_open(m, k, t, tr == CARE_TR_NONE ? -INFINITY : t, tr);
}

static void leave_logged(traj_model *m, traj_child *k, double t, int tr)
{
    care_tally_days(&m->tally, k->since, t, k->area, k->birth, k->state, 0);
    if (tr != CARE_TR_NONE)
        log_close(m, k, t, tr);
}

typedef struct state_hooks {
    void (*enter)(traj_model *m, traj_child *k, double t, int tr, sim_stream *g);
    void (*leave)(traj_model *m, traj_child *k, double t, int tr);
} state_hooks;
static const state_hooks hooks[CARE_NSTATE] = {
    [CARE_ST_LAC] = {enter_lac, leave_lac},
    [CARE_ST_HOME] = {enter_home, leave_plain},
    [CARE_ST_CIN] = {enter_logged, leave_logged},
    [CARE_ST_CPP] = {enter_logged, leave_logged},
    [CARE_ST_CLOSED] = {NULL, leave_plain},
};

/* Puts k in the destination of tr (CARE_TR_NONE: in `state`, from the initial stock). */
static void enter(traj_model *m, traj_child *k, double t, int tr, int state, sim_stream *g)
{
    int to = tr == CARE_TR_NONE ? state : care_transitions[tr].to;
    if (tr == CARE_TR_NONE || care_transitions[tr].from != to) {
        k->state = (uint8_t)to;
        k->since = t;
    }
    if (hooks[to].enter)
        hooks[to].enter(m, k, t, tr, g);
}

/* A UASC child (care_model.c's on_uasc). */
static void begin_uasc(traj_model *m, traj_child *k, uint32_t a, size_t index, double t, sim_ctx *ctx)
{
    memset(k, 0, sizeof *k);
    k->area = (uint16_t)a, k->serial = UASC_SERIAL | (uint32_t)index, k->uasc = 1;
    sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, (uint64_t)STREAM_UASC_CHILD << 56 | a, k->serial, 0);
    sim_stream *g = sim_rng_stream(ctx->rng);
    double u1 = sim_stream_uniform(g);
    k->birth = t - care_uasc_entry_age(m->cfg->uasc, m->rule, t, u1, sim_stream_uniform(g));
    k->sex = sim_stream_uniform(g) < care_uasc_male(m->cfg->uasc, m->rule, t);
    enter(m, k, t, CARE_TR_ENTRY, 0, g);
    care_tally_flow(&m->tally, t, a, k->birth, CARE_TR_ENTRY);
    care_tally_flow_in(&m->tally, CARE_VAR_UASC_FLOW, t, a, k->birth, CARE_TR_ENTRY);
    k->at = k->seen_from = t;
}

/* Streams 0..A-1: each area's entries; A..2A-1 (with the pathway): each area's referrals. As on
 * the event list, a referral's age band and "no further action" are drawn from the area's
 * referral stream right after its time (they are kept for begin), before the next time. */
static double next_arrival(void *state, uint32_t s, int first, double now, gsl_rng *g, sim_ctx *ctx)
{
    traj_model *m = state;
    uint32_t A = (uint32_t)m->cfg->n_areas, a = s % A;
    if (s >= m->uasc_from) {   /* the area's UASC (care_model.c's schedule_uasc) */
        if (first) sim_rng_key(g, ctx->seed, ctx->replicate, (uint64_t)STREAM_UASC << 56 | a, 0, 0);
        double e = -log(sim_stream_uniform_pos(sim_rng_stream(g)));   /* care_unit_exponential */
        return care_uasc_arrival(m->cfg->uasc, m->rule, (int)a, first ? -m->cfg->burn_in : now, ctx->horizon,
                                 e / m->draw.uasc);
    }
    int referral = s >= A;
    double base = referral ? m->ref_rate[a] : m->base_rate[a];
    if (base <= 0) return INFINITY;
    if (first) {
        sim_rng_key(g, ctx->seed, ctx->replicate, (uint64_t)(referral ? STREAM_REFERRAL : STREAM_ARRIVAL) << 56 | a, 0, 0);
        now = -m->cfg->burn_in;
        m->next_referred = 0;
    }
    sim_stream *rs = sim_rng_stream(g);
    double e = -log(sim_stream_uniform_pos(rs)), t = now;   /* care_unit_exponential */
    double scale = referral ? 1.0 : care_progcase_entry_scale(m->pc, (int)a);   /* entry effects: thinned in begin */
    if (!referral && m->tc)
        return care_trend_case_entry(m->tc, (int)a, now, ctx->horizon, e, scale);
    while (t <= ctx->horizon) {   /* invert the cumulative rate across trend steps (referrals: none) */
        double until = INFINITY, rate = base * (referral || !m->cfg->n_trend ? 1.0 : care_trend_at(m->cfg, t, &until));
        if (referral) rate *= care_pathtrend_referral(m->cfg->pathway_trend, m->rule, t, &until);   /* 1: none */
        if (referral) rate *= m->draw.referral;   /* tables.pathway_draws (1: none) */
        rate *= scale;
        if (referral && rate > 0 && rate * (until - t) >= e) {
            const double *cum = m->cum_ref[a];
            double u = sim_stream_uniform(rs) * cum[CARE_NAGE - 1];
            int b = 0;
            while (b + 1 < CARE_NAGE && u >= cum[b]) b++;   /* zero-weight bands are never chosen */
            m->ref_band = b;
            double nfa = m->tc ? care_trend_case_nfa(m->tc, b, t + e / rate) : m->cfg->nfa_share[b];
            nfa = care_pathtrend_nfa(m->cfg->pathway_trend, m->rule, t + e / rate, nfa, m->draw.nfa_odds);
            m->ref_nfa = sim_stream_uniform(rs) < nfa;
        }
        if (rate > 0 && rate * (until - t) >= e)
            return t + e / rate;
        e -= rate * (until - t);
        t = until;
    }
    return INFINITY;
}

static void begin_arrival(traj_model *m, traj_child *k, uint32_t a, size_t index, double t, sim_ctx *ctx)
{
    *k = (traj_child){.area = (uint16_t)a, .serial = (uint32_t)index};
    sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, (uint64_t)STREAM_CHILD << 56 | a, k->serial, 0);
    sim_stream *g = sim_rng_stream(ctx->rng);
    const double *cum = m->cum_entry[a];
    int b = 0;
    if (m->tc) {
        b = care_trend_case_band(m->tc, (int)a, t, sim_stream_uniform(g));
    } else {
        double u = sim_stream_uniform(g) * cum[CARE_NAGE - 1];
        while (b + 1 < CARE_NAGE && u >= cum[b]) b++;
    }
    if (m->cfg->entry_ages.n[b]) {   /* the interval first: no extra draw without the table */
        double u1 = sim_stream_uniform(g);
        k->birth = t - care_calib_age(&m->cfg->entry_ages, b, 0.0, u1, sim_stream_uniform(g));
    } else {
        double lo = care_age_lo_years[b] * CARE_YEAR_DAYS, hi = care_age_lo_years[b + 1] * CARE_YEAR_DAYS;
        k->birth = t - sim_stream_flat(g, lo, hi);
    }
    k->sex = sim_stream_uniform(g) < m->cfg->male_share[b];
    if (m->pc && !care_progcase_keep(m->pc, (int)a, (uint64_t)STREAM_CHILD << 56 | a, k->serial, k->birth, t, ctx)) {
        k->gone = 2;   /* an entry a programme prevented: nothing is counted */
        return;
    }
    enter(m, k, t, CARE_TR_ENTRY, 0, g);
    care_tally_flow(&m->tally, t, a, k->birth, CARE_TR_ENTRY);
    k->at = k->seen_from = t;
}

/* Initial child `index`: of the stock row r with stock_from[r] <= index < stock_from[r+1]. */
static void begin_initial(traj_model *m, traj_child *k, size_t index, sim_ctx *ctx)
{
    const care_config *c = m->cfg;
    size_t lo = 0, hi = c->n_stock;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (m->stock_from[mid] <= index) lo = mid; else hi = mid;
    }
    const care_stock_row *row = &c->stock[lo];
    const care_hazard_table *h = &c->haz[row->state];
    double alo = care_age_lo_years[row->age] * CARE_YEAR_DAYS, ahi = care_age_lo_years[row->age + 1] * CARE_YEAR_DAYS;
    double tb0 = h->tb_from[row->tb], tb1 = fmin(h->tb_from[row->tb + 1], c->window[row->state]);
    memset(k, 0, sizeof *k);
    k->area = (uint16_t)row->area, k->uasc = (uint8_t)row->uasc;
    k->serial = INITIAL_SERIAL + (uint32_t)index;
    sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, (uint64_t)STREAM_INITIAL << 56 | k->area, k->serial, 0);
    sim_stream *g = sim_rng_stream(ctx->rng);
    const care_age_cuts *cuts = care_calib_stock_cuts(c, row->state, row->tb);
    double age, tic, t0 = tb0, t1, u1 = sim_stream_uniform(g);   /* the draws in care_model.c's order */
    if (row->uasc)   /* at least 14 at entry (care_uasc.h) */
        care_uasc_initial(c->uasc, m->rule, row->age, tb0, tb1, u1, sim_stream_uniform(g), &age, &tic);
    else if (cuts->n[row->age])   /* an interval of age (and time in care), then within it */
        care_calib_stock_age(cuts, row->age, tb0, tb1, u1, sim_stream_uniform(g), &age, &t0, &t1);
    else   /* sim_stream_flat's formula */
        age = fmax(alo, tb0) * (1 - u1) + ahi * u1, t1 = fmin(tb1, age);
    if (!row->uasc) tic = sim_stream_flat(g, t0, t1);
    k->birth = -age;
    k->sex = sim_stream_uniform(g) < (row->uasc ? care_uasc_male(c->uasc, m->rule, 0.0) : c->male_share[row->age]);
    enter(m, k, -tic, CARE_TR_NONE, row->state, g);
    if (k->state == CARE_ST_LAC)
        k->pl_since = 0.0;   /* cost and days are counted from the start date */
    k->at = 0.0;
    k->seen_from = -INFINITY;
}

/* A referral (care_model.c's on_referral and arrive): needing no further action, it is a flow of
 * its own and no child; otherwise a child of the drawn age band starts in need, on its own stream. */
static void begin_referral(traj_model *m, traj_child *k, uint32_t a, double t, sim_ctx *ctx)
{
    int b = m->ref_band;
    memset(k, 0, sizeof *k);
    k->area = (uint16_t)a;
    if (m->ref_nfa) {
        care_tally_flow(&m->tally, t, a, t - care_age_lo_years[b] * CARE_YEAR_DAYS, CARE_TR_REFERRAL_NFA);
        k->gone = 1;
        return;
    }
    k->serial = REFERRED_SERIAL | m->next_referred++;
    sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, (uint64_t)STREAM_REFERRED << 56 | a, k->serial, 0);
    sim_stream *g = sim_rng_stream(ctx->rng);
    double lo = care_age_lo_years[b] * CARE_YEAR_DAYS, hi = care_age_lo_years[b + 1] * CARE_YEAR_DAYS;
    k->birth = t - sim_stream_flat(g, lo, hi);
    k->sex = sim_stream_uniform(g) < m->cfg->male_share[b];
    enter(m, k, t, CARE_TR_REFERRAL, 0, g);
    care_tally_flow(&m->tally, t, a, k->birth, CARE_TR_REFERRAL);
    k->at = k->seen_from = t;
}

static int begin(void *state, void *ent, uint32_t stream, size_t index, double t, sim_ctx *ctx, sim_err *err)
{
    (void)err;
    traj_model *m = state;
    traj_child *k = ent;
    uint32_t A = (uint32_t)m->cfg->n_areas;
    if (m->pc) care_progcase_begin(m->pc);
    if (stream == UINT32_MAX)
        begin_initial(m, k, index, ctx);
    else if (stream >= m->uasc_from)
        begin_uasc(m, k, stream % A, index, t, ctx);
    else if (stream >= A)
        begin_referral(m, k, stream - A, t, ctx);
    else
        begin_arrival(m, k, stream, index, t, ctx);
    if (m->pc && stream != UINT32_MAX && !k->gone && !k->uasc)   /* an arrival may be referred (not the initial stock, nor UASC) */
        care_progcase_enter(m->pc, k->area, k->state, k->birth, t);
    use_area(m, k->area);
    return SIM_OK;
}

/* The one scheduling routine, as care_model.c's: the next transition out of (or within) the
 * child's state, drawn from the state's hazards until its 18th birthday or the end of the
 * state's window, where the state's rule applies. */
static double next(void *state, void *ent, sim_ctx *ctx)
{
    traj_model *m = state;
    traj_child *k = ent;
    int s = k->state, kind, tr;
    int end_tr;
    if (k->gone)
        return INFINITY;
    double end = care_state_end(m->cfg, s, k->birth, k->since, &end_tr);
    double t;
    if (k->uasc) {   /* tables.uasc's own exit hazard (care_model.c's schedule_uasc_exit); no programme acts on it */
        t = care_uasc_exit(m->cfg->uasc, m->rule, k->at, min2(end, ctx->horizon), -log(sim_stream_uniform_pos(sim_rng_stream(ctx->rng))));
        k->next = (uint8_t)(isinf(t) ? end_tr : CARE_TR_OTHER);
        return isinf(t) ? (end > ctx->horizon ? INFINITY : end) : t;
    }
    int own = 1;
    if (m->pc && care_progcase_owns(m->pc, s, k->at))   /* a programme's effects or start */
        t = care_progcase_draw(m->pc, k->area, s, k->at, k->birth, k->since, end, ctx->rng, &kind);
    else if (m->trend_owns[s])   /* rates that change on dates */
        t = care_trend_case_draw(m->tc, k->area, s, k->at, k->birth, k->since, min2(end, ctx->horizon), ctx->rng, &kind);
    else {
        own = 0;
        t = draw(m, &m->haz[s], k->at, k->birth, k->since, min2(end, ctx->horizon), sim_rng_stream(ctx->rng), &kind);
    }
    if (isinf(t)) {
        if (end > ctx->horizon || end_tr == CARE_TR_NONE) return INFINITY;   /* in the state at the horizon */
        t = end;
        tr = end_tr;
    } else {
        tr = own ? kind : m->cfg->haz[s].tr[kind];
    }
    k->next = (uint8_t)tr;
    return t;
}

static void spell(void *state, const void *ent, double end)
{
    traj_model *m = state;
    traj_child *k = (traj_child *)ent;
    if (k->gone)
        return;
    care_tally_seen(&m->tally, k->seen_from, end, k->area, k->birth, k->state, k->placement);
    if (k->uasc) care_tally_seen_uasc(&m->tally, k->seen_from, end, k->area, k->birth);
    if (hooks[k->state].leave)
        hooks[k->state].leave(m, k, isinf(end) ? m->cfg->horizon : end, isinf(end) ? CARE_TR_NONE : k->next);
    if (m->pc && isinf(end))
        care_progcase_horizon(m->pc, k->area);
}

static int apply(void *state, void *ent, double t, sim_ctx *ctx)
{
    traj_model *m = state;
    traj_child *k = ent;
    int tr = k->next;
    care_tally_flow(&m->tally, t, k->area, k->birth, tr);
    if (k->uasc) care_tally_flow_in(&m->tally, CARE_VAR_UASC_FLOW, t, k->area, k->birth, tr);
    if (care_transitions[tr].to == CARE_ST_OUT) {
        if (m->pc) care_progcase_leave(m->pc, k->area, t);
        return 0;
    }
    k->at = k->seen_from = t;
    enter(m, k, t, tr, 0, sim_rng_stream(ctx->rng));
    if (m->pc && !k->uasc && care_transitions[tr].from != care_transitions[tr].to)
        care_progcase_enter(m->pc, k->area, k->state, k->birth, t);
    return 1;
}

/* One child from its first spell to the horizon or its leaving (sim_case_ops.path). begin, next,
 * spell and apply are called from here only, so the compiler joins them into this routine. */
static int path(void *state, void *ent, uint32_t stream, size_t index, double t, sim_ctx *ctx, sim_err *err)
{
    int rc = begin(state, ent, stream, index, t, ctx, err);
    while (rc == SIM_OK) {
        double at = next(state, ent, ctx);
        spell(state, ent, at);
        if (isinf(at))
            return SIM_OK;
        ctx->events++;
        if (!apply(state, ent, at, ctx))
            return SIM_OK;
    }
    return rc;
}

/* ---- the task ---- */
static void destroy(void *state);

static int create(void **out, const void *cfgv, sim_ctx *ctx, sim_err *err)
{
    const care_config *c = cfgv;
    traj_model *m = calloc(1, sizeof *m);
    *out = m;
    if (!m) return sim_err_set(err, SIM_ENOMEM, "care model: out of memory");
    m->cfg = c;
    m->area_cached = -1;
    size_t A = (size_t)c->n_areas;
    m->cum_entry = calloc(A, sizeof *m->cum_entry);
    m->base_rate = calloc(A, sizeof *m->base_rate);
    m->stock_from = calloc(c->n_stock + 1, sizeof *m->stock_from);
    m->cum_ref = calloc(A, sizeof *m->cum_ref);
    m->ref_rate = calloc(A, sizeof *m->ref_rate);
    if (care_tally_init(&m->tally, c) != 0 || !m->cum_entry || !m->base_rate || !m->stock_from || !m->cum_ref ||
        !m->ref_rate)
        return sim_err_set(err, SIM_ENOMEM, "care model: out of memory for %d areas x %d times", c->n_areas, c->n_obs);
    care_calib_no_draw(&m->draw);
    if (c->n_draws) {    /* this replicate's parameters and rule: as care_model.c draws them */
        sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, (uint64_t)STREAM_PARAMS << 56, 0, 0);
        care_calib_pick(c, (size_t)gsl_rng_uniform_int(ctx->rng, (unsigned long)c->n_draws), &m->draw);
        m->draw_haz = &m->draw.haz[0][0];
    }
    m->rule = m->draw.rule;   /* rule 0 without draws */
    const double *de = m->draw.entry;
    for (size_t a = 0; a < A; a++) {
        double acc = 0;
        for (int b = 0; b < CARE_NAGE; b++)
            m->cum_entry[a][b] = (acc += c->areas[a].pop[b] * c->entry_rate[b] * (de ? de[b] : 1.0));
        m->base_rate[a] = acc * c->areas[a].entry_mult;
        acc = 0;   /* referrals follow the area's entry multiplier too */
        for (int b = 0; b < CARE_NAGE; b++)
            m->cum_ref[a][b] = (acc += c->areas[a].pop[b] * c->referral_rate[b] * 1.0);
        m->ref_rate[a] = acc * c->areas[a].entry_mult;
    }
    int rc = care_trend_case_create(&m->tc, c, de, m->draw_haz, m->rule, err);
    if (rc == SIM_OK) rc = care_progcase_create(&m->pc, c, &m->tally, m->draw_haz, m->rule, ctx, err);
    if (rc != SIM_OK)
        return rc;
    for (int b = 0; b < CARE_NAGE; b++)
        care_share_sum(c->placement_share[b], &m->entry_sums[b]);
    for (int s = 0; s < CARE_NSTATE; s++)
        m->trend_owns[s] = (uint8_t)care_trend_case_owns(m->tc, s);
    for (size_t r = 0; r < c->n_stock; r++)
        m->stock_from[r + 1] = m->stock_from[r] + c->stock[r].count;
    for (int b = 0; b < CARE_NAGE; b++)
        m->pathway |= c->referral_rate[b] > 0;
    m->uasc_from = c->uasc ? (uint32_t)A * (m->pathway ? 2u : 1u) : UINT32_MAX;
    return SIM_OK;
}

static uint32_t streams(const void *state)
{
    const traj_model *m = state;
    return (uint32_t)m->cfg->n_areas * ((m->pathway ? 2u : 1u) + (m->cfg->uasc ? 1u : 0u));
}
static size_t initial(const void *state)
{
    const traj_model *m = state;
    return m->stock_from[m->cfg->n_stock];
}

static int finish(void *state, sim_ctx *ctx, void *const *bufs, sim_table *table, sim_err *err)
{
    (void)ctx;
    traj_model *m = state;
    if (m->log.failed || (m->cfg->episodes && care_keyedlog_table(&m->log, table) != 0))
        return sim_err_set(err, SIM_ENOMEM, "episode log: out of memory after %zu episodes", m->log.log.n);
    care_tally_copy(&m->tally, bufs);
    return SIM_OK;
}

static void destroy(void *state)
{
    traj_model *m = state;
    if (!m) return;
    care_tally_free(&m->tally);
    care_keyedlog_free(&m->log);
    care_trend_case_free(m->tc);
    care_progcase_free(m->pc);
    free(m->cum_entry);
    free(m->base_rate);
    free(m->cum_ref);
    free(m->ref_rate);
    free(m->stock_from);
    free(m);
}

const sim_case_ops care_trajectory_ops = {sizeof(traj_child), create, streams, initial, next_arrival, path, finish,
                                          destroy};
