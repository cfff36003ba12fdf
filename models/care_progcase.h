/* models/care_progcase.h - programmes on the case-based sampler (care_trajectory.c), for
 * scenarios where no finite capacity exists (care_engine_choose): then no child waits for
 * another's place, a child's standing in a programme depends on its own path alone, and the
 * sampler draws it exactly as the event list does (care_mprog.c):
 * - entries arrive at the rate times each area's bound on the entry multipliers and are kept
 *   with probability multiplier / bound, from the entrant's own thinning stream;
 * - a child entering a programme's states is referred and served at once; a child present when
 *   a programme starts (unless new_only) is referred then, and if the programme acts on its
 *   state its pending draw is replaced by one from that day (the event list's redraw);
 * - a treated child's hazards carry ratio^level, and a draw that reaches the next change of
 *   level (a ramp step, the end, a decay step) or of a dated edit stops there and draws again;
 * - served and referred counts and costs (per child, per day served until the place is given
 *   back, fixed per area) are those of care_progbook.h, which both engines share.
 * The sampler draws one child at a time, so the child's standing lives here, between
 * care_progcase_begin and the child's last spell.
 * Ownership: care_progcase_create allocates (NULL with SIM_OK when the scenario has no
 * programmes); care_progcase_free releases (accepts NULL). It borrows the config and the
 * tally's output arrays. */
#ifndef CARE_PROGCASE_H
#define CARE_PROGCASE_H

#include "../sim/engine.h"
#include "care_config.h"
#include "care_hazard.h"
#include "care_progbook.h"
#include "care_progrun.h"
#include "care_tally.h"

typedef struct care_progcase {
    const care_config *cfg;
    care_progrun *pr;                /* this replicate's effect sizes */
    care_progbook book;
    double *entry_max;               /* [area] bound on the entry multipliers, or NULL */
    double starts[CARE_PROG_MAX];    /* ascending: days when a programme refers the children present */
    int n_starts;
    double horizon;
    care_cal_steps cal[CARE_NSTATE]; /* calendar steps on each state's hazards (care_pathtrend_steps) */
    const double *draw_haz;         /* the replicate's drawn hazard multipliers (care_draw_mult; NULL: none) */
    int area;                        /* the area whose multipliers `mult` holds (-1: none yet) */
    double mult[CARE_NSTATE][CARE_MAXK];
    /* the child being drawn */
    int prog;                        /* programme + 1; 0: in none */
    int served;                      /* holds a place, until serve_until */
    double served_at;                /* the day service began, as the event list keeps it (a float) */
    double serve_until;              /* the place is given back then (duration, or the end of funding) */
} care_progcase;

/* This replicate's effect draws (ctx->rng is re-keyed), the fixed costs, the entry bounds;
 * rule: the replicate's projection rule (tables.rate_trend's block), as the event list's. */
int care_progcase_create(care_progcase **out, const care_config *c, care_tally *tally, const double *draw_haz,
                         int rule, sim_ctx *ctx, sim_err *err);
void care_progcase_free(care_progcase *pc);

/* The factor on area a's entry rate (1 without entry effects). */
double care_progcase_entry_scale(const care_progcase *pc, int a);
/* A new child (in no programme). */
void care_progcase_begin(care_progcase *pc);
/* 1 to keep an entrant to area a at t (born `birth`, serial `serial`); ctx->rng is keyed to the
 * child's stream (stream_hi, serial) and is left at the same position. */
int care_progcase_keep(care_progcase *pc, int a, uint64_t stream_hi, uint32_t serial, double birth, double t,
                       sim_ctx *ctx);
/* The child entered `state` at t (a new state, not a move within it): it leaves, keeps or changes
 * its programme, and may be referred. */
void care_progcase_enter(care_progcase *pc, int area, int state, double birth, double t);
/* The child leaves the system at t, or (horizon) is still there at the horizon. */
void care_progcase_leave(care_progcase *pc, int area, double t);
void care_progcase_horizon(care_progcase *pc, int area);

/* 1 when the next draw in state s from `now` must go through care_progcase_draw: the child's
 * programme acts on s, or a programme may still refer it on starting. */
int care_progcase_owns(const care_progcase *pc, int s, double now);
/* The next hazard transition (time, and CARE_TR_* in *tr) of the child in state s from `now`
 * before min(end, horizon), or INFINITY: care_model.c's schedule with care_mprog.c's effects
 * and starts, draw for draw. */
double care_progcase_draw(care_progcase *pc, int area, int s, double now, double birth, double since, double end,
                          gsl_rng *g, int *tr);

#endif
