/* sim/engine.c - see engine.h. */
#include "engine.h"

#include "rng.h"

int sim_engine_run(const sim_model_ops *ops, const void *cfg, uint64_t seed, uint32_t scenario,
                   uint32_t replicate, double horizon, volatile sig_atomic_t *cancel,
                   void *const *bufs, sim_table *table, uint64_t *events, sim_err *err)
{
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
        if ((ctx.events & 4095) == 0 && cancel && *cancel)
            rc = sim_err_set(err, SIM_ECANCEL, "interrupted");
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
