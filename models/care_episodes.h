/* models/care_episodes.h - the optional episode log of one task (SSDA903-like): one row per
 * placement episode, opened when a child enters care, re-enters or moves placement, closed
 * when it moves or leaves. Episodes still open at the horizon have end = NaN.
 * Ownership: the log owns its rows; care_episodes_table moves them into a sim_table (the
 * caller frees it with sim_table_free). Memory grows with episodes, so the log is opt-in. */
#ifndef CARE_EPISODES_H
#define CARE_EPISODES_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/out.h"
#include "care_states.h"

typedef struct care_episode {
    int64_t child;        /* area << 32 | serial: unique within a task */
    double birth, start, end;   /* days since the start date */
    int32_t area, placement, state, reason_started, reason_ended, period;   /* placement: -1 outside care */   /* reason_started: care_transition_start_code;
                                                                         reason_ended: CARE_TR_*, -1 open */
    uint8_t male;
} care_episode;

typedef struct care_episodes {
    care_episode *rows;
    size_t n, cap;
} care_episodes;

/* Appends an open episode; returns its index, or (uint32_t)-1 when out of memory. */
uint32_t care_episodes_open(care_episodes *log, const care_episode *ep);
void care_episodes_close(care_episodes *log, uint32_t idx, double end, int reason);
/* Moves the rows into t's columns (group "episodes"); 0 on success, -1 out of memory. */
int care_episodes_table(care_episodes *log, sim_table *t);
void care_episodes_free(care_episodes *log);

#endif
