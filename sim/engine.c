/* sim/engine.c - see engine.h. */
#include "engine.h"

#include "rng.h"

#include <math.h>

int sim_engine_run(const sim_model_ops *ops, const void *cfg, uint64_t seed, uint32_t scenario,
                   uint32_t replicate, double horizon, const sim_run_hooks *hooks,
                   void *const *bufs, sim_table *table, uint64_t *events, sim_err *err)
{
    static const sim_run_hooks none = {0};
    if (!hooks)
        hooks = &none;
    volatile sig_atomic_t *cancel = hooks->cancel;
    sim_table unused = {0};
    sim_ctx ctx = {.seed = seed, .scenario = scenario, .replicate = replicate,
                   .horizon = horizon, .cancel = cancel};
    void *state = NULL;
    int rc = sim_queue_init(&ctx.queue, ops->queue_bucket_width, err);
    if (rc != SIM_OK)
        return rc;
    ctx.rng = sim_rng_alloc();
    if (!ctx.rng) {
        rc = sim_err_set(err, SIM_ENOMEM, "random generator: out of memory");
        goto done;
    }
    rc = ops->create(&state, cfg, &ctx, err);
    sim_event ev;
    int got;
    double t0 = NAN;   /* the first event's time: progress is measured from there */
    while (rc == SIM_OK && (got = sim_queue_pop(&ctx.queue, &ev)) != 0) {
        if (got < 0) {
            rc = sim_err_set(err, SIM_ENOMEM, "event queue: out of memory with %zu events pending",
                             sim_queue_len(&ctx.queue));
            break;
        }
        if (ev.time > horizon)
            break;
        uint32_t next_kind, next_id;
        if (ops->prefetch && sim_queue_peek_next(&ctx.queue, &next_kind, &next_id))
            ops->prefetch(state, next_kind, next_id);
        rc = ops->handle(state, &ev, &ctx, err);
        ctx.events++;
        if (isnan(t0))
            t0 = ev.time;
        if ((ctx.events & 4095) == 0 && cancel && *cancel)
            rc = sim_err_set(err, SIM_ECANCEL, "interrupted");
        if (ctx.events % SIM_TICK_EVENTS == 0 && hooks->tick)
            hooks->tick(hooks->user, horizon > t0 ? (ev.time - t0) / (horizon - t0) : 1.0, SIM_TICK_EVENTS);
    }
    if (rc == SIM_OK)
        rc = ops->finish(state, &ctx, bufs, table ? table : &unused, err);
    sim_table_free(&unused);
done:
    if (events)
        *events = ctx.events;
    if (ops->destroy)
        ops->destroy(state);
    gsl_rng_free(ctx.rng);
    sim_queue_fini(&ctx.queue);
    return rc;
}
