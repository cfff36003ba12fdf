/* models/care_progrun.h - the programmes of one task while it runs: the effect sizes drawn for
 * this replicate, each (programme, area)'s places in use and first-come waiting list, and the
 * multipliers a served child's hazards take at a given time. It knows nothing of the child
 * pool: children are ids with a ticket (the model stores both), so a child that moved on while
 * waiting is skipped when its turn comes (care_progrun_next).
 * Ownership: care_progrun_create allocates; care_progrun_destroy releases (accepts NULL).
 * The programmes themselves stay owned by the config. */
#ifndef CARE_PROGRUN_H
#define CARE_PROGRUN_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "../sim/err.h"
#include "care_prog.h"

typedef struct care_wait {        /* a waiting child: id and the ticket it was given */
    uint32_t id, ticket;
} care_wait;

typedef struct care_queue {       /* FIFO ring of waiting children of one (programme, area) */
    care_wait *v;
    uint32_t head, n, cap;
} care_queue;

typedef struct care_progrun {
    const care_programme *p;      /* the config's programmes */
    int n;
    int n_areas;
    double (*ratio)[CARE_PROG_MAX_EFFECTS];   /* [programme][effect], this replicate's draws */
    unsigned *acts;               /* [programme]: bit s set when an effect changes state s's hazards */
    double *used;                 /* [programme * n_areas + area]: places in use */
    uint32_t *waiting;            /* [programme * n_areas + area]: children waiting (exact count) */
    care_queue *queue;            /* [programme * n_areas + area] */
    uint32_t next_ticket;
} care_progrun;

/* Draws every effect's ratio for this replicate (care_effect.h streams; g is re-keyed). */
int care_progrun_create(care_progrun **out, const care_programme *p, int n, int n_areas, uint64_t seed,
                        uint32_t replicate, gsl_rng *g, sim_err *err);
void care_progrun_destroy(care_progrun *r);

/* 1 if programme i runs at t (start <= t < end). */
int care_progrun_active(const care_programme *p, double t);

/* Multiplies mult[column] by each effect of programme i on state `state` at t (ratio^level);
 * returns the time until which the multipliers stay as they are (INFINITY if for ever). */
double care_progrun_mult(const care_progrun *r, int i, int state, double t, double *mult);

/* The multiplier programme i puts on area a's entry rate for a child aged age_years at t, and
 * the time until which it holds (effects on out->lac, identified by from_state == CARE_PROG_ENTRY). */
double care_progrun_entry_mult(const care_progrun *r, int i, int area, double age_years, double t, double *until);

/* A referral of child id at t: returns 1 if served at once (a place taken), 0 if it waits
 * (*ticket set: the model keeps it with the child), or a negative code when out of memory. */
int care_progrun_refer(care_progrun *r, int i, int area, uint32_t id, double t, uint32_t *ticket, sim_err *err);
/* A waiting child leaves the list (it moved on); it stays in the ring until its turn. */
void care_progrun_unwait(care_progrun *r, int i, int area);
/* A place is given back. */
void care_progrun_release(care_progrun *r, int i, int area);
/* The next waiting child to serve if a place is free at t: pops entries until valid(id, ticket)
 * says one still waits; takes the place and returns 1 with *id set, or 0. */
int care_progrun_next(care_progrun *r, int i, int area, double t,
                      int (*valid)(void *user, uint32_t id, uint32_t ticket), void *user, uint32_t *id);
/* Drops everyone still waiting (the programme has ended; the model clears its children's
 * waiting marks itself). */
void care_progrun_clear(care_progrun *r, int i);

#endif
