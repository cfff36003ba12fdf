/* models/care_engine.h - which engine runs a scenario: the case-based sampler
 * (care_trajectory.h, each child's whole path at once) or the event list (care_model.h, one
 * time-ordered list per task). Reads the scenario only; owns no memory (the names are static
 * strings). */
#ifndef CARE_ENGINE_H
#define CARE_ENGINE_H

#include "care_config.h"

typedef enum care_engine { CARE_ENGINE_AUTO, CARE_ENGINE_CASE, CARE_ENGINE_EVENT } care_engine;
extern const char *const care_engine_names[3];   /* "auto", "case", "event" */

/* The engine `asked` resolves to for scenario c: auto picks case unless a finite capacity
 * exists (children waiting for a place interact, which only the event list handles). Programmes
 * without a finite capacity (care_progcase.h), the calibrated structure, the pathway before care
 * and rates that change with the calendar (tables.rate_trend, dated edits: care_trend_case.h)
 * are drawn by the case-based sampler as on the event list. One case stays on the event list
 * whatever was asked: a programme that refers the children present at its start on the day a
 * dated edit takes effect, or before the start date with an initial stock (the event list's
 * order of simultaneous events, or children referred before they exist, decide the draws there). */
care_engine care_engine_choose(care_engine asked, const care_config *c);

#endif
