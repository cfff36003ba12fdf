/* sim/case.h - the case-based engine: runs one task by drawing each entity's whole trajectory,
 * from its arrival (or its presence at the start) to the horizon, one entity at a time.
 * It is exact only for models whose entities never interact: an entity's future depends on its
 * own draws and on nothing another entity did. Then no event list is needed, and the work per
 * event stays in cache however many entities are alive at once (docs/model.md, "Engines").
 *
 * The model reaches it through sim_case_ops. An entity lives in a sequence of spells; a
 * transition ends one spell and may start the next. For each stream of arrivals (e.g. an area)
 * the engine asks for the arrival times in order, and for each arrival has the model draw the
 * entity's whole path (`path`): its first spell, then each transition out of a spell and the
 * spell's contribution to the output, until the horizon or its leaving. Entities present at the
 * start (initial) run first, in index order. One call per entity, rather than one per step
 * (begin, next, spell, apply), lets the compiler join the model's steps into one routine: on the
 * reference model R1 those calls were 105 instructions of 1,777 per entity (bench/README.md,
 * "Profile of the case-based engine").
 *
 * Random numbers: ctx->rng is the entities' generator: path keys it to the entity's own stream
 * and nothing else draws from it until the entity is done, so one key per entity suffices.
 * Arrivals draw from a second generator of their own, passed to next_arrival.
 * Ownership: the engine owns the entity record (entity_size bytes, reused) and both generators;
 * the model owns its state (create/destroy), as in sim/engine.h. */
#ifndef SIM_CASE_H
#define SIM_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

typedef struct sim_case_ops {
    size_t entity_size;   /* bytes of the model's record of one entity */
    /* Builds the model state for task (ctx->scenario, ctx->replicate); schedules nothing. */
    int (*create)(void **state, const void *cfg, sim_ctx *ctx, sim_err *err);
    uint32_t (*streams)(const void *state);   /* streams of arrivals */
    size_t (*initial)(const void *state);     /* entities present at the start */
    /* The first arrival on `stream` (first = 1), or the next one after `now`; returns its time
     * (anything past ctx->horizon ends the stream). g belongs to the stream until it ends: the
     * model keys it on the first call and draws from it on every call. */
    double (*next_arrival)(void *state, uint32_t stream, int first, double now, gsl_rng *g, sim_ctx *ctx);
    /* Draws the whole path of one entity: initial entity `index` (stream is UINT32_MAX), or the
     * index-th arrival (from 0) on `stream` at time t, from its first spell to the horizon or its
     * leaving, adding each spell to the output and each transition applied to ctx->events. */
    int (*path)(void *state, void *ent, uint32_t stream, size_t index, double t, sim_ctx *ctx, sim_err *err);
    /* As in sim_model_ops. */
    int (*finish)(void *state, sim_ctx *ctx, void *const *bufs, sim_table *table, sim_err *err);
    void (*destroy)(void *state);   /* accepts NULL */
} sim_case_ops;

/* As sim_engine_run. *events: arrivals plus transitions applied. Progress (hooks->tick)
 * reports the share of streams done. */
int sim_case_run(const sim_case_ops *ops, const void *cfg, uint64_t seed, uint32_t scenario,
                 uint32_t replicate, double horizon, const sim_run_hooks *hooks,
                 void *const *bufs, sim_table *table, uint64_t *events, sim_err *err);

#endif
