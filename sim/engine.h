/* sim/engine.h - runs one task: the event loop of one (scenario, replicate).
 * The model reaches the engine through a callback table (sim_model_ops), so sim/ never includes
 * models/. The engine owns the task's queue and random generator (in sim_ctx); the model owns
 * its state, created in ops->create and released in ops->destroy.
 * Events later than ctx->horizon are never handled: a model may push them (they are dropped). */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <signal.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "err.h"
#include "out.h"
#include "queue.h"

typedef struct sim_ctx {
    sim_queue queue;
    gsl_rng *rng;           /* re-keyed by the model for each stream it draws from */
    uint64_t seed;
    uint32_t scenario;      /* index in the run; streams must not depend on it */
    uint32_t replicate;
    double horizon;         /* days: events after it are not handled */
    uint64_t events;        /* events handled so far */
    volatile sig_atomic_t *cancel;   /* set by a signal handler; checked every few thousand events */
} sim_ctx;

typedef struct sim_model_ops {
    /* Builds the model state for task (ctx->scenario, ctx->replicate) and schedules its first
     * events. cfg is the scenario's read-only configuration. */
    int (*create)(void **state, const void *cfg, sim_ctx *ctx, sim_err *err);
    int (*handle)(void *state, const sim_event *ev, sim_ctx *ctx, sim_err *err);
    /* Fills the task's output buffers (one per output variable, zeroed by the caller) and,
     * optionally, a variable-length table (e.g. an event log) handed over to the caller. */
    int (*finish)(void *state, sim_ctx *ctx, void *const *bufs, sim_table *table, sim_err *err);
    void (*destroy)(void *state);   /* accepts NULL */
    /* Width of the event calendar's buckets in the model's time unit (sim/queue.h): about the
     * span in which a task handles a few thousand events; 0 for a plain heap. */
    double queue_bucket_width;
    /* Optional: the next event is (kind, id); start loading what its handler will read, so the
     * cache miss overlaps the current event's work. Must not change any state. */
    void (*prefetch)(const void *state, uint32_t kind, uint32_t id);
} sim_model_ops;

/* Schedules an event for the model; the time must not be earlier than the current event's. */
static inline int sim_schedule(sim_ctx *ctx, double time, uint32_t kind, uint32_t id, sim_err *err)
{
    if (time > ctx->horizon)
        return SIM_OK;
    return sim_queue_push(&ctx->queue, time, kind, id, err);
}

/* What the caller can see of a running task: a flag that stops it, and a report every
 * SIM_TICK_EVENTS events of the share of its simulated time done and the events since the last
 * report (for progress on long tasks). Every member may be NULL. */
#define SIM_TICK_EVENTS 65536
typedef struct sim_run_hooks {
    volatile sig_atomic_t *cancel;
    void (*tick)(void *user, double fraction_done, uint64_t new_events);
    void *user;
} sim_run_hooks;

/* Runs one task to its horizon and fills bufs (and *table, which the caller then owns and
 * releases with sim_table_free; table may be NULL when no table is wanted).
 * *events: all events handled (ticks included). Returns SIM_OK, an error, or SIM_ECANCEL. */
int sim_engine_run(const sim_model_ops *ops, const void *cfg, uint64_t seed, uint32_t scenario,
                   uint32_t replicate, double horizon, const sim_run_hooks *hooks,
                   void *const *bufs, sim_table *table, uint64_t *events, sim_err *err);

#endif
