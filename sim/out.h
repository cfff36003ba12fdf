/* sim/out.h - the output sink: a generic writer of named arrays to one HDF5 file laid out for
 * netCDF-4 readers (README.md, "Output"). It knows no model names: the model describes its
 * dimensions, coordinates and variables in a sim_out_layout, and hands one buffer per variable
 * per task. The first two dimensions of every variable are the task axes (scenario, replicate);
 * each task is one chunk, written whole, then its done(scenario, replicate) flag, so the file
 * on disk says exactly which tasks are complete, even after the process is killed.
 * The file is written to PATH.part and renamed to PATH only by sim_out_close(SIM_OUT_PUBLISH).
 * Built with MPI (sim/par.h), every rank opens the one file and writes its own tasks into it
 * (docs/hpc.md); open, resume and close are then collective, and rank 0 alone renames.
 * The generic part is out.c; HDF5 is only in out_h5.c (the only file including <hdf5.h>).
 * Ownership: the layout (and every string it points to) is the caller's and must outlive the
 * sim_out; the sim_out owns its HDF5 handles. Not thread-safe: one thread calls the writer at a
 * time (the driver serialises it). */
#ifndef SIM_OUT_H
#define SIM_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef enum sim_type { SIM_U8, SIM_U32, SIM_I32, SIM_I64, SIM_F64 } sim_type;

typedef struct sim_dim {
    const char *name;
    size_t size;
    const char *const *labels;   /* string coordinate (UTF-8), or NULL */
    const double *values;        /* float64 coordinate, or NULL: then int32 0..size-1 */
    const char *units;           /* attribute of a numeric coordinate, or NULL */
    const char *calendar;        /* CF calendar for a time coordinate, or NULL */
} sim_dim;

typedef struct sim_aux {         /* a variable along one dimension (e.g. area names, a swept value) */
    const char *name;
    int dim;
    const char *const *labels;   /* strings, or NULL: then values */
    const double *values;        /* float64 values when labels is NULL */
} sim_aux;

#define SIM_OUT_MAXDIMS 8
typedef struct sim_var {
    const char *name;
    sim_type type;
    int ndims;                   /* including the two task axes */
    int dims[SIM_OUT_MAXDIMS];   /* indices into layout.dims; dims[0], dims[1] = task axes */
    const char *units;
    const char *long_name;
    const char *coordinates;     /* CF attribute naming auxiliary coordinates (e.g. "area_name region"), or NULL */
} sim_var;

typedef struct sim_attr { const char *name; const char *value; } sim_attr;

typedef struct sim_out_layout {
    const sim_dim *dims;  int ndims;   /* dims[0] = scenario, dims[1] = replicate */
    const sim_aux *aux;   int naux;
    const sim_var *vars;  int nvars;
    const sim_attr *attrs; int nattrs; /* root attributes (strings) */
    const char *identity_attr;         /* the attribute that must match to resume a file, or NULL */
    int deflate_level;                 /* 0 = none; shuffle is on whenever deflate is */
} sim_out_layout;

/* Elements in one task's buffer of variable v (product of its non-task dimensions). */
size_t sim_out_task_elems(const sim_out_layout *lay, int v);
size_t sim_type_size(sim_type t);

/* A variable-length table of one task (e.g. an event log): columns of nrows values each,
 * written to GROUP/s<scenario>_r<replicate>/<column>. The columns' data are malloc'd and owned by
 * the table (sim_table_free); names, units and labels are static strings. */
#define SIM_TABLE_MAXCOLS 12
typedef struct sim_column {
    const char *name;
    sim_type type;
    void *data;
    const char *units;           /* or NULL */
    const char *labels;          /* comma-separated names of integer codes 0, 1, ..., or NULL */
} sim_column;
typedef struct sim_table {
    const char *group;           /* NULL: no table */
    size_t nrows;
    int ncols;
    sim_column cols[SIM_TABLE_MAXCOLS];
} sim_table;
void sim_table_free(sim_table *t);

typedef struct sim_out sim_out;

int sim_out_open(sim_out **out, const char *path, const sim_out_layout *lay, sim_err *err);
/* Reopens PATH.part left by an interrupted run with the same layout (same dimensions, and the
 * same identity attribute, e.g. the resolved scenario) to finish it; fills done[] (one flag
 * per task, scenario-major) with the tasks already complete. */
int sim_out_resume(sim_out **out, const char *path, const sim_out_layout *lay, unsigned char *done, sim_err *err);
/* Reads task (s, r)'s variables back into bufs (e.g. to summarise a resumed run). */
int sim_out_read_task(sim_out *out, size_t s, size_t r, void *const *bufs, sim_err *err);
/* bufs[v] holds variable v's data for task (s, r), C order over its non-task dimensions. */
int sim_out_write_task(sim_out *out, size_t s, size_t r, const void *const *bufs, sim_err *err);
/* Writes task (s, r)'s table; call before sim_out_write_task, which marks the task done. */
int sim_out_write_table(sim_out *out, size_t s, size_t r, const sim_table *t, sim_err *err);
/* How a run ends: PUBLISH renames PATH.part to PATH (a complete run; if the file does not close
 * cleanly it is removed instead and an error returned); KEEP leaves PATH.part to be resumed (an
 * interrupted run: what is done stays readable); DISCARD removes PATH.part (a failed run: no
 * corrupt output is left). The one way to close; accepts NULL. */
typedef enum sim_out_end { SIM_OUT_PUBLISH, SIM_OUT_KEEP, SIM_OUT_DISCARD } sim_out_end;
int sim_out_close(sim_out *out, sim_out_end how, sim_err *err);
/* Seconds spent inside the writer. */
double sim_out_seconds(const sim_out *out);
const char *sim_out_part_path(const sim_out *out);
/* The build written into every file (attribute engine_build) and checked on resume. */
const char *sim_out_build_id(void);

#endif
