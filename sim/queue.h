/* sim/queue.h - future-event list of one task.
 * Events pop in (time, seq) order; seq is assigned at push from a per-queue counter, so events
 * at equal times pop in push order and a run is deterministic.
 * Layout: a calendar of buckets in front of a heap (sim/heap.h). With a bucket width W > 0 the
 * heap holds only the events of the current bucket [base + cur W, base + (cur + 1) W); later
 * events wait unsorted in their bucket (a ring of SIM_QUEUE_BUCKETS) or, further ahead, in an
 * overflow list, and a bucket is moved into the heap when the clock reaches it. The heap stays
 * small enough for the cache; pushes far ahead are appends. With W = 0 it is a plain heap.
 * Entries are 16 bytes (time, then seq | kind | id packed in one word): kind < 16, id < 2^28.
 * seq is 32 bits; when it runs out the pending events are renumbered in order.
 * Ownership: the caller owns the sim_queue struct (init/fini); the queue owns its arrays, which
 * grow by doubling and are never shrunk, so after warm-up a push allocates nothing.
 * Payload: (kind, id) are opaque to the engine; the model gives them meaning.
 * Not thread-safe: a queue belongs to one task, which runs on one thread at a time. */
#ifndef SIM_QUEUE_H
#define SIM_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "heap.h"

#define SIM_QUEUE_MAX_KIND 15u
#define SIM_QUEUE_MAX_ID ((1u << 28) - 1)
#define SIM_QUEUE_BUCKETS 1024

typedef struct sim_event {
    double time;      /* in the model's time unit */
    uint32_t seq;     /* push order: the tie-breaker */
    uint32_t kind;    /* model-defined event kind, <= SIM_QUEUE_MAX_KIND */
    uint32_t id;      /* model-defined subject (an entity slot, a source, an observation index) */
} sim_event;

typedef struct sim_queue_list {
    sim_queue_entry *e;
    size_t n, cap;
} sim_queue_list;

typedef struct sim_queue {
    sim_heap heap;            /* the current bucket, ordered (every event when width == 0) */
    double width;             /* bucket width W; 0: heap only */
    int started;              /* buckets laid out (at the first pop: base = earliest event) */
    double base;              /* start of bucket 0 of the ring */
    size_t cur;               /* the bucket now in the heap */
    sim_queue_list *ring;     /* SIM_QUEUE_BUCKETS buckets after cur */
    size_t in_ring;           /* events waiting in the ring */
    sim_queue_list far;       /* beyond the ring (and, before the first pop, every event) */
    size_t len;               /* events pending in all */
    uint64_t next_seq;
} sim_queue;

/* bucket_width: W in time units, about the span that holds a few thousand events; 0: heap only. */
int sim_queue_init(sim_queue *q, double bucket_width, sim_err *err);
void sim_queue_fini(sim_queue *q);                 /* accepts a zeroed or finished queue */
int sim_queue_push(sim_queue *q, double time, uint32_t kind, uint32_t id, sim_err *err);
/* 1 if an event was popped, 0 if the queue is empty, -1 if out of memory (filing a bucket). */
int sim_queue_pop(sim_queue *q, sim_event *out);
static inline size_t sim_queue_len(const sim_queue *q) { return q->len; }
/* The next event's (kind, id) if it is already in the heap (no bucket to file first); 0 if not
 * known cheaply. For prefetching the memory its handler will touch. */
static inline int sim_queue_peek_next(const sim_queue *q, uint32_t *kind, uint32_t *id)
{
    if (q->heap.len == 0)
        return 0;
    uint64_t key = q->heap.a[0].key;
    *kind = (uint32_t)(key >> 28) & 0xfu;
    *id = (uint32_t)key & SIM_QUEUE_MAX_ID;
    return 1;
}

#endif
