/* models/care_keyedlog.h - the episode log of the case-based sampler (care_trajectory.c). Rows
 * come child by child there, while the event list opens them in the order of the events that
 * open them; each row keeps that time (its key), and the rows are put back in the event list's
 * order when the log becomes the task's table, so both engines write the same log.
 * Ownership: the log owns its rows and keys; care_keyedlog_table moves the rows into a sim_table
 * (the caller frees it with sim_table_free); care_keyedlog_free frees the rest. */
#ifndef CARE_KEYEDLOG_H
#define CARE_KEYEDLOG_H

#include <stddef.h>
#include <stdint.h>

#include "care_episodes.h"

typedef struct care_keyedlog {
    care_episodes log;
    double *key;      /* per row: when the event list opens it (-inf: at the start) */
    size_t key_cap;
    int failed;       /* 1: out of memory; nothing more is written */
} care_keyedlog;

/* Appends an open row opened at `opened`; returns its index, or (uint32_t)-1 (then failed = 1). */
uint32_t care_keyedlog_open(care_keyedlog *l, const care_episode *ep, double opened);
void care_keyedlog_close(care_keyedlog *l, uint32_t row, double end, int reason);
/* Sorts the rows by key (ties: in the order written) and moves them into t's columns;
 * 0 on success, -1 out of memory. */
int care_keyedlog_table(care_keyedlog *l, sim_table *t);
void care_keyedlog_free(care_keyedlog *l);

#endif
