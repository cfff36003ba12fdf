/* tests/fuzz/fuzz_inputs.c - one libFuzzer target for every input caresim reads: the scenario
 * loader and each CSV table reader. The first byte of an input picks the reader (modulo the
 * number of readers); the rest is the file's text. A reader gets a full scenario around the
 * fuzzed file, so the cross-table checks (initial stock against areas and bands, trends against
 * the burn-in) run too. The scenario itself may `extends: base.yaml`.
 *
 * Working files live in a private temporary folder made on first use: good copies of the
 * tables of tests/data/small and models/data, one scenario per reader naming fuzz.csv for its
 * key, and fuzz.yaml/fuzz.csv rewritten for each input. Built with -fsanitize=fuzzer for
 * campaigns, or with replay.c as a plain program that runs a saved corpus (ctest fuzz.replay).
 * Ownership: nothing outlives one call except the temporary folder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/care_scenario.h"

#ifndef CARESIM_SOURCE_DIR
#error "CARESIM_SOURCE_DIR must name the source tree (for the good tables)"
#endif

/* Each reader: the scenario key it is named by and the good table used when it is not fuzzed. */
static const struct { const char *key, *good; } readers[] = {
    {"areas", "tests/data/small/areas.csv"},
    {"entry_rates", "models/data/entry_rates.csv"},
    {"entry_trend", "models/data/entry_trend.csv"},
    {"lac_hazards", "models/data/lac_hazards.csv"},
    {"home_hazards", "models/data/home_hazards.csv"},
    {"placement_shares", "models/data/placement_shares.csv"},
    {"placement_move_shares", "models/data/placement_move_shares.csv"},
    {"placement_costs", "models/data/placement_costs.csv"},
    {"initial_stock", "tests/fuzz/stock_small.csv"},
};
#define NREADERS (int)(sizeof readers / sizeof *readers)

static char dir[256];

static int write_file(const char *name, const void *data, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    int ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int copy_good(int i)
{
    char src[512], name[64];
    snprintf(src, sizeof src, "%s/%s", CARESIM_SOURCE_DIR, readers[i].good);
    snprintf(name, sizeof name, "good_%s.csv", readers[i].key);
    FILE *f = fopen(src, "rb");
    if (!f) return -1;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return write_file(name, buf, n);
}

/* The scenario that names fuzz.csv for reader `fuzzed` (or none: -1) and good copies otherwise. */
static int write_scenario(const char *name, int fuzzed)
{
    char text[4096], *p = text, *end = text + sizeof text;
    p += snprintf(p, (size_t)(end - p), "name: fuzz\nstart_date: 2017-03-31\nhorizon: 3y\nobserve: 6m\n"
                  "replicates: 2\nseed: 7\nburn_in: 5y\nfollow_up: 2y\n");
    for (int i = 0; i < NREADERS; i++) {
        const char *indent = i == 0 || i == NREADERS - 1 ? "" : "  ";
        if (i == 1) p += snprintf(p, (size_t)(end - p), "tables:\n");
        if (i == fuzzed) p += snprintf(p, (size_t)(end - p), "%s%s: fuzz.csv\n", indent, readers[i].key);
        else p += snprintf(p, (size_t)(end - p), "%s%s: good_%s.csv\n", indent, readers[i].key, readers[i].key);
    }
    return write_file(name, text, (size_t)(p - text));
}

static int setup(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/caresim-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) return -1;
    for (int i = 0; i < NREADERS; i++) {
        char name[64];
        snprintf(name, sizeof name, "reader_%d.yaml", i);
        if (copy_good(i) != 0 || write_scenario(name, i) != 0) return -1;
    }
    return write_scenario("base.yaml", -1);
}

static void cleanup(void)
{
    char path[512];
    for (int i = 0; i < NREADERS; i++) {
        snprintf(path, sizeof path, "%s/good_%s.csv", dir, readers[i].key);
        unlink(path);
        snprintf(path, sizeof path, "%s/reader_%d.yaml", dir, i);
        unlink(path);
    }
    static const char *const rest[] = {"base.yaml", "fuzz.yaml", "fuzz.csv"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, rest[i]);
        unlink(path);
    }
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (setup() != 0) { perror("fuzz setup"); abort(); }
        atexit(cleanup);
        ready = 1;
    }
    if (size == 0) return 0;
    int which = data[0] % (NREADERS + 1);
    char scen[512];
    if (which == NREADERS) {          /* the scenario file itself */
        if (write_file("fuzz.yaml", data + 1, size - 1) != 0) abort();
        snprintf(scen, sizeof scen, "%s/fuzz.yaml", dir);
    } else {
        if (write_file("fuzz.csv", data + 1, size - 1) != 0) abort();
        snprintf(scen, sizeof scen, "%s/reader_%d.yaml", dir, which);
    }
    care_config *c = NULL;
    sim_err err = {0};
    int rc = care_scenario_load(&c, scen, &err);
    if (rc == SIM_OK) {
        rc = care_scenario_resolve(c, &err);
        if (rc == SIM_OK && (!c->resolved_yaml || c->n_areas < 1 || c->n_obs < 2)) abort();
    } else if (c || err.code != rc || !err.msg[0]) {
        abort();                      /* a failure must come with its message and no config */
    }
    if (getenv("CARESIM_FUZZ_VERBOSE"))   /* to check what a seed reaches */
        fprintf(stderr, "reader %d: %s\n", which, rc == SIM_OK ? "loaded" : err.msg);
    care_config_free(c);
    return 0;
}
