/* sim/err.c - see err.h. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int sim_err_set(sim_err *err, int code, const char *fmt, ...)
{
    if (!err || err->code != SIM_OK)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void sim_err_clear(sim_err *err)
{
    if (!err)
        return;
    err->code = SIM_OK;
    err->msg[0] = '\0';
}
