/* sim/queue.c - see queue.h. Bucket i of the ring holds the events with
 * base + i W <= time < base + (i + 1) W, both bounds computed by bucket_start(), the same
 * expression the heap's limit uses, so rounding can never put an event in a bucket that pops
 * before an earlier one. */
#include "queue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static inline double bucket_start(const sim_queue *q, size_t i) { return q->base + (double)i * q->width; }

static int list_add(sim_queue_list *l, sim_queue_entry e)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        sim_queue_entry *p = realloc(l->e, cap * sizeof *p);
        if (!p)
            return -1;
        l->e = p;
        l->cap = cap;
    }
    l->e[l->n++] = e;
    return 0;
}

int sim_queue_init(sim_queue *q, double bucket_width, sim_err *err)
{
    memset(q, 0, sizeof *q);
    q->width = bucket_width > 0 && isfinite(bucket_width) ? bucket_width : 0.0;
    if (q->width > 0 && !(q->ring = calloc(SIM_QUEUE_BUCKETS, sizeof *q->ring)))
        return sim_err_set(err, SIM_ENOMEM, "event queue: cannot allocate its calendar");
    return SIM_OK;
}

void sim_queue_fini(sim_queue *q)
{
    if (!q)
        return;
    sim_heap_fini(&q->heap);
    for (size_t i = 0; q->ring && i < SIM_QUEUE_BUCKETS; i++)
        free(q->ring[i].e);
    free(q->ring);
    free(q->far.e);
    memset(q, 0, sizeof *q);
}

/* Files an entry where it waits: the heap if it falls before the current bucket's end, its
 * bucket if within the ring, the overflow list otherwise. */
static int place(sim_queue *q, sim_queue_entry e)
{
    if (q->width == 0)
        return sim_heap_push(&q->heap, e);
    if (!q->started)
        return list_add(&q->far, e);
    if (e.time < bucket_start(q, q->cur + 1))
        return sim_heap_push(&q->heap, e);
    double rel = (e.time - q->base) / q->width;
    if (!(rel < (double)SIM_QUEUE_BUCKETS))
        return list_add(&q->far, e);
    size_t i = (size_t)rel;
    while (i > q->cur + 1 && e.time < bucket_start(q, i)) i--;        /* rounding: agree with */
    while (i + 1 < SIM_QUEUE_BUCKETS && e.time >= bucket_start(q, i + 1)) i++;   /* the bounds */
    if (e.time >= bucket_start(q, SIM_QUEUE_BUCKETS))
        return list_add(&q->far, e);
    q->in_ring++;
    return list_add(&q->ring[i], e);
}

/* Lays the ring out from `base`: the overflow list is filed again (what is still beyond the
 * ring stays there). */
static int relayout(sim_queue *q, double base)
{
    q->base = base;
    q->cur = 0;
    q->started = 1;
    sim_queue_list far = q->far;
    q->far = (sim_queue_list){0};
    int rc = 0;
    for (size_t i = 0; i < far.n && rc == 0; i++)
        rc = place(q, far.e[i]);
    free(far.e);
    return rc;
}

static double earliest_far(const sim_queue *q)
{
    double t = INFINITY;
    for (size_t i = 0; i < q->far.n; i++)
        t = fmin(t, q->far.e[i].time);
    return t;
}

/* The heap is empty: bring in the next non-empty bucket (or restart the ring at the earliest
 * overflow event). Returns -1 when out of memory. */
static int advance(sim_queue *q)
{
    while (q->heap.len == 0 && q->len > 0) {
        if (q->in_ring == 0) {
            if (relayout(q, earliest_far(q)) != 0)
                return -1;
            continue;
        }
        q->cur++;
        sim_queue_list *b = &q->ring[q->cur];
        for (size_t i = 0; i < b->n; i++)
            if (sim_heap_push(&q->heap, b->e[i]) != 0)
                return -1;
        q->in_ring -= b->n;
        b->n = 0;
    }
    return 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return sim_entry_before(a, b) ? -1 : sim_entry_before(b, a) ? 1 : 0;
}

/* seq has run out of 32 bits: renumber every pending event in its (time, seq) order and file
 * them again, so the run is unchanged. Rare: once per 4 billion pushes. */
static int renumber(sim_queue *q)
{
    sim_queue_list all = {0};
    int rc = 0;
    for (size_t i = 0; i < q->heap.len && rc == 0; i++) rc = list_add(&all, q->heap.a[i]);
    for (size_t b = 0; q->ring && b < SIM_QUEUE_BUCKETS; b++)
        for (size_t i = 0; i < q->ring[b].n && rc == 0; i++) rc = list_add(&all, q->ring[b].e[i]);
    for (size_t i = 0; i < q->far.n && rc == 0; i++) rc = list_add(&all, q->far.e[i]);
    if (rc != 0) {
        free(all.e);
        return -1;
    }
    if (all.n)
        qsort(all.e, all.n, sizeof *all.e, cmp_entry);
    q->heap.len = q->far.n = q->in_ring = 0;
    for (size_t b = 0; q->ring && b < SIM_QUEUE_BUCKETS; b++) q->ring[b].n = 0;
    for (size_t i = 0; i < all.n && rc == 0; i++) {
        all.e[i].key = (uint64_t)i << 32 | (all.e[i].key & 0xffffffffu);
        rc = place(q, all.e[i]);
    }
    q->next_seq = all.n;
    free(all.e);
    return rc;
}

int sim_queue_push(sim_queue *q, double time, uint32_t kind, uint32_t id, sim_err *err)
{
    if (kind > SIM_QUEUE_MAX_KIND || id > SIM_QUEUE_MAX_ID)
        return sim_err_set(err, SIM_EINVAL, "event queue: kind %u or id %u out of range", kind, id);
    if (q->next_seq > 0xffffffffu && renumber(q) != 0)
        return sim_err_set(err, SIM_ENOMEM, "event queue: out of memory renumbering %zu events", q->len);
    sim_queue_entry e = {time, q->next_seq++ << 32 | (uint64_t)kind << 28 | id};
    if (place(q, e) != 0)
        return sim_err_set(err, SIM_ENOMEM, "event queue: cannot grow beyond %zu events", q->len);
    q->len++;
    return SIM_OK;
}

int sim_queue_pop(sim_queue *q, sim_event *out)
{
    if (q->len == 0)
        return 0;
    if ((q->width > 0 && !q->started && relayout(q, earliest_far(q)) != 0) || advance(q) != 0)
        return -1;  /* out of memory while filing a bucket into the heap */
    sim_queue_entry top = sim_heap_pop(&q->heap);
    q->len--;
    *out = (sim_event){top.time, (uint32_t)(top.key >> 32), (uint32_t)(top.key >> 28) & 0xfu,
                       (uint32_t)top.key & SIM_QUEUE_MAX_ID};
    return 1;
}
