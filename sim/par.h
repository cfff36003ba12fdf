/* sim/par.h - the processes (MPI ranks) of one run. Built with CARESIM_WITH_MPI, every call is
 * an MPI call on MPI_COMM_WORLD; built without it, there is one process (rank 0 of 1) and every
 * call returns at once, so callers need no #ifdef. The collective calls (marked) must be made by
 * every rank in the same order. MPI is initialised with MPI_THREAD_SERIALIZED: OpenMP threads
 * may call in, one at a time (the driver calls only under its output lock).
 * Progress messages: a rank other than 0 reports each finished task to rank 0, which folds them
 * into its progress report; each rank ends with a final message, and rank 0 waits for all of them.
 * Ownership: nothing is allocated here that outlives a call. */
#ifndef SIM_PAR_H
#define SIM_PAR_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* 1 when built with MPI (the output is then written through MPI-IO, even by one rank). */
int sim_par_enabled(void);
int sim_par_init(sim_err *err);   /* collective; once, before any other call */
void sim_par_finalize(void);      /* collective */
int sim_par_rank(void);
int sim_par_size(void);

/* Collective: agree on one error. A rank passes its own err (code SIM_OK if all went well) and
 * a key; every rank returns the error of the failed rank with the lowest key (a task index, or
 * the rank), copied into err, or SIM_OK if no rank failed. */
int sim_par_agree(uint64_t key, sim_err *err);
/* Collective: sums in place over ranks (every rank gets the sums). */
void sim_par_sum_f64(double *x, size_t n);
void sim_par_sum_u64(uint64_t *x, size_t n);
void sim_par_barrier(void);   /* collective */

/* Rank != 0: one task finished with `events` events; final = 1 for the last message. */
void sim_par_send_progress(uint64_t events, int final);
/* Rank 0: receives progress messages; returns tasks and events reported since the last call.
 * wait = 0 takes only what has arrived; wait = 1 blocks until every other rank's final message. */
void sim_par_recv_progress(int wait, uint64_t *tasks, uint64_t *events);

#endif
