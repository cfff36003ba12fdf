/* models/care_config.h - a validated scenario: everything one task of the care model reads.
 * Built by care_scenario_load (YAML + CSV tables), read-only afterwards, shared by every task.
 * Units: times in days since the scenario's start date; hazards per day (tables may be written
 * per year; they are converted once on load). Ownership: care_config_free releases everything. */
#ifndef CARE_CONFIG_H
#define CARE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "care_cost.h"
#include "care_date.h"
#include "care_edit.h"
#include "care_states.h"

/* DfE age bands. Ages in days: a year is 365.25 days, the same everywhere in the model. */
enum { CARE_AGE_UNDER_1, CARE_AGE_1_4, CARE_AGE_5_9, CARE_AGE_10_15, CARE_AGE_16_17, CARE_NAGE };
#define CARE_YEAR_DAYS 365.25
#define CARE_AGE_OUT_DAYS (18 * CARE_YEAR_DAYS)
extern const char *const care_age_names[CARE_NAGE];
extern const double care_age_lo_years[CARE_NAGE + 1];   /* 0, 1, 5, 10, 16, 18 */

enum { CARE_PL_FOSTER, CARE_PL_KINSHIP, CARE_PL_RESIDENTIAL, CARE_PL_WITH_PARENTS,
       CARE_PL_INDEPENDENT, CARE_NPLACE };
extern const char *const care_placement_names[CARE_NPLACE];

#define CARE_MAXTB 16        /* time-in-state bands per hazard table */
#define CARE_MAXCUT 48       /* age intervals within one age band (tables.entry_ages; joint cells of
                                age x time in care under 1 in tables.initial_stock_ages_by_time) */

typedef struct care_hazard_table {
    int n_tb;                            /* time-in-state bands */
    double tb_from[CARE_MAXTB + 1];      /* band starts in days; tb_from[n_tb] = +inf */
    int n_k;                             /* competing transitions (0: the state is not in the scenario) */
    int tr[CARE_MAXK];                   /* the transition of each column (care_state_columns) */
    double rate[CARE_NAGE][CARE_MAXTB][CARE_MAXK];   /* per day */
} care_hazard_table;

/* The rates and shares in force from a date on (care_edit.h: adjust: edits with a date). */
typedef struct care_epoch {
    double from;                         /* days since the start date; the first: -INFINITY */
    care_hazard_table haz[CARE_NSTATE];
    double entry_rate[CARE_NAGE], nfa_share[CARE_NAGE];
    double placement_share[CARE_NAGE][CARE_NPLACE], move_share[CARE_NAGE][CARE_NPLACE];
} care_epoch;

typedef struct care_area {
    char *code, *name, *region, *ofsted;
    double pop[CARE_NAGE];               /* children of each age band */
    double entry_mult, exit_mult;
    double cla[3];                       /* children in care 31 March 2015-2017, NaN if absent */
} care_area;

typedef struct care_age_cuts {         /* intervals of age within each age band, with shares */
    int n[CARE_NAGE];                    /* 0: ages uniform within the band */
    double lo[CARE_NAGE][CARE_MAXCUT], hi[CARE_NAGE][CARE_MAXCUT];   /* days */
    double cum[CARE_NAGE][CARE_MAXCUT];  /* cumulative shares */
    /* the interval's time in care, days (tables.initial_stock_ages_by_time's optional
     * from_tic_days, to_tic_days; tic_hi 0: the whole time-in-care band) */
    double tic_lo[CARE_NAGE][CARE_MAXCUT], tic_hi[CARE_NAGE][CARE_MAXCUT];
} care_age_cuts;

typedef struct care_stock_row {          /* initial stock: count children in a state */
    int state, area, age, tb;                /* tb: band of lac_hazards (lac) or home_hazards (home) */
    uint32_t count;
    int uasc;                                /* 1: unaccompanied asylum-seeking children (care_uasc.h) */
} care_stock_row;

typedef struct care_config {
    char *path;                  /* scenario file as given */
    char *name;
    int64_t start_date;          /* day number (care_date) */
    char *description;
    care_span horizon_span, observe_span, burn_in_span, follow_up_span;
    int follow_up_none;          /* 1: no re-entry window, home lasts until a hazard fires */
    double horizon;              /* days */
    double burn_in;              /* days simulated before the start date */
    double follow_up;            /* days (INFINITY if none) */
    uint32_t replicates;
    uint64_t seed;
    int n_obs;
    double *obs;                 /* observation times, days; obs[0] = 0, obs[n_obs-1] = horizon */

    char *areas_path, *entry_rates_path, *entry_trend_path, *placement_shares_path,
         *placement_move_shares_path, *placement_costs_path, *referral_rates_path;
#define CARE_MAXSTOCKFILES 4
    char *initial_stock_paths[CARE_MAXSTOCKFILES];   /* initial_stock: none, one file or a list */
    int n_initial_stock;
    char *hazards_path[CARE_NSTATE];     /* tables.<state>_hazards, NULL if absent */
    int n_areas;
    care_area *areas;
    double entry_rate[CARE_NAGE];        /* per child per day */
    double referral_rate[CARE_NAGE];     /* new referrals per child per day (0: no pathway) */
    double nfa_share[CARE_NAGE];         /* share of new referrals needing no further action */
    care_span rereferral_window_span;    /* how long a closed case can be re-referred */
    double male_share[CARE_NAGE];
    int n_trend;
    double *trend_from;                  /* days; trend_from[0] <= -burn_in */
    double *trend_mult;
    care_hazard_table haz[CARE_NSTATE];  /* by state (care_states.h) */
    double window[CARE_NSTATE];          /* days a state lasts at most (INFINITY: no window) */
    double placement_share[CARE_NAGE][CARE_NPLACE];   /* at entry */
    double move_share[CARE_NAGE][CARE_NPLACE];        /* destination of a move (current one left out) */
    double cost_per_day[CARE_NPLACE];    /* pounds */
    char *placement_capacity_path;       /* tables.placement_capacity, NULL if absent */
    size_t n_cap;                        /* its rows (care_capacity.h); 0: every type unlimited */
    struct care_cap_row *cap;
    int placement_fallback;              /* CARE_PL_* where a child goes when its type is full */
    int placement_fallback_line;         /* line of placement_fallback: (0: the default, residential) */
    size_t n_stock;
    care_stock_row *stock;
    char *entry_ages_path, *parameter_draws_path, *initial_placement_shares_path;
    int has_initial_share;               /* 1: the initial stock's placements have their own shares */
    double initial_share[CARE_NAGE][CARE_NPLACE];   /* by age band on the start date */
    care_age_cuts entry_ages;            /* tables.entry_ages (n = 0: uniform within the band) */
    care_age_cuts stock_ages;            /* tables.initial_stock_ages, for the initial stock */
    char *initial_stock_ages_path;
    /* tables.initial_stock_ages_by_time: the same for children in care, one set per band of
     * time in care (stock_ages_from: the lac_hazards band starts it holds; n = 0: none) */
    care_age_cuts stock_ages_tb[CARE_MAXTB];
    double stock_ages_from[CARE_MAXTB];
    int n_stock_ages_tb;
    char *initial_stock_ages_by_time_path;
    int n_draws;                         /* 0: no parameter uncertainty drawn */
    double *draw_entry;                  /* [n_draws][CARE_NAGE] multipliers on entry rates */
    double *draw_exit;                   /* [n_draws][CARE_MAXK] multipliers on lac_hazards columns */
    int *draw_rule;                      /* [n_draws] each draw's projection rule (NULL: rule 0) */
    double *draw_uasc;                   /* [n_draws] multipliers on UASC entries (NULL: none) */
    char *pathway_draws_path;            /* tables.pathway_draws (care_pathdraws.h) */
    struct care_pathdraws *pathway_draws;   /* its rows, NULL if absent */
    char *rate_trend_path;               /* tables.rate_trend (care_calib.h) */
    int n_rate_trend;                    /* rows per rule; 0: no calendar trend by age band and exit reason */
    int n_trend_rules;                   /* projection rules (blocks of n_rate_trend rows, same dates) */
    double *rate_trend_from;             /* [n] days; rate_trend_from[0] = -INFINITY */
    double *rate_trend_entry;            /* [rules][n][CARE_NAGE] multipliers on first entries */
    double *rate_trend_exit;             /* [rules][n][CARE_MAXK] multipliers on lac_hazards columns */
    char *uasc_path;                     /* tables.uasc */
    struct care_uasc *uasc;              /* its stream (care_uasc.h), NULL if absent */
    char *pathway_trend_path;            /* tables.pathway_trend */
    struct care_pathtrend *pathway_trend;   /* its steps (care_pathtrend.h), NULL if absent */
    int deflate;                         /* output compression level 0-9 */
    int episodes;                        /* 1: write the episode log (output.episodes) */
    care_edits adjust_entry;             /* scenario-level edits (adjust:, care_edit.h), applied on load */
    care_edits adjust_haz[CARE_NSTATE][CARE_MAXK];   /* by state and table column */
    care_edits adjust_share[CARE_NPLACE];            /* placement shares at entry */
    care_edits adjust_nfa;                           /* referrals' no-further-action share */
    int n_epochs;                        /* 0: no dated edit; else epochs[0] is from the beginning */
    care_epoch *epochs;
    char *resolved_yaml;                 /* the scenario as resolved (validate, output attribute) */

    /* Programmes (docs/programmes.md), prices, and a sweep point's values. */
    struct care_programme *progs;        /* n_progs programmes (care_prog.h) */
    int n_progs;
    care_money money;                    /* costs.price_base_year and costs.inflation (discount: unused here) */
    int n_prog_run;                      /* programmes of the whole run (the output's programme axis) */
    char **prog_run_names;               /* their names, n_prog_run */
    int *prog_index;                     /* this scenario's programme i is the run's prog_index[i] */
    int n_items;                         /* cost items: placements, then the run's programmes */
    struct care_sweep *sweep;            /* the file's sweep: block, or NULL */
    struct care_overrides *overrides;    /* while loading a sweep point: its values */
    int n_params;                        /* a sweep point's values, by key */
    char **param_keys;
    double *param_values;
    char *observe_at, *entries_at, *start_at;   /* "FILE:LINE: KEY" of observe (or horizon), areas and start_date, for
                                          * the size estimate's messages (care_estimate.h) */
} care_config;

void care_config_free(care_config *c);   /* accepts NULL; frees c itself */

#endif
