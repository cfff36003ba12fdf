/* sim/queue.c - 4-ary heap: shallower than a binary heap, and a node's four successors share a
 * cache line or two, which matters more than the extra comparisons on pop. */
#include "queue.h"

#include <stdlib.h>

#define ARITY 4

static inline int before(const sim_event *a, const sim_event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

int sim_queue_init(sim_queue *q, size_t initial_cap, sim_err *err)
{
    q->len = 0;
    q->next_seq = 0;
    q->cap = initial_cap ? initial_cap : 64;
    q->heap = malloc(q->cap * sizeof *q->heap);
    if (!q->heap)
        return sim_err_set(err, SIM_ENOMEM, "event queue: cannot allocate %zu events", q->cap);
    return SIM_OK;
}

void sim_queue_fini(sim_queue *q)
{
    if (!q)
        return;
    free(q->heap);
    q->heap = NULL;
    q->len = q->cap = 0;
}

int sim_queue_push(sim_queue *q, double time, uint32_t kind, uint32_t id, sim_err *err)
{
    if (q->len == q->cap) {
        size_t cap = q->cap * 2;
        sim_event *h = realloc(q->heap, cap * sizeof *h);
        if (!h)
            return sim_err_set(err, SIM_ENOMEM, "event queue: cannot grow to %zu events", cap);
        q->heap = h;
        q->cap = cap;
    }
    sim_event ev = {time, q->next_seq++, kind, id};
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
    *out = q->heap[0];
    sim_event last = q->heap[--q->len];
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
        q->heap[i] = q->heap[best];
        i = best;
    }
    if (n > 0)
        q->heap[i] = last;
    return 1;
}
