/* sim/out_h5.c - the only file that includes <hdf5.h>. See out_h5.h and out.h for the contract.
 * Named dimensions for xarray/h5netcdf: each coordinate is a 1-D dataset made a dimension scale
 * (H5DSset_scale) and attached to every axis that uses it (H5DSattach_scale). Every axis of
 * every dataset needs a scale, or h5netcdf refuses the file. */
#include "out_h5.h"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CARESIM_WITH_MPI
#include <mpi.h>
#endif

struct sim_h5 {
    const sim_out_layout *lay;
    hid_t file;
    hid_t *dsets;        /* one per variable */
    hid_t done;
    hid_t dapl;          /* dataset access: no chunk cache in parallel mode */
    int parallel;
    char *name;
};

static hid_t h5type(sim_type t)
{
    switch (t) {
    case SIM_U8: return H5T_NATIVE_UINT8;
    case SIM_U32: return H5T_NATIVE_UINT32;
    case SIM_I32: return H5T_NATIVE_INT32;
    case SIM_I64: return H5T_NATIVE_INT64;
    case SIM_F64: return H5T_NATIVE_DOUBLE;
    }
    return H5T_NATIVE_UINT8;
}

static hid_t vlen_str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

static int put_str_attr(hid_t obj, const char *name, const char *value)
{
    hid_t t = vlen_str_type(), sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t rc = a < 0 ? -1 : H5Awrite(a, t, &value);
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return rc < 0 ? -1 : 0;
}

static hid_t write_strings(hid_t file, const char *name, const char *const *labels, size_t n)
{
    hsize_t dim = n;
    hid_t t = vlen_str_type(), sp = H5Screate_simple(1, &dim, NULL);
    hid_t d = H5Dcreate2(file, name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    /* A conversion buffer the size of the data: HDF5's default (1 MiB, zeroed on every write)
     * cost more than the rest of a small run's output. */
    hid_t xfer = H5Pcreate(H5P_DATASET_XFER);
    if (xfer >= 0)
        H5Pset_buffer(xfer, (n + 1) * 2 * sizeof(char *) + 4096, NULL, NULL);
    if (d >= 0 && n > 0 && H5Dwrite(d, t, H5S_ALL, H5S_ALL, xfer >= 0 ? xfer : H5P_DEFAULT, labels) < 0) {
        H5Dclose(d);
        d = -1;
    }
    if (xfer >= 0)
        H5Pclose(xfer);
    H5Sclose(sp);
    H5Tclose(t);
    return d;
}

static hid_t write_coord(hid_t file, const sim_dim *dim)
{
    if (dim->labels)
        return write_strings(file, dim->name, dim->labels, dim->size);
    hsize_t n = dim->size;
    hid_t sp = H5Screate_simple(1, &n, NULL), d;
    if (dim->values) {
        d = H5Dcreate2(file, dim->name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (d >= 0 && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, dim->values) < 0) {
            H5Dclose(d);
            d = -1;
        }
    } else {
        int32_t *idx = malloc((n ? n : 1) * sizeof *idx);
        for (size_t i = 0; idx && i < n; i++)
            idx[i] = (int32_t)i;
        d = idx ? H5Dcreate2(file, dim->name, H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
        if (d >= 0 && H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, idx) < 0) {
            H5Dclose(d);
            d = -1;
        }
        free(idx);
    }
    H5Sclose(sp);
    if (d >= 0 && ((dim->units && put_str_attr(d, "units", dim->units) < 0) ||
                   (dim->calendar && put_str_attr(d, "calendar", dim->calendar) < 0))) {
        H5Dclose(d);
        d = -1;
    }
    return d;
}

static hid_t write_doubles(hid_t file, const char *name, const double *v, size_t n)
{
    hsize_t dims[1] = {n};
    hid_t sp = H5Screate_simple(1, dims, NULL);
    hid_t d = H5Dcreate2(file, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Sclose(sp);
    if (d >= 0 && n > 0 && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        H5Dclose(d);
        d = -1;
    }
    return d;
}

/* Chunked, one chunk per task. For a file to be written in parallel: no filters (HDF5 1.10
 * writes filtered chunks only collectively), and every chunk allocated and zero-filled now, so
 * that later writes change no metadata. A chunk under DEFLATE_MIN bytes is not compressed: zlib
 * clears about 256 KB of tables for each chunk it compresses, which for a few kilobytes costs
 * more than the bytes it saves (a small task's writing doubled; bench/README.md). */
#define DEFLATE_MIN 16384
static hid_t create_var(hid_t file, const sim_out_layout *lay, const char *name, sim_type type,
                        int ndims, const int *dims, int for_parallel)
{
    hsize_t shape[SIM_OUT_MAXDIMS], chunk[SIM_OUT_MAXDIMS];
    int any_zero = 0;
    size_t bytes = sim_type_size(type);
    for (int k = 0; k < ndims; k++) {
        shape[k] = lay->dims[dims[k]].size;
        chunk[k] = k < 2 ? 1 : shape[k];
        bytes *= (size_t)chunk[k];
        any_zero |= shape[k] == 0;
    }
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (!any_zero) {
        H5Pset_chunk(dcpl, ndims, chunk);
        if (for_parallel) {
            H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY);
            H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC);
        } else if (lay->deflate_level > 0 && type != SIM_U8 && bytes >= DEFLATE_MIN) {
            H5Pset_shuffle(dcpl);
            H5Pset_deflate(dcpl, (unsigned)lay->deflate_level);
        }
    }
    hid_t sp = H5Screate_simple(ndims, shape, NULL);
    hid_t ftype = type == SIM_U8 ? H5T_STD_U8LE : type == SIM_U32 ? H5T_STD_U32LE
                : type == SIM_I32 ? H5T_STD_I32LE : type == SIM_I64 ? H5T_STD_I64LE : H5T_IEEE_F64LE;
    hid_t d = H5Dcreate2(file, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Sclose(sp);
    H5Pclose(dcpl);
    return d;
}

static int attach_all(hid_t d, const hid_t *scales, int ndims, const int *dims)
{
    for (int k = 0; k < ndims; k++)
        if (H5DSattach_scale(d, scales[dims[k]], (unsigned)k) < 0)
            return -1;
    return 0;
}

static int build_file(sim_h5 *o, int for_parallel, sim_err *err)
{
    const sim_out_layout *lay = o->lay;
    hid_t scales[32];
    int nsc = 0, rc = SIM_OK;
    if (lay->ndims > 32)
        return sim_err_set(err, SIM_EINVAL, "output: too many dimensions (%d)", lay->ndims);
    for (; nsc < lay->ndims; nsc++) {
        scales[nsc] = write_coord(o->file, &lay->dims[nsc]);
        if (scales[nsc] < 0 || H5DSset_scale(scales[nsc], lay->dims[nsc].name) < 0) {
            rc = sim_err_set(err, SIM_EIO, "%s: cannot write coordinate '%s'", o->name, lay->dims[nsc].name);
            if (scales[nsc] >= 0) nsc++;
            goto cleanup;
        }
    }
    for (int a = 0; a < lay->naux; a++) {
        const sim_aux *ax = &lay->aux[a];
        hid_t d = ax->labels ? write_strings(o->file, ax->name, ax->labels, lay->dims[ax->dim].size)
                             : write_doubles(o->file, ax->name, ax->values, lay->dims[ax->dim].size);
        int bad = d < 0 || attach_all(d, scales, 1, &lay->aux[a].dim) < 0;
        if (d >= 0) H5Dclose(d);
        if (bad) {
            rc = sim_err_set(err, SIM_EIO, "%s: cannot write variable '%s'", o->name, lay->aux[a].name);
            goto cleanup;
        }
    }
    for (int v = 0; v < lay->nvars; v++) {
        const sim_var *var = &lay->vars[v];
        o->dsets[v] = create_var(o->file, lay, var->name, var->type, var->ndims, var->dims, for_parallel);
        if (o->dsets[v] < 0 || attach_all(o->dsets[v], scales, var->ndims, var->dims) < 0 ||
            (var->units && put_str_attr(o->dsets[v], "units", var->units) < 0) ||
            (var->long_name && put_str_attr(o->dsets[v], "long_name", var->long_name) < 0) ||
            (var->coordinates && put_str_attr(o->dsets[v], "coordinates", var->coordinates) < 0)) {
            rc = sim_err_set(err, SIM_EIO, "%s: cannot create variable '%s'", o->name, var->name);
            goto cleanup;
        }
    }
    static const int task_dims[2] = {0, 1};
    o->done = create_var(o->file, lay, "done", SIM_U8, 2, task_dims, for_parallel);
    if (o->done < 0 || attach_all(o->done, scales, 2, task_dims) < 0 ||
        put_str_attr(o->done, "units", "1") < 0 ||
        put_str_attr(o->done, "long_name", "1 when the task's data are completely written") < 0) {
        rc = sim_err_set(err, SIM_EIO, "%s: cannot create variable 'done'", o->name);
        goto cleanup;
    }
    for (int a = 0; a < lay->nattrs; a++)
        if (put_str_attr(o->file, lay->attrs[a].name, lay->attrs[a].value) < 0) {
            rc = sim_err_set(err, SIM_EIO, "%s: cannot write attribute '%s'", o->name, lay->attrs[a].name);
            goto cleanup;
        }
    if (H5Fflush(o->file, H5F_SCOPE_GLOBAL) < 0)
        rc = sim_err_set(err, SIM_EIO, "%s: cannot flush (disk full?)", o->name);
cleanup:
    for (int k = 0; k < nsc; k++)
        H5Dclose(scales[k]);
    return rc;
}


int sim_h5_eoa(sim_h5 *h, unsigned long long *eoa)
{
    haddr_t a;
    if (H5Fget_eoa(h->file, &a) < 0)
        return SIM_EIO;
    *eoa = (unsigned long long)a;
    return SIM_OK;
}

int sim_h5_file_eoa(const char *file, unsigned long long *eoa)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    haddr_t a = 0;
    hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    herr_t rc = f < 0 ? -1 : H5Fget_eoa(f, &a);
    if (f >= 0 && H5Fclose(f) < 0)
        rc = -1;
    if (rc < 0 || a == 0)
        return SIM_EIO;
    *eoa = (unsigned long long)a;
    return SIM_OK;
}

int sim_h5_close(sim_h5 *o)
{
    if (!o)
        return SIM_OK;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int bad = 0;
    for (int v = 0; o->dsets && v < o->lay->nvars; v++)
        if (o->dsets[v] >= 0)
            bad |= H5Dclose(o->dsets[v]) < 0;
    if (o->done >= 0) bad |= H5Dclose(o->done) < 0;
    if (o->dapl >= 0) H5Pclose(o->dapl);
    if (o->file >= 0) bad |= H5Fclose(o->file) < 0;
    free(o->dsets);
    free(o->name);
    free(o);
    return bad ? SIM_EIO : SIM_OK;
}

/* A sim_h5 with no file yet; NULL if out of memory.
 * Also the library set-up every entry point needs: a file whose close failed (disk full) makes
 * HDF5's own exit-time cleanup crash in 1.10, and every handle is closed by us on every path,
 * so that cleanup is switched off; failures become sim_err messages, not stack prints. */
static sim_h5 *new_h5(const char *file, const sim_out_layout *lay, int parallel)
{
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    sim_h5 *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->lay = lay;
    o->parallel = parallel;
    o->file = o->done = -1;
    o->dapl = H5Pcreate(H5P_DATASET_ACCESS);
    if (parallel && o->dapl >= 0)   /* each write goes to the file at once, never held in a cache */
        H5Pset_chunk_cache(o->dapl, 0, 0, H5D_CHUNK_CACHE_W0_DEFAULT);
    o->name = strdup(file);
    o->dsets = malloc((size_t)(lay->nvars ? lay->nvars : 1) * sizeof *o->dsets);
    if (!o->name || !o->dsets || o->dapl < 0) {
        sim_h5_close(o);
        return NULL;
    }
    for (int v = 0; v < lay->nvars; v++)
        o->dsets[v] = -1;
    return o;
}

int sim_h5_create(sim_h5 **h, const char *file, const sim_out_layout *lay, int for_parallel, sim_err *err)
{
    *h = NULL;
    sim_h5 *o = new_h5(file, lay, 0);
    if (!o)
        return sim_err_set(err, SIM_ENOMEM, "output: out of memory");
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    o->file = H5Fcreate(file, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    if (o->file < 0) {
        sim_h5_close(o);
        return sim_err_set(err, SIM_EIO, "%s: cannot create output file (missing directory or no permission?)", file);
    }
    int rc = build_file(o, for_parallel, err);
    if (rc != SIM_OK) {
        sim_h5_close(o);
        return rc;
    }
    *h = o;
    return SIM_OK;
}

static char *get_str_attr(hid_t obj, const char *name)
{
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT), t = vlen_str_type();
    char *v = NULL, *copy = NULL;
    if (a >= 0 && H5Aread(a, t, &v) >= 0 && v) {
        copy = strdup(v);
        H5free_memory(v);
    }
    if (a >= 0) H5Aclose(a);
    H5Tclose(t);
    return copy;
}

/* The dataset exists with exactly the layout's shape. */
static hid_t open_checked(hid_t file, const sim_out_layout *lay, const char *name, int ndims, const int *dims,
                          hid_t dapl)
{
    hid_t d = H5Lexists(file, name, H5P_DEFAULT) > 0 ? H5Dopen2(file, name, dapl) : -1;
    if (d < 0)
        return -1;
    hid_t sp = H5Dget_space(d);
    hsize_t shape[SIM_OUT_MAXDIMS];
    int ok = H5Sget_simple_extent_ndims(sp) == ndims && H5Sget_simple_extent_dims(sp, shape, NULL) == ndims;
    for (int k = 0; ok && k < ndims; k++)
        ok = shape[k] == lay->dims[dims[k]].size;
    H5Sclose(sp);
    if (!ok) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

static int reopen(sim_h5 *o, const sim_attr *match, int nmatch, unsigned char *done, sim_err *err)
{
    const sim_out_layout *lay = o->lay;
    for (int v = 0; v < lay->nvars; v++) {
        o->dsets[v] = open_checked(o->file, lay, lay->vars[v].name, lay->vars[v].ndims, lay->vars[v].dims, o->dapl);
        if (o->dsets[v] < 0)
            return sim_err_set(err, SIM_EINVAL, "%s: variable '%s' is missing or has another shape: not a file "
                               "of this run, cannot resume", o->name, lay->vars[v].name);
    }
    static const int task_dims[2] = {0, 1};
    o->done = open_checked(o->file, lay, "done", 2, task_dims, o->dapl);
    if (o->done < 0)
        return sim_err_set(err, SIM_EINVAL, "%s: 'done' is missing or has another shape: cannot resume", o->name);
    for (int a = 0; a < nmatch; a++) {
        char *v = get_str_attr(o->file, match[a].name);
        int same = v && strcmp(v, match[a].value) == 0;
        free(v);
        if (!same)
            return sim_err_set(err, SIM_EINVAL, "%s: attribute '%s' differs from this run's: it was written by "
                               "another scenario, settings or build; cannot resume", o->name, match[a].name);
    }
    if (H5Dread(o->done, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, done) < 0)
        return sim_err_set(err, SIM_EIO, "%s: cannot read 'done'", o->name);
    return SIM_OK;
}


int sim_h5_open(sim_h5 **h, const char *file, const sim_out_layout *lay, const sim_attr *match, int nmatch,
                int parallel, unsigned char *done, sim_err *err)
{
    *h = NULL;
    sim_h5 *o = new_h5(file, lay, parallel);
    if (!o)
        return sim_err_set(err, SIM_ENOMEM, "output: out of memory");
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
#ifdef CARESIM_WITH_MPI
    if (parallel)
        H5Pset_fapl_mpio(fapl, MPI_COMM_WORLD, MPI_INFO_NULL);
#endif
    o->file = H5Fopen(file, H5F_ACC_RDWR, fapl);
    H5Pclose(fapl);
    int rc = o->file < 0 ? sim_err_set(err, SIM_EINVAL, "%s: cannot open it to resume: missing, or not a complete "
                                       "HDF5 file (killed while it was being created?)", file)
                         : reopen(o, match, nmatch, done, err);
    if (rc != SIM_OK) {
        sim_h5_close(o);
        return rc;
    }
    *h = o;
    return SIM_OK;
}

int sim_h5_rename(sim_h5 *o, const char *new_name, sim_err *err)
{
    char *n = strdup(new_name);
    if (!n)
        return sim_err_set(err, SIM_ENOMEM, "output: out of memory");
    free(o->name);
    o->name = n;
    return SIM_OK;
}

int sim_h5_read_task(sim_h5 *o, size_t s, size_t r, void *const *bufs, sim_err *err)
{
    const sim_out_layout *lay = o->lay;
    for (int v = 0; v < lay->nvars; v++) {
        const sim_var *var = &lay->vars[v];
        hsize_t start[SIM_OUT_MAXDIMS] = {0}, count[SIM_OUT_MAXDIMS];
        start[0] = s;
        start[1] = r;
        count[0] = count[1] = 1;
        for (int k = 2; k < var->ndims; k++)
            count[k] = lay->dims[var->dims[k]].size;
        hid_t fs = H5Dget_space(o->dsets[v]), ms = H5Screate_simple(var->ndims, count, NULL);
        herr_t rc = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
        if (rc >= 0)
            rc = H5Dread(o->dsets[v], h5type(var->type), ms, fs, H5P_DEFAULT, bufs[v]);
        H5Sclose(ms);
        H5Sclose(fs);
        if (rc < 0)
            return sim_err_set(err, SIM_EIO, "%s: cannot read '%s' of scenario %zu replicate %zu", o->name,
                               var->name, s, r);
    }
    return SIM_OK;
}

static int write_slab(hid_t d, sim_type type, int ndims, const hsize_t *shape, size_t s, size_t r,
                      const void *buf)
{
    hsize_t start[SIM_OUT_MAXDIMS] = {0}, count[SIM_OUT_MAXDIMS];
    start[0] = s;
    start[1] = r;
    count[0] = count[1] = 1;
    for (int k = 2; k < ndims; k++)
        count[k] = shape[k];
    hid_t fs = H5Dget_space(d);
    hid_t ms = H5Screate_simple(ndims, count, NULL);
    herr_t rc = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
    if (rc >= 0)
        rc = H5Dwrite(d, h5type(type), ms, fs, H5P_DEFAULT, buf);
    H5Sclose(ms);
    H5Sclose(fs);
    return rc < 0 ? -1 : 0;
}

int sim_h5_write_task(sim_h5 *o, size_t s, size_t r, const void *const *bufs, sim_err *err)
{
    const sim_out_layout *lay = o->lay;
    int rc = SIM_OK;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);   /* per thread in a thread-safe HDF5: the caller may be a worker */
    for (int v = 0; v < lay->nvars && rc == SIM_OK; v++) {
        const sim_var *var = &lay->vars[v];
        hsize_t shape[SIM_OUT_MAXDIMS];
        for (int k = 0; k < var->ndims; k++)
            shape[k] = lay->dims[var->dims[k]].size;
        if (write_slab(o->dsets[v], var->type, var->ndims, shape, s, r, bufs[v]) < 0)
            rc = sim_err_set(err, SIM_EIO, "%s: cannot write '%s' for scenario %zu replicate %zu (disk full?)",
                             o->name, var->name, s, r);
    }
    uint8_t one = 1;   /* done last: a task is complete only when all its data are on disk */
    hsize_t shape2[2] = {lay->dims[0].size, lay->dims[1].size};
    if (rc == SIM_OK && write_slab(o->done, SIM_U8, 2, shape2, s, r, &one) < 0)
        rc = sim_err_set(err, SIM_EIO, "%s: cannot write 'done' (disk full?)", o->name);
    /* Serial: flush, so that the file on disk says which tasks are complete. Parallel: a flush
     * would be collective; the writes went straight to the file (no chunk cache) and changed
     * no metadata, so the file on disk is already consistent. */
    if (rc == SIM_OK && !o->parallel && H5Fflush(o->file, H5F_SCOPE_GLOBAL) < 0)
        rc = sim_err_set(err, SIM_EIO, "%s: cannot flush (disk full?)", o->name);
    return rc;
}

static hid_t file_type(sim_type t)
{
    switch (t) {
    case SIM_U8: return H5T_STD_U8LE;
    case SIM_U32: return H5T_STD_U32LE;
    case SIM_I32: return H5T_STD_I32LE;
    case SIM_I64: return H5T_STD_I64LE;
    case SIM_F64: return H5T_IEEE_F64LE;
    }
    return H5T_STD_U8LE;
}

static hid_t open_or_create_group(hid_t parent, const char *name)
{
    htri_t ex = H5Lexists(parent, name, H5P_DEFAULT);
    if (ex > 0)
        return H5Gopen2(parent, name, H5P_DEFAULT);
    return ex < 0 ? -1 : H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
}

static int write_column(hid_t g, const sim_column *c, size_t nrows, int deflate)
{
    hsize_t n = nrows, chunk = nrows < 65536 ? (nrows ? nrows : 1) : 65536;
    hid_t sp = H5Screate_simple(1, &n, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (nrows > 0) {
        H5Pset_chunk(dcpl, 1, &chunk);
        if (deflate > 0) { H5Pset_shuffle(dcpl); H5Pset_deflate(dcpl, (unsigned)deflate); }
    }
    hid_t d = H5Dcreate2(g, c->name, file_type(c->type), sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int rc = d < 0 ? -1 : 0;
    if (rc == 0 && nrows > 0 && H5Dwrite(d, h5type(c->type), H5S_ALL, H5S_ALL, H5P_DEFAULT, c->data) < 0) rc = -1;
    if (rc == 0 && c->units && put_str_attr(d, "units", c->units) < 0) rc = -1;
    if (rc == 0 && c->labels && put_str_attr(d, "labels", c->labels) < 0) rc = -1;
    if (d >= 0) H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(sp);
    return rc;
}

int sim_h5_write_table(sim_h5 *o, size_t s, size_t r, const sim_table *t, sim_err *err)
{
    if (!t->group)
        return SIM_OK;
    if (o->parallel)   /* creating a group is collective in parallel HDF5: tasks do not finish in step */
        return sim_err_set(err, SIM_EINVAL, "%s: tables (%s) can be written by one process only; run without "
                           "MPI ranks or switch the table off", o->name, t->group);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    char name[64];
    snprintf(name, sizeof name, "s%zu_r%zu", s, r);
    hid_t g = open_or_create_group(o->file, t->group), sub = -1;
    int rc = SIM_OK;
    if (g >= 0 && H5Lexists(g, name, H5P_DEFAULT) > 0)
        H5Ldelete(g, name, H5P_DEFAULT);   /* a re-run task replaces its table */
    if (g >= 0)
        sub = H5Gcreate2(g, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (sub < 0)
        rc = sim_err_set(err, SIM_EIO, "%s: cannot create group %s/%s (disk full?)", o->name, t->group, name);
    for (int c = 0; c < t->ncols && rc == SIM_OK; c++)
        if (write_column(sub, &t->cols[c], t->nrows, o->lay->deflate_level) < 0)
            rc = sim_err_set(err, SIM_EIO, "%s: cannot write %s/%s/%s (disk full?)", o->name, t->group, name, t->cols[c].name);
    if (sub >= 0) H5Gclose(sub);
    if (g >= 0) H5Gclose(g);
    return rc;
}

