/* sim/heap.c - see heap.h. 4-ary: shallower than a binary heap, and a node's four successors
 * share one cache line, which matters more than the extra comparisons (binary and 8-ary measured
 * no better, bench/README.md). */
#include "heap.h"

#include <stdlib.h>

#define ARITY 4

static sim_queue_entry *alloc_block(size_t cap)
{
    size_t bytes = (cap + 4) * sizeof(sim_queue_entry);
    return aligned_alloc(64, (bytes + 63) / 64 * 64);
}

static int grow(sim_heap *h)
{
    size_t cap = h->cap ? 2 * h->cap : 256;
    sim_queue_entry *b = alloc_block(cap);
    if (!b)
        return -1;
    for (size_t i = 0; i < h->len; i++)
        b[3 + i] = h->a[i];
    free(h->block);
    h->block = b;
    h->a = b + 3;
    h->cap = cap;
    return 0;
}

int sim_heap_push(sim_heap *h, sim_queue_entry e)
{
    if (h->len == h->cap && grow(h) != 0)
        return -1;
    size_t i = h->len++;
    while (i > 0) {                       /* sift up, moving parents down into the hole */
        size_t p = (i - 1) / ARITY;
        if (!sim_entry_before(&e, &h->a[p]))
            break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = e;
    return 0;
}

sim_queue_entry sim_heap_pop(sim_heap *h)
{
    sim_queue_entry top = h->a[0], last = h->a[--h->len];
    size_t n = h->len, i = 0;
    for (;;) {                            /* sift the last entry down from the root */
        size_t c = i * ARITY + 1;
        if (c >= n)
            break;
        size_t best = c, end = c + ARITY < n ? c + ARITY : n;
        for (size_t k = c + 1; k < end; k++)
            if (sim_entry_before(&h->a[k], &h->a[best]))
                best = k;
        if (!sim_entry_before(&h->a[best], &last))
            break;
        __builtin_prefetch(&h->a[best * ARITY + 1]);   /* the next level's line, while we copy */
        h->a[i] = h->a[best];
        i = best;
    }
    if (n > 0)
        h->a[i] = last;
    return top;
}

void sim_heap_fini(sim_heap *h)
{
    free(h->block);
    h->a = h->block = NULL;
    h->len = h->cap = 0;
}
