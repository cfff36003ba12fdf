/* cli/validate.c - `caresim validate FILE`. */
#include <stdio.h>
#include <string.h>

#include "../models/care_scenario.h"
#include "cli.h"

static const char usage[] =
    "usage: caresim validate FILE\n"
    "\n"
    "Reads the scenario FILE and every table it names, checks every key, and prints the resolved\n"
    "scenario (all defaults filled in, table paths absolute) on stdout. Errors are printed as\n"
    "FILE:LINE: KEY: MESSAGE and the exit status is 2.\n";

int cli_validate(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-') {
        fputs(usage, stderr);
        return 2;
    }
    sim_err err = {0};
    care_config *c = NULL;
    if (care_scenario_load(&c, argv[1], &err) == SIM_OK)
        care_scenario_resolve(c, &err);
    if (err.code != SIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        care_config_free(c);
        return cli_exit_status(&err);
    }
    fputs(c->resolved_yaml, stdout);
    care_config_free(c);
    return 0;
}
