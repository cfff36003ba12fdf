/* models/care_model.h - the care-system model as a sim_model_ops table (docs/model.md).
 * One task = one replicate of one scenario: children enter care (Poisson per area x age band,
 * times the calendar trend), change placement, leave by competing hazards or at their 18th
 * birthday, may go home and re-enter within the follow-up window; with the pathway's tables,
 * referrals (Poisson per area x age band) open CIN episodes that lead to plans, care or closed
 * cases (care_states.h has every state and transition). Counts are kept per observation period
 * and written to the buffers described by care_output.h.
 * Random streams (sim/rng.h): per area entries use stream (ARRIVAL, area) and referrals
 * (REFERRAL, area); each child draws from its own stream (CHILD, REFERRED or INITIAL, area,
 * serial), so a change to one child's path leaves every other child's draws untouched, and the
 * children entering care directly draw the same numbers with or without the pathway.
 * No threads, files or HDF5 here. */
#ifndef CARE_MODEL_H
#define CARE_MODEL_H

#include "../sim/engine.h"

extern const sim_model_ops care_model_ops;   /* cfg: const care_config * */

#endif
