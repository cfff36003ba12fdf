/* sim/progress.h - progress of a run on stderr: a bar on a terminal (tasks done, events/s,
 * ETA), one JSON object per line otherwise (for logs and Slurm output files), or nothing.
 * Not thread-safe: the driver calls it under its output lock. */
#ifndef SIM_PROGRESS_H
#define SIM_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum sim_progress_mode { SIM_PROGRESS_AUTO, SIM_PROGRESS_BAR, SIM_PROGRESS_JSON,
                                 SIM_PROGRESS_QUIET } sim_progress_mode;

typedef struct sim_progress {
    sim_progress_mode mode;
    FILE *f;
    size_t total, done;
    double running;       /* summed share done of the tasks now running */
    uint64_t events;
    double t0, last;
} sim_progress;

void sim_progress_init(sim_progress *p, sim_progress_mode mode, size_t total, FILE *f);
/* One more task finished; running: the summed share done of the tasks still running (the
 * finished one no longer among them, so the share shown never counts it twice). */
void sim_progress_task(sim_progress *p, uint64_t new_events, double running);
/* Inside long tasks: new events, and the summed share done of the tasks still running. */
void sim_progress_tick(sim_progress *p, uint64_t new_events, double running);
void sim_progress_finish(sim_progress *p);
double sim_progress_elapsed(const sim_progress *p);

#endif
