/* models/care_prog.h - programmes as scenario data (docs/programmes.md): where a programme runs,
 * which children it takes, when, with how many places, what it does to their hazards and what
 * it costs. care_prog_parse reads a scenario's `programmes:` list; names of states and
 * transitions are kept as written and resolved by the model, which knows its states.
 * Numeric keys are read through care_overrides, so a sweep can set any of them by its dotted
 * name (programmes.NAME.effects.I.ratio, programmes.NAME.capacity, ...).
 * Ownership: the array returned is the caller's; care_prog_free releases it and everything in it. */
#ifndef CARE_PROG_H
#define CARE_PROG_H

#include <stdint.h>
#include <stdio.h>

#include "../sim/err.h"
#include "care_config.h"
#include "care_effect.h"
#include "care_eligible.h"
#include "care_sweep.h"
#include "care_yaml.h"

#define CARE_PROG_MAX 16          /* programmes per scenario */
#define CARE_PROG_MAX_EFFECTS 8
#define CARE_PROG_MAX_STATES 8
#define CARE_PROG_MAX_STEPS 16    /* capacity changes over time */

typedef struct care_prog_effect {
    char *transition;             /* a transition label or "from->to", as written */
    int from_state, column;       /* resolved by the model; -1 until then */
    care_effect_size size;
    int line;
    int same_draw;                /* 1 + an earlier effect whose normal deviate this one shares; 0: its own */
} care_prog_effect;

typedef struct care_programme {
    char *name;
    char *file;                   /* where it was defined, for messages */
    int line;
    care_eligible where;
    int *areas, n_areas;          /* chosen areas in order of adoption, set by care_prog_resolve */
    unsigned char *in_area;       /* one flag per area of the table, set by care_prog_resolve */
    char *states[CARE_PROG_MAX_STATES];          /* referred on entering one of these */
    int n_states;
    char *continues[CARE_PROG_MAX_STATES];       /* ... and still treated in these */
    int n_continues;
    int state_idx[CARE_PROG_MAX_STATES], cont_idx[CARE_PROG_MAX_STATES];   /* by care_prog_bind */
    int new_only;                 /* 1: only children entering a state after the start */
    double age_lo, age_hi;        /* years: children aged lo <= age < hi + 1 when referred */
    care_effect_time time;        /* days since the scenario's start date */
    int n_cap;                    /* 0: unlimited places */
    double cap_from[CARE_PROG_MAX_STEPS], cap_places[CARE_PROG_MAX_STEPS];   /* per area */
    double duration;              /* days a served child holds its place at most; INFINITY */
    int n_effects;
    care_prog_effect effects[CARE_PROG_MAX_EFFECTS];
    double cost_per_day, cost_per_child, cost_fixed_per_area_year;   /* in price_year pounds */
    int price_year;               /* 0: the scenario's price base year */
} care_programme;

/* Reads the list; start_date is the scenario's day 0. */
int care_prog_parse(care_yaml_doc *d, yaml_node_t *list, int64_t start_date, care_overrides *ov,
                    care_programme **out, int *n, sim_err *err);
/* Chooses each programme's areas in the scenario's areas table. */
int care_prog_resolve(care_programme *p, int n, const care_area *areas, int n_areas, sim_err *err);
void care_prog_free(care_programme *p, int n);   /* accepts NULL */
/* Resolves state and transition names against the model's states (care_states.h) and checks
 * each named state has a hazard table in this scenario (haz[s].n_k > 0). An effect on
 * entries from outside (out->lac) gets from_state CARE_PROG_ENTRY. */
#define CARE_PROG_ENTRY (-2)
int care_prog_bind(care_programme *p, int n, const care_hazard_table *haz, sim_err *err);
/* The programmes as resolved YAML (numbers in their shortest exact form), for the stored
 * scenario; areas as the codes chosen. */
void care_prog_print(FILE *f, const care_programme *p, int n, const care_area *areas, int64_t day0);

/* Places per area at day t (INFINITY when unlimited), constant on [t, *until). */
double care_prog_places(const care_programme *p, double t, double *until);

#endif
