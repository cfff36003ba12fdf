/* models/care_summary.h - headline numbers of a run, accumulated task by task from the output
 * buffers: children in each state and in care at each observation, entries (first entries and re-entries) and
 * exits (every way out of care) in each period, summed over replicates.
 * Ownership: care_summary owns its arrays (care_summary_free). Not thread-safe: feed it from
 * one thread (the driver's on_task callback is serialised). */
#ifndef CARE_SUMMARY_H
#define CARE_SUMMARY_H

#include <stddef.h>

#include "../sim/err.h"
#include "care_config.h"

typedef struct care_summary {
    size_t n_scen, T, A;
    size_t *n_rep;          /* [S] replicates added */
    double *lac, *starts, *exits;   /* [S][T] sums over replicates */
    double *stock;                  /* [S][T][CARE_NSTATE] children in each state, summed */
} care_summary;

int care_summary_init(care_summary *s, size_t n_scen, const care_config *c, sim_err *err);
void care_summary_add(care_summary *s, size_t scen, const void *const *bufs);
void care_summary_free(care_summary *s);

#endif
