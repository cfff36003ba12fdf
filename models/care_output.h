/* models/care_output.h - describes the care model's output to the generic writer
 * (sim/out.h): dimensions, coordinate labels, variables and units (README.md, "Output").
 * The order of variables here is the order of the buffers care_model fills.
 * Ownership: care_output holds the arrays the layout points into; it borrows the configs'
 * strings, so the configs must outlive it. care_output_free releases what it allocated. */
#ifndef CARE_OUTPUT_H
#define CARE_OUTPUT_H

#include "../sim/out.h"
#include "care_config.h"

enum { CARE_VAR_STOCK, CARE_VAR_PLACEMENTS, CARE_VAR_FLOW, CARE_VAR_DAYS, CARE_VAR_COST, CARE_NVAR };

typedef struct care_output {
    sim_out_layout layout;
    sim_dim dims[9];
    sim_aux aux[2];
    sim_var vars[CARE_NVAR];
    sim_attr attrs[7];
    const char **scenario_names, **codes, **names, **regions;
    char *yaml;                  /* resolved scenarios, as one YAML stream of documents */
    char time_units[48], seed[24], start[11];
} care_output;

/* All scenarios of one run must share areas and observation times (checked). */
int care_output_init(care_output *o, const care_config *const *cfgs, int n_scen, const char *command_line,
                     const char *version, const char *created, sim_err *err);
void care_output_free(care_output *o);

#endif
