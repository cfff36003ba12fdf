/* sim/driver.h - runs every (scenario, replicate) task of a run over OpenMP threads.
 * Tasks share nothing mutable: each owns its queue, streams, model state and result buffers.
 * Only the output writer and the progress report are serialised, and a finished task does not
 * wait for the writer: its buffers are handed over (sim/pending.h) and the thread takes a fresh
 * set from a pool and goes on, while one thread at a time writes what is pending.
 * A task's results never depend on the thread that ran it, so output is bit-identical for any
 * thread count. Ownership: everything passed in stays the caller's. */
#ifndef SIM_DRIVER_H
#define SIM_DRIVER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "engine.h"
#include "out.h"
#include "progress.h"

typedef struct sim_driver_opts {
    int threads;                    /* 0 = all cores (omp_get_max_threads) */
    size_t n_scenarios, n_replicates;
    const void *const *cfgs;        /* read-only model configuration, one per scenario */
    const double *horizons;         /* days, one per scenario */
    uint64_t seed;
    sim_progress_mode progress;
    volatile sig_atomic_t *cancel;  /* may be NULL */
    const unsigned char *skip;      /* n_scenarios*n_replicates flags of tasks already done, or NULL */
    /* Optional: scenarios whose flag is set run on the case-based engine (sim/case.h) with
     * case_ops instead of the event list; NULL: every scenario runs on the event list. */
    const unsigned char *use_case;  /* n_scenarios flags */
    const sim_case_ops *case_ops;
    /* Optional, called serially after each finished task with its buffers (e.g. a summary). */
    void (*on_task)(void *user, size_t s, size_t r, const void *const *bufs);
    void *user;
} sim_driver_opts;

typedef struct sim_driver_stats {
    uint64_t events;
    size_t tasks_done;
    int threads_used;
    double seconds;        /* wall time of the whole run */
    double write_seconds;  /* time inside the output writer */
} sim_driver_stats;

/* out may be NULL (nothing written). Returns the lowest-index task's error if any failed. */
int sim_driver_run(const sim_model_ops *ops, const sim_driver_opts *opts, const sim_out_layout *lay,
                   sim_out *out, sim_driver_stats *stats, sim_err *err);

/* What --threads 0 means here. */
int sim_driver_max_threads(void);

#endif
