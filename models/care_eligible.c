/* models/care_eligible.c - see care_eligible.h. */
#include "care_eligible.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void free_list(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

void care_eligible_free(care_eligible *e)
{
    if (!e) return;
    free_list(e->codes, e->n_codes);
    free_list(e->ofsted, e->n_ofsted);
    free_list(e->regions, e->n_regions);
    free_list(e->first, e->n_first);
    memset(e, 0, sizeof *e);
}

static double population(const care_area *a)
{
    double p = 0;
    for (int b = 0; b < CARE_NAGE; b++) p += a->pop[b];
    return p;
}

double care_eligible_rate(const care_area *a)
{
    double p = population(a);
    return p > 0 && !isnan(a->cla[2]) ? a->cla[2] / p * 1e4 : NAN;
}

int care_eligible_find(const care_area *areas, int n_areas, const char *name)
{
    for (int i = 0; i < n_areas; i++)
        if (!strcmp(areas[i].code, name) || !strcmp(areas[i].name, name))
            return i;
    return -1;
}

/* Ratings are compared ignoring case and treating spaces as underscores, so the table's
 * "requires improvement" and a scenario's requires_improvement match. */
static int same_words(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a == ' ' ? '_' : *a, y = *b == ' ' ? '_' : *b;
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
        if (x != y) return 0;
    }
    return *a == *b;
}

static int in_list(char *const *v, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (same_words(v[i], s)) return 1;
    return 0;
}

static double table_rate(const care_area *areas, int n_areas)
{
    double cla = 0, pop = 0;
    for (int i = 0; i < n_areas; i++)
        if (!isnan(areas[i].cla[2])) {
            cla += areas[i].cla[2];
            pop += population(&areas[i]);
        }
    return pop > 0 ? cla / pop * 1e4 : NAN;
}

static int meets(const care_eligible *e, const care_area *a, double overall)
{
    if (e->n_ofsted && !in_list(e->ofsted, e->n_ofsted, a->ofsted)) return 0;
    if (e->n_regions && !in_list(e->regions, e->n_regions, a->region)) return 0;
    if (!e->numbers) return 1;
    double r = care_eligible_rate(a);
    int high = !isnan(r) && r > overall;
    int known = !isnan(a->cla[0]) && !isnan(a->cla[2]);
    int rising = known && a->cla[2] > a->cla[0], falling = known && a->cla[2] < a->cla[0];
    return ((e->numbers & CARE_NUM_HIGH) && high) || ((e->numbers & CARE_NUM_RISING) && rising) ||
           ((e->numbers & CARE_NUM_FALLING) && falling);
}

int care_eligible_meets(const care_eligible *e, const care_area *areas, int n_areas, int i)
{
    return meets(e, &areas[i], table_rate(areas, n_areas));
}

typedef struct ranked { int idx; double rate; } ranked;

static int by_rate(const void *pa, const void *pb)   /* highest rate first; unknown last; ties: table order */
{
    const ranked *a = pa, *b = pb;
    int na = isnan(a->rate), nb = isnan(b->rate);
    if (na != nb) return na - nb;
    if (!na && a->rate != b->rate) return a->rate > b->rate ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

static int take(int *out, int *n_out, unsigned char *taken, int i, int max)
{
    if (taken[i] || (max > 0 && *n_out >= max)) return 0;
    taken[i] = 1;
    out[(*n_out)++] = i;
    return 1;
}

static int take_named(char *const *names, int n, const care_area *areas, int n_areas, const char *key,
                      int *out, int *n_out, unsigned char *taken, int max, sim_err *err)
{
    for (int j = 0; j < n; j++) {
        int i = care_eligible_find(areas, n_areas, names[j]);
        if (i < 0)
            return sim_err_set(err, SIM_EINVAL, "%s: no area with code or name '%s' in the areas table", key, names[j]);
        take(out, n_out, taken, i, max);
    }
    return SIM_OK;
}

int care_eligible_select(const care_eligible *e, const care_area *areas, int n_areas, const char *key,
                         int *out, int *n_out, sim_err *err)
{
    *n_out = 0;
    unsigned char *taken = calloc((size_t)n_areas + 1, 1);
    ranked *r = calloc((size_t)n_areas + 1, sizeof *r);
    int rc = taken && r ? SIM_OK : sim_err_set(err, SIM_ENOMEM, "%s: out of memory", key);
    if (rc == SIM_OK) rc = take_named(e->first, e->n_first, areas, n_areas, key, out, n_out, taken, e->max, err);
    if (rc == SIM_OK && e->n_codes)
        rc = take_named(e->codes, e->n_codes, areas, n_areas, key, out, n_out, taken, e->max, err);
    else if (rc == SIM_OK) {
        double overall = table_rate(areas, n_areas);
        int n = 0;
        for (int i = 0; i < n_areas; i++)
            if (meets(e, &areas[i], overall))
                r[n++] = (ranked){i, care_eligible_rate(&areas[i])};
        if (e->order == CARE_ORDER_HIGHEST_RATE)
            qsort(r, (size_t)n, sizeof *r, by_rate);
        for (int j = 0, skipped = 0; j < n; j++)
            if (!taken[r[j].idx] && skipped < e->skip) skipped++;
            else take(out, n_out, taken, r[j].idx, e->max);
    }
    free(taken);
    free(r);
    return rc;
}
