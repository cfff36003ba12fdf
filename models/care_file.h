/* models/care_file.h - reads one input file (scenario or table) whole into memory, refusing what
 * is not a text file the model could mean: anything but a regular file (a device such as
 * /dev/zero, a FIFO that would block forever, a folder), a file over a size cap, a read error,
 * and NUL bytes (which would silently end a C string early). A leading UTF-8 byte-order mark
 * (spreadsheets write one) is dropped. Errors read "FILE:LINE: KEY: message".
 * Ownership: *text is malloc'd, NUL-terminated, and the caller's to free. */
#ifndef CARE_FILE_H
#define CARE_FILE_H

#include <stddef.h>

#include "../sim/err.h"

#define CARE_TABLE_MAX_BYTES (64u << 20)     /* a CSV table */
#define CARE_SCENARIO_MAX_BYTES (1u << 20)   /* a scenario file */

int care_file_read(const char *path, const char *key, size_t max_bytes, char **text, size_t *len, sim_err *err);

#endif
