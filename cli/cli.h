/* cli/cli.h - the `caresim` command's subcommands. Each returns the process exit status:
 * 0 success, 1 run-time failure (I/O), 2 bad input or usage, 130 interrupted. */
#ifndef CLI_H
#define CLI_H

#include "../sim/err.h"

int cli_run(int argc, char **argv, const char *command_line);
int cli_validate(int argc, char **argv);
int cli_exit_status(const sim_err *err);
/* Parses a whole non-negative decimal number; 0 on success. */
int cli_parse_u64(const char *s, unsigned long long max, unsigned long long *out);

#endif
