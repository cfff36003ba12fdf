/* sim/out_h5.h - the HDF5 back end of the output sink, private to sim/out.c (as Redis's
 * ae_epoll.c sits behind ae.c): it writes and reads the file whose name it is given and
 * knows nothing of .part names, renaming, ranks' agreement or timing, which out.c owns.
 * Two modes: serial (one process; chunks compressed as the layout asks, a flush after each
 * task) and parallel (the file opened by every rank through the MPI-IO driver; the file is
 * first created by one rank with uncompressed chunks allocated and zero-filled at creation, so
 * each rank then writes whole chunks at fixed places independently and the file's metadata
 * never changes while tasks are written; see docs/hpc.md).
 * Ownership: a sim_h5 owns its HDF5 handles and a copy of the file name; the layout is borrowed
 * and must outlive it. */
#ifndef SIM_OUT_H5_H
#define SIM_OUT_H5_H

#include "out.h"

typedef struct sim_h5 sim_h5;

/* Creates FILE (truncating it) with every coordinate, attribute and (empty) variable of lay,
 * flushed. for_parallel: no compression, chunks allocated and filled with zeros now. */
int sim_h5_create(sim_h5 **h, const char *file, const sim_out_layout *lay, int for_parallel, sim_err *err);
/* Opens FILE read-write after checking that it has lay's variables, of lay's shapes, and the
 * attributes match[] with the same values; fills done[] (one flag per task, scenario-major).
 * parallel: collective over every rank (MPI-IO driver). */
int sim_h5_open(sim_h5 **h, const char *file, const sim_out_layout *lay, const sim_attr *match, int nmatch,
                int parallel, unsigned char *done, sim_err *err);
/* The file was renamed (it stays open): later messages name it NEW_NAME. */
int sim_h5_rename(sim_h5 *h, const char *new_name, sim_err *err);
int sim_h5_read_task(sim_h5 *h, size_t s, size_t r, void *const *bufs, sim_err *err);
int sim_h5_write_task(sim_h5 *h, size_t s, size_t r, const void *const *bufs, sim_err *err);
int sim_h5_write_table(sim_h5 *h, size_t s, size_t r, const sim_table *t, sim_err *err);
/* Closes every handle and frees h (NULL is accepted); SIM_EIO if the file could not be closed
 * cleanly (disk full). Collective in parallel mode. */
int sim_h5_close(sim_h5 *h);

#endif
