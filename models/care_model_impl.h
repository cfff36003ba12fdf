/* models/care_model_impl.h - what care_model.c and care_mprog.c (its programmes) share: the
 * child record, the per-area and per-task state, and the few model routines the programmes
 * call. Internal to the model: nothing outside models/care_model*.c and care_mprog.c includes
 * it. Ownership as in care_model.c: the model owns every array here. */
#ifndef CARE_MODEL_IMPL_H
#define CARE_MODEL_IMPL_H

#include <stdint.h>

#include "../sim/engine.h"
#include "care_calib.h"
#include "care_config.h"
#include "care_episodes.h"
#include "care_hazard.h"
#include "care_output.h"
#include "care_progrun.h"

/* Event kinds. A child's event whose time is not the child's next_at was superseded by a
 * redraw (a programme changed the child's hazards) and is ignored. */
enum { EV_ARRIVAL, EV_CHILD, EV_OBS, EV_PROG, EV_REFERRAL, EV_UASC };
/* Stream kinds (the top byte of a stream's key): 1-3 the model's own, 4 programme effects
 * (care_effect.c), 5 sweeps (care_sweep.c), 6 entry thinning (care_mprog.c), 7 fitted-parameter
 * draws (care_calib.c), 8-9 referrals, 10-11 unaccompanied asylum-seeking children's arrivals and
 * children (care_uasc.h). Each kind is used by one purpose only, so no two purposes
 * ever share a stream. */
enum { STREAM_ARRIVAL = 1, STREAM_CHILD = 2, STREAM_INITIAL = 3, STREAM_PARAMS = 7,
       STREAM_REFERRAL = 8, STREAM_REFERRED = 9, STREAM_UASC = 10, STREAM_UASC_CHILD = 11 };
#define INITIAL_SERIAL 0x80000000u   /* initial-stock children: serials from here, own stream kind */
#define REFERRED_SERIAL 0x40000000u  /* children who came by referral: their own serials and streams */
#define UASC_SERIAL 0x20000000u      /* unaccompanied asylum-seeking children who arrive: the same */

/* The Poisson processes of an area: entries to care (times the calendar trend) and referrals. */
enum { PROC_ENTRY, PROC_REFERRAL, NPROC };

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
    uint8_t prog;        /* programme + 1, 0: none (care_mprog.c) */
    uint8_t pstat;       /* standing in it: waiting, served, treated */
    uint8_t uasc;        /* 1: an unaccompanied asylum-seeking child (care_uasc.h) */
    double next_at;      /* time of the pending event: one at another time was superseded */
    union {
        uint32_t ticket; /* waiting: its place in the list */
        float served_at; /* served: the day service began */
    };
} care_child;
#define CARE_FREE 255

typedef struct arrival {
    uint64_t rng_pos;
    double base_rate;             /* arrivals per day before the trend multiplier */
    double cum[CARE_NAGE];        /* cumulative age-band weights */
} arrival;

typedef struct area_state {
    arrival proc[NPROC];
    uint32_t next_serial, next_referred, next_uasc;
    uint64_t uasc_pos;   /* position in the area's stream of UASC arrivals */
    double mult[CARE_NSTATE][CARE_MAXK];   /* multipliers on each state's hazards (care_hazard_mult) */
} area_state;

/* Places per area and placement type (care_mplace.c); all NULL without tables.placement_capacity. */
typedef struct care_places {
    uint32_t *occupied;           /* [area][placement]: children placed there now */
    size_t *first, *n;            /* [area][placement]: the capacity rows that apply (care_capacity.h) */
    int32_t *shortfall;           /* = buf[CARE_VAR_SHORTFALL] */
} care_places;

typedef struct care_model {
    const care_config *cfg;
    care_child *kids;
    uint32_t n_kids, cap_kids, *free_ids, n_free;
    area_state *areas;
    int period;                   /* observation period of the current time, for flows */
    size_t A, T;
    uint8_t lazy[CARE_NSTATE];    /* 1: the state can end by a LAZY transition (close_at in use) */
    care_cal_steps cal[CARE_NSTATE];   /* calendar steps on each state's hazards: tables.rate_trend's on lac_hazards,
                                  * tables.pathway_trend's on the pathway's (n = 0: none) */
    int trend_rule;               /* this replicate's projection rule (block of tables.rate_trend) */
    care_repdraw draw;            /* this replicate's parameter draw (care_calib_pick) */
    void *buf[CARE_NVAR];         /* the output variables (care_output.h) */
    uint32_t *stock, *placements, *flow;   /* = buf[CARE_VAR_STOCK], ... */
    double *days, *cost, *days_state;
    care_episodes log;                     /* only when cfg->episodes */
    int log_failed;
    care_progrun *pr;                      /* programmes of this task, NULL if none */
    double *entry_max;                     /* per area: bound on entry multipliers, NULL if none */
    int32_t *served, *referred, *waiting;  /* = buf[CARE_VAR_SERVED], ... */
    care_places places;
    arrival *ep_entry;                     /* [epoch][area]: entries under dated edits (care_medit.c), or NULL */
} care_model;



/* care_model.c, for care_mprog.c */
void care_model_child_stream(sim_ctx *ctx, const care_child *k);
void care_model_child_save(care_child *k, sim_ctx *ctx);
int care_model_schedule(care_model *m, sim_ctx *ctx, care_child *k, uint32_t id, double now, sim_err *err);
/* Counting (care_count.c): a flow at t, now (the current period) or ahead (its period searched);
 * k's days in its state over [t0, t1]. */
void care_model_count(care_model *m, double t, const care_child *k, int tr);
void care_model_count_ahead(care_model *m, double t, const care_child *k, int tr);
void care_model_account(care_model *m, const care_child *k, double t0, double t1);
void care_model_uncount_lazy(care_model *m, care_child *k, double now);   /* a closing counted ahead, taken back */
int care_model_closed(const care_model *m, const care_child *k, double now);   /* a lazy closing has happened */

/* care_mprog.c, for care_model.c */
int care_mprog_create(care_model *m, sim_ctx *ctx, sim_err *err);
int care_mprog_enter(care_model *m, sim_ctx *ctx, care_child *k, uint32_t id, double t, int changed, sim_err *err);
int care_mprog_leave(care_model *m, sim_ctx *ctx, care_child *k, double t, sim_err *err);
double care_mprog_mult(const care_model *m, const care_child *k, double t, double *mult);
int care_mprog_treated(const care_model *m, const care_child *k);
int care_mprog_holds(const care_model *m, const care_child *k);   /* waiting or served: no lazy closing */
int care_mprog_keep_entry(care_model *m, sim_ctx *ctx, const care_child *k, int a, double t);
int care_mprog_event(care_model *m, sim_ctx *ctx, uint32_t id, double t, sim_err *err);
void care_mprog_observe(care_model *m, size_t obs);
void care_mprog_finish(care_model *m, double horizon);

/* care_medit.c, for care_model.c: dated rate edits (until: when the values next change) */
int care_medit_create(care_model *m, const double *draw_entry, sim_err *err);
const arrival *care_medit_arrival(const care_model *m, uint32_t a, int p, double t, double *until);
const care_hazard_table *care_medit_haz(const care_model *m, int s, double t, double *until);
const double *care_medit_shares(const care_model *m, int b, double t, int move);
double care_medit_nfa(const care_model *m, int b, double t);

/* care_mplace.c, for care_model.c: placement types and capacity */
int care_mplace_pick(const double *sh, sim_ctx *ctx, int exclude);   /* drawn from shares, leaving out exclude */
int care_mplace_create(care_model *m, sim_err *err);
void care_mplace_destroy(care_model *m);
/* The placement k gets when it wants `wanted` at day t: wanted if a place is free in its area,
 * else the fallback (counted as a shortfall of `wanted`); the place is taken. */
int care_mplace_take(care_model *m, const care_child *k, int wanted, double t);
void care_mplace_release(care_model *m, const care_child *k);   /* k leaves its placement */

#endif
