/* models/care_keys.c - see care_keys.h. */
#include "care_keys.h"
#include "care_estimate.h"

#include "care_capacity.h"
#include "care_prog.h"
#include "care_sweep.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CHAIN 8   /* files extending files; more is almost surely a cycle */
#define OFF(field) offsetof(care_config, field)

static int add(care_key *keys, int n, const char *name, int type, const char *def, size_t off)
{
    care_key *k = &keys[n];
    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "%s", name);
    k->type = type;
    k->def = def;
    k->off = off;
    return n + 1;
}

static int read_programmes(care_config *c, care_yaml_doc *d, yaml_node_t *v, sim_err *err)
{
    care_prog_free(c->progs, c->n_progs);
    c->progs = NULL;
    c->n_progs = 0;
    return care_prog_parse(d, v, c->start_date, c->overrides, &c->progs, &c->n_progs, err);
}

/* placement_fallback: a placement type's name (where a child goes when its type is full). */
static int read_fallback(care_config *c, care_yaml_doc *d, yaml_node_t *v, sim_err *err)
{
    const char *s;
    int rc = care_yaml_str(d, v, "placement_fallback", &s, err);
    if (rc != SIM_OK) return rc;
    if ((c->placement_fallback = care_placement_index(s)) < 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: placement_fallback: unknown placement '%s' (expected foster, "
                           "kinship, residential, placed_with_parents or independent)", d->path, care_yaml_line(v), s);
    c->placement_fallback_line = care_yaml_line(v);
    return SIM_OK;
}

static int read_sweep(care_config *c, care_yaml_doc *d, yaml_node_t *v, sim_err *err)
{
    if (!c->sweep && !(c->sweep = calloc(1, sizeof *c->sweep)))
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    care_sweep_free(c->sweep);
    return care_sweep_parse(d, v, c->sweep, err);
}

int care_keys_table(care_key *keys)
{
    char name[64];
    int n = 0;
    n = add(keys, n, "name", CARE_KEY_STR, "", OFF(name));          /* default: the file's base name */
    n = add(keys, n, "description", CARE_KEY_STR, "", OFF(description));
    n = add(keys, n, "start_date", CARE_KEY_DATE, NULL, OFF(start_date));
    n = add(keys, n, "horizon", CARE_KEY_SPAN, NULL, OFF(horizon_span));
    keys[n - 1].lo = 1;   /* longer than 0 */
    n = add(keys, n, "observe", CARE_KEY_SPAN, "1y", OFF(observe_span));
    keys[n - 1].lo = 1;
    n = add(keys, n, "replicates", CARE_KEY_U32, "10", OFF(replicates));
    keys[n - 1].lo = 1, keys[n - 1].hi = 10000000;
    n = add(keys, n, "seed", CARE_KEY_U64, NULL, OFF(seed));
    keys[n - 1].hi = UINT64_MAX;
    n = add(keys, n, "burn_in", CARE_KEY_SPAN, "0", OFF(burn_in_span));
    n = add(keys, n, "follow_up", CARE_KEY_SPAN_NONE, "2y", OFF(follow_up_span));
    keys[n - 1].aux = OFF(follow_up_none);
    n = add(keys, n, "areas", CARE_KEY_PATH, NULL, OFF(areas_path));
    n = add(keys, n, "tables.entry_rates", CARE_KEY_PATH, NULL, OFF(entry_rates_path));
    n = add(keys, n, "tables.entry_trend", CARE_KEY_PATH, "", OFF(entry_trend_path));
    for (int s = 0; s < CARE_NSTATE; s++) {
        snprintf(name, sizeof name, "tables.%s", care_states[s].table);
        n = add(keys, n, name, CARE_KEY_PATH, care_states[s].optional ? "" : NULL,
                OFF(hazards_path) + (size_t)s * sizeof(char *));
    }
    n = add(keys, n, "tables.placement_shares", CARE_KEY_PATH, NULL, OFF(placement_shares_path));
    n = add(keys, n, "tables.placement_move_shares", CARE_KEY_PATH, "", OFF(placement_move_shares_path));
    n = add(keys, n, "tables.placement_costs", CARE_KEY_PATH, "", OFF(placement_costs_path));
    n = add(keys, n, "tables.placement_capacity", CARE_KEY_PATH, "", OFF(placement_capacity_path));
    n = add(keys, n, "placement_fallback", CARE_KEY_NODE, "", 0);
    keys[n - 1].read = read_fallback;
    n = add(keys, n, "tables.referral_rates", CARE_KEY_PATH, "", OFF(referral_rates_path));
    n = add(keys, n, "initial_stock", CARE_KEY_PATHS, "none", OFF(initial_stock_paths));
    keys[n - 1].aux = OFF(n_initial_stock);
    keys[n - 1].hi = CARE_MAXSTOCKFILES;
    n = add(keys, n, "rereferral_window", CARE_KEY_SPAN, "1y", OFF(rereferral_window_span));
    keys[n - 1].lo = 1;
    n = add(keys, n, "tables.entry_ages", CARE_KEY_PATH, "", OFF(entry_ages_path));
    n = add(keys, n, "tables.initial_stock_ages", CARE_KEY_PATH, "", OFF(initial_stock_ages_path));
    n = add(keys, n, "tables.initial_stock_ages_by_time", CARE_KEY_PATH, "", OFF(initial_stock_ages_by_time_path));
    n = add(keys, n, "tables.parameter_draws", CARE_KEY_PATH, "", OFF(parameter_draws_path));
    n = add(keys, n, "tables.rate_trend", CARE_KEY_PATH, "", OFF(rate_trend_path));
    n = add(keys, n, "tables.uasc", CARE_KEY_PATH, "", OFF(uasc_path));
    n = add(keys, n, "tables.pathway_trend", CARE_KEY_PATH, "", OFF(pathway_trend_path));
    n = add(keys, n, "tables.pathway_draws", CARE_KEY_PATH, "", OFF(pathway_draws_path));
    n = add(keys, n, "tables.initial_placement_shares", CARE_KEY_PATH, "", OFF(initial_placement_shares_path));
    n = add(keys, n, "output.deflate", CARE_KEY_INT, "1", OFF(deflate));
    keys[n - 1].hi = 9;
    n = add(keys, n, "output.episodes", CARE_KEY_BOOL, "false", OFF(episodes));
    n = add(keys, n, "costs.price_base_year", CARE_KEY_INT, "2017", OFF(money.price_base_year));
    keys[n - 1].lo = 1900, keys[n - 1].hi = 2200;
    n = add(keys, n, "costs.inflation", CARE_KEY_NUM, "0", OFF(money.inflation));
    n = add(keys, n, "programmes", CARE_KEY_NODE, "", 0);
    keys[n - 1].read = read_programmes;
    n = add(keys, n, "sweep", CARE_KEY_NODE, "", 0);
    keys[n - 1].read = read_sweep;
    n = add(keys, n, "adjust.entry_rates", CARE_KEY_EDIT, "1", OFF(adjust_entry));
    keys[n - 1].aux = CARE_EDIT_ENTRY;
    for (int s = 0; s < CARE_NSTATE; s++) {
        int tr[CARE_MAXK], nk = care_state_columns(s, tr);
        for (int k = 0; k < nk; k++) {
            snprintf(name, sizeof name, "adjust.%s.%s", care_states[s].table, care_transition_names[tr[k]]);
            n = add(keys, n, name, CARE_KEY_EDIT, "1",
                    OFF(adjust_haz) + ((size_t)s * CARE_MAXK + (size_t)k) * sizeof(care_edits));
            keys[n - 1].aux = CARE_EDIT_HAZARD;
        }
    }
    for (int p = 0; p < CARE_NPLACE; p++) {
        snprintf(name, sizeof name, "adjust.placement_shares.%s", care_placement_names[p]);
        n = add(keys, n, name, CARE_KEY_EDIT, "1", OFF(adjust_share) + (size_t)p * sizeof(care_edits));
        keys[n - 1].aux = CARE_EDIT_SHARE;
    }
    n = add(keys, n, "adjust.nfa_share", CARE_KEY_EDIT, "1", OFF(adjust_nfa));
    keys[n - 1].aux = CARE_EDIT_SHARE;
    return n;
}

care_key *care_keys_find(care_key *keys, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(keys[i].name, name))
            return &keys[i];
    return NULL;
}

/* ---- reading one file ---- */
static const char *scalar(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

static int is_parent(const care_key *keys, int n, const char *prefix)
{
    size_t len = strlen(prefix);
    for (int i = 0; i < n; i++)
        if (!strncmp(keys[i].name, prefix, len) && keys[i].name[len] == '.')
            return 1;
    return 0;
}

/* The keys one level below prefix, for "unknown key" messages. */
static void children(const care_key *keys, int n, const char *prefix, char *list, size_t size)
{
    size_t len = strlen(prefix);
    list[0] = '\0';
    for (int i = 0; i < n; i++) {
        const char *rest = keys[i].name;
        if (len) {
            if (strncmp(rest, prefix, len) || rest[len] != '.') continue;
            rest += len + 1;
        }
        char seg[64];
        snprintf(seg, sizeof seg, "%.*s", (int)strcspn(rest, "."), rest);
        char quoted[68];
        snprintf(quoted, sizeof quoted, " %s,", seg);
        if (strstr(list, quoted)) continue;
        strncat(list, quoted, size - strlen(list) - 1);
    }
    if (!len) strncat(list, " extends,", size - strlen(list) - 1);
    size_t l = strlen(list);
    if (l) list[l - 1] = '\0';
}

/* Records the values of one file's keys into found[] (same order as keys[]); *ext: its extends. */
static int walk(care_yaml_doc *d, yaml_node_t *map, const char *prefix, const care_key *keys, int n,
                care_yaml_key *found, care_yaml_key *ext, sim_err *err)
{
    if (map->type != YAML_MAPPING_NODE)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a mapping of keys", d->path, care_yaml_line(map), prefix);
    yaml_node_pair_t *start = map->data.mapping.pairs.start;
    for (yaml_node_pair_t *pr = start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&d->doc, pr->key), *vn = yaml_document_get_node(&d->doc, pr->value);
        if (kn->type != YAML_SCALAR_NODE)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: keys must be plain names", d->path, care_yaml_line(kn), prefix);
        char full[128];
        snprintf(full, sizeof full, "%s%s%s", prefix, *prefix ? "." : "", scalar(kn));
        for (yaml_node_pair_t *q = start; q < pr; q++) {
            yaml_node_t *qk = yaml_document_get_node(&d->doc, q->key);
            if (qk->type == YAML_SCALAR_NODE && !strcmp(scalar(qk), scalar(kn)))
                return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: key appears twice (first on line %d)", d->path,
                                   care_yaml_line(kn), full, care_yaml_line(qk));
        }
        int i = 0;
        while (i < n && strcmp(keys[i].name, full)) i++;
        if (i < n) {
            found[i] = (care_yaml_key){keys[i].name, 0, vn, care_yaml_line(kn), d};
        } else if (!*prefix && !strcmp(full, "extends")) {
            *ext = (care_yaml_key){"extends", 0, vn, care_yaml_line(kn), d};
        } else if (is_parent(keys, n, full)) {
            int rc = walk(d, vn, full, keys, n, found, ext, err);
            if (rc != SIM_OK) return rc;
        } else {
            char list[1024];
            children(keys, n, prefix, list, sizeof list);
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: unknown key (expected one of:%s)", d->path,
                               care_yaml_line(kn), full, list);
        }
    }
    return SIM_OK;
}

/* Joins a path from a scenario file with that file's directory, then makes it absolute if the
 * file exists (so the resolved scenario names exactly what was read). */
static char *resolve(const char *scenario, const char *rel)
{
    char buf[PATH_MAX * 2];
    const char *slash = strrchr(scenario, '/');
    if (rel[0] == '/' || !slash)
        snprintf(buf, sizeof buf, "%s", rel);
    else
        snprintf(buf, sizeof buf, "%.*s/%s", (int)(slash - scenario), scenario, rel);
    char real[PATH_MAX];
    return strdup(realpath(buf, real) ? real : buf);
}

/* An error inside a file that another extends also names the `extends:` line that led there. */
static void extended_from(sim_err *err, const char *file, int line)
{
    size_t n = strlen(err->msg);
    snprintf(err->msg + n, sizeof err->msg - n, " (in the file extended at %s:%d)", file, line);
}

/* Opens path and every file it extends; fills keys[i].at with the nearest file's value. */
static int read_chain(care_yaml_doc *docs, char **paths, int *nd, const char *path, care_key *keys, int n,
                      sim_err *err)
{
    char *next = strdup(path);
    int rc = SIM_OK, ext_line = 0;
    care_yaml_key found[CARE_MAXKEYS];
    while (next) {
        if (*nd == MAX_CHAIN) {
            free(next);
            return sim_err_set(err, SIM_EINVAL, "%s:%d: extends: more than %d files deep (do files extend each other?)",
                               paths[*nd - 1], ext_line, MAX_CHAIN);
        }
        paths[*nd] = next;
        next = NULL;
        care_yaml_doc *d = &docs[*nd];
        care_yaml_key ext = {0};
        memset(found, 0, sizeof found);
        rc = care_yaml_open(d, paths[*nd], err);
        if (rc == SIM_OK) {
            (*nd)++;
            rc = walk(d, care_yaml_root(d), "", keys, n, found, &ext, err);
        }
        if (rc != SIM_OK) {
            if (d != &docs[0])   /* reached through extends: say from where */
                extended_from(err, paths[d - docs - 1], ext_line);
            return rc;
        }
        for (int i = 0; i < n; i++)
            if (!keys[i].at.value && found[i].value) keys[i].at = found[i];
        if (!ext.value)
            break;
        const char *base;
        ext_line = ext.line;
        if ((rc = care_yaml_str(d, ext.value, "extends", &base, err)) != SIM_OK)
            return rc;
        if (!(next = resolve(d->path, base)))
            return sim_err_set(err, SIM_ENOMEM, "out of memory");
        if (access(next, R_OK) != 0) {
            free(next);
            return sim_err_set(err, SIM_EINVAL, "%s:%d: extends: cannot open '%s': %s", d->path, ext.line, base,
                               strerror(errno));
        }
    }
    for (int i = 0; i < n; i++)
        if (!keys[i].def && !keys[i].at.value)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: required key is missing", docs[0].path,
                               care_yaml_line(care_yaml_root(&docs[0])), keys[i].name);
    return SIM_OK;
}

/* ---- storing values ---- */
static int one_path(char **dst, const care_key *k, care_yaml_doc *d, yaml_node_t *v, sim_err *err)
{
    const char *s;
    int rc = care_yaml_str(d, v, k->name, &s, err);
    if (rc != SIM_OK) return rc;
    free(*dst);
    if (!(*dst = resolve(d->path, s)))
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    if (access(*dst, R_OK) != 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: cannot open '%s': %s", d->path, care_yaml_line(v), k->name, s,
                           strerror(errno));
    return SIM_OK;
}

/* PATHS: one path, none, or a list of paths. */
static int store_paths(care_config *c, const care_key *k, care_yaml_doc *d, yaml_node_t *v, sim_err *err)
{
    char **dst = (char **)((char *)c + k->off);
    int *n = (int *)((char *)c + k->aux), rc = SIM_OK;
    for (int i = 0; i < *n; i++) free(dst[i]), dst[i] = NULL;
    *n = 0;
    if (v->type != YAML_SEQUENCE_NODE) {
        if (v->type == YAML_SCALAR_NODE && !strcmp((const char *)v->data.scalar.value, "none")) return SIM_OK;
        rc = one_path(&dst[0], k, d, v, err);
        *n = dst[0] != NULL;   /* counted even when it cannot be opened, so that it is freed */
        return rc;
    }
    size_t len;
    if ((rc = care_yaml_list(d, v, k->name, &len, err)) != SIM_OK) return rc;
    if (len > k->hi)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: at most %d files", d->path, care_yaml_line(v), k->name, (int)k->hi);
    for (size_t i = 0; i < len && rc == SIM_OK; i++) {
        rc = one_path(&dst[i], k, d, care_yaml_item(d, v, i), err);
        *n = (int)i + 1;
    }
    return rc;
}

static int store(care_config *c, care_key *k, care_yaml_doc *d, yaml_node_t *v, sim_err *err)
{
    void *dst = (char *)c + k->off;
    const char *s;
    uint64_t u = 0;
    int rc = SIM_OK;
    switch (k->type) {
    case CARE_KEY_STR:
        if ((rc = care_yaml_str(d, v, k->name, &s, err)) == SIM_OK) {
            free(*(char **)dst);
            if (!(*(char **)dst = strdup(s))) rc = sim_err_set(err, SIM_ENOMEM, "out of memory");
        }
        break;
    case CARE_KEY_DATE: rc = care_yaml_date(d, v, k->name, dst, err); break;
    case CARE_KEY_SPAN:
        rc = care_yaml_span(d, v, k->name, 0, dst, NULL, err);
        if (rc == SIM_OK && k->lo && care_span_add(0, *(care_span *)dst, 1) <= 0)
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: must be longer than 0", d->path, care_yaml_line(v), k->name);
        break;
    case CARE_KEY_SPAN_NONE: rc = care_yaml_span(d, v, k->name, 1, dst, (int *)((char *)c + k->aux), err); break;
    case CARE_KEY_U32: case CARE_KEY_U64: case CARE_KEY_INT:
        if ((rc = care_yaml_uint(d, v, k->name, k->lo, k->hi, &u, err)) != SIM_OK) break;
        if (k->type == CARE_KEY_U32) *(uint32_t *)dst = (uint32_t)u;
        else if (k->type == CARE_KEY_U64) *(uint64_t *)dst = u;
        else *(int *)dst = (int)u;
        break;
    case CARE_KEY_BOOL: rc = care_yaml_bool(d, v, k->name, dst, err); break;
    case CARE_KEY_NUM:
        if (care_override_get(c->overrides, k->name, dst)) {   /* a sweep point's value */
            if (!(*(double *)dst >= 0))
                rc = sim_err_set(err, SIM_EINVAL, "%s: %s: the sweep sets %g; it must be >= 0", d->path, k->name,
                                 *(double *)dst);
            break;
        }
        rc = care_yaml_nonneg(d, v, k->name, dst, err);
        break;
    case CARE_KEY_NODE: rc = k->read(c, d, v, err); break;
    case CARE_KEY_EDIT:
        rc = care_edit_read((care_edits *)dst, (int)k->aux, k->name, d, v, c->start_date, c->overrides, err);
        break;
    case CARE_KEY_PATHS: rc = store_paths(c, k, d, v, err); break;
    default: rc = one_path((char **)dst, k, d, v, err); break;
    }
    return rc;
}

/* Keeps "FILE:LINE: KEY" of the keys that size a run, for later messages (care_estimate.h). */
static void note_where(care_config *c, const care_key *keys, int n, const char *top)
{
    static const char *const names[] = {"start_date", "observe", "horizon", "areas"};
    const care_yaml_key *at[4] = {0};
    for (int i = 0; i < n; i++)
        for (int w = 0; w < 4; w++)
            if (!strcmp(keys[i].name, names[w])) at[w] = &keys[i].at;
    for (int w = 0; w < 4; w++) {
        if (w == 2 && at[1] && at[1]->value) continue;   /* observe given: it names the size */
        if (w == 1 && !(at[1] && at[1]->value)) continue;
        char **dst = w == 0 ? &c->start_at : w == 3 ? &c->entries_at : &c->observe_at;
        const care_yaml_key *a = at[w];
        care_estimate_note(dst, a && a->doc ? a->doc->path : top, a && a->value ? a->line : 1, names[w]);
    }
}

int care_keys_load(care_config *c, care_key *keys, int n, const char *path, sim_err *err)
{
    care_yaml_doc docs[MAX_CHAIN];
    char *paths[MAX_CHAIN] = {0};
    int nd = 0, rc = read_chain(docs, paths, &nd, path, keys, n, err);
    for (int i = 0; i < n && rc == SIM_OK; i++) {
        care_key *k = &keys[i];
        if (k->at.value) {
            rc = store(c, k, k->at.doc, k->at.value, err);
        } else if (k->def && *k->def) {   /* the default, read as if written in the file */
            yaml_node_t def;
            memset(&def, 0, sizeof def);
            def.type = YAML_SCALAR_NODE;
            def.data.scalar.value = (yaml_char_t *)k->def;
            def.data.scalar.length = strlen(k->def);
            rc = store(c, k, &docs[0], &def, err);
        }
    }
    if (rc == SIM_OK)
        note_where(c, keys, n, docs[0].path);
    for (int i = 0; i < nd; i++)
        care_yaml_close(&docs[i]);
    for (int i = 0; i < MAX_CHAIN; i++)
        free(paths[i]);
    for (int i = 0; i < n; i++) keys[i].at = (care_yaml_key){0};   /* nodes are gone */
    return rc;
}
