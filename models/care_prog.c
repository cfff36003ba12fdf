/* models/care_prog.c - see care_prog.h. The keys are documented in docs/programmes.md. */
#include "care_prog.h"
#include "care_keys.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY(n) {n, 0, NULL, 0, NULL}
#define KEY_END {NULL, 0, NULL, 0, NULL}

void care_prog_free(care_programme *p, int n)
{
    if (!p) return;
    for (int i = 0; i < n; i++) {
        free(p[i].name);
        free(p[i].file);
        care_eligible_free(&p[i].where);
        free(p[i].areas);
        free(p[i].in_area);
        for (int s = 0; s < p[i].n_states; s++) free(p[i].states[s]);
        for (int s = 0; s < p[i].n_continues; s++) free(p[i].continues[s]);
        for (int e = 0; e < p[i].n_effects; e++) free(p[i].effects[e].transition);
    }
    free(p);
}

static int count(const yaml_node_t *n)
{
    return n->type == YAML_SEQUENCE_NODE ? (int)(n->data.sequence.items.top - n->data.sequence.items.start) : -1;
}
static yaml_node_t *item(care_yaml_doc *d, yaml_node_t *n, int i)
{
    return yaml_document_get_node(&d->doc, n->data.sequence.items.start[i]);
}

static int need_list(care_yaml_doc *d, yaml_node_t *n, const char *key, int lo, int hi, sim_err *err)
{
    int c = count(n);
    if (c < 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a list", d->path, care_yaml_line(n), key);
    if (c < lo || c > hi)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected %d to %d items, got %d", d->path, care_yaml_line(n), key, lo, hi, c);
    return SIM_OK;
}

/* A list of strings (a single string is a list of one). */
static int str_list(care_yaml_doc *d, yaml_node_t *n, const char *key, int max, char ***out, int *nout, sim_err *err)
{
    int c = n->type == YAML_SCALAR_NODE ? 1 : count(n);
    int rc = c == 1 && n->type == YAML_SCALAR_NODE ? SIM_OK : need_list(d, n, key, 1, max, err);
    if (rc != SIM_OK) return rc;
    if (!(*out = calloc((size_t)c, sizeof **out))) return sim_err_set(err, SIM_ENOMEM, "out of memory");
    for (int i = 0; i < c; i++) {
        const char *s;
        rc = care_yaml_str(d, n->type == YAML_SCALAR_NODE ? n : item(d, n, i), key, &s, err);
        if (rc != SIM_OK) return rc;
        if (!((*out)[i] = strdup(s))) return sim_err_set(err, SIM_ENOMEM, "out of memory");
        *nout = i + 1;
    }
    return SIM_OK;
}

/* A number >= lo read from n (or the default when n is NULL), unless a sweep overrides `key`. */
static int number(care_yaml_doc *d, yaml_node_t *n, const char *key, double lo, double dflt, care_overrides *ov,
                  double *out, sim_err *err)
{
    if (care_override_get(ov, key, out)) {
        if (!(*out >= lo))
            return sim_err_set(err, SIM_EINVAL, "%s: %s: the sweep sets %.17g, below the least allowed value %g",
                               d->path, key, *out, lo);
        return SIM_OK;
    }
    if (!n) { *out = dflt; return SIM_OK; }
    const char *s;
    int rc = care_yaml_str(d, n, key, &s, err);
    if (rc != SIM_OK) return rc;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || end == s || errno == ERANGE || !isfinite(v))
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a number, got '%s'", d->path, care_yaml_line(n), key, s);
    if (!(v >= lo))
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: must be >= %g, got %g", d->path, care_yaml_line(n), key, lo, v);
    *out = v;
    return SIM_OK;
}

static double span_days(int64_t from, care_span sp) { return (double)(care_span_add(from, sp, 1) - from); }

static int read_where(care_yaml_doc *d, yaml_node_t *n, const char *pfx, care_overrides *ov, care_programme *p,
                      sim_err *err)
{
    char key[192];
    snprintf(key, sizeof key, "%s.areas", pfx);
    if (n->type != YAML_MAPPING_NODE)
        return str_list(d, n, key, 100000, &p->where.codes, &p->where.n_codes, err);
    care_yaml_key k[] = {KEY("eligible"), KEY("first"), KEY("max"), KEY("order"), KEY("skip"), KEY_END};
    int rc = care_yaml_map(d, n, key, k, err);
    char sub[224];
    if (rc == SIM_OK && k[0].value) {
        care_yaml_key e[] = {KEY("ofsted"), KEY("region"), KEY("care_numbers"), KEY_END};
        snprintf(sub, sizeof sub, "%s.eligible", key);
        rc = care_yaml_map(d, k[0].value, sub, e, err);
        snprintf(sub, sizeof sub, "%s.eligible.ofsted", key);
        if (rc == SIM_OK && e[0].value) rc = str_list(d, e[0].value, sub, 16, &p->where.ofsted, &p->where.n_ofsted, err);
        snprintf(sub, sizeof sub, "%s.eligible.region", key);
        if (rc == SIM_OK && e[1].value) rc = str_list(d, e[1].value, sub, 64, &p->where.regions, &p->where.n_regions, err);
        if (rc == SIM_OK && e[2].value) {
            char **v = NULL;
            int nv = 0;
            snprintf(sub, sizeof sub, "%s.eligible.care_numbers", key);
            rc = str_list(d, e[2].value, sub, 3, &v, &nv, err);
            for (int i = 0; i < nv && rc == SIM_OK; i++) {
                if (!strcmp(v[i], "high")) p->where.numbers |= CARE_NUM_HIGH;
                else if (!strcmp(v[i], "rising")) p->where.numbers |= CARE_NUM_RISING;
                else if (!strcmp(v[i], "falling")) p->where.numbers |= CARE_NUM_FALLING;
                else rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected high, rising or falling, got '%s'", d->path,
                                      care_yaml_line(e[2].value), sub, v[i]);
            }
            for (int i = 0; i < nv; i++) free(v[i]);
            free(v);
        }
    }
    snprintf(sub, sizeof sub, "%s.first", key);
    if (rc == SIM_OK && k[1].value) rc = str_list(d, k[1].value, sub, 100000, &p->where.first, &p->where.n_first, err);
    double v = 0;
    snprintf(sub, sizeof sub, "%s.max", key);   /* numbers, so that a sweep can set them */
    if (rc == SIM_OK) rc = number(d, k[2].value, sub, 0, 0, ov, &v, err);
    p->where.max = (int)fmin(v, 100000);
    snprintf(sub, sizeof sub, "%s.skip", key);
    if (rc == SIM_OK) rc = number(d, k[4].value, sub, 0, 0, ov, &v, err);
    p->where.skip = (int)fmin(v, 100000);
    if (rc == SIM_OK && k[3].value) {
        const char *s;
        snprintf(sub, sizeof sub, "%s.order", key);
        rc = care_yaml_str(d, k[3].value, sub, &s, err);
        if (rc == SIM_OK && !strcmp(s, "table")) p->where.order = CARE_ORDER_TABLE;
        else if (rc == SIM_OK && strcmp(s, "highest_care_rate"))
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected highest_care_rate or table, got '%s'", d->path,
                             care_yaml_line(k[3].value), sub, s);
    }
    if (rc == SIM_OK && !k[0].value && !p->where.n_first)
        rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: give a list of areas, or eligible and/or first", d->path,
                         care_yaml_line(n), key);
    return rc;
}

static int read_children(care_yaml_doc *d, yaml_node_t *n, const char *pfx, care_overrides *ov, care_programme *p,
                         sim_err *err)
{
    char key[192], sub[224];
    snprintf(key, sizeof key, "%s.children", pfx);
    care_yaml_key k[] = {{"states", 1, NULL, 0, NULL}, KEY("age"), KEY("continues_in"), KEY("new_only"), KEY_END};
    int rc = care_yaml_map(d, n, key, k, err);
    snprintf(sub, sizeof sub, "%s.states", key);
    char **v = NULL;
    int nv = 0;
    if (rc == SIM_OK && count(k[0].value) != 0)   /* [] : nobody is referred (effects on entries only) */
        rc = str_list(d, k[0].value, sub, CARE_PROG_MAX_STATES, &v, &nv, err);
    for (int i = 0; i < nv; i++) p->states[i] = v[i];
    p->n_states = nv;
    free(v);
    v = NULL;
    nv = 0;
    snprintf(sub, sizeof sub, "%s.continues_in", key);
    if (rc == SIM_OK && k[2].value) rc = str_list(d, k[2].value, sub, CARE_PROG_MAX_STATES, &v, &nv, err);
    for (int i = 0; i < nv; i++) p->continues[i] = v[i];
    p->n_continues = nv;
    free(v);
    snprintf(sub, sizeof sub, "%s.new_only", key);
    if (rc == SIM_OK && k[3].value) rc = care_yaml_bool(d, k[3].value, sub, &p->new_only, err);
    p->age_lo = 0;
    p->age_hi = 17;
    if (rc == SIM_OK && k[1].value) {
        snprintf(sub, sizeof sub, "%s.age", key);
        rc = need_list(d, k[1].value, sub, 2, 2, err);
        char a[240];
        snprintf(a, sizeof a, "%s.0", sub);
        if (rc == SIM_OK) rc = number(d, item(d, k[1].value, 0), a, 0, 0, ov, &p->age_lo, err);
        snprintf(a, sizeof a, "%s.1", sub);
        if (rc == SIM_OK) rc = number(d, item(d, k[1].value, 1), a, 0, 0, ov, &p->age_hi, err);
        if (rc == SIM_OK && !(p->age_lo <= p->age_hi && p->age_hi < 18))
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected [from, to] with from <= to <= 17 (years)", d->path,
                             care_yaml_line(k[1].value), sub);
    }
    return rc;
}

static int read_capacity(care_yaml_doc *d, yaml_node_t *n, const char *pfx, int64_t day0, care_overrides *ov,
                         care_programme *p, sim_err *err)
{
    char key[192], sub[240];
    snprintf(key, sizeof key, "%s.capacity", pfx);
    if (!n) {   /* a sweep may give places to a programme whose file leaves them unlimited */
        double v;
        if (care_override_get(ov, key, &v)) {
            p->n_cap = 1;
            p->cap_from[0] = -INFINITY;
            p->cap_places[0] = floor(v);
        }
        return SIM_OK;
    }
    if (n->type == YAML_SCALAR_NODE) {
        p->n_cap = 1;
        p->cap_from[0] = -INFINITY;
        int rc = number(d, n, key, 0, 0, ov, &p->cap_places[0], err);
        p->cap_places[0] = floor(p->cap_places[0]);
        return rc;
    }
    int rc = need_list(d, n, key, 1, CARE_PROG_MAX_STEPS, err);
    for (int i = 0; rc == SIM_OK && i < count(n); i++) {
        care_yaml_key k[] = {{"from", 1, NULL, 0, NULL}, {"places", 1, NULL, 0, NULL}, KEY_END};
        snprintf(sub, sizeof sub, "%s.%d", key, i);
        rc = care_yaml_map(d, item(d, n, i), sub, k, err);
        int64_t day;
        char f[256];
        snprintf(f, sizeof f, "%s.from", sub);
        if (rc == SIM_OK) rc = care_yaml_date(d, k[0].value, f, &day, err);
        p->cap_from[i] = i == 0 ? -INFINITY : (double)(day - day0);
        if (rc == SIM_OK && i > 0 && !(p->cap_from[i] > p->cap_from[i - 1] || (i == 1 && isinf(p->cap_from[0]))))
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: dates must increase", d->path, k[0].line, f);
        snprintf(f, sizeof f, "%s.places", sub);
        if (rc == SIM_OK) rc = number(d, k[1].value, f, 0, 0, ov, &p->cap_places[i], err);
        p->cap_places[i] = floor(p->cap_places[i]);
        p->n_cap = i + 1;
    }
    return rc;
}

double care_prog_places(const care_programme *p, double t, double *until)
{
    if (p->n_cap == 0) { *until = INFINITY; return INFINITY; }
    int i = 0;
    while (i + 1 < p->n_cap && t >= p->cap_from[i + 1]) i++;
    *until = i + 1 < p->n_cap ? p->cap_from[i + 1] : INFINITY;
    return p->cap_places[i];
}

static int read_effects(care_yaml_doc *d, yaml_node_t *n, const char *pfx, care_overrides *ov, care_programme *p,
                        sim_err *err)
{
    char key[192], sub[224], f[256];
    snprintf(key, sizeof key, "%s.effects", pfx);
    int rc = need_list(d, n, key, 0, CARE_PROG_MAX_EFFECTS, err);
    for (int i = 0; rc == SIM_OK && i < count(n); i++) {
        care_prog_effect *e = &p->effects[i];
        care_yaml_key k[] = {{"transition", 1, NULL, 0, NULL}, {"ratio", 1, NULL, 0, NULL}, KEY("ci95"),
                             KEY("source"), KEY("note"), KEY("same_draw_as"), KEY_END};
        snprintf(sub, sizeof sub, "%s.%d", key, i);
        yaml_node_t *it = item(d, n, i);
        rc = care_yaml_map(d, it, sub, k, err);
        const char *s;
        snprintf(f, sizeof f, "%s.transition", sub);
        if (rc == SIM_OK) rc = care_yaml_str(d, k[0].value, f, &s, err);
        if (rc == SIM_OK && !(e->transition = strdup(s))) rc = sim_err_set(err, SIM_ENOMEM, "out of memory");
        e->line = care_yaml_line(it);
        e->from_state = e->column = -1;
        p->n_effects = i + 1;
        snprintf(f, sizeof f, "%s.ratio", sub);
        double swept = 0;
        int is_swept = care_override_get(ov, f, &swept);
        if (rc == SIM_OK) rc = number(d, k[1].value, f, 0, 1, NULL, &e->size.ratio, err);
        if (rc == SIM_OK && k[2].value) {
            snprintf(f, sizeof f, "%s.ci95", sub);
            rc = need_list(d, k[2].value, f, 2, 2, err);
            char g[280];
            snprintf(g, sizeof g, "%s.0", f);
            if (rc == SIM_OK) rc = number(d, item(d, k[2].value, 0), g, 0, 0, ov, &e->size.lo, err);
            snprintf(g, sizeof g, "%s.1", f);
            if (rc == SIM_OK) rc = number(d, item(d, k[2].value, 1), g, 0, 0, ov, &e->size.hi, err);
            if (rc == SIM_OK && !(e->size.lo > 0 && e->size.lo <= e->size.ratio && e->size.ratio <= e->size.hi && e->size.lo < e->size.hi))
                rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected [low, high] with 0 < low <= ratio <= high, low < high",
                                 d->path, care_yaml_line(k[2].value), f);
        }
        if (rc == SIM_OK && k[5].value) {   /* one uncertain effect on several transitions */
            uint64_t j;
            snprintf(f, sizeof f, "%s.same_draw_as", sub);
            rc = care_yaml_uint(d, k[5].value, f, 0, i > 0 ? (uint64_t)i - 1 : 0, &j, err);
            if (rc == SIM_OK && i == 0)
                rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: must name an earlier effect (0 to %d)", d->path,
                                 care_yaml_line(k[5].value), f, i - 1);
            e->same_draw = (int)j + 1;
        }
        if (rc == SIM_OK && is_swept) {   /* a swept ratio moves its interval with it (same sigma) */
            if (!(swept > 0))
                return sim_err_set(err, SIM_EINVAL, "%s: %s.ratio: the sweep sets %.17g; a ratio must be > 0", d->path, sub, swept);
            e->size.lo *= swept / e->size.ratio;
            e->size.hi *= swept / e->size.ratio;
            e->size.ratio = swept;
        }
    }
    return rc;
}

static int read_costs(care_yaml_doc *d, yaml_node_t *n, const char *pfx, care_overrides *ov, care_programme *p,
                      sim_err *err)
{
    char key[192], f[240];
    snprintf(key, sizeof key, "%s.costs", pfx);
    care_yaml_key k[] = {KEY("per_child_day"), KEY("per_child_served"), KEY("fixed_per_area_per_year"),
                         KEY("price_year"), KEY("source"), KEY("note"), KEY_END};
    int rc = n ? care_yaml_map(d, n, key, k, err) : SIM_OK;
    double *dst[] = {&p->cost_per_day, &p->cost_per_child, &p->cost_fixed_per_area_year};
    for (int i = 0; i < 3 && rc == SIM_OK; i++) {
        snprintf(f, sizeof f, "%s.%s", key, k[i].name);
        rc = number(d, k[i].value, f, 0, 0, ov, dst[i], err);
    }
    if (rc == SIM_OK && k[3].value) {
        uint64_t y;
        snprintf(f, sizeof f, "%s.price_year", key);
        rc = care_yaml_uint(d, k[3].value, f, 1900, 2200, &y, err);
        p->price_year = (int)y;
    }
    return rc;
}

static int read_when(care_yaml_doc *d, care_yaml_key *k, const char *pfx, int64_t day0, care_programme *p, sim_err *err)
{
    /* k: start, ramp_up, end, after_end, half_life */
    char f[224];
    int64_t start, end;
    snprintf(f, sizeof f, "%s.start", pfx);
    int rc = care_yaml_date(d, k[0].value, f, &start, err);
    care_effect_time *t = &p->time;
    t->start = (double)(start - day0);
    t->end = INFINITY;
    care_span sp = {0, 0, 0};
    snprintf(f, sizeof f, "%s.ramp_up", pfx);
    if (rc == SIM_OK && k[1].value) rc = care_yaml_span(d, k[1].value, f, 0, &sp, NULL, err);
    t->ramp = span_days(start, sp);
    snprintf(f, sizeof f, "%s.end", pfx);
    if (rc == SIM_OK && k[2].value) {
        rc = care_yaml_date(d, k[2].value, f, &end, err);
        t->end = (double)(end - day0);
        if (rc == SIM_OK && !(t->end > t->start))
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: must be after the start", d->path, k[2].line, f);
    }
    t->after = CARE_AFTER_STOP;
    if (rc == SIM_OK && k[3].value) {
        const char *s;
        snprintf(f, sizeof f, "%s.after_end", pfx);
        rc = care_yaml_str(d, k[3].value, f, &s, err);
        if (rc == SIM_OK && !strcmp(s, "persist")) t->after = CARE_AFTER_PERSIST;
        else if (rc == SIM_OK && !strcmp(s, "decay")) t->after = CARE_AFTER_DECAY;
        else if (rc == SIM_OK && strcmp(s, "stop"))
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected stop, persist or decay, got '%s'", d->path, k[3].line, f, s);
    }
    snprintf(f, sizeof f, "%s.half_life", pfx);
    if (rc == SIM_OK && (t->after == CARE_AFTER_DECAY) != (k[4].value != NULL))
        rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: give a half-life exactly when after_end is decay", d->path,
                         k[4].value ? k[4].line : care_yaml_line(k[0].value), f);
    if (rc == SIM_OK && k[4].value) {
        rc = care_yaml_span(d, k[4].value, f, 0, &sp, NULL, err);
        t->half_life = span_days(start, sp);
        if (rc == SIM_OK && !(t->half_life > 0))
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: must be longer than 0", d->path, k[4].line, f);
    }
    return rc;
}

static int read_one(care_yaml_doc *d, yaml_node_t *n, int idx, int64_t day0, care_overrides *ov, care_programme *p,
                    sim_err *err)
{
    enum { NAME, DESC, SOURCE, AREAS, CHILDREN, START, RAMP, END, AFTER, HALF, CAP, DUR, EFFECTS, COSTS, NK };
    care_yaml_key k[] = {{"name", 1, NULL, 0, NULL}, KEY("description"), KEY("source"), {"areas", 1, NULL, 0, NULL},
                         {"children", 1, NULL, 0, NULL}, {"start", 1, NULL, 0, NULL}, KEY("ramp_up"), KEY("end"),
                         KEY("after_end"), KEY("half_life"), KEY("capacity"), KEY("duration"), KEY("effects"),
                         KEY("costs"), KEY_END};
    char pfx[160];
    snprintf(pfx, sizeof pfx, "programmes.%d", idx);
    p->line = care_yaml_line(n);
    p->file = strdup(d->path);
    int rc = p->file ? care_yaml_map(d, n, pfx, k, err) : sim_err_set(err, SIM_ENOMEM, "out of memory");
    const char *s;
    if (rc == SIM_OK) rc = care_yaml_str(d, k[NAME].value, "programmes.name", &s, err);
    if (rc == SIM_OK) {
        for (const char *c = s; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
                return sim_err_set(err, SIM_EINVAL, "%s:%d: %s.name: use lower-case letters, digits and '_', got '%s'",
                                   d->path, k[NAME].line, pfx, s);
        if (!(p->name = strdup(s))) return sim_err_set(err, SIM_ENOMEM, "out of memory");
        snprintf(pfx, sizeof pfx, "programmes.%s", s);   /* later keys are named by the programme */
    }
    if (rc == SIM_OK) rc = read_where(d, k[AREAS].value, pfx, ov, p, err);
    if (rc == SIM_OK) rc = read_children(d, k[CHILDREN].value, pfx, ov, p, err);
    if (rc == SIM_OK) rc = read_when(d, &k[START], pfx, day0, p, err);
    if (rc == SIM_OK) rc = read_capacity(d, k[CAP].value, pfx, day0, ov, p, err);
    p->duration = INFINITY;
    if (rc == SIM_OK && k[DUR].value) {
        care_span sp;
        char f[192];
        snprintf(f, sizeof f, "%s.duration", pfx);
        rc = care_yaml_span(d, k[DUR].value, f, 0, &sp, NULL, err);
        p->duration = span_days(day0 + (int64_t)p->time.start, sp);
        if (rc == SIM_OK && !(p->duration > 0))
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: must be longer than 0", d->path, k[DUR].line, f);
    }
    if (rc == SIM_OK && k[EFFECTS].value) rc = read_effects(d, k[EFFECTS].value, pfx, ov, p, err);
    if (rc == SIM_OK) rc = read_costs(d, k[COSTS].value, pfx, ov, p, err);
    return rc;
}

int care_prog_parse(care_yaml_doc *d, yaml_node_t *list, int64_t start_date, care_overrides *ov,
                    care_programme **out, int *n, sim_err *err)
{
    *out = NULL;
    *n = 0;
    int rc = need_list(d, list, "programmes", 0, CARE_PROG_MAX, err);
    if (rc != SIM_OK) return rc;
    int c = count(list);
    care_programme *p = calloc((size_t)c + 1, sizeof *p);
    if (!p) return sim_err_set(err, SIM_ENOMEM, "out of memory");
    int got = 0;
    for (int i = 0; i < c && rc == SIM_OK; i++) {
        got = i + 1;
        rc = read_one(d, item(d, list, i), i, start_date, ov, &p[i], err);
        for (int j = 0; j < i && rc == SIM_OK; j++)
            if (!strcmp(p[j].name, p[i].name))
                rc = sim_err_set(err, SIM_EINVAL, "%s:%d: programmes.%d.name: '%s' is already the name of programme %d",
                                 d->path, p[i].line, i, p[i].name, j);
    }
    if (rc != SIM_OK) {
        care_prog_free(p, got);
        return rc;
    }
    *out = p;
    *n = c;
    return SIM_OK;
}

int care_prog_resolve(care_programme *p, int n, const care_area *areas, int n_areas, sim_err *err)
{
    for (int i = 0; i < n; i++) {
        char key[192];
        snprintf(key, sizeof key, "%s:%d: programmes.%s.areas", p[i].file, p[i].line, p[i].name);
        free(p[i].areas);
        free(p[i].in_area);
        p[i].areas = malloc((size_t)n_areas * sizeof *p[i].areas + 1);
        p[i].in_area = calloc((size_t)n_areas + 1, 1);
        if (!p[i].areas || !p[i].in_area) return sim_err_set(err, SIM_ENOMEM, "out of memory");
        int rc = care_eligible_select(&p[i].where, areas, n_areas, key, p[i].areas, &p[i].n_areas, err);
        if (rc != SIM_OK) return rc;
        for (int j = 0; j < p[i].n_areas; j++) p[i].in_area[p[i].areas[j]] = 1;
    }
    return SIM_OK;
}
/* State and transition names of the programmes, resolved against the model's states
 * (care_states.h); for messages, file:line of the programme. from_state -2: an effect on
 * entries from outside (out->lac). */
int care_prog_bind(care_programme *p, int n, const care_hazard_table *haz, sim_err *err)
{
    for (int i = 0; i < n; i++) {
        care_programme *q = &p[i];
        for (int j = 0; j < q->n_states + q->n_continues; j++) {
            const char *name = j < q->n_states ? q->states[j] : q->continues[j - q->n_states];
            int s = care_state_find(name);
            if (s < 0 || haz[s].n_k == 0)
                return sim_err_set(err, SIM_EINVAL, "%s:%d: programmes.%s.children: '%s' is not a state of this "
                                   "scenario", q->file, q->line, q->name, name);
            if (j < q->n_states) q->state_idx[j] = s;
            else q->cont_idx[j - q->n_states] = s;
        }
        for (int e = 0; e < q->n_effects; e++) {
            care_prog_effect *x = &q->effects[e];
            int tr = care_transition_find(x->transition);
            if (tr < 0)
                return sim_err_set(err, SIM_EINVAL, "%s:%d: programmes.%s.effects.%d.transition: no transition '%s' "
                                   "(a label of the transition coordinate, or from->to)", q->file, x->line, q->name,
                                   e, x->transition);
            const care_transition_info *ti = &care_transitions[tr];
            if (ti->by == CARE_BY_ARRIVAL) { x->from_state = CARE_PROG_ENTRY; x->column = -1; continue; }
            if (ti->by != CARE_BY_HAZARD)
                return sim_err_set(err, SIM_EINVAL, "%s:%d: programmes.%s.effects.%d.transition: '%s' happens by "
                                   "rule (at 18 or at a window's end), not by a hazard a ratio could change",
                                   q->file, x->line, q->name, e, x->transition);
            x->from_state = ti->from;
            x->column = care_transition_column(tr);
        }
    }
    return SIM_OK;
}

static void num(FILE *f, double v)
{
    char b[40];
    care_format_number(v, b, sizeof b);
    fputs(b, f);
}

static void date(FILE *f, int64_t day0, double t)
{
    char b[11];
    care_date_format(day0 + (int64_t)t, b);
    fputs(b, f);
}

void care_prog_print(FILE *f, const care_programme *p, int n, const care_area *areas, int64_t day0)
{
    static const char *const after[] = {"stop", "persist", "decay"};
    fputs(n ? "programmes:\n" : "programmes: []\n", f);
    for (int i = 0; i < n; i++) {
        const care_programme *q = &p[i];
        fprintf(f, "  - name: %s\n    areas: [", q->name);
        for (int j = 0; j < q->n_areas; j++) fprintf(f, "%s%s", j ? ", " : "", areas[q->areas[j]].code);
        fputs("]\n    children: {states: [", f);
        for (int j = 0; j < q->n_states; j++) fprintf(f, "%s%s", j ? ", " : "", q->states[j]);
        fputc(']', f);
        for (int j = 0; j < q->n_continues; j++)   /* absent when empty: [] does not read back */
            fprintf(f, "%s%s", j ? ", " : ", continues_in: [", q->continues[j]);
        fprintf(f, "%s, new_only: %s, age: [", q->n_continues ? "]" : "", q->new_only ? "true" : "false");
        num(f, q->age_lo);
        fputs(", ", f);
        num(f, q->age_hi);
        fputs("]}\n    start: ", f);
        date(f, day0, q->time.start);
        fputs("\n    ramp_up: ", f);   /* spans in days, as read (keys that read back) */
        num(f, q->time.ramp);
        fputc('d', f);
        if (isfinite(q->time.end)) { fputs("\n    end: ", f); date(f, day0, q->time.end); }
        fprintf(f, "\n    after_end: %s\n", after[q->time.after]);
        if (q->time.after == CARE_AFTER_DECAY) { fputs("    half_life: ", f); num(f, q->time.half_life); fputs("d\n", f); }
        if (q->n_cap == 1) {
            fputs("    capacity: ", f);
            num(f, q->cap_places[0]);
            fputc('\n', f);
        } else if (q->n_cap) {
            fputs("    capacity: [", f);
            for (int j = 0; j < q->n_cap; j++) {   /* the first step holds from the start */
                fputs(j ? ", {from: " : "{from: ", f);
                date(f, day0, j ? q->cap_from[j] : q->time.start);
                fputs(", places: ", f);
                num(f, q->cap_places[j]);
                fputc('}', f);
            }
            fputs("]\n", f);
        } else {
            fputs("    # capacity: unlimited (no key)\n", f);
        }
        if (isfinite(q->duration)) { fputs("    duration: ", f); num(f, q->duration); fputs("d\n", f); }
        fputs("    effects:\n", f);
        for (int e = 0; e < q->n_effects; e++) {
            const care_prog_effect *x = &q->effects[e];
            fprintf(f, "      - {transition: %s, ratio: ", x->transition);
            num(f, x->size.ratio);
            if (x->size.lo > 0) { fputs(", ci95: [", f); num(f, x->size.lo); fputs(", ", f); num(f, x->size.hi); fputc(']', f); }
            if (x->same_draw) fprintf(f, ", same_draw_as: %d", x->same_draw - 1);
            fputs("}\n", f);
        }
        fputs("    costs: {per_child_day: ", f);
        num(f, q->cost_per_day);
        fputs(", per_child_served: ", f);
        num(f, q->cost_per_child);
        fputs(", fixed_per_area_per_year: ", f);
        num(f, q->cost_fixed_per_area_year);
        if (q->price_year) fprintf(f, ", price_year: %d", q->price_year);   /* 0: not given */
        fputs("}\n", f);
    }
}
