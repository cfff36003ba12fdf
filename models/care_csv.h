/* models/care_csv.h - a small reader for the model's CSV tables (RFC 4180: quoted fields may
 * hold commas, quotes doubled inside quotes). The whole file is read into memory; rows keep
 * their line numbers so errors can say "file:line: column: message". care_csv_load is the frame
 * of a loader that turns one table into a new object of its module (tables.uasc,
 * tables.pathway_trend, tables.pathway_draws): read, allocate, fill, free the table, and on
 * failure release the half-made object, written once so no loader can forget a step.
 * Ownership: care_csv_read allocates; care_csv_free releases the table and every field.
 * care_csv_load frees its table before it returns; the object it makes is the caller's on
 * success (freed with the module's own free) and released by the loader's `release` on failure. */
#ifndef CARE_CSV_H
#define CARE_CSV_H

#include <stddef.h>

#include "../sim/err.h"

typedef struct care_csv_row {
    int line;          /* 1-based line where the row starts */
    char **fields;     /* ncols fields (the header decides ncols) */
} care_csv_row;

typedef struct care_csv {
    char *path;
    int ncols;
    char **header;
    size_t nrows;
    care_csv_row *rows;
} care_csv;

/* key names the scenario key that referred to the file, for the error message. */
int care_csv_read(care_csv *t, const char *path, const char *key, sim_err *err);
void care_csv_free(care_csv *t);
int care_csv_col(const care_csv *t, const char *name);          /* index or -1 */
/* Checks that every header name is in allowed (NULL-terminated) or begins with an allowed
 * prefix ending in '*'; names the first stranger. */
int care_csv_check_header(const care_csv *t, const char *const *allowed, sim_err *err);
/* Index of a required column, or an error naming the file and the column. */
int care_csv_need(const care_csv *t, const char *name, int *col, sim_err *err);
/* "PATH:LINE: COL: MSG" for row r, as an SIM_EINVAL error. */
int care_csv_bad(const care_csv *t, size_t r, const char *col, const char *msg, sim_err *err);
/* Parses a non-negative finite number in row r, column c. */
int care_csv_nonneg(const care_csv *t, size_t r, int c, double *out, sim_err *err);

/* How a module makes its object from a table, for care_csv_load. */
typedef struct care_csv_loader {
    size_t size;   /* bytes of the object, allocated zeroed */
    /* Fills obj from t (key: the scenario key, for messages; ctx: whatever else fill reads). */
    int (*fill)(void *obj, const care_csv *t, const char *key, const void *ctx, sim_err *err);
    void (*release)(void *obj);   /* frees obj and what fill put in it, even half done; accepts NULL */
} care_csv_loader;
/* Reads path, allocates a zeroed object of l->size bytes ("PATH: out of memory" if it cannot),
 * fills it, and frees the table. On success *obj is the object; on failure *obj is untouched
 * and the object has been released. */
int care_csv_load(const care_csv_loader *l, const char *path, const char *key, const void *ctx, void **obj,
                  sim_err *err);

#endif
