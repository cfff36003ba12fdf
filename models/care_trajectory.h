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

/* Which engine runs a scenario. */
typedef enum care_engine { CARE_ENGINE_AUTO, CARE_ENGINE_CASE, CARE_ENGINE_EVENT } care_engine;
extern const char *const care_engine_names[3];   /* "auto", "case", "event" */

/* The engine `asked` resolves to for scenario c: auto picks case unless a finite capacity
 * exists (children waiting for a place interact, which only the event list handles). Programmes
 * without a finite capacity (care_progcase.h), the calibrated structure, the pathway before care
 * and rates that change with the calendar (tables.rate_trend, dated edits: care_trend_case.h)
 * are drawn here as on the event list. One case stays on the event list whatever was asked: a
 * programme that refers the children present at its start on the day a dated edit takes effect,
 * or before the start date with an initial stock (the event list's order of simultaneous events,
 * or children referred before they exist, decide the draws there). */
care_engine care_engine_choose(care_engine asked, const care_config *c);

#endif
