/* models/care_trajectory.h - the care model for the case-based engine (sim/case.h): each
 * child's whole path, entry to the horizon, drawn in one pass and added to the task's counts.
 * Children never interact in this model, so the path is the one the event list would give:
 * every draw comes from the child's own keyed stream (sim/rng.h) in the same order, and each
 * spell (a stay in one state and placement) is counted by the same rules as care_model.c
 * (stock at each observation inside the spell, the flow at its end, days and cost over it).
 * The output buffers and the episode log (rows sorted into the event list's order) are those of
 * care_model_ops. No threads, files or HDF5 here. */
#ifndef CARE_TRAJECTORY_H
#define CARE_TRAJECTORY_H

#include "../sim/case.h"
#include "care_config.h"

extern const sim_case_ops care_trajectory_ops;   /* cfg: const care_config * */

#endif
