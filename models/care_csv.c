/* models/care_csv.c - see care_csv.h. */
#include "care_csv.h"
#include "care_bounds.h"
#include "care_file.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits one record starting at *p; advances *p past its newline. Fields are unquoted in place. */
static int split_record(char **p, int *line, char ***fields, int *nf)
{
    int cap = 16, n = 0;
    char **fs = malloc((size_t)cap * sizeof *fs);
    if (!fs) return -1;
    char *s = *p;
    for (;;) {
        if (n == cap) {
            char **nfs = realloc(fs, (size_t)(cap *= 2) * sizeof *fs);
            if (!nfs) { free(fs); return -1; }
            fs = nfs;
        }
        char *w = s, *start = s;
        if (*s == '"') {
            s++;
            for (;;) {
                if (*s == '\0') break;
                if (*s == '"' && s[1] == '"') { *w++ = '"'; s += 2; continue; }
                if (*s == '"') { s++; break; }
                if (*s == '\n') (*line)++;
                *w++ = *s++;
            }
            while (*s && *s != ',' && *s != '\n' && *s != '\r') s++;
        } else {
            while (*s && *s != ',' && *s != '\n' && *s != '\r') s++;
            w = s;
        }
        char end = *s;
        *w = '\0';
        fs[n++] = start;
        if (end == ',') { s++; continue; }   /* *s may now be the terminator written above */
        if (end == '\r') { s++; if (*s == '\n') s++; }
        else if (end == '\n') s++;
        break;
    }
    *p = s;
    *fields = fs;
    *nf = n;
    return 0;
}

static int blank(char **fs, int n) { return n == 1 && fs[0][0] == '\0'; }

int care_csv_read(care_csv *t, const char *path, const char *key, sim_err *err)
{
    memset(t, 0, sizeof *t);
    size_t len = 0;
    char *buf;
    int frc = care_file_read(path, key, CARE_TABLE_MAX_BYTES, &buf, &len, err);
    if (frc != SIM_OK)
        return frc;
    t->path = strdup(path);
    char *p = buf;
    int line = 1, rc = SIM_OK;
    size_t cap = 0;
    /* Fields point into buf: keep buf alive as the header's block (freed via header[-1]). */
    while (*p && rc == SIM_OK) {
        int row_line = line, nf;
        char **fs;
        if (split_record(&p, &line, &fs, &nf) < 0) { rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path); break; }
        line++;
        if (blank(fs, nf) || fs[0][0] == '#') { free(fs); continue; }
        if (!t->header) {
            t->header = fs;
            t->ncols = nf;
            continue;
        }
        if (nf != t->ncols) {
            free(fs);
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: row has %d fields, header has %d", path, row_line, key, nf, t->ncols);
            break;
        }
        if (t->nrows == cap) {
            cap = cap ? 2 * cap : 64;
            care_csv_row *nr = realloc(t->rows, cap * sizeof *nr);
            if (!nr) { free(fs); rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path); break; }
            t->rows = nr;
        }
        t->rows[t->nrows++] = (care_csv_row){row_line, fs};
    }
    if (rc == SIM_OK && !t->header)
        rc = sim_err_set(err, SIM_EINVAL, "%s:1: %s: file is empty (a header row is needed)", path, key);
    /* Keep buf reachable: stash it after the path string's owner by reallocating header. */
    if (t->header) {
        char **h = realloc(t->header, (size_t)(t->ncols + 1) * sizeof *h);
        if (h) { t->header = h; h[t->ncols] = buf; buf = NULL; }
    }
    free(buf);
    if (rc != SIM_OK) {
        care_csv_free(t);
        return rc;
    }
    return SIM_OK;
}

void care_csv_free(care_csv *t)
{
    if (!t) return;
    for (size_t r = 0; r < t->nrows; r++)
        free(t->rows[r].fields);
    free(t->rows);
    if (t->header) {
        free(t->header[t->ncols]);   /* the file's text, which every field points into */
        free(t->header);
    }
    free(t->path);
    memset(t, 0, sizeof *t);
}

int care_csv_col(const care_csv *t, const char *name)
{
    for (int c = 0; c < t->ncols; c++)
        if (strcmp(t->header[c], name) == 0)
            return c;
    return -1;
}

static int allowed_name(const char *name, const char *const *allowed)
{
    for (; *allowed; allowed++) {
        size_t n = strlen(*allowed);
        if (n && (*allowed)[n - 1] == '*' ? strncmp(name, *allowed, n - 1) == 0 : strcmp(name, *allowed) == 0)
            return 1;
    }
    return 0;
}

int care_csv_check_header(const care_csv *t, const char *const *allowed, sim_err *err)
{
    for (int c = 0; c < t->ncols; c++) {
        if (!allowed_name(t->header[c], allowed)) {
            char list[512] = "";
            for (const char *const *a = allowed; *a; a++) {
                strncat(list, *a, sizeof list - strlen(list) - 3);
                if (a[1]) strncat(list, ", ", sizeof list - strlen(list) - 1);
            }
            return sim_err_set(err, SIM_EINVAL, "%s:1: %s: unknown column (expected: %s)", t->path, t->header[c], list);
        }
        for (int d = 0; d < c; d++)
            if (strcmp(t->header[c], t->header[d]) == 0)
                return sim_err_set(err, SIM_EINVAL, "%s:1: %s: column appears twice", t->path, t->header[c]);
    }
    return SIM_OK;
}

int care_csv_need(const care_csv *t, const char *name, int *col, sim_err *err)
{
    *col = care_csv_col(t, name);
    if (*col < 0)
        return sim_err_set(err, SIM_EINVAL, "%s:1: %s: required column is missing", t->path, name);
    return SIM_OK;
}

int care_csv_nonneg(const care_csv *t, size_t r, int c, double *out, sim_err *err)
{
    const char *s = t->rows[r].fields[c];
    double v;
    if (care_number_parse(s, &v) != 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: not a number: '%s'", t->path, t->rows[r].line, t->header[c], s);
    if (v < 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: must be >= 0, got %g", t->path, t->rows[r].line, t->header[c], v);
    int rc = care_bound_check(t->path, t->rows[r].line, t->header[c], v, err);
    if (rc == SIM_OK)
        *out = v;
    return rc;
}

int care_csv_bad(const care_csv *t, size_t r, const char *col, const char *msg, sim_err *err)
{
    return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: %s", t->path, t->rows[r].line, col, msg);
}

int care_csv_load(const care_csv_loader *l, const char *path, const char *key, const void *ctx, void **obj,
                  sim_err *err)
{
    care_csv t;
    int rc = care_csv_read(&t, path, key, err);
    if (rc != SIM_OK) return rc;
    void *o = calloc(1, l->size);
    if (!o) rc = sim_err_set(err, SIM_ENOMEM, "%s: out of memory", path);
    if (rc == SIM_OK) rc = l->fill(o, &t, key, ctx, err);
    care_csv_free(&t);
    if (rc != SIM_OK) {
        l->release(o);
        return rc;
    }
    *obj = o;
    return SIM_OK;
}
