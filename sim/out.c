/* sim/out.c - the generic part of the output sink (see out.h): type sizes, task element counts,
 * tables, the PATH.part name, the attribute naming the build, timing, agreement between ranks,
 * and the one way to close (publish, keep or discard). HDF5 itself is in out_h5.c. */
#include "out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "out_h5.h"
#include "par.h"

#ifndef CARESIM_BUILD_ID
#define CARESIM_BUILD_ID "unknown"
#endif

/* The attribute that ties a file to the build that wrote it: a resume by another build (another
 * version or commit, or serial against MPI) is refused. */
#define BUILD_ATTR "engine_build"

struct sim_out {
    sim_out_layout lay;    /* the caller's, with the build attribute added */
    sim_attr *attrs;
    sim_h5 *h5;
    char *path, *part;
    double seconds;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

size_t sim_type_size(sim_type t)
{
    switch (t) {
    case SIM_U8: return 1;
    case SIM_U32: case SIM_I32: return 4;
    case SIM_I64: case SIM_F64: return 8;
    }
    return 0;
}

size_t sim_out_task_elems(const sim_out_layout *lay, int v)
{
    size_t n = 1;
    for (int k = 2; k < lay->vars[v].ndims; k++)
        n *= lay->dims[lay->vars[v].dims[k]].size;
    return n;
}

void sim_table_free(sim_table *t)
{
    if (!t)
        return;
    for (int c = 0; c < t->ncols; c++)
        free(t->cols[c].data);
    memset(t, 0, sizeof *t);
}

const char *sim_out_build_id(void)
{
    return sim_par_enabled() ? CARESIM_VERSION "+" CARESIM_BUILD_ID "+mpi" : CARESIM_VERSION "+" CARESIM_BUILD_ID;
}

static void destroy(sim_out *o)
{
    free(o->attrs);
    free(o->path);
    free(o->part);
    free(o);
}

static sim_out *new_out(const char *path, const sim_out_layout *lay)
{
    sim_out *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->lay = *lay;
    o->attrs = malloc((size_t)(lay->nattrs + 1) * sizeof *o->attrs);
    o->path = strdup(path);
    o->part = malloc(strlen(path) + 6);
    if (!o->attrs || !o->path || !o->part) {
        destroy(o);
        return NULL;
    }
    sprintf(o->part, "%s.part", path);
    if (lay->nattrs)
        memcpy(o->attrs, lay->attrs, (size_t)lay->nattrs * sizeof *o->attrs);
    o->attrs[lay->nattrs] = (sim_attr){BUILD_ATTR, sim_out_build_id()};
    o->lay.attrs = o->attrs;
    o->lay.nattrs = lay->nattrs + 1;
    if (sim_par_enabled())
        o->lay.deflate_level = 0;   /* see out_h5.h: parallel writes are uncompressed */
    return o;
}

/* The attributes a resumed file must share with this run: the layout's identity and the build. */
static int identity(const sim_out *o, sim_attr *match)
{
    int n = 0;
    for (int a = 0; a < o->lay.nattrs; a++)
        if ((o->lay.identity_attr && !strcmp(o->lay.attrs[a].name, o->lay.identity_attr)) ||
            !strcmp(o->lay.attrs[a].name, BUILD_ATTR))
            match[n++] = o->lay.attrs[a];
    return n;
}

/* Every rank opens PATH.part (through MPI-IO when built with MPI) and learns the done flags. */
static int open_all(sim_out *o, unsigned char *done, sim_err *err)
{
    sim_attr match[2];
    int n = identity(o, match);
    sim_h5_open(&o->h5, o->part, &o->lay, match, n, sim_par_enabled(), done, err);
    return sim_par_agree((uint64_t)sim_par_rank(), err);
}

/* Rank 0 builds the file under a temporary name and renames it PATH.part only when it is
 * complete and flushed, so a PATH.part is always resumable, wherever a kill struck. Built with
 * MPI the file is then closed, for every rank to open it. */
static void create(sim_out *o, sim_err *e)
{
    char *tmp = malloc(strlen(o->part) + 5);
    if (!tmp) {
        sim_err_set(e, SIM_ENOMEM, "output: out of memory");
        return;
    }
    sprintf(tmp, "%s.new", o->part);
    sim_h5 *h = NULL;
    int rc = sim_h5_create(&h, tmp, &o->lay, sim_par_enabled(), e);
    if (rc == SIM_OK && sim_par_enabled()) {
        rc = sim_h5_close(h);
        h = NULL;
        if (rc != SIM_OK)
            sim_err_set(e, SIM_EIO, "%s: cannot close after creating it (disk full?)", tmp);
    }
    if (rc == SIM_OK && rename(tmp, o->part) != 0)
        rc = sim_err_set(e, SIM_EIO, "%s: cannot rename to %s", tmp, o->part);
    if (rc == SIM_OK && h)
        rc = sim_h5_rename(h, o->part, e);
    if (rc == SIM_OK) {
        o->h5 = h;
    } else {
        sim_h5_close(h);
        remove(tmp);
        remove(o->part);
    }
    free(tmp);
}

int sim_out_open(sim_out **out, const char *path, const sim_out_layout *lay, sim_err *err)
{
    *out = NULL;
    sim_out *o = new_out(path, lay);
    sim_err e = {0};
    if (!o)
        sim_err_set(&e, SIM_ENOMEM, "output: out of memory");
    double t0 = now_s();
    if (o && sim_par_rank() == 0)
        create(o, &e);
    int rc = sim_par_agree((uint64_t)sim_par_rank(), &e);
    unsigned char *done = NULL;
    if (rc == SIM_OK && sim_par_enabled()) {   /* created by rank 0: now every rank opens it */
        done = calloc(lay->dims[0].size * lay->dims[1].size + 1, 1);
        if (!done)
            sim_err_set(&e, SIM_ENOMEM, "output: out of memory");
        rc = sim_par_agree((uint64_t)sim_par_rank(), &e);
        if (rc == SIM_OK)
            rc = open_all(o, done, &e);
        if (rc != SIM_OK) {
            sim_h5_close(o->h5);
            o->h5 = NULL;
            if (sim_par_rank() == 0)
                remove(o->part);
        }
    }
    free(done);
    if (rc != SIM_OK) {
        if (o) destroy(o);
        return sim_err_set(err, rc, "%s", e.msg);
    }
    o->seconds += now_s() - t0;
    *out = o;
    return SIM_OK;
}

int sim_out_resume(sim_out **out, const char *path, const sim_out_layout *lay, unsigned char *done, sim_err *err)
{
    *out = NULL;
    sim_out *o = new_out(path, lay);
    sim_err e = {0};
    if (!o)
        sim_err_set(&e, SIM_ENOMEM, "output: out of memory");
    int rc = sim_par_agree((uint64_t)sim_par_rank(), &e);
    if (rc == SIM_OK)
        rc = open_all(o, done, &e);
    if (rc != SIM_OK) {   /* keep the file: it holds what was computed */
        if (o) {
            sim_h5_close(o->h5);
            destroy(o);
        }
        return sim_err_set(err, rc, "%s", e.msg);
    }
    *out = o;
    return SIM_OK;
}

int sim_out_read_task(sim_out *o, size_t s, size_t r, void *const *bufs, sim_err *err)
{
    double t0 = now_s();
    int rc = sim_h5_read_task(o->h5, s, r, bufs, err);
    o->seconds += now_s() - t0;
    return rc;
}

int sim_out_write_task(sim_out *o, size_t s, size_t r, const void *const *bufs, sim_err *err)
{
    double t0 = now_s();
    int rc = sim_h5_write_task(o->h5, s, r, bufs, err);
    o->seconds += now_s() - t0;
    return rc;
}

int sim_out_write_table(sim_out *o, size_t s, size_t r, const sim_table *t, sim_err *err)
{
    double t0 = now_s();
    int rc = sim_h5_write_table(o->h5, s, r, t, err);
    o->seconds += now_s() - t0;
    return rc;
}

int sim_out_close(sim_out *o, sim_out_end how, sim_err *err)
{
    if (!o)
        return SIM_OK;
    sim_err e = {0};
    if (sim_h5_close(o->h5) != SIM_OK)
        sim_err_set(&e, SIM_EIO, "%s: cannot close output file (disk full?)", o->part);
    o->h5 = NULL;
    int rc = sim_par_agree((uint64_t)sim_par_rank(), &e);
    if (rc != SIM_OK && how == SIM_OUT_PUBLISH)
        how = SIM_OUT_DISCARD;   /* a file that did not close cleanly may be corrupt */
    if (sim_par_rank() == 0) {   /* one rank renames or removes the shared file */
        if (how == SIM_OUT_DISCARD)
            remove(o->part);
        else if (how == SIM_OUT_PUBLISH && rename(o->part, o->path) != 0)
            sim_err_set(&e, SIM_EIO, "%s: cannot rename to %s", o->part, o->path);
    }
    if (rc == SIM_OK)
        rc = sim_par_agree((uint64_t)sim_par_rank(), &e);
    if (rc != SIM_OK)
        sim_err_set(err, rc, "%s", e.msg);
    destroy(o);
    return rc;
}

double sim_out_seconds(const sim_out *o) { return o->seconds; }
const char *sim_out_part_path(const sim_out *o) { return o->part; }
