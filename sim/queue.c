/* sim/queue.c - 4-ary heap: shallower than a binary heap, and a node's four successors share
 * one 64-byte cache line (16-byte entries), which matters more than the extra comparisons. */
#include "queue.h"

#include <stdlib.h>

#define ARITY 4

static inline int before(const sim_queue_entry *a, const sim_queue_entry *b)
{
    return a->time < b->time || (a->time == b->time && a->key < b->key);
}

/* Successors of node i are 4i+1 .. 4i+4: with heap = block + 3 and block 64-byte aligned,
 * each group of four 16-byte entries fills exactly one cache line. */
static sim_queue_entry *alloc_block(size_t cap)
{
    size_t bytes = (cap + 4) * sizeof(sim_queue_entry);
    return aligned_alloc(64, (bytes + 63) / 64 * 64);
}

int sim_queue_init(sim_queue *q, size_t initial_cap, sim_err *err)
{
    q->len = 0;
    q->next_seq = 0;
    q->cap = initial_cap ? initial_cap : 64;
    q->block = alloc_block(q->cap);
    q->heap = q->block ? q->block + 3 : NULL;
    if (!q->block)
        return sim_err_set(err, SIM_ENOMEM, "event queue: cannot allocate %zu events", q->cap);
    return SIM_OK;
}

void sim_queue_fini(sim_queue *q)
{
    if (!q)
        return;
    free(q->block);
    q->heap = q->block = NULL;
    q->len = q->cap = 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/* seq has run out of 32 bits: renumber the pending events in their order. A sorted array is a
 * valid heap, and relative order (time, seq) is kept, so the run is unchanged. */
static void renumber(sim_queue *q)
{
    qsort(q->heap, q->len, sizeof *q->heap, cmp_entry);
    for (size_t i = 0; i < q->len; i++)
        q->heap[i].key = (uint64_t)i << 32 | (q->heap[i].key & 0xffffffffu);
    q->next_seq = q->len;
}

int sim_queue_push(sim_queue *q, double time, uint32_t kind, uint32_t id, sim_err *err)
{
    if (kind > SIM_QUEUE_MAX_KIND || id > SIM_QUEUE_MAX_ID)
        return sim_err_set(err, SIM_EINVAL, "event queue: kind %u or id %u out of range", kind, id);
    if (q->len == q->cap) {
        size_t cap = q->cap * 2;
        sim_queue_entry *b = alloc_block(cap);
        if (!b)
            return sim_err_set(err, SIM_ENOMEM, "event queue: cannot grow to %zu events", cap);
        for (size_t i = 0; i < q->len; i++)
            b[3 + i] = q->heap[i];
        free(q->block);
        q->block = b;
        q->heap = b + 3;
        q->cap = cap;
    }
    if (q->next_seq > 0xffffffffu)
        renumber(q);
    sim_queue_entry ev = {time, q->next_seq++ << 32 | (uint64_t)kind << 28 | id};
    size_t i = q->len++;
    while (i > 0) {                       /* sift up, moving parents down into the hole */
        size_t p = (i - 1) / ARITY;
        if (!before(&ev, &q->heap[p]))
            break;
        q->heap[i] = q->heap[p];
        i = p;
    }
    q->heap[i] = ev;
    return SIM_OK;
}

int sim_queue_pop(sim_queue *q, sim_event *out)
{
    if (q->len == 0)
        return 0;
    sim_queue_entry top = q->heap[0], last = q->heap[--q->len];
    *out = (sim_event){top.time, (uint32_t)(top.key >> 32), (uint32_t)(top.key >> 28) & 0xfu,
                       (uint32_t)top.key & SIM_QUEUE_MAX_ID};
    size_t n = q->len, i = 0;
    for (;;) {                            /* sift the last event down from the root */
        size_t c = i * ARITY + 1;
        if (c >= n)
            break;
        size_t best = c, end = c + ARITY < n ? c + ARITY : n;
        for (size_t k = c + 1; k < end; k++)
            if (before(&q->heap[k], &q->heap[best]))
                best = k;
        if (!before(&q->heap[best], &last))
            break;
        __builtin_prefetch(&q->heap[best * ARITY + 1]);   /* the next level's line, while we copy */
        q->heap[i] = q->heap[best];
        i = best;
    }
    if (n > 0)
        q->heap[i] = last;
    return 1;
}
