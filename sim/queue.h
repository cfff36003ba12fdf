/* sim/queue.h - future-event list of one task.
 * A 4-ary min-heap ordered by (time, seq); seq is assigned at push from a per-queue counter,
 * so events at equal times pop in push order and a run is deterministic.
 * Entries are 16 bytes (time, then seq | kind | id packed in one word): the heap of a task
 * with 100,000 pending events stays within a core's L2 cache. Hence the limits: kind < 16,
 * id < 2^28. seq is 32 bits; when it runs out the pending events are renumbered in order.
 * Ownership: the caller owns the sim_queue struct (init/fini); the queue owns its array, which
 * grows by doubling and is never shrunk, so after warm-up a push allocates nothing.
 * Payload: (kind, id) are opaque to the engine; the model gives them meaning.
 * Not thread-safe: a queue belongs to one task, which runs on one thread at a time. */
#ifndef SIM_QUEUE_H
#define SIM_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SIM_QUEUE_MAX_KIND 15u
#define SIM_QUEUE_MAX_ID ((1u << 28) - 1)

typedef struct sim_event {
    double time;      /* days since the scenario's start date */
    uint32_t seq;     /* push order: the tie-breaker */
    uint32_t kind;    /* model-defined event kind, <= SIM_QUEUE_MAX_KIND */
    uint32_t id;      /* model-defined subject (an entity slot, a source, an observation index) */
} sim_event;

typedef struct sim_queue_entry {
    double time;
    uint64_t key;     /* seq << 32 | kind << 28 | id: comparing keys compares seq */
} sim_queue_entry;

typedef struct sim_queue {
    sim_queue_entry *heap;        /* heap[1..4] start a cache line, and so every sibling group */
    sim_queue_entry *block;       /* the allocation: heap = block + 3 */
    size_t len;
    size_t cap;
    uint64_t next_seq;
} sim_queue;

int sim_queue_init(sim_queue *q, size_t initial_cap, sim_err *err);
void sim_queue_fini(sim_queue *q);                 /* accepts a zeroed or finished queue */
int sim_queue_push(sim_queue *q, double time, uint32_t kind, uint32_t id, sim_err *err);
int sim_queue_pop(sim_queue *q, sim_event *out);   /* 1 if an event was popped, 0 if empty */
static inline size_t sim_queue_len(const sim_queue *q) { return q->len; }

#endif
