/* models/care_progcase.c - see care_progcase.h. Each step mirrors care_mprog.c with unlimited
 * places (no child ever waits); the engine identity tests (tests/integration/engines_identical.sh,
 * integration.engines.prog_*) check that both give the same counts. */
#include "care_progcase.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../sim/rng.h"
#include "care_pathtrend.h"
#include "care_edit.h"

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int care_progcase_create(care_progcase **out, const care_config *c, care_tally *tally, const double *draw_haz,
                         int rule, sim_ctx *ctx, sim_err *err)
{
    *out = NULL;
    if (!c->n_progs) return SIM_OK;
    care_progcase *pc = calloc(1, sizeof *pc);
    if (!pc) return sim_err_set(err, SIM_ENOMEM, "care model: out of memory for programmes");
    *out = pc;
    pc->cfg = c;
    pc->horizon = ctx->horizon;
    for (int s = 0; s < CARE_NSTATE; s++) pc->cal[s] = care_pathtrend_steps(c, rule, s);
    pc->draw_haz = draw_haz;
    pc->area = -1;
    pc->book = (care_progbook){c, (size_t)c->n_areas, (size_t)c->n_obs, tally->cost, tally->buf[CARE_VAR_SERVED],
                               tally->buf[CARE_VAR_REFERRED]};
    int rc = care_progrun_create(&pc->pr, c->progs, c->n_progs, c->n_areas, ctx->seed, ctx->replicate, ctx->rng, err);
    for (int i = 0; i < c->n_progs && rc == SIM_OK; i++) {
        double t0 = fmax(c->progs[i].time.start, -c->burn_in);   /* care_mprog_create's W_START */
        if (!c->progs[i].new_only && t0 <= ctx->horizon) pc->starts[pc->n_starts++] = t0;
        care_progbook_fixed(&pc->book, i);
    }
    qsort(pc->starts, (size_t)pc->n_starts, sizeof *pc->starts, by_value);
    return rc == SIM_OK ? care_progbook_entry_max(pc->pr, (size_t)c->n_areas, &pc->entry_max, err) : rc;
}

void care_progcase_free(care_progcase *pc)
{
    if (!pc) return;
    care_progrun_destroy(pc->pr);
    free(pc->entry_max);
    free(pc);
}

double care_progcase_entry_scale(const care_progcase *pc, int a) { return pc && pc->entry_max ? pc->entry_max[a] : 1.0; }

void care_progcase_begin(care_progcase *pc)
{
    pc->prog = pc->served = 0;
}

int care_progcase_keep(care_progcase *pc, int a, uint64_t stream_hi, uint32_t serial, double birth, double t,
                       sim_ctx *ctx)
{
    if (!pc->entry_max) return 1;
    uint64_t pos = sim_rng_position(ctx->rng);   /* care_model.c's arrive: saved, thinned, restored */
    int keep = care_progbook_keep_entry(pc->pr, pc->entry_max[a], a, birth, t, serial, ctx->rng, ctx->seed,
                                        ctx->replicate);
    sim_rng_key(ctx->rng, ctx->seed, ctx->replicate, stream_hi, serial, pos);
    return keep;
}

/* ---- the child's standing (care_mprog.c's serve, unserve, refer) ---- */
static int acts_on(const care_progcase *pc, int s) { return pc->prog && (pc->pr->acts[pc->prog - 1] >> s & 1u); }

static void serve(care_progcase *pc, int i, int area, double t)
{
    const care_programme *p = &pc->cfg->progs[i];
    care_progbook_served(&pc->book, i, area, t);
    pc->prog = i + 1;
    pc->served = 1;
    pc->served_at = (double)(float)t;
    /* the place is given back after `duration` when that comes before the end and the horizon
     * (the event list's W_RELEASE), else at the end of funding (W_END) */
    pc->serve_until = isfinite(p->duration) && t + p->duration < fmin(p->time.end, pc->horizon) ? t + p->duration
                                                                                               : p->time.end;
}

/* A place given back before t (its duration or funding over) is paid for up to then. */
static void settle(care_progcase *pc, int area, double t)
{
    if (pc->served && pc->serve_until <= t) {
        care_progbook_days(&pc->book, pc->prog - 1, area, pc->served_at, pc->serve_until);
        pc->served = 0;
    }
}

static void unserve(care_progcase *pc, int area, double t)
{
    settle(pc, area, t);
    if (pc->served)
        care_progbook_days(&pc->book, pc->prog - 1, area, pc->served_at, fmin(t, pc->cfg->progs[pc->prog - 1].time.end));
    pc->served = 0;
}

/* The first programme that takes the child at t refers and serves it; 1 if one did. */
static int refer(care_progcase *pc, int area, int state, double birth, double t)
{
    for (int i = 0; i < pc->cfg->n_progs; i++)
        if (care_progbook_referable(&pc->cfg->progs[i], area, state, birth, t)) {
            care_progbook_referred(&pc->book, i, area, t);
            serve(pc, i, area, t);
            return 1;
        }
    return 0;
}

void care_progcase_enter(care_progcase *pc, int area, int state, double birth, double t)
{
    if (pc->prog) {
        const care_programme *p = &pc->cfg->progs[pc->prog - 1];
        int in_states = care_progbook_has(p->state_idx, p->n_states, state);
        if (in_states || care_progbook_has(p->cont_idx, p->n_continues, state)) {
            if (!in_states) unserve(pc, area, t);   /* still treated, the place given back */
            return;
        }
        unserve(pc, area, t);
        pc->prog = 0;
    }
    refer(pc, area, state, birth, t);
}

void care_progcase_leave(care_progcase *pc, int area, double t)
{
    unserve(pc, area, t);
    pc->prog = 0;
}

void care_progcase_horizon(care_progcase *pc, int area)
{
    settle(pc, area, pc->horizon);
    if (pc->served)   /* care_mprog_finish */
        care_progbook_days(&pc->book, pc->prog - 1, area, pc->served_at,
                           fmin(pc->horizon, pc->cfg->progs[pc->prog - 1].time.end));
    pc->served = 0;
}

/* ---- drawing ---- */
int care_progcase_owns(const care_progcase *pc, int s, double now)
{
    if (pc->prog) return acts_on(pc, s);
    return pc->n_starts > 0 && pc->starts[pc->n_starts - 1] >= now;
}

/* The area's multipliers on each state's hazards (care_model.c's create). */
static void use_area(care_progcase *pc, int a)
{
    if (pc->area == a) return;
    care_hazard_mults(pc->cfg, a, pc->draw_haz, pc->mult);
    pc->area = a;
}

/* A child in no programme, whose next event is at `at` (inclusive: an event that is no
 * transition, which a start at the same instant precedes), is referred by the first start in
 * [now, at] that takes it; 1 if it was, and the programme's effects change its hazards now. */
static int start_refers(care_progcase *pc, int area, int s, double birth, double now, double at, int inclusive, double *t0)
{
    for (int j = 0; j < pc->n_starts; j++) {
        double t = pc->starts[j];
        if (t < now) continue;
        if (t > at || (t == at && !inclusive)) break;
        if (refer(pc, area, s, birth, t)) {
            *t0 = t;
            return acts_on(pc, s);
        }
    }
    return 0;
}

double care_progcase_draw(care_progcase *pc, int area, int s, double now, double birth, double since, double end,
                          gsl_rng *g, int *tr)
{
    const care_config *c = pc->cfg;
    double limit = fmin(end, pc->horizon);
    use_area(pc, area);
    for (;;) {
        double until = INFINITY, own[CARE_MAXK];
        const care_hazard_table *h = c->n_epochs ? &c->epochs[care_edit_epoch_at(c, now, &until)].haz[s] : &c->haz[s];
        memcpy(own, pc->mult[s], sizeof own);
        if (acts_on(pc, s))   /* the effects, constant until `until` */
            until = fmin(until, care_progrun_mult(pc->pr, pc->prog - 1, s, now, own));
        int kind;
        double x = care_hazard_draw_cal(h, own, &pc->cal[s], now, birth, since, fmin(limit, until), g, &kind);
        double t0;
        /* the event list's next event for the child: x, a redraw at until, its state's end, or
         * none by the horizon; a programme starting first replaces it with a draw from its start */
        if (!pc->prog && start_refers(pc, area, s, birth, now, isinf(x) ? fmin(until, limit) : x, isinf(x), &t0)) {
            now = t0;
            continue;
        }
        if (!isinf(x)) {
            *tr = h->tr[kind];
            return x;
        }
        if (!(until < limit)) return INFINITY;
        now = until;
    }
}
