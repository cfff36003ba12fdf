/* models/care_scenario.c - see care_scenario.h. The keys are documented in docs/scenarios.md. */
#include "care_scenario.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static int observation_times(care_config *c, sim_err *err)
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
            return sim_err_set(err, SIM_EINVAL, "%s: observe: more than 100000 observation times", c->path);
    }
    return SIM_OK;
}

enum { K_NAME, K_DESC, K_START, K_HORIZON, K_OBSERVE, K_REPL, K_SEED, K_BURN, K_FOLLOW, K_AREAS,
       K_TABLES, K_STOCK, K_OUTPUT, K_N };
enum { T_ENTRY, T_TREND, T_LAC, T_HOME, T_SHARES, T_COSTS, T_N };

static int load_scalars(care_config *c, care_yaml_doc *d, care_yaml_key *k, sim_err *err)
{
    const char *s;
    uint64_t v;
    int rc = SIM_OK, none = 0;
    if (k[K_NAME].value) {
        rc = care_yaml_str(d, k[K_NAME].value, "name", &s, err);
        if (rc == SIM_OK) c->name = strdup(s);
    } else {
        const char *base = strrchr(c->path, '/');
        c->name = strdup(base ? base + 1 : c->path);
        if (c->name && strchr(c->name, '.')) *strchr(c->name, '.') = '\0';
    }
    if (k[K_DESC].value && rc == SIM_OK) rc = care_yaml_str(d, k[K_DESC].value, "description", &s, err);
    if (rc == SIM_OK) rc = care_yaml_date(d, k[K_START].value, "start_date", &c->start_date, err);
    if (rc == SIM_OK) rc = care_yaml_span(d, k[K_HORIZON].value, "horizon", 0, &c->horizon_span, NULL, err);
    if (rc == SIM_OK && care_span_add(0, c->horizon_span, 1) <= 0)
        rc = sim_err_set(err, SIM_EINVAL, "%s:%d: horizon: must be longer than 0", d->path, k[K_HORIZON].line);
    c->observe_span = (care_span){1, 0, 0};
    if (rc == SIM_OK && k[K_OBSERVE].value) {
        rc = care_yaml_span(d, k[K_OBSERVE].value, "observe", 0, &c->observe_span, NULL, err);
        if (rc == SIM_OK && care_span_add(0, c->observe_span, 1) <= 0)
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: observe: must be longer than 0", d->path, k[K_OBSERVE].line);
    }
    c->replicates = 10;
    if (rc == SIM_OK && k[K_REPL].value && (rc = care_yaml_uint(d, k[K_REPL].value, "replicates", 1, 10000000, &v, err)) == SIM_OK)
        c->replicates = (uint32_t)v;
    if (rc == SIM_OK) rc = care_yaml_uint(d, k[K_SEED].value, "seed", 0, UINT64_MAX, &c->seed, err);
    if (rc == SIM_OK && k[K_BURN].value) rc = care_yaml_span(d, k[K_BURN].value, "burn_in", 0, &c->burn_in_span, NULL, err);
    c->burn_in = (double)(c->start_date - care_span_add(c->start_date, c->burn_in_span, -1));
    c->follow_up_span = (care_span){2, 0, 0};
    if (rc == SIM_OK && k[K_FOLLOW].value)
        rc = care_yaml_span(d, k[K_FOLLOW].value, "follow_up", 1, &c->follow_up_span, &none, err);
    c->follow_up_none = none;
    c->follow_up = none ? INFINITY : (double)care_span_add(0, c->follow_up_span, 1);
    c->deflate = 1;
    if (rc == SIM_OK && k[K_OUTPUT].value) {
        care_yaml_key ok[] = {{"deflate", 0, NULL, 0}, {"episodes", 0, NULL, 0}, {NULL, 0, NULL, 0}};
        rc = care_yaml_map(d, k[K_OUTPUT].value, "output", ok, err);
        if (rc == SIM_OK && ok[0].value && (rc = care_yaml_uint(d, ok[0].value, "output.deflate", 0, 9, &v, err)) == SIM_OK)
            c->deflate = (int)v;
        if (rc == SIM_OK && ok[1].value)
            rc = care_yaml_bool(d, ok[1].value, "output.episodes", &c->episodes, err);
    }
    if (rc == SIM_OK && !c->name)
        rc = sim_err_set(err, SIM_ENOMEM, "out of memory");
    return rc;
}

static int load_tables(care_config *c, care_yaml_doc *d, care_yaml_key *k, sim_err *err)
{
    care_yaml_key tk[] = {{"entry_rates", 1, NULL, 0}, {"entry_trend", 0, NULL, 0}, {"lac_hazards", 1, NULL, 0},
                          {"home_hazards", 1, NULL, 0}, {"placement_shares", 1, NULL, 0},
                          {"placement_costs", 0, NULL, 0}, {NULL, 0, NULL, 0}};
    int rc = care_yaml_map(d, k[K_TABLES].value, "tables", tk, err);
    if (rc == SIM_OK) rc = table_path(d, k[K_AREAS].value, "areas", &c->areas_path, err);
    if (rc == SIM_OK) rc = table_path(d, tk[T_ENTRY].value, "tables.entry_rates", &c->entry_rates_path, err);
    if (rc == SIM_OK && tk[T_TREND].value) rc = table_path(d, tk[T_TREND].value, "tables.entry_trend", &c->entry_trend_path, err);
    if (rc == SIM_OK) rc = table_path(d, tk[T_LAC].value, "tables.lac_hazards", &c->lac_hazards_path, err);
    if (rc == SIM_OK) rc = table_path(d, tk[T_HOME].value, "tables.home_hazards", &c->home_hazards_path, err);
    if (rc == SIM_OK) rc = table_path(d, tk[T_SHARES].value, "tables.placement_shares", &c->placement_shares_path, err);
    if (rc == SIM_OK && tk[T_COSTS].value) rc = table_path(d, tk[T_COSTS].value, "tables.placement_costs", &c->placement_costs_path, err);
    if (rc == SIM_OK && k[K_STOCK].value) {
        const char *s;
        rc = care_yaml_str(d, k[K_STOCK].value, "initial_stock", &s, err);
        if (rc == SIM_OK && strcmp(s, "none") != 0)
            rc = table_path(d, k[K_STOCK].value, "initial_stock", &c->initial_stock_path, err);
    }
    if (rc == SIM_OK) rc = care_tables_areas(c, c->areas_path, "areas", err);
    if (rc == SIM_OK) rc = care_tables_entry_rates(c, c->entry_rates_path, "tables.entry_rates", err);
    if (rc == SIM_OK && c->entry_trend_path) rc = care_tables_entry_trend(c, c->entry_trend_path, "tables.entry_trend", err);
    if (rc == SIM_OK) rc = care_tables_hazards(&c->lac, c->lac_hazards_path, "tables.lac_hazards", care_lac_hazard_names, CARE_NLX, err);
    if (rc == SIM_OK) rc = care_tables_hazards(&c->home, c->home_hazards_path, "tables.home_hazards", care_home_hazard_names, CARE_NHX, err);
    if (rc == SIM_OK) rc = care_tables_placement_shares(c, c->placement_shares_path, "tables.placement_shares", err);
    if (rc == SIM_OK && c->placement_costs_path) rc = care_tables_placement_costs(c, c->placement_costs_path, "tables.placement_costs", err);
    if (rc == SIM_OK && c->initial_stock_path) rc = care_tables_initial_stock(c, c->initial_stock_path, "initial_stock", err);
    return rc;
}

int care_scenario_load(care_config **out, const char *path, sim_err *err)
{
    *out = NULL;
    care_config *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path))) {
        care_config_free(c);
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    }
    care_yaml_doc d;
    int rc = care_yaml_open(&d, path, err);
    if (rc != SIM_OK) {
        care_config_free(c);
        return rc;
    }
    care_yaml_key k[] = {{"name", 0, NULL, 0}, {"description", 0, NULL, 0}, {"start_date", 1, NULL, 0},
                         {"horizon", 1, NULL, 0}, {"observe", 0, NULL, 0}, {"replicates", 0, NULL, 0},
                         {"seed", 1, NULL, 0}, {"burn_in", 0, NULL, 0}, {"follow_up", 0, NULL, 0},
                         {"areas", 1, NULL, 0}, {"tables", 1, NULL, 0}, {"initial_stock", 0, NULL, 0},
                         {"output", 0, NULL, 0}, {NULL, 0, NULL, 0}};
    rc = care_yaml_map(&d, care_yaml_root(&d), "", k, err);
    if (rc == SIM_OK) rc = load_scalars(c, &d, k, err);
    if (rc == SIM_OK) rc = observation_times(c, err);
    if (rc == SIM_OK) rc = load_tables(c, &d, k, err);
    care_yaml_close(&d);
    if (rc != SIM_OK) {
        care_config_free(c);
        return rc;
    }
    *out = c;
    return SIM_OK;
}
