/* cli/main.c - `caresim`: dispatches to the subcommands. Only this layer prints errors and
 * chooses exit statuses. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "cli.h"

static const char usage[] =
    "usage: caresim <command> [options]\n"
    "\n"
    "Stochastic discrete-event simulation of children entering, staying in and leaving care.\n"
    "\n"
    "commands:\n"
    "  run FILE        simulate the scenario in FILE and write an HDF5 file (see caresim run --help)\n"
    "  validate FILE   check FILE and every table it names; print the resolved scenario\n"
    "\n"
    "options:\n"
    "  -h, --help      show this help (caresim help COMMAND: that command's help)\n"
    "  --version       show the version\n"
    "\n"
    "Exit status: 0 success, 1 run-time failure (e.g. disk full), 2 bad input, 130 interrupted.\n"
    "Documentation: README.md and docs/ in the source tree.\n";

int cli_exit_status(const sim_err *err)
{
    switch (err->code) {
    case SIM_OK: return 0;
    case SIM_EINVAL: return 2;
    case SIM_ECANCEL: return 130;
    default: return 1;
    }
}

int cli_parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *s == '-' || *end || errno || v > max)
        return -1;
    *out = v;
    return 0;
}

static char *join_args(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        strcat(s, argv[i]);
        if (i + 1 < argc) strcat(s, " ");
    }
    return s;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();   /* GSL's default handler aborts; we check statuses */
    /* Each task's output buffers and HDF5's chunk buffers (about a megabyte per write) are freed
     * and allocated again task after task; with glibc's defaults the heap's top goes back to the
     * system each time and every page faults in again, a fifth of a short run's CPU time
     * (bench/README.md, "Profile of the case-based engine"). Keeping up to 256 MB of freed memory
     * for reuse, and growing the heap 16 MB at a time, removes that churn. */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help") && argc > 2) {   /* `caresim help run`: that command's help */
        char *sub[] = {argv[2], "--help", NULL};
        if (!strcmp(argv[2], "run")) return cli_run(2, sub, "caresim run --help");
        if (!strcmp(argv[2], "validate")) return cli_validate(2, sub);
        fprintf(stderr, "caresim: help: unknown command '%s'\n\n%s", argv[2], usage);
        return 2;
    }
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("caresim %s\n", CARESIM_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "validate"))
        return cli_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "run")) {
        char *line = join_args(argc, argv);
        int rc = cli_run(argc - 1, argv + 1, line ? line : "caresim run");
        free(line);
        return rc;
    }
    fprintf(stderr, "caresim: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
}
