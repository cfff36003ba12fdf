/* models/care_scenario.c - see care_scenario.h. The keys are documented in docs/scenarios.md. */
#include "care_scenario.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "care_bounds.h"
#include "care_estimate.h"
#include "care_tables.h"
#include "care_yaml.h"

/* Joins a path from the scenario with the scenario's directory, then makes it absolute if the
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

static int table_path(care_yaml_doc *d, yaml_node_t *n, const char *key, char **out, sim_err *err)
{
    const char *s;
    int rc = care_yaml_str(d, n, key, &s, err);
    if (rc != SIM_OK)
        return rc;
    *out = resolve(d->path, s);
    if (!*out)
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    if (access(*out, R_OK) != 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: cannot open '%s': %s", d->path, care_yaml_line(n), key,
                           s, strerror(errno));
    return SIM_OK;
}

static int observation_times(care_config *c, const care_yaml_key *at, sim_err *err)
{
    int64_t end = care_span_add(c->start_date, c->horizon_span, 1);
    c->horizon = (double)(end - c->start_date);
    int cap = 16;
    c->obs = malloc((size_t)cap * sizeof *c->obs);
    if (!c->obs)
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    c->n_obs = 0;
    for (int k = 0;; k++) {
        int64_t day = care_span_add(c->start_date, c->observe_span, k);
        double t = (double)(day - c->start_date);
        if (t > c->horizon) t = c->horizon;
        if (c->n_obs == cap) {
            double *o = realloc(c->obs, (size_t)(cap *= 2) * sizeof *o);
            if (!o) return sim_err_set(err, SIM_ENOMEM, "out of memory");
            c->obs = o;
        }
        c->obs[c->n_obs++] = t;
        if (t >= c->horizon) break;
        if (c->n_obs > 100000)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: more than 100000 observation times", at->doc->path,
                               at->line, at->value ? "observe" : "horizon");
    }
    return SIM_OK;
}

enum { K_NAME, K_DESC, K_START, K_HORIZON, K_OBSERVE, K_REPL, K_SEED, K_BURN, K_FOLLOW, K_AREAS,
       K_TABLES, K_STOCK, K_OUTPUT, K_ADJUST, K_N /* then "extends" */ };
enum { T_ENTRY, T_TREND, T_LAC, T_HOME, T_SHARES, T_MOVES, T_COSTS, T_N };

static int load_scalars(care_config *c, care_yaml_key *k, const care_yaml_key *ok, sim_err *err)
{
    const char *s;
    uint64_t v;
    int rc = SIM_OK, none = 0;
    if (k[K_NAME].value) {
        rc = care_yaml_str(k[K_NAME].doc, k[K_NAME].value, "name", &s, err);
        if (rc == SIM_OK) c->name = strdup(s);
    } else {
        const char *base = strrchr(c->path, '/');
        c->name = strdup(base ? base + 1 : c->path);
        if (c->name && strchr(c->name, '.')) *strchr(c->name, '.') = '\0';
    }
    if (k[K_DESC].value && rc == SIM_OK) rc = care_yaml_str(k[K_DESC].doc, k[K_DESC].value, "description", &s, err);
    if (rc == SIM_OK) rc = care_yaml_date(k[K_START].doc, k[K_START].value, "start_date", &c->start_date, err);
    if (rc == SIM_OK) rc = care_yaml_span(k[K_HORIZON].doc, k[K_HORIZON].value, "horizon", 0, &c->horizon_span, NULL, err);
    if (rc == SIM_OK && care_span_add(0, c->horizon_span, 1) <= 0)
        rc = sim_err_set(err, SIM_EINVAL, "%s:%d: horizon: must be longer than 0", k[K_HORIZON].doc->path, k[K_HORIZON].line);
    c->observe_span = (care_span){1, 0, 0};
    if (rc == SIM_OK && k[K_OBSERVE].value) {
        rc = care_yaml_span(k[K_OBSERVE].doc, k[K_OBSERVE].value, "observe", 0, &c->observe_span, NULL, err);
        if (rc == SIM_OK && care_span_add(0, c->observe_span, 1) <= 0)
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: observe: must be longer than 0", k[K_OBSERVE].doc->path, k[K_OBSERVE].line);
    }
    c->replicates = 10;
    if (rc == SIM_OK && k[K_REPL].value && (rc = care_yaml_uint(k[K_REPL].doc, k[K_REPL].value, "replicates", 1, 10000000, &v, err)) == SIM_OK)
        c->replicates = (uint32_t)v;
    if (rc == SIM_OK) rc = care_yaml_uint(k[K_SEED].doc, k[K_SEED].value, "seed", 0, UINT64_MAX, &c->seed, err);
    if (rc == SIM_OK && k[K_BURN].value) rc = care_yaml_span(k[K_BURN].doc, k[K_BURN].value, "burn_in", 0, &c->burn_in_span, NULL, err);
    c->burn_in = (double)(c->start_date - care_span_add(c->start_date, c->burn_in_span, -1));
    if (rc == SIM_OK)
        rc = care_bound_dates(c->start_date, c->burn_in_span, c->horizon_span, k[K_START].doc->path, k[K_START].line, err);
    c->follow_up_span = (care_span){2, 0, 0};
    if (rc == SIM_OK && k[K_FOLLOW].value)
        rc = care_yaml_span(k[K_FOLLOW].doc, k[K_FOLLOW].value, "follow_up", 1, &c->follow_up_span, &none, err);
    c->follow_up_none = none;
    c->follow_up = none ? INFINITY : (double)care_span_add(0, c->follow_up_span, 1);
    c->deflate = 1;
    if (rc == SIM_OK && ok[0].value && (rc = care_yaml_uint(ok[0].doc, ok[0].value, "output.deflate", 0, 9, &v, err)) == SIM_OK)
        c->deflate = (int)v;
    if (rc == SIM_OK && ok[1].value)
        rc = care_yaml_bool(ok[1].doc, ok[1].value, "output.episodes", &c->episodes, err);
    if (rc == SIM_OK && !c->name)
        rc = sim_err_set(err, SIM_ENOMEM, "out of memory");
    return rc;
}

static int load_tables(care_config *c, care_yaml_key *k, const care_yaml_key *tk, sim_err *err)
{
    int rc = SIM_OK;
    if (rc == SIM_OK) rc = table_path(k[K_AREAS].doc, k[K_AREAS].value, "areas", &c->areas_path, err);
    if (rc == SIM_OK) rc = table_path(tk[T_ENTRY].doc, tk[T_ENTRY].value, "tables.entry_rates", &c->entry_rates_path, err);
    if (rc == SIM_OK && tk[T_TREND].value) rc = table_path(tk[T_TREND].doc, tk[T_TREND].value, "tables.entry_trend", &c->entry_trend_path, err);
    if (rc == SIM_OK) rc = table_path(tk[T_LAC].doc, tk[T_LAC].value, "tables.lac_hazards", &c->lac_hazards_path, err);
    if (rc == SIM_OK) rc = table_path(tk[T_HOME].doc, tk[T_HOME].value, "tables.home_hazards", &c->home_hazards_path, err);
    if (rc == SIM_OK) rc = table_path(tk[T_SHARES].doc, tk[T_SHARES].value, "tables.placement_shares", &c->placement_shares_path, err);
    if (rc == SIM_OK && tk[T_COSTS].value) rc = table_path(tk[T_COSTS].doc, tk[T_COSTS].value, "tables.placement_costs", &c->placement_costs_path, err);
    if (rc == SIM_OK && k[K_STOCK].value) {
        const char *s;
        rc = care_yaml_str(k[K_STOCK].doc, k[K_STOCK].value, "initial_stock", &s, err);
        if (rc == SIM_OK && strcmp(s, "none") != 0)
            rc = table_path(k[K_STOCK].doc, k[K_STOCK].value, "initial_stock", &c->initial_stock_path, err);
    }
    if (rc == SIM_OK) rc = care_tables_areas(c, c->areas_path, "areas", err);
    if (rc == SIM_OK) rc = care_tables_entry_rates(c, c->entry_rates_path, "tables.entry_rates", err);
    if (rc == SIM_OK && c->entry_trend_path) rc = care_tables_entry_trend(c, c->entry_trend_path, "tables.entry_trend", err);
    if (rc == SIM_OK) rc = care_tables_hazards(&c->lac, c->lac_hazards_path, "tables.lac_hazards", care_lac_hazard_names, CARE_NLX, err);
    if (rc == SIM_OK) rc = care_tables_hazards(&c->home, c->home_hazards_path, "tables.home_hazards", care_home_hazard_names, CARE_NHX, err);
    if (rc == SIM_OK) rc = care_tables_placement_shares(c->placement_share, c->placement_shares_path, "tables.placement_shares", err);
    if (rc == SIM_OK && tk[T_MOVES].value) {
        rc = table_path(tk[T_MOVES].doc, tk[T_MOVES].value, "tables.placement_move_shares", &c->placement_move_shares_path, err);
        if (rc == SIM_OK)
            rc = care_tables_placement_shares(c->move_share, c->placement_move_shares_path, "tables.placement_move_shares", err);
    } else if (rc == SIM_OK) {
        memcpy(c->move_share, c->placement_share, sizeof c->move_share);   /* default: as at entry */
    }
    if (rc == SIM_OK && c->placement_costs_path) rc = care_tables_placement_costs(c, c->placement_costs_path, "tables.placement_costs", err);
    if (rc == SIM_OK && c->initial_stock_path) rc = care_tables_initial_stock(c, c->initial_stock_path, "initial_stock", err);
    return rc;
}

/* An error inside a file that another extends also names the `extends:` line that led there. */
static void extended_from(sim_err *err, const char *file, int line)
{
    size_t n = strlen(err->msg);
    snprintf(err->msg + n, sizeof err->msg - n, " (in the file extended at %s:%d)", file, line);
}

#define MAX_CHAIN 8   /* files extending files; more is almost surely a cycle */

/* The keys of one scenario file and of its tables and output mappings. */
typedef struct scen_keys {
    care_yaml_key k[K_N + 2], tk[T_N + 1], ok[3];
} scen_keys;

static void init_keys(scen_keys *s)
{
    static const char *const top[] = {"name", "description", "start_date", "horizon", "observe", "replicates",
        "seed", "burn_in", "follow_up", "areas", "tables", "initial_stock", "output", "adjust", "extends"};
    static const char *const tab[] = {"entry_rates", "entry_trend", "lac_hazards", "home_hazards",
        "placement_shares", "placement_move_shares", "placement_costs"};
    static const char *const outk[] = {"deflate", "episodes"};
    memset(s, 0, sizeof *s);
    for (int i = 0; i <= K_N; i++) s->k[i].name = top[i];
    for (int i = 0; i < T_N; i++) s->tk[i].name = tab[i];
    for (int i = 0; i < 2; i++) s->ok[i].name = outk[i];
}

/* Reads one file's keys (nothing required yet: a file may take them from the one it extends). */
static int read_keys(care_yaml_doc *d, scen_keys *s, sim_err *err)
{
    init_keys(s);
    int rc = care_yaml_map(d, care_yaml_root(d), "", s->k, err);
    if (rc == SIM_OK && s->k[K_TABLES].value) rc = care_yaml_map(d, s->k[K_TABLES].value, "tables", s->tk, err);
    if (rc == SIM_OK && s->k[K_OUTPUT].value) rc = care_yaml_map(d, s->k[K_OUTPUT].value, "output", s->ok, err);
    return rc;
}

/* Opens path and every file it extends, merging keys: the nearer file wins key by key.
 * *n counts the documents opened (the caller closes them); paths[] are owned by the caller. */
static int read_chain(care_yaml_doc *docs, char **paths, int *n, const char *path, scen_keys *merged, sim_err *err)
{
    init_keys(merged);
    char *next = strdup(path);
    int rc = SIM_OK, ext_line = 0;
    while (next) {
        if (*n == MAX_CHAIN) {
            free(next);
            return sim_err_set(err, SIM_EINVAL, "%s:%d: extends: more than %d files deep (do files extend each other?)",
                               paths[*n - 1], ext_line, MAX_CHAIN);
        }
        paths[*n] = next;
        next = NULL;
        care_yaml_doc *d = &docs[*n];
        scen_keys s;
        rc = care_yaml_open(d, paths[*n], err);
        if (rc == SIM_OK) {
            (*n)++;
            rc = read_keys(d, &s, err);
        }
        if (rc != SIM_OK) {
            if (d != &docs[0])   /* reached through extends: say from where */
                extended_from(err, paths[d - docs - 1], ext_line);
            return rc;
        }
        care_yaml_merge(merged->k, s.k);
        care_yaml_merge(merged->tk, s.tk);
        care_yaml_merge(merged->ok, s.ok);
        if (!s.k[K_N].value)
            break;
        const char *base;
        ext_line = s.k[K_N].line;
        if ((rc = care_yaml_str(d, s.k[K_N].value, "extends", &base, err)) != SIM_OK)
            return rc;
        if (!(next = resolve(d->path, base)))
            return sim_err_set(err, SIM_ENOMEM, "out of memory");
        if (access(next, R_OK) != 0) {
            free(next);
            return sim_err_set(err, SIM_EINVAL, "%s:%d: extends: cannot open '%s': %s", d->path,
                               s.k[K_N].line, base, strerror(errno));
        }
    }
    static const int required[] = {K_START, K_HORIZON, K_SEED, K_AREAS, K_TABLES};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) merged->k[required[i]].required = 1;
    static const int treq[] = {T_ENTRY, T_LAC, T_HOME, T_SHARES};
    for (size_t i = 0; i < sizeof treq / sizeof *treq; i++) merged->tk[treq[i]].required = 1;
    rc = care_yaml_check_required(&docs[0], care_yaml_root(&docs[0]), "", merged->k, err);
    if (rc == SIM_OK) rc = care_yaml_check_required(&docs[0], care_yaml_root(&docs[0]), "tables", merged->tk, err);
    return rc;
}

/* adjust: {entry_rates: x, lac_hazards: {home: x, ...}, home_hazards: {reentry: x, ...}}:
 * multipliers on the tables, for variants that change rates without copying tables. */
static int read_multipliers(care_yaml_key *key, const char *prefix, const char *const *names, int n, double *out,
                            sim_err *err)
{
    care_yaml_key k[CARE_MAXK + 1] = {{0}};
    char dotted[96];
    for (int i = 0; i < n; i++) k[i].name = names[i];
    int rc = care_yaml_map(key->doc, key->value, prefix, k, err);
    for (int i = 0; i < n && rc == SIM_OK; i++)
        if (k[i].value) {
            snprintf(dotted, sizeof dotted, "%s.%s", prefix, names[i]);
            rc = care_yaml_nonneg(k[i].doc, k[i].value, dotted, &out[i], err);
        }
    return rc;
}

static int load_adjust(care_config *c, care_yaml_key *key, sim_err *err)
{
    c->adjust_entry = 1.0;
    for (int i = 0; i < CARE_NLX; i++) c->adjust_lac[i] = 1.0;
    for (int i = 0; i < CARE_NHX; i++) c->adjust_home[i] = 1.0;
    if (!key->value)
        return SIM_OK;
    care_yaml_key k[] = {{"entry_rates", 0, NULL, 0, NULL}, {"lac_hazards", 0, NULL, 0, NULL},
                         {"home_hazards", 0, NULL, 0, NULL}, {NULL, 0, NULL, 0, NULL}};
    int rc = care_yaml_map(key->doc, key->value, "adjust", k, err);
    if (rc == SIM_OK && k[0].value) rc = care_yaml_nonneg(k[0].doc, k[0].value, "adjust.entry_rates", &c->adjust_entry, err);
    if (rc == SIM_OK && k[1].value) rc = read_multipliers(&k[1], "adjust.lac_hazards", care_lac_hazard_names, CARE_NLX, c->adjust_lac, err);
    if (rc == SIM_OK && k[2].value) rc = read_multipliers(&k[2], "adjust.home_hazards", care_home_hazard_names, CARE_NHX, c->adjust_home, err);
    if (rc != SIM_OK)
        return rc;
    for (int b = 0; b < CARE_NAGE; b++) {
        c->entry_rate[b] *= c->adjust_entry;
        for (int i = 0; i < c->lac.n_tb; i++)
            for (int x = 0; x < CARE_NLX; x++) c->lac.rate[b][i][x] *= c->adjust_lac[x];
        for (int i = 0; i < c->home.n_tb; i++)
            for (int x = 0; x < CARE_NHX; x++) c->home.rate[b][i][x] *= c->adjust_home[x];
    }
    return SIM_OK;
}

int care_scenario_load(care_config **out, const char *path, sim_err *err)
{
    *out = NULL;
    care_config *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path))) {
        care_config_free(c);
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    }
    care_yaml_doc docs[MAX_CHAIN];
    char *paths[MAX_CHAIN] = {0};
    int n = 0;
    scen_keys m;
    int rc = read_chain(docs, paths, &n, path, &m, err);
    if (rc == SIM_OK && !paths[0]) rc = sim_err_set(err, SIM_ENOMEM, "out of memory");
    if (rc == SIM_OK) rc = load_scalars(c, m.k, m.ok, err);
    if (rc == SIM_OK) rc = observation_times(c, m.k[K_OBSERVE].value ? &m.k[K_OBSERVE] : &m.k[K_HORIZON], err);
    if (rc == SIM_OK) rc = load_tables(c, m.k, m.tk, err);
    if (rc == SIM_OK) rc = load_adjust(c, &m.k[K_ADJUST], err);
    if (rc == SIM_OK) {   /* a run too large for this machine even on one thread fails here */
        const care_yaml_key *obs = m.k[K_OBSERVE].value ? &m.k[K_OBSERVE] : &m.k[K_HORIZON];
        care_estimate_note(&c->observe_at, obs->doc->path, obs->line, obs == &m.k[K_OBSERVE] ? "observe" : "horizon");
        care_estimate_note(&c->entries_at, m.k[K_AREAS].doc->path, m.k[K_AREAS].line, "areas");
        rc = care_estimate_check((const care_config *const *)&c, 1, 1, care_estimate_default_limit(), err);
    }
    for (int i = 0; i < n; i++)
        care_yaml_close(&docs[i]);
    for (int i = 0; i < MAX_CHAIN; i++)
        free(paths[i]);
    if (rc != SIM_OK) {
        care_config_free(c);
        return rc;
    }
    *out = c;
    return SIM_OK;
}
