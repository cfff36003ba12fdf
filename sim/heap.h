/* sim/heap.h - the ordered part of the future-event list: a 4-ary min-heap of 16-byte entries
 * keyed on (time, key), key = seq << 32 | kind << 28 | id, so comparing keys compares push order.
 * The array is offset so that each group of four siblings fills one 64-byte cache line.
 * Ownership: the caller owns the struct (zeroed, then used; sim_heap_fini frees the array).
 * Used by sim/queue.c only. */
#ifndef SIM_HEAP_H
#define SIM_HEAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct sim_queue_entry {
    double time;
    uint64_t key;     /* seq << 32 | kind << 28 | id */
} sim_queue_entry;

typedef struct sim_heap {
    sim_queue_entry *a;       /* a[1..4] start a cache line, and so every sibling group */
    sim_queue_entry *block;   /* the allocation: a = block + 3 */
    size_t len, cap;
} sim_heap;

static inline int sim_entry_before(const sim_queue_entry *x, const sim_queue_entry *y)
{
    return x->time < y->time || (x->time == y->time && x->key < y->key);
}

int sim_heap_push(sim_heap *h, sim_queue_entry e);        /* 0, or -1 when out of memory */
sim_queue_entry sim_heap_pop(sim_heap *h);                 /* h->len must be > 0 */
void sim_heap_fini(sim_heap *h);

#endif
