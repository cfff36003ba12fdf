/* sim/case.c - see case.h. */
#include "case.h"

#include <math.h>
#include <stdlib.h>

#include "rng.h"

typedef struct run_state {
    const sim_case_ops *ops;
    void *model, *ent;
    sim_ctx *ctx;
    const sim_run_hooks *hooks;
    uint64_t ticked;      /* events at the last progress report */
    double done;          /* share of the task done, for progress */
} run_state;

/* Progress and cancellation, checked between entities (an entity's trajectory is short). */
static int between(run_state *r, sim_err *err)
{
    sim_ctx *ctx = r->ctx;
    if (ctx->events - r->ticked >= SIM_TICK_EVENTS) {
        if (r->hooks->tick)
            r->hooks->tick(r->hooks->user, r->done, ctx->events - r->ticked);
        r->ticked = ctx->events;
        if (r->hooks->cancel && *r->hooks->cancel)
            return sim_err_set(err, SIM_ECANCEL, "interrupted");
    }
    return SIM_OK;
}

/* One entity from its first spell to the horizon or its leaving. */
static int run_entity(run_state *r, uint32_t stream, size_t index, double t, sim_err *err)
{
    int rc = r->ops->path(r->model, r->ent, stream, index, t, r->ctx, err);
    return rc == SIM_OK ? between(r, err) : rc;
}

static int run_stream(run_state *r, uint32_t s, gsl_rng *g, sim_err *err)
{
    sim_ctx *ctx = r->ctx;
    int rc = SIM_OK;
    double t = r->ops->next_arrival(r->model, s, 1, -INFINITY, g, ctx);
    for (size_t i = 0; rc == SIM_OK && t <= ctx->horizon; i++) {
        ctx->events++;
        rc = run_entity(r, s, i, t, err);
        if (rc == SIM_OK)
            t = r->ops->next_arrival(r->model, s, 0, t, g, ctx);
    }
    return rc;
}

int sim_case_run(const sim_case_ops *ops, const void *cfg, uint64_t seed, uint32_t scenario,
                 uint32_t replicate, double horizon, const sim_run_hooks *hooks,
                 void *const *bufs, sim_table *table, uint64_t *events, sim_err *err)
{
    static const sim_run_hooks none = {0};
    sim_table unused = {0};
    sim_ctx ctx = {.seed = seed, .scenario = scenario, .replicate = replicate, .horizon = horizon,
                   .cancel = hooks ? hooks->cancel : NULL};
    run_state r = {.ops = ops, .ctx = &ctx, .hooks = hooks ? hooks : &none};
    gsl_rng *arrivals = sim_rng_alloc();
    ctx.rng = sim_rng_alloc();
    r.ent = calloc(1, ops->entity_size ? ops->entity_size : 1);
    int rc = SIM_OK;
    if (!arrivals || !ctx.rng || !r.ent)
        rc = sim_err_set(err, SIM_ENOMEM, "case engine: out of memory");
    if (rc == SIM_OK)
        rc = ops->create(&r.model, cfg, &ctx, err);
    size_t n0 = rc == SIM_OK ? ops->initial(r.model) : 0;
    uint32_t ns = rc == SIM_OK ? ops->streams(r.model) : 0;
    double parts = (double)ns + (n0 ? 1.0 : 0.0);
    for (size_t i = 0; rc == SIM_OK && i < n0; i++)
        rc = run_entity(&r, UINT32_MAX, i, 0.0, err);
    if (n0)
        r.done = 1.0 / parts;
    for (uint32_t s = 0; rc == SIM_OK && s < ns; s++) {
        rc = run_stream(&r, s, arrivals, err);
        r.done += 1.0 / parts;
    }
    if (rc == SIM_OK && r.hooks->cancel && *r.hooks->cancel)
        rc = sim_err_set(err, SIM_ECANCEL, "interrupted");
    if (rc == SIM_OK)
        rc = ops->finish(r.model, &ctx, bufs, table ? table : &unused, err);
    sim_table_free(&unused);
    if (events)
        *events = ctx.events;
    if (ops->destroy)
        ops->destroy(r.model);
    free(r.ent);
    if (ctx.rng)
        gsl_rng_free(ctx.rng);
    if (arrivals)
        gsl_rng_free(arrivals);
    return rc;
}
