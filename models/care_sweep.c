/* models/care_sweep.c - see care_sweep.h. */
#include "care_sweep.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "../sim/rng.h"

#define STREAM_SWEEP 5ull    /* stream kind, apart from the model's and the effects' */

void care_sweep_free(care_sweep *s)
{
    if (!s) return;
    for (int j = 0; j < s->n_params; j++) {
        free(s->params[j].key);
        free(s->params[j].values);
    }
    free(s->params);
    memset(s, 0, sizeof *s);
}

static int number(care_yaml_doc *d, yaml_node_t *n, const char *key, double *out, sim_err *err)
{
    const char *s;
    int rc = care_yaml_str(d, n, key, &s, err);
    if (rc != SIM_OK) return rc;
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    if (*end || end == s || errno == ERANGE || !isfinite(*out))
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a number, got '%s'", d->path, care_yaml_line(n), key, s);
    return SIM_OK;
}

/* key: [v, v, ...] for each pair of the mapping. */
static int read_params(care_yaml_doc *d, yaml_node_t *map, const char *prefix, int lhs, care_sweep *s, sim_err *err)
{
    if (map->type != YAML_MAPPING_NODE)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a mapping of keys to values", d->path, care_yaml_line(map), prefix);
    size_t np = (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
    if (np == 0 || np > CARE_SWEEP_MAX_PARAMS)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: between 1 and %d keys, got %zu", d->path, care_yaml_line(map),
                           prefix, CARE_SWEEP_MAX_PARAMS, np);
    if (!(s->params = calloc(np, sizeof *s->params)))
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&d->doc, pr->key), *vn = yaml_document_get_node(&d->doc, pr->value);
        const char *key;
        int rc = care_yaml_str(d, kn, prefix, &key, err);
        if (rc != SIM_OK) return rc;
        for (int j = 0; j < s->n_params; j++)
            if (!strcmp(s->params[j].key, key))
                return sim_err_set(err, SIM_EINVAL, "%s:%d: %s.%s: key appears twice", d->path, care_yaml_line(kn), prefix, key);
        care_sweep_param *p = &s->params[s->n_params++];
        p->line = care_yaml_line(kn);
        if (!(p->key = strdup(key))) return sim_err_set(err, SIM_ENOMEM, "out of memory");
        int nv = vn->type == YAML_SEQUENCE_NODE ? (int)(vn->data.sequence.items.top - vn->data.sequence.items.start) : 0;
        if (nv < 1 || (lhs && nv != 2))
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s.%s: expected %s", d->path, care_yaml_line(vn), prefix, key,
                               lhs ? "a range [low, high]" : "a list of values");
        if (!(p->values = malloc((size_t)nv * sizeof *p->values))) return sim_err_set(err, SIM_ENOMEM, "out of memory");
        char dotted[256];
        snprintf(dotted, sizeof dotted, "%s.%s", prefix, key);
        for (int i = 0; i < nv; i++) {
            rc = number(d, yaml_document_get_node(&d->doc, vn->data.sequence.items.start[i]), dotted, &p->values[i], err);
            if (rc != SIM_OK) return rc;
        }
        p->n_values = nv;
        if (lhs && !(p->values[0] < p->values[1]))
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: the range must have low < high, got [%g, %g]", d->path,
                               care_yaml_line(vn), dotted, p->values[0], p->values[1]);
    }
    return SIM_OK;
}

int care_sweep_parse(care_yaml_doc *d, yaml_node_t *node, care_sweep *s, sim_err *err)
{
    memset(s, 0, sizeof *s);
    care_yaml_key k[] = {{"grid", 0, NULL, 0, NULL}, {"latin_hypercube", 0, NULL, 0, NULL},
                         {"parameters", 0, NULL, 0, NULL}, {NULL, 0, NULL, 0, NULL}};
    int rc = care_yaml_map(d, node, "sweep", k, err);
    if (rc != SIM_OK) return rc;
    if (!k[0].value == !k[1].value)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: sweep: give either grid or latin_hypercube", d->path, care_yaml_line(node));
    if (k[0].value) {
        if (k[2].value)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: sweep.parameters: a grid lists its values under grid", d->path, k[2].line);
        s->method = CARE_SWEEP_GRID;
        rc = read_params(d, k[0].value, "sweep.grid", 0, s, err);
    } else {
        s->method = CARE_SWEEP_LHS;
        care_yaml_key lk[] = {{"n", 1, NULL, 0, NULL}, {"seed", 1, NULL, 0, NULL}, {NULL, 0, NULL, 0, NULL}};
        uint64_t n = 0;
        rc = care_yaml_map(d, k[1].value, "sweep.latin_hypercube", lk, err);
        if (rc == SIM_OK) rc = care_yaml_uint(d, lk[0].value, "sweep.latin_hypercube.n", 1, CARE_SWEEP_MAX_POINTS, &n, err);
        if (rc == SIM_OK) rc = care_yaml_uint(d, lk[1].value, "sweep.latin_hypercube.seed", 0, UINT64_MAX, &s->seed, err);
        s->n = (uint32_t)n;
        if (rc == SIM_OK && !k[2].value)
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: sweep.parameters: required key is missing", d->path, care_yaml_line(node));
        if (rc == SIM_OK) rc = read_params(d, k[2].value, "sweep.parameters", 1, s, err);
    }
    if (rc == SIM_OK && care_sweep_points(s) > CARE_SWEEP_MAX_POINTS)
        rc = sim_err_set(err, SIM_EINVAL, "%s:%d: sweep: more than %d points", d->path, care_yaml_line(node), CARE_SWEEP_MAX_POINTS);
    return rc;
}

size_t care_sweep_points(const care_sweep *s)
{
    if (s->method == CARE_SWEEP_LHS) return s->n;
    size_t n = 1;
    for (int j = 0; j < s->n_params; j++) {
        n *= (size_t)s->params[j].n_values;
        if (n > CARE_SWEEP_MAX_POINTS) return CARE_SWEEP_MAX_POINTS + 1;
    }
    return n;
}

int care_sweep_expand(const care_sweep *s, double *v, sim_err *err)
{
    size_t np = care_sweep_points(s), J = (size_t)s->n_params;
    if (s->method == CARE_SWEEP_GRID) {
        for (size_t p = 0; p < np; p++) {
            size_t rest = p;
            for (size_t j = J; j-- > 0;) {   /* the last key varies fastest */
                size_t nv = (size_t)s->params[j].n_values;
                v[p * J + j] = s->params[j].values[rest % nv];
                rest /= nv;
            }
        }
        return SIM_OK;
    }
    gsl_rng *g = sim_rng_alloc();
    size_t *perm = malloc(np * sizeof *perm);
    if (!g || !perm) {
        if (g) gsl_rng_free(g);
        free(perm);
        return sim_err_set(err, SIM_ENOMEM, "sweep: out of memory for %zu points", np);
    }
    for (size_t j = 0; j < J; j++) {
        sim_rng_key(g, s->seed, 0, STREAM_SWEEP << 56, j, 0);
        for (size_t p = 0; p < np; p++) perm[p] = p;
        gsl_ran_shuffle(g, perm, np, sizeof *perm);
        double lo = s->params[j].values[0], hi = s->params[j].values[1];
        for (size_t p = 0; p < np; p++)
            v[p * J + j] = lo + (hi - lo) * ((double)perm[p] + gsl_rng_uniform(g)) / (double)np;
    }
    free(perm);
    gsl_rng_free(g);
    return SIM_OK;
}

void care_sweep_coord_name(const char *key, char *out, size_t n)
{
    snprintf(out, n, "param_%s", key);
    for (char *c = out + 6; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_') *c = '_';
}

int care_override_get(care_overrides *o, const char *key, double *value)
{
    for (int i = 0; o && i < o->n; i++)
        if (!strcmp(o->v[i].key, key)) {
            o->v[i].used = 1;
            *value = o->v[i].value;
            return 1;
        }
    return 0;
}

const care_override *care_override_unused(const care_overrides *o)
{
    for (int i = 0; o && i < o->n; i++)
        if (!o->v[i].used) return &o->v[i];
    return NULL;
}
