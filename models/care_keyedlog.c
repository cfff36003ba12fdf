/* models/care_keyedlog.c - see care_keyedlog.h. */
#include "care_keyedlog.h"

#include <stdlib.h>
#include <string.h>

uint32_t care_keyedlog_open(care_keyedlog *l, const care_episode *ep, double opened)
{
    if (l->failed) return (uint32_t)-1;
    uint32_t row = care_episodes_open(&l->log, ep);
    if (row == (uint32_t)-1) { l->failed = 1; return row; }
    if (row >= l->key_cap) {
        size_t cap = l->key_cap ? 2 * l->key_cap : 4096;
        double *nk = realloc(l->key, cap * sizeof *nk);
        if (!nk) { l->failed = 1; return (uint32_t)-1; }
        l->key = nk;
        l->key_cap = cap;
    }
    l->key[row] = opened;
    return row;
}

void care_keyedlog_close(care_keyedlog *l, uint32_t row, double end, int reason)
{
    if (row != (uint32_t)-1 && !l->failed)
        care_episodes_close(&l->log, row, end, reason);
}

/* Ties in time (two children's events at the same instant, probability zero) keep the order
 * written. */
typedef struct keyed_row { double key; uint32_t row; } keyed_row;
static int by_key(const void *a, const void *b)
{
    const keyed_row *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

int care_keyedlog_table(care_keyedlog *l, sim_table *t)
{
    if (l->failed) return -1;
    size_t n = l->log.n;
    keyed_row *ix = malloc((n ? n : 1) * sizeof *ix);
    care_episode *rows = malloc((n ? n : 1) * sizeof *rows);
    if (!ix || !rows) { free(ix); free(rows); return -1; }
    for (size_t i = 0; i < n; i++) ix[i] = (keyed_row){l->key[i], (uint32_t)i};
    qsort(ix, n, sizeof *ix, by_key);
    for (size_t i = 0; i < n; i++) rows[i] = l->log.rows[ix[i].row];
    memcpy(l->log.rows, rows, n * sizeof *rows);
    free(ix);
    free(rows);
    return care_episodes_table(&l->log, t);
}

void care_keyedlog_free(care_keyedlog *l)
{
    care_episodes_free(&l->log);
    free(l->key);
    l->key = NULL;
    l->key_cap = 0;
}
