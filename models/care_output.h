/* models/care_output.h - the care model's output contract: the one list of output variables
 * (name, type, the dimensions after scenario x replicate x time x area, units, meaning), the
 * dimensions' sizes and coordinate labels, and the index of an element in a task's buffer.
 * care_model fills one buffer per variable, found by its CARE_VAR_* name; care_summary reads
 * them the same way; Python reads every label from the file's coordinates, and which
 * transitions enter or leave which state from the transition_from/transition_to coordinates.
 * A buffer holds [time][area][d1][d2] in C order (d2 absent: size 1).
 * Ownership: care_output holds the arrays the layout points into; it borrows the configs'
 * strings, so the configs must outlive it. care_output_free releases what it allocated. */
#ifndef CARE_OUTPUT_H
#define CARE_OUTPUT_H

#include <stddef.h>

#include "../sim/out.h"
#include "care_config.h"
#include "care_sweep.h"

/* Dimensions of the output. X(ID, name, size (0: set per run), labels) */
#define CARE_DIM_LIST(X)                                                  \
    X(SCEN,  "scenario",   0,            NULL)                            \
    X(REP,   "replicate",  0,            NULL)                            \
    X(TIME,  "time",       0,            NULL)                            \
    X(AREA,  "area",       0,            NULL)                            \
    X(STATE, "state",      CARE_NSTATE,  care_state_names)                \
    X(AGE,   "age_band",   CARE_NAGE,    care_age_names)                  \
    X(PLACE, "placement",  CARE_NPLACE,  care_placement_names)            \
    X(TRANS, "transition", CARE_NTR,     care_transition_names)           \
    X(ITEM,  "item",       0,            NULL)                            \
    X(PROG,  "programme",  0,            NULL)
#define CARE_X_DIM_ENUM(id, ...) CARE_D_##id,
enum { CARE_DIM_LIST(CARE_X_DIM_ENUM) CARE_NDIM, CARE_D_NONE = -1 };

/* Variables. X(ID, name, type, d1, d2 (NONE: absent), units, long name)
 * Counts are stored signed (int32), so differences between scenarios never wrap in numpy or
 * xarray; the model counts in uint32 far below 2^31, so the bits are the same. */
#define CARE_VAR_LIST(X)                                                                            \
    X(STOCK, "stock", SIM_I32, STATE, AGE, "children", "children in each state at the observation time") \
    X(PLACEMENTS, "placements", SIM_I32, PLACE, AGE, "children",                                     \
      "looked-after children by placement at the observation time")                                 \
    X(FLOW, "flow", SIM_I32, TRANS, AGE, "events", "transitions in the period ending at the observation time") \
    X(DAYS, "days_in_care", SIM_F64, AGE, NONE, "child-days",                                        \
      "child-days in care in the period ending at the observation time")                            \
    X(COST, "cost", SIM_F64, ITEM, NONE, "GBP",                                                     \
      "cost in the period ending at the observation time: placements by type, then programmes")     \
    X(SERVED, "programme_served", SIM_I32, PROG, NONE, "children",                                  \
      "children who started being served by each programme in the period")                          \
    X(REFERRED, "programme_referred", SIM_I32, PROG, NONE, "children",                              \
      "children referred to each programme in the period (served at once or put on its waiting list)") \
    X(WAITING, "programme_waiting", SIM_I32, PROG, NONE, "children",                                \
      "children on each programme's waiting list at the observation time") \
    X(DAYS_STATE, "days_in_state", SIM_F64, STATE, AGE, "child-days",                                 \
      "child-days in each state in the period ending at the observation time")                      \
    X(SHORTFALL, "placement_shortfall", SIM_I32, PLACE, NONE, "placements",                         \
      "placements wanted of each type that went to the fallback type (no place free in the area) in the period") \
    X(UASC_STOCK, "uasc_stock", SIM_I32, AGE, NONE, "children",                                      \
      "unaccompanied asylum-seeking children in care at the observation time (tables.uasc; also in stock)") \
    X(UASC_FLOW, "uasc_flow", SIM_I32, TRANS, AGE, "events",                                        \
      "transitions of unaccompanied asylum-seeking children in the period (also in flow)")
#define CARE_X_VAR_ENUM(id, ...) CARE_VAR_##id,
enum { CARE_VAR_LIST(CARE_X_VAR_ENUM) CARE_NVAR };

typedef struct care_var_info {
    const char *name;
    sim_type type;
    int d1, d2;                  /* CARE_D_*, d2 may be CARE_D_NONE */
    size_t n1, n2;               /* their sizes (n2 = 1 when absent) */
    const char *units, *long_name;
} care_var_info;
extern const care_var_info care_vars[CARE_NVAR];

/* Element (t, area, i, j) of variable v's buffer in a run with A areas. */
static inline size_t care_var_at(int v, size_t A, size_t t, size_t area, size_t i, size_t j)
{
    return ((t * A + area) * care_vars[v].n1 + i) * care_vars[v].n2 + j;
}
/* Elements in one task's buffer of v. */
static inline size_t care_var_elems(int v, size_t T, size_t A) { return T * A * care_vars[v].n1 * care_vars[v].n2; }
/* The same where a dimension's size is set per run (item, programme: care_scenario_link). */
static inline size_t care_var_n1(int v, const care_config *c)
{
    int d = care_vars[v].d1;
    return d == CARE_D_ITEM ? (size_t)c->n_items : d == CARE_D_PROG ? (size_t)c->n_prog_run : care_vars[v].n1;
}
static inline size_t care_var_elems_run(int v, const care_config *c)
{
    return (size_t)c->n_obs * (size_t)c->n_areas * care_var_n1(v, c) * care_vars[v].n2;
}

typedef struct care_output {
    sim_out_layout layout;
    sim_dim dims[CARE_NDIM];
    sim_aux aux[4 + CARE_SWEEP_MAX_PARAMS];
    int naux;
    char param_names[CARE_SWEEP_MAX_PARAMS][96];
    double *param_values;        /* [param][scenario]: a sweep's values, NaN where not swept */
    const char **items, **progs; /* labels of the item and programme axes */
    sim_var vars[CARE_NVAR];
    sim_attr attrs[7];
    const char **scenario_names, **codes, **names, **regions;
    const char *tr_from[CARE_NTR], *tr_to[CARE_NTR];   /* state labels, "out" outside */
    char *yaml;                  /* resolved scenarios, as one YAML stream of documents */
    char time_units[48], seed[24], start[11];
} care_output;

/* All scenarios of one run must share areas and observation times (checked). */
int care_output_init(care_output *o, const care_config *const *cfgs, int n_scen, const char *command_line,
                     const char *version, const char *created, sim_err *err);
void care_output_free(care_output *o);

#endif
