/* models/care_scenario.c - see care_scenario.h. The keys are declared in care_keys.c and
 * documented in docs/scenarios.md; this file checks what the keys mean together and loads the
 * tables they name. */
#include "care_scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care_bounds.h"
#include "care_estimate.h"
#include "care_keys.h"
#include "care_pathdraws.h"
#include "care_pathtrend.h"
#include "care_calib.h"
#include "care_capacity.h"
#include "care_prog.h"
#include "care_tables.h"
#include "care_uasc.h"

int care_scenario_obs_times(care_config *c, sim_err *err)
{
    free(c->obs);
    c->obs = NULL;
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

/* What the scalar keys mean together: durations, the default name, the states' windows. */
static int derive(care_config *c, sim_err *err)
{
    if (!c->name) {
        const char *base = strrchr(c->path, '/');
        if (!(c->name = strdup(base ? base + 1 : c->path)))
            return sim_err_set(err, SIM_ENOMEM, "out of memory");
        if (strchr(c->name, '.')) *strchr(c->name, '.') = '\0';
    }
    c->burn_in = (double)(c->start_date - care_span_add(c->start_date, c->burn_in_span, -1));
    c->follow_up = c->follow_up_none ? INFINITY : (double)care_span_add(0, c->follow_up_span, 1);
    for (int s = 0; s < CARE_NSTATE; s++)
        c->window[s] = INFINITY;
    c->window[CARE_ST_HOME] = c->follow_up;
    c->window[CARE_ST_CLOSED] = (double)care_span_add(0, c->rereferral_window_span, 1);
    return SIM_OK;
}

static int load_tables(care_config *c, sim_err *err)
{
    char key[64];
    int rc = care_tables_areas(c, c->areas_path, "areas", err);
    if (rc == SIM_OK) rc = care_tables_entry_rates(c, c->entry_rates_path, "tables.entry_rates", err);
    if (rc == SIM_OK && c->entry_trend_path) rc = care_tables_entry_trend(c, c->entry_trend_path, "tables.entry_trend", err);
    for (int s = 0; s < CARE_NSTATE && rc == SIM_OK; s++) {
        if (!c->hazards_path[s]) continue;
        int tr[CARE_MAXK], nk = care_state_columns(s, tr);
        const char *names[CARE_MAXK];
        for (int k = 0; k < nk; k++) names[k] = care_transition_names[tr[k]];
        snprintf(key, sizeof key, "tables.%s", care_states[s].table);
        rc = care_tables_hazards(&c->haz[s], c->hazards_path[s], key, names, nk, err);
        memcpy(c->haz[s].tr, tr, sizeof tr);
    }
    if (rc == SIM_OK) rc = care_tables_placement_shares(c->placement_share, c->placement_shares_path, "tables.placement_shares", err);
    if (rc == SIM_OK && c->placement_move_shares_path)
        rc = care_tables_placement_shares(c->move_share, c->placement_move_shares_path, "tables.placement_move_shares", err);
    else if (rc == SIM_OK)
        memcpy(c->move_share, c->placement_share, sizeof c->move_share);   /* default: as at entry */
    if (rc == SIM_OK && c->placement_costs_path) rc = care_tables_placement_costs(c, c->placement_costs_path, "tables.placement_costs", err);
    if (rc == SIM_OK && c->placement_capacity_path)
        rc = care_capacity_load(c, c->placement_capacity_path, "tables.placement_capacity", err);
    if (rc == SIM_OK && c->referral_rates_path) rc = care_tables_referral_rates(c, c->referral_rates_path, "tables.referral_rates", err);
    if (rc == SIM_OK && c->uasc_path) rc = care_uasc_load(c, c->uasc_path, "tables.uasc", err);
    for (int i = 0; i < c->n_initial_stock && rc == SIM_OK; i++)
        rc = care_tables_initial_stock(c, c->initial_stock_paths[i], "initial_stock", err);
    if (rc == SIM_OK && c->initial_placement_shares_path) {
        rc = care_tables_placement_shares(c->initial_share, c->initial_placement_shares_path,
                                          "tables.initial_placement_shares", err);
        c->has_initial_share = rc == SIM_OK;
    }
    if (rc == SIM_OK && c->entry_ages_path)
        rc = care_calib_age_cuts(&c->entry_ages, c->entry_ages_path, "tables.entry_ages", err);
    if (rc == SIM_OK && c->initial_stock_ages_path)
        rc = care_calib_age_cuts(&c->stock_ages, c->initial_stock_ages_path, "tables.initial_stock_ages", err);
    if (rc == SIM_OK && c->initial_stock_ages_by_time_path)
        rc = care_calib_age_cuts_by_time(c, c->initial_stock_ages_by_time_path, "tables.initial_stock_ages_by_time", err);
    if (rc == SIM_OK && c->parameter_draws_path)
        rc = care_calib_draws(c, c->parameter_draws_path, "tables.parameter_draws", err);
    if (rc == SIM_OK && c->rate_trend_path)
        rc = care_calib_rate_trend(c, c->rate_trend_path, "tables.rate_trend", err);
    if (rc == SIM_OK && c->pathway_trend_path)
        rc = care_pathtrend_load(c, c->pathway_trend_path, "tables.pathway_trend", err);
    if (rc == SIM_OK && c->pathway_draws_path)
        rc = care_pathdraws_load(c, c->pathway_draws_path, "tables.pathway_draws", err);
    if (rc == SIM_OK)   /* the draws' rules against the blocks of rate_trend, uasc and pathway_trend */
        rc = care_calib_check_rules(c, c->parameter_draws_path, err);
    if (rc == SIM_OK) rc = care_pathdraws_check(c, err);   /* as many rows as tables.parameter_draws */
    return rc;
}

/* The pathway's tables come together: referrals open CIN episodes, which lead to plans and to
 * closed cases that can be re-referred. */
static int check_pathway(const care_config *c, sim_err *err)
{
    static const int part[] = {CARE_ST_CIN, CARE_ST_CPP, CARE_ST_CLOSED};
    const char *given = c->referral_rates_path ? "tables.referral_rates" : NULL;
    for (int i = 0; i < 3 && !given; i++)
        if (c->hazards_path[part[i]]) given = care_states[part[i]].table;
    if (!given) return SIM_OK;
    if (!c->referral_rates_path)
        return sim_err_set(err, SIM_EINVAL, "%s: tables.referral_rates: required with tables.%s (the pathway's tables "
                           "come together)", c->path, given);
    for (int i = 0; i < 3; i++)
        if (!c->hazards_path[part[i]])
            return sim_err_set(err, SIM_EINVAL, "%s: tables.%s: required with %s (the pathway's tables come together)",
                               c->path, care_states[part[i]].table, given);
    return SIM_OK;
}

/* Programmes: names resolved against the states, and this scenario alone as the run's set
 * (care_scenario_link sets the run's set when scenarios share a run). */
static int programmes(care_config *c, sim_err *err)
{
    int rc = care_prog_bind(c->progs, c->n_progs, c->haz, err);
    c->n_prog_run = c->n_progs;
    c->n_items = CARE_NPLACE + c->n_progs;
    c->prog_index = malloc((size_t)(c->n_progs ? c->n_progs : 1) * sizeof *c->prog_index);
    c->prog_run_names = calloc((size_t)(c->n_progs ? c->n_progs : 1), sizeof *c->prog_run_names);
    if (!c->prog_index || !c->prog_run_names) return sim_err_set(err, SIM_ENOMEM, "out of memory");
    for (int i = 0; i < c->n_progs && rc == SIM_OK; i++) {
        c->prog_index[i] = i;
        if (!(c->prog_run_names[i] = strdup(c->progs[i].name))) rc = sim_err_set(err, SIM_ENOMEM, "out of memory");
    }
    return rc;
}

/* Bounds that need several keys, and the size estimate (care_bounds.h, care_estimate.h). */
static int check_size(care_config *c, sim_err *err)
{
    int rc = care_bound_dates(c->start_date, c->burn_in_span, c->horizon_span, c->start_at ? c->start_at : c->path, err);
    if (rc == SIM_OK)   /* a run too large for this machine even on one thread fails here */
        rc = care_estimate_check((const care_config *const *)&c, 1, 1, care_estimate_default_limit(), err);
    return rc;
}

int care_scenario_load_with(care_config **out, const char *path, care_overrides *ov, sim_err *err)
{
    *out = NULL;
    care_config *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path))) {
        care_config_free(c);
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    }
    care_key keys[CARE_MAXKEYS];
    int n = care_keys_table(keys);
    c->overrides = ov;
    c->placement_fallback = CARE_PL_RESIDENTIAL;   /* unless placement_fallback names another */
    int rc = care_keys_load(c, keys, n, path, err);
    c->overrides = NULL;
    if (rc == SIM_OK) rc = derive(c, err);
    if (rc == SIM_OK) rc = check_pathway(c, err);
    if (rc == SIM_OK) rc = care_scenario_obs_times(c, err);
    if (rc == SIM_OK) rc = load_tables(c, err);
    if (rc == SIM_OK) rc = care_edit_apply(c, err);   /* adjust: (care_edit.h) */
    if (rc == SIM_OK) rc = programmes(c, err);
    if (rc == SIM_OK) rc = check_size(c, err);
    if (rc != SIM_OK) {
        care_config_free(c);
        return rc;
    }
    *out = c;
    return SIM_OK;
}

int care_scenario_load(care_config **out, const char *path, sim_err *err)
{
    return care_scenario_load_with(out, path, NULL, err);
}
