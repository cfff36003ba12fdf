/* models/care_estimate.h - how much memory and disk a run will take, from its scenarios alone,
 * before anything is allocated: so that a run that cannot fit is refused at once, naming the key
 * that makes it large, instead of failing (or swapping) after minutes.
 *   memory = threads x (result buffers of one task + the model's accumulators of one task
 *            + children tracked at once x CARE_BYTES_PER_CHILD) + the run's summary
 *   children tracked at once <= entries per day (populations x entry rates x area multipliers x
 *            the largest trend multiplier) x the longest a child can be tracked (18 years in care
 *            plus the follow-up, at most the whole run) + the initial stock
 *   output  = scenarios x replicates x one task's result bytes (before compression)
 * Every term is an upper estimate; docs/scenarios.md ("How big a run is") explains them.
 * Stateless; the caller owns everything. */
#ifndef CARE_ESTIMATE_H
#define CARE_ESTIMATE_H

#include "../sim/err.h"
#include "care_config.h"

/* A tracked child: its record, its slot in the free list, its pending event, and the slack of
 * arrays that grow by doubling. */
#define CARE_BYTES_PER_CHILD 160.0

typedef struct care_estimate {
    double entries_per_day;      /* the largest scenario's */
    double children;             /* tracked at once, one task */
    double task_bytes;           /* one task's result buffers + model accumulators */
    double memory;               /* the whole run, bytes */
    double output;               /* uncompressed output file, bytes */
} care_estimate;

void care_estimate_run(const care_config *const *cfgs, int n_scen, int threads, care_estimate *e);
/* Refuses (SIM_EINVAL, "FILE:LINE: KEY: ...") a run whose memory estimate passes max_bytes. */
int care_estimate_check(const care_config *const *cfgs, int n_scen, int threads, double max_bytes, sim_err *err);
/* The default limit: half of the machine's physical memory (or 4 GiB if it cannot be read). */
double care_estimate_default_limit(void);
/* Records "FILE:LINE: KEY" of a key that sizes the run, for the messages above (freed with the config). */
void care_estimate_note(char **at, const char *file, int line, const char *key);

#endif
