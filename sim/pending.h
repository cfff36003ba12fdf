/* sim/pending.h - finished tasks waiting to be written, and the pool of result-buffer sets they
 * travel in. The driver's threads hand a finished task over and take a fresh buffer set, so that
 * a thread computes its next task while another writes: the output file takes one writer at a
 * time, and without the hand-over every thread that finished at the same moment would queue for
 * it (with 16 threads, the writes of one round of tasks run one after another while the other
 * threads wait).
 * Not thread-safe: the driver calls it under its own lock, so that only sim/driver.c sees
 * OpenMP. Ownership: the queue owns every buffer set it holds (pooled or pending); a task taken
 * out (sim_pending_pop) or a set handed out (sim_pending_bufs) belongs to the caller until given
 * back (sim_pending_recycle / sim_pending_push). The table inside a pending task moves with it. */
#ifndef SIM_PENDING_H
#define SIM_PENDING_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "out.h"

typedef struct sim_pending_task {
    size_t index;          /* task index: scenario x replicates + replicate */
    void **bufs;           /* its result buffers */
    sim_table table;       /* its table rows (moved in) */
    uint64_t events;       /* events of the task */
    uint64_t ticked;       /* of those, already reported as progress */
} sim_pending_task;

typedef struct sim_pending sim_pending;

/* A queue for buffer sets of lay's shape; NULL when out of memory. */
sim_pending *sim_pending_new(const sim_out_layout *lay);
void sim_pending_free(sim_pending *q);   /* accepts NULL; frees every set and table it holds */

/* A zeroed buffer set: one from the pool, or a new one; NULL when out of memory. */
void **sim_pending_bufs(sim_pending *q);
/* Gives a set back to the pool. */
void sim_pending_recycle(sim_pending *q, void **bufs);
/* Appends a finished task; returns the number pending after, or 0 when out of memory (the task
 * then stays the caller's). */
size_t sim_pending_push(sim_pending *q, const sim_pending_task *t);
/* Takes the oldest pending task; 0 when none. */
int sim_pending_pop(sim_pending *q, sim_pending_task *t);
size_t sim_pending_count(const sim_pending *q);

#endif
