/* sim/outfile.h - the output file's life on disk, so that no run overwrites data it does not own:
 * PATH.part is created exclusively and without following links, held under a lock for the whole
 * run, and published as PATH without replacing a file that appeared meanwhile (unless forced).
 * The writer opens the file through sim_outfile_name (a /proc/self/fd name for our own
 * descriptor where /proc exists), so swapping PATH.part for a link later changes nothing.
 *
 * The lock is an open-file-description lock (fcntl F_OFD_SETLK) on PATH.part: independent of
 * HDF5's own flock, and released by the kernel when the process dies, so a killed run never
 * leaves a stale lock. A second run on the same output fails at once, saying so.
 * Ownership: the caller owns the struct; sim_outfile_release closes what it holds. */
#ifndef SIM_OUTFILE_H
#define SIM_OUTFILE_H

#include <sys/types.h>

#include "err.h"

typedef struct sim_outfile {
    int fd;                  /* PATH.part, open for writing and locked; -1 when released */
    char *path, *part;
    char *staging;           /* PATH.part.new while the file is built, then NULL */
    char proc[64];           /* /proc/self/fd/N naming fd, or "" where /proc is missing */
    dev_t dev;               /* identity of PATH.part when we created or opened it */
    ino_t ino;
} sim_outfile;

/* A new file, to become PATH.part. An existing PATH.part is refused (another run is writing it,
 * or an interrupted run left it: --resume finishes that one), unless replace is set and no run
 * holds it. The file is built as PATH.part.new (a leftover one no run holds is removed). */
int sim_outfile_create(sim_outfile *f, const char *path, int replace, sim_err *err);
/* Names the built file PATH.part, without replacing one that appeared meanwhile. */
int sim_outfile_commit(sim_outfile *f, sim_err *err);
/* Opens the PATH.part an interrupted run left, to finish it. */
int sim_outfile_reopen(sim_outfile *f, const char *path, sim_err *err);
/* The name the writer should open: /proc/self/fd/N where it names our descriptor, else PATH.part. */
const char *sim_outfile_name(const sim_outfile *f);
/* Makes sure PATH.part has disk space up to byte `end` (allocating it now), so that a full disk
 * shows here, before the writer touches the file, and never half-way through a task: what the
 * last flush made consistent stays consistent. */
int sim_outfile_reserve(sim_outfile *f, unsigned long long end, sim_err *err);
/* Gives back the space reserved past `end` (the closed file's end of allocation). */
int sim_outfile_trim(sim_outfile *f, unsigned long long end, sim_err *err);
/* Renames PATH.part to PATH after the writer has closed it. Refuses (keeping PATH.part) when
 * PATH exists, unless replace is set; refuses when PATH.part is no longer our file. */
int sim_outfile_publish(sim_outfile *f, int replace, sim_err *err);
/* Removes PATH.part if it is still the file we created (a failed run that finished nothing). */
void sim_outfile_remove(sim_outfile *f);
/* Drops the lock and frees; the file stays. Accepts a zeroed or released struct. */
void sim_outfile_release(sim_outfile *f);

#endif
