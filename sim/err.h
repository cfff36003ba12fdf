/* sim/err.h - error reporting shared by every layer.
 * A library function that fails fills a caller-owned sim_err (the first failure wins) and
 * returns the code; nothing below the CLI prints or exits. The CLI prints msg and maps the
 * code to an exit status (SIM_EINVAL -> 2). */
#ifndef SIM_ERR_H
#define SIM_ERR_H

enum {
    SIM_OK = 0,
    SIM_EINVAL = 1,   /* bad input: scenario, table, option */
    SIM_ENOMEM = 2,
    SIM_EIO = 3,      /* file system or HDF5 failure */
    SIM_ECANCEL = 4   /* interrupted by a signal */
};

typedef struct sim_err {
    int code;
    char msg[768];
} sim_err;

/* Records the message if none is recorded yet; returns code so callers can
 * `return sim_err_set(err, SIM_EINVAL, ...)`. err may be NULL. */
int sim_err_set(sim_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sim_err_clear(sim_err *err);

#endif
