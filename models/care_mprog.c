/* models/care_mprog.c - programmes inside one task of the care model (docs/programmes.md):
 * referrals as children enter a programme's states, places and first-come waiting lists per
 * area, hazard multipliers for treated children (with redraws when they change), entry effects
 * by thinning, served and waiting counts, and programme costs.
 * A child is in at most one programme: k->prog = programme + 1 and k->pstat its standing:
 * waiting (in the list), served (holding a place; effects apply), or treated (the place given
 * back at the end of `duration` or of funding, or on leaving `states` for a `continues_in`
 * state; effects still apply while it stays in those states).
 * Events: EV_PROG with id = x << 8 | programme << 3 | what (x: an area, a capacity step or a
 * child). A child referred at a start whose case closing is already drawn (a LAZY transition,
 * which has no event of its own: care_model.c) gets a W_CLOSE event at that closing, where it
 * leaves the programme as it would at any exit. A redraw schedules the child's new event; the one it replaces no longer matches the
 * child's next_at and is ignored (care_model.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/rng.h"
#include "care_model_impl.h"
#include "care_progbook.h"
#include "care_progrun.h"

enum { PS_NONE, PS_WAITING, PS_SERVED, PS_TREATED };
enum { W_START, W_END, W_CAP, W_SERVE, W_RELEASE, W_CLOSE };

static uint32_t prog_id(uint32_t x, int i, int what) { return x << 8 | (uint32_t)i << 3 | (uint32_t)what; }

/* ---- counting and money: care_progbook.h, shared with the case-based sampler ---- */
static care_progbook book(const care_model *m)
{
    return (care_progbook){m->cfg, m->A, m->T, m->cost, m->served, m->referred};
}

/* Hazards change now (treatment starts or stops): a new event is drawn from now, superseding the
 * pending one; a closing already counted ahead is taken back first. */
static int redraw(care_model *m, sim_ctx *ctx, care_child *k, uint32_t id, double t, sim_err *err)
{
    care_model_uncount_lazy(m, k, t);
    care_model_child_stream(ctx, k);
    int rc = care_model_schedule(m, ctx, k, id, t, err);
    care_model_child_save(k, ctx);
    return rc;
}

static int acts(const care_model *m, int i, int state) { return (int)(m->pr->acts[i] >> state & 1u); }

/* Child id takes a place of programme i at t; draw: its hazards change now (not about to be
 * drawn by the caller). */
static int serve(care_model *m, sim_ctx *ctx, uint32_t id, int i, double t, int draw, sim_err *err)
{
    care_child *k = &m->kids[id];
    const care_programme *p = &m->cfg->progs[i];
    int was_treated = k->pstat == PS_TREATED && k->prog == i + 1;
    k->prog = (uint8_t)(i + 1);
    k->pstat = PS_SERVED;
    k->served_at = (float)t;
    care_progbook b = book(m);
    care_progbook_served(&b, i, k->area, t);
    int rc = SIM_OK;
    if (isfinite(p->duration) && id >= 1u << 20)
        return sim_err_set(err, SIM_EINVAL, "programme %s: more than 2^20 children alive in one task: duration "
                           "cannot be tracked", p->name);
    if (isfinite(p->duration) && t + p->duration < fmin(p->time.end, ctx->horizon))
        rc = sim_schedule(ctx, t + p->duration, EV_PROG, prog_id(id, i, W_RELEASE), err);
    if (rc == SIM_OK && draw && !was_treated && acts(m, i, k->state))
        rc = redraw(m, ctx, k, id, t, err);
    return rc;
}

/* A served child gives its place back at t and stays treated (or leaves, keep = 0). The place
 * goes to the first child waiting, in an event at the same time (after the current handler:
 * it draws from another child's stream). */
static int unserve(care_model *m, sim_ctx *ctx, care_child *k, int i, double t, int keep, sim_err *err)
{
    care_progbook b = book(m);
    care_progbook_days(&b, i, k->area, (double)k->served_at, fmin(t, m->cfg->progs[i].time.end));
    care_progrun_release(m->pr, i, k->area);
    k->pstat = keep ? PS_TREATED : PS_NONE;
    if (!keep) k->prog = 0;
    return sim_schedule(ctx, t, EV_PROG, prog_id(k->area, i, W_SERVE), err);
}

/* Child id (k) is in a state it may be referred in, at t: the first programme that takes it. */
static int refer(care_model *m, sim_ctx *ctx, care_child *k, uint32_t id, double t, int draw, sim_err *err)
{
    for (int i = 0; i < m->cfg->n_progs; i++) {
        const care_programme *p = &m->cfg->progs[i];
        if (!care_progbook_referable(p, k->area, k->state, k->birth, t)) continue;
        uint32_t ticket = 0;
        care_progbook b = book(m);
        care_progbook_referred(&b, i, k->area, t);
        int got = care_progrun_refer(m->pr, i, k->area, id, t, &ticket, err);
        if (got < 0) return -got;
        if (got)
            return serve(m, ctx, id, i, t, draw, err);
        k->prog = (uint8_t)(i + 1);
        k->pstat = PS_WAITING;
        k->ticket = ticket;
        return SIM_OK;
    }
    return SIM_OK;
}

/* ---- hooks called by care_model.c ---- */
int care_mprog_enter(care_model *m, sim_ctx *ctx, care_child *k, uint32_t id, double t, int changed, sim_err *err)
{
    if (!m->pr || !changed) return SIM_OK;
    if (k->prog) {
        int i = k->prog - 1;
        const care_programme *p = &m->cfg->progs[i];
        int in_states = care_progbook_has(p->state_idx, p->n_states, k->state);
        int in_cont = care_progbook_has(p->cont_idx, p->n_continues, k->state);
        if (in_states || (in_cont && k->pstat != PS_WAITING)) {
            if (k->pstat == PS_SERVED && !in_states) return unserve(m, ctx, k, i, t, 1, err);
            return SIM_OK;
        }
        if (k->pstat == PS_WAITING) care_progrun_unwait(m->pr, i, k->area);
        if (k->pstat == PS_SERVED) {
            int rc = unserve(m, ctx, k, i, t, 0, err);
            if (rc != SIM_OK) return rc;
        }
        k->prog = 0;
        k->pstat = PS_NONE;
    }
    return refer(m, ctx, k, id, t, 0, err);   /* the caller draws the new state's hazards next */
}

int care_mprog_leave(care_model *m, sim_ctx *ctx, care_child *k, double t, sim_err *err)
{
    if (!m->pr || !k->prog) return SIM_OK;
    int i = k->prog - 1, rc = SIM_OK;
    if (k->pstat == PS_WAITING) care_progrun_unwait(m->pr, i, k->area);
    if (k->pstat == PS_SERVED) rc = unserve(m, ctx, k, i, t, 0, err);
    k->prog = 0;
    k->pstat = PS_NONE;
    return rc;
}

int care_mprog_holds(const care_model *m, const care_child *k)
{
    (void)m;
    return k->prog && (k->pstat == PS_WAITING || k->pstat == PS_SERVED);
}

/* Multiplies mult (a copy of the area's multipliers for k's state) by k's programme effects at
 * t; returns until when they hold (INFINITY: unchanged for good, or k untreated). */
double care_mprog_mult(const care_model *m, const care_child *k, double t, double *mult)
{
    if (!m->pr || !k->prog || (k->pstat != PS_SERVED && k->pstat != PS_TREATED)) return INFINITY;
    return care_progrun_mult(m->pr, k->prog - 1, k->state, t, mult);
}

int care_mprog_treated(const care_model *m, const care_child *k)
{
    return m->pr && k->prog && (k->pstat == PS_SERVED || k->pstat == PS_TREATED) && acts(m, k->prog - 1, k->state);
}

/* An entry to care at t in area a at age age_years: 1 to keep it, 0 if a programme's effect on
 * entries prevented it. Entries arrive at the rate with every programme's largest multiplier
 * (m->entry_max[a] >= 1) and are kept with probability multiplier / entry_max, drawn from the
 * entrant's own thinning stream, so no other draw moves; with no entry effect nothing is drawn. */
int care_mprog_keep_entry(care_model *m, sim_ctx *ctx, const care_child *k, int a, double t)
{
    if (!m->pr || !m->entry_max) return 1;
    return care_progbook_keep_entry(m->pr, m->entry_max[a], a, k->birth, t, k->serial, ctx->rng, ctx->seed, ctx->replicate);
}

/* The programme's places, waiting lists and fixed costs over the run; events at its start, at
 * each change of places and at its end. Also each area's entry rate bound. */
int care_mprog_create(care_model *m, sim_ctx *ctx, sim_err *err)
{
    const care_config *c = m->cfg;
    if (!c->n_progs) return SIM_OK;
    int rc = care_progrun_create(&m->pr, c->progs, c->n_progs, (int)m->A, ctx->seed, ctx->replicate, ctx->rng, err);
    care_progbook b = book(m);
    for (int i = 0; i < c->n_progs && rc == SIM_OK; i++) {
        const care_programme *p = &c->progs[i];
        double t0 = fmax(p->time.start, -c->burn_in);
        rc = sim_schedule(ctx, t0, EV_PROG, prog_id(0, i, W_START), err);
        for (int j = 1; j < p->n_cap && rc == SIM_OK; j++)
            if (p->cap_from[j] > t0 && p->cap_from[j] < p->time.end)
                rc = sim_schedule(ctx, p->cap_from[j], EV_PROG, prog_id((uint32_t)j, i, W_CAP), err);
        if (rc == SIM_OK && isfinite(p->time.end))
            rc = sim_schedule(ctx, p->time.end, EV_PROG, prog_id(0, i, W_END), err);
        care_progbook_fixed(&b, i);
    }
    return rc == SIM_OK ? care_progbook_entry_max(m->pr, m->A, &m->entry_max, err) : rc;
}

static int valid_waiter(void *user, uint32_t id, uint32_t ticket)
{
    const care_model *m = user;
    return id < m->n_kids && m->kids[id].state != CARE_FREE && m->kids[id].pstat == PS_WAITING &&
           m->kids[id].ticket == ticket;
}

static int serve_waiting(care_model *m, sim_ctx *ctx, int i, int area, double t, sim_err *err)
{
    uint32_t id;
    int rc = SIM_OK;
    while (rc == SIM_OK && care_progrun_next(m->pr, i, area, t, valid_waiter, m, &id))
        rc = serve(m, ctx, id, i, t, 1, err);   /* the place is taken */
    return rc;
}

/* Child id, referred at a start with its case closing already drawn (k->close_at, counted
 * ahead, with no event of its own), is let go by the programme at that closing. */
static int close_event(const care_model *m, sim_ctx *ctx, const care_child *k, uint32_t id, int i, sim_err *err)
{
    if (id >= 1u << 20)
        return sim_err_set(err, SIM_EINVAL, "programme %s: more than 2^20 children alive in one task: a case closing "
                           "cannot be tracked", m->cfg->progs[i].name);
    return sim_schedule(ctx, k->close_at, EV_PROG, prog_id(id, i, W_CLOSE), err);
}

int care_mprog_event(care_model *m, sim_ctx *ctx, uint32_t ev_id, double t, sim_err *err)
{
    int i = (int)(ev_id >> 3 & 31u), what = (int)(ev_id & 7u);
    uint32_t x = ev_id >> 8;
    const care_programme *p = &m->cfg->progs[i];
    int rc = SIM_OK;
    switch (what) {
    case W_START:   /* children already in the states are referred (unless new_only) */
        if (p->new_only) return SIM_OK;
        for (uint32_t id = 0; id < m->n_kids && rc == SIM_OK; id++) {
            care_child *k = &m->kids[id];
            if (k->state == CARE_FREE || k->prog || k->uasc || care_model_closed(m, k, t))   /* UASC: no programme */
                continue;
            rc = refer(m, ctx, k, id, t, 1, err);
            if (rc == SIM_OK && care_mprog_holds(m, k) && m->lazy[k->state] && isfinite(k->close_at))
                rc = close_event(m, ctx, k, id, k->prog - 1, err);   /* not redrawn: its closing stands */
        }
        return rc;
    case W_CLOSE: {   /* the closing drawn before the start: the child leaves care now */
        care_child *k = x < m->n_kids ? &m->kids[x] : NULL;
        if (k && k->state != CARE_FREE && k->prog == i + 1 && m->lazy[k->state] && k->close_at == t)
            rc = care_mprog_leave(m, ctx, k, t, err);
        return rc;
    }
    case W_CAP:
        for (int j = 0; j < p->n_areas && rc == SIM_OK; j++) rc = serve_waiting(m, ctx, i, p->areas[j], t, err);
        return rc;
    case W_SERVE:
        return serve_waiting(m, ctx, i, (int)x, t, err);
    case W_RELEASE: {
        care_child *k = x < m->n_kids ? &m->kids[x] : NULL;
        if (k && k->state != CARE_FREE && k->prog == i + 1 && k->pstat == PS_SERVED && fabs((double)k->served_at + p->duration - t) < 0.01)
            rc = unserve(m, ctx, k, i, t, 1, err);
        return rc;
    }
    default: {      /* W_END: no more referrals or places; the effect follows after_end */
        care_progbook b = book(m);
        for (uint32_t id = 0; id < m->n_kids; id++) {
            care_child *k = &m->kids[id];
            if (k->state == CARE_FREE || k->prog != i + 1) continue;
            if (k->pstat == PS_WAITING) { k->prog = 0; k->pstat = PS_NONE; }
            else if (k->pstat == PS_SERVED) {
                care_progbook_days(&b, i, k->area, (double)k->served_at, t);
                k->pstat = PS_TREATED;
            }
        }
        care_progrun_clear(m->pr, i);
        for (int j = 0; j < p->n_areas; j++) m->pr->used[(size_t)i * m->A + (size_t)p->areas[j]] = 0;
        return SIM_OK;
    }
    }
}

void care_mprog_observe(care_model *m, size_t obs)
{
    if (!m->pr) return;
    for (int i = 0; i < m->cfg->n_progs; i++)
        for (size_t a = 0; a < m->A; a++)
            m->waiting[(obs * m->A + a) * (size_t)m->cfg->n_prog_run + (size_t)m->cfg->prog_index[i]] =
                (int32_t)m->pr->waiting[(size_t)i * m->A + a];
}

/* At the horizon: served children's days so far. */
void care_mprog_finish(care_model *m, double horizon)
{
    if (!m->pr) return;
    care_progbook b = book(m);
    for (uint32_t id = 0; id < m->n_kids; id++) {
        care_child *k = &m->kids[id];
        if (k->state == CARE_FREE || !k->prog || k->pstat != PS_SERVED) continue;
        care_progbook_days(&b, k->prog - 1, k->area, (double)k->served_at, fmin(horizon, m->cfg->progs[k->prog - 1].time.end));
    }
}
