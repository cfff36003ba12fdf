/* sim/pending.c - see pending.h. */
#include "pending.h"

#include <stdlib.h>
#include <string.h>

struct sim_pending {
    const sim_out_layout *lay;
    size_t *sizes;            /* bytes of each variable's buffer */
    void ***pool;             /* free sets */
    size_t npool, cappool;
    sim_pending_task *q;      /* ring of pending tasks */
    size_t head, n, cap;
};

static void free_set(const sim_pending *q, void **bufs)
{
    if (!bufs)
        return;
    for (int v = 0; v < q->lay->nvars; v++)
        free(bufs[v]);
    free(bufs);
}

sim_pending *sim_pending_new(const sim_out_layout *lay)
{
    sim_pending *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->lay = lay;
    q->sizes = calloc((size_t)(lay->nvars ? lay->nvars : 1), sizeof *q->sizes);
    if (!q->sizes) {
        free(q);
        return NULL;
    }
    for (int v = 0; v < lay->nvars; v++)
        q->sizes[v] = sim_out_task_elems(lay, v) * sim_type_size(lay->vars[v].type);
    return q;
}

void sim_pending_free(sim_pending *q)
{
    if (!q)
        return;
    for (size_t k = 0; k < q->npool; k++)
        free_set(q, q->pool[k]);
    for (size_t k = 0; k < q->n; k++) {
        sim_pending_task *t = &q->q[(q->head + k) % q->cap];
        free_set(q, t->bufs);
        sim_table_free(&t->table);
    }
    free(q->pool);
    free(q->q);
    free(q->sizes);
    free(q);
}

static void **new_set(const sim_pending *q)
{
    void **bufs = calloc((size_t)(q->lay->nvars ? q->lay->nvars : 1), sizeof *bufs);
    for (int v = 0; bufs && v < q->lay->nvars; v++) {
        bufs[v] = malloc(q->sizes[v] ? q->sizes[v] : 1);
        if (!bufs[v]) {
            free_set(q, bufs);
            return NULL;
        }
    }
    return bufs;
}

void **sim_pending_bufs(sim_pending *q)
{
    void **bufs = q->npool ? q->pool[--q->npool] : new_set(q);
    for (int v = 0; bufs && v < q->lay->nvars; v++)
        memset(bufs[v], 0, q->sizes[v]);
    return bufs;
}

void sim_pending_recycle(sim_pending *q, void **bufs)
{
    if (!bufs)
        return;
    if (q->npool == q->cappool) {
        size_t cap = q->cappool ? 2 * q->cappool : 8;
        void ***p = realloc(q->pool, cap * sizeof *p);
        if (!p) {   /* no room to keep it: give its memory back instead */
            free_set(q, bufs);
            return;
        }
        q->pool = p;
        q->cappool = cap;
    }
    q->pool[q->npool++] = bufs;
}

size_t sim_pending_push(sim_pending *q, const sim_pending_task *t)
{
    if (q->n == q->cap) {   /* grow the ring, unrolling it from head */
        size_t cap = q->cap ? 2 * q->cap : 8;
        sim_pending_task *r = malloc(cap * sizeof *r);
        if (!r)
            return 0;
        for (size_t k = 0; k < q->n; k++)
            r[k] = q->q[(q->head + k) % q->cap];
        free(q->q);
        q->q = r;
        q->cap = cap;
        q->head = 0;
    }
    q->q[(q->head + q->n) % q->cap] = *t;
    return ++q->n;
}

int sim_pending_pop(sim_pending *q, sim_pending_task *t)
{
    if (!q->n)
        return 0;
    *t = q->q[q->head];
    q->head = (q->head + 1) % q->cap;
    q->n--;
    return 1;
}

size_t sim_pending_count(const sim_pending *q) { return q->n; }
