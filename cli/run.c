/* cli/run.c - `caresim run`: wires the scenario (models/) to the driver and writer (sim/). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../models/care_engine.h"
#include "../models/care_estimate.h"
#include "../models/care_model.h"
#include "../models/care_output.h"
#include "../models/care_scenario.h"
#include "../models/care_summary.h"
#include "../models/care_trajectory.h"
#include "../sim/driver.h"
#include "../sim/par.h"
#include "cli.h"

static const char usage[] =
    "usage: caresim run FILE [FILE...] [options]\n"
    "\n"
    "Simulates every replicate of the scenario in each FILE and writes one HDF5 file (netCDF-4\n"
    "compatible: open it with caresim.open_run, xarray, h5py or h5dump). The file is written as\n"
    "OUTPUT.part and renamed to OUTPUT when complete. Several scenarios in one run (a baseline and\n"
    "its variants) share the seed and replicates, so replicate r of each sees the same world\n"
    "(common random numbers) and their differences are paired.\n"
    "\n"
    "options:\n"
    "  -o, --output PATH     output file (default: out/NAME.h5, NAME = the first scenario's name);\n"
    "                        missing folders are created\n"
    "  -t, --threads N       worker threads (default: all cores; results never depend on N)\n"
    "  -r, --replicates N    override the scenario's replicates\n"
    "  -s, --seed N          override the scenario's seed\n"
    "      --areas CODE,...  simulate only these areas (codes of the areas table; their initial stock\n"
    "                        only), e.g. --areas E09000007 for one authority\n"
    "      --horizon SPAN    run for SPAN instead of the scenario's horizon (e.g. 10y, 6m, 30d)\n"
    "  -f, --force           overwrite OUTPUT if it exists (default: refuse, to keep earlier results)\n"
    "      --max-memory SIZE refuse a run estimated to need more memory than SIZE (e.g. 512M, 8G;\n"
    "                        default: half of this machine's memory; docs/scenarios.md)\n"
    "      --resume          finish an interrupted run: reopen OUTPUT.part, skip the tasks it holds\n"
    "                        (same scenario files and options as the interrupted run)\n"
    "  -q, --quiet           no progress and no summary\n"
    "      --progress MODE   bar, json or none (default: bar on a terminal, json lines otherwise)\n"
    "      --engine NAME     auto, case or event (default auto). case draws each child's whole\n"
    "                        path at once (fast; exact only while children do not interact);\n"
    "                        event keeps one time-ordered event list for the whole task. auto\n"
    "                        takes case unless the scenario has a finite capacity (a programme's\n"
    "                        places, tables.placement_capacity), which case refuses; programmes\n"
    "                        without one run on case. Both give the same counts for the same\n"
    "                        seed (docs/model.md, \"Engines\")\n"
    "  -h, --help            show this help\n"
    "\n"
    "Progress goes to stderr; the summary (output path, children in care, entries and exits per\n"
    "period, averaged over replicates) to stdout. SIGINT/SIGTERM stop the run cleanly, keeping\n"
    "finished replicates in OUTPUT.part; --resume finishes it later, also after SIGKILL (a job's\n"
    "time limit): tasks marked done are kept, a half-written one is run again.\n"
    "\n"
    "Built with MPI (CARESIM_WITH_MPI), the same command runs under mpirun or srun: the ranks\n"
    "share the tasks, each on its own threads, and write one file together; rank 0 reports\n"
    "progress and the summary. Results do not depend on the number of ranks (docs/hpc.md).\n";

static volatile sig_atomic_t interrupted = 0;
static void on_signal(int sig) { (void)sig; interrupted = 1; }

#define MAX_SCENARIOS 256
typedef struct run_opts {
    const char *scenarios[MAX_SCENARIOS], *output, *areas, *horizon;
    int n_scen;
    int threads, force, quiet, resume, has_seed;
    long long replicates;
    unsigned long long seed;
    double max_memory;
    sim_progress_mode progress;
    care_engine engine;
} run_opts;

/* SIZE with an optional K, M, G or T suffix (powers of 1024); -1 if malformed. */
static double parse_size(const char *s)
{
    unsigned long long v;
    char num[32];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof num) return -1;
    const char *units = "KMGT", *u = strchr(units, s[n - 1]);
    memcpy(num, s, n + 1);
    if (u && *u) num[n - 1] = '\0';
    if (cli_parse_u64(num, 1ULL << 50, &v) != 0 || v == 0) return -1;
    double bytes = (double)v;
    for (const char *k = units; u && *u && k <= u; k++) bytes *= 1024;
    return bytes;
}

static int want_value(int argc, char **argv, int i)
{
    if (i + 1 >= argc) {
        fprintf(stderr, "caresim run: option %s needs a value\n", argv[i]);
        return 0;
    }
    return 1;
}

static int parse(int argc, char **argv, run_opts *o)
{
    *o = (run_opts){.replicates = -1, .progress = SIM_PROGRESS_AUTO,
                    .max_memory = care_estimate_default_limit()};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        unsigned long long v;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) { fputs(usage, stdout); return 1; }
        else if (!strcmp(a, "-f") || !strcmp(a, "--force")) o->force = 1;
        else if (!strcmp(a, "--resume")) o->resume = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) o->quiet = 1;
        else if (!strcmp(a, "--areas")) { if (!want_value(argc, argv, i)) return 2; o->areas = argv[++i]; }
        else if (!strcmp(a, "--horizon")) { if (!want_value(argc, argv, i)) return 2; o->horizon = argv[++i]; }
        else if (!strcmp(a, "-o") || !strcmp(a, "--output")) { if (!want_value(argc, argv, i)) return 2; o->output = argv[++i]; }
        else if (!strcmp(a, "-t") || !strcmp(a, "--threads") || !strcmp(a, "-r") || !strcmp(a, "--replicates") ||
                 !strcmp(a, "-s") || !strcmp(a, "--seed")) {
            if (!want_value(argc, argv, i)) return 2;
            int is_seed = a[1] == 's' || !strcmp(a, "--seed"), is_thr = a[1] == 't' || !strcmp(a, "--threads");
            unsigned long long max = is_seed ? UINT64_MAX : is_thr ? 4096 : 10000000;   /* seed: as in a scenario */
            if (cli_parse_u64(argv[++i], max, &v) != 0 || (!is_seed && v == 0)) {
                fprintf(stderr, "caresim run: %s: expected a whole number%s up to %llu, got '%s'\n", a,
                        is_seed ? "" : " >= 1", max, argv[i]);
                return 2;
            }
            if (is_seed) o->seed = v, o->has_seed = 1; else if (is_thr) o->threads = (int)v; else o->replicates = (long long)v;
        } else if (!strcmp(a, "--max-memory")) {
            if (!want_value(argc, argv, i)) return 2;
            if ((o->max_memory = parse_size(argv[++i])) < 0) {
                fprintf(stderr, "caresim run: --max-memory: expected a size such as 512M or 8G, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--progress")) {
            if (!want_value(argc, argv, i)) return 2;
            const char *m = argv[++i];
            if (!strcmp(m, "bar")) o->progress = SIM_PROGRESS_BAR;
            else if (!strcmp(m, "json")) o->progress = SIM_PROGRESS_JSON;
            else if (!strcmp(m, "none")) o->progress = SIM_PROGRESS_QUIET;
            else { fprintf(stderr, "caresim run: --progress: expected bar, json or none, got '%s'\n", m); return 2; }
        } else if (!strcmp(a, "--engine")) {
            if (!want_value(argc, argv, i)) return 2;
            const char *e = argv[++i];
            int found = 0;
            for (int k = 0; k < 3; k++)
                if (!strcmp(e, care_engine_names[k])) { o->engine = (care_engine)k; found = 1; }
            if (!found) { fprintf(stderr, "caresim run: --engine: expected auto, case or event, got '%s'\n", e); return 2; }
        } else if (a[0] == '-') { fprintf(stderr, "caresim run: unknown option '%s' (see caresim run --help)\n", a); return 2; }
        else if (o->n_scen < MAX_SCENARIOS) o->scenarios[o->n_scen++] = a;
        else { fprintf(stderr, "caresim run: at most %d scenario files in one run\n", MAX_SCENARIOS); return 2; }
    }
    if (!o->n_scen) { fputs(usage, stderr); return 2; }
    if (o->resume && o->force) { fputs("caresim run: --resume and --force exclude each other\n", stderr); return 2; }
    if (o->quiet) o->progress = SIM_PROGRESS_QUIET;
    return 0;
}

static void on_task(void *user, size_t s, size_t r, const void *const *bufs)
{
    (void)r;
    care_summary_add(user, s, bufs);
}

static void print_scenario(const care_config *c, const care_summary *sm, size_t s)
{
    double n = (double)sm->n_rep[s];
    const double *lac = sm->lac + s * sm->T, *st = sm->starts + s * sm->T, *ex = sm->exits + s * sm->T;
    const double *stock = sm->stock + s * sm->T * CARE_NSTATE;
    int shown[CARE_NSTATE], ns = 0;   /* the states anyone is in (a care-only run: lac and home) */
    for (int q = 0; q < CARE_NSTATE; q++) {
        double any = 0;
        for (size_t t = 0; t < sm->T; t++) any += stock[t * CARE_NSTATE + (size_t)q];
        if (any > 0 || q == CARE_ST_LAC) shown[ns++] = q;
    }
    printf("\nscenario '%s' (children in each state at each date, and entries to and exits from care in the "
           "period before it; means of %.0f replicates)\n%-12s", c->name, n, "date");
    for (int i = 0; i < ns; i++) printf(" %13s", care_state_names[shown[i]]);
    printf(" %13s %13s\n", "entries", "exits");
    double starts = 0, exits = 0;
    for (size_t t = 0; t < sm->T; t++) {
        char d[11];
        care_date_format(c->start_date + (int64_t)c->obs[t], d);
        starts += st[t];
        exits += ex[t];
        printf("%-12s", d);
        for (int i = 0; i < ns; i++) printf(" %13.0f", stock[t * CARE_NSTATE + (size_t)shown[i]] / n);
        if (t > 0) printf(" %13.0f %13.0f", st[t] / n, ex[t] / n);
        putchar('\n');
    }
    double years = c->horizon / CARE_YEAR_DAYS;
    printf("children in care: %.0f at the start, %.0f at the end; per year: %.0f entries, %.0f exits\n",
           lac[0] / n, lac[sm->T - 1] / n, starts / n / years, exits / n / years);
}

static void print_summary(care_config *const *cfgs, size_t n_scen, const care_summary *sm, const char *path,
                          const sim_driver_stats *st, const char *engines)
{
    const care_config *c = cfgs[0];
    printf("output: %s\n", path);
    printf("engine: %s\n", engines);
    printf("%zu scenario%s x %u replicates, %d areas, seed %llu; %llu events in %.2f s (%.2fM events/s, "
           "%d thread%s; %.3f s writing output)\n", n_scen, n_scen == 1 ? "" : "s", c->replicates, c->n_areas,
           (unsigned long long)c->seed, (unsigned long long)st->events, st->seconds,
           st->seconds > 0 ? (double)st->events / st->seconds / 1e6 : 0.0, st->threads_used,
           st->threads_used == 1 ? "" : "s", st->write_seconds);
    for (size_t s = 0; s < n_scen; s++)
        print_scenario(cfgs[s], sm, s);
}

/* mkdir -p of the folder that will hold path (nothing to do for a bare file name). */
static int make_parent(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(dir, 0777) != 0 && errno != EEXIST) return -1;
            *p = '/';
        }
    return mkdir(dir, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* Each rank summed its own tasks: rank 0 prints the sums over all ranks. */
static void sum_ranks(care_summary *sm)
{
    uint64_t *n = malloc(sm->n_scen * sizeof *n);   /* a sweep may hold many scenarios */
    for (size_t s = 0; n && s < sm->n_scen; s++) n[s] = sm->n_rep[s];
    if (n) sim_par_sum_u64(n, sm->n_scen);
    for (size_t s = 0; n && s < sm->n_scen; s++) sm->n_rep[s] = (size_t)n[s];
    free(n);
    sim_par_sum_f64(sm->lac, sm->n_scen * sm->T);
    sim_par_sum_f64(sm->starts, sm->n_scen * sm->T);
    sim_par_sum_f64(sm->exits, sm->n_scen * sm->T);
    if (sm->stock) sim_par_sum_f64(sm->stock, sm->n_scen * sm->T * CARE_NSTATE);   /* every state's column */
}

/* --resume: reopens OUTPUT.part, marks its finished tasks to skip and feeds them to the summary,
 * so the summary printed at the end covers every task. */
static int resume(const char *path, const care_output *lay, care_summary *sm, unsigned char *skip, size_t n_tasks,
                  size_t n_rep, sim_out **out, sim_err *err)
{
    int rc = sim_out_resume(out, path, &lay->layout, skip, err);
    void *bufs[CARE_NVAR] = {0};
    for (int v = 0; v < CARE_NVAR && rc == SIM_OK; v++)
        if (!(bufs[v] = malloc(sim_out_task_elems(&lay->layout, v) * sim_type_size(lay->vars[v].type))))
            rc = sim_err_set(err, SIM_ENOMEM, "out of memory");
    size_t done = 0;
    for (size_t i = 0; i < n_tasks && rc == SIM_OK; i++)
        if (skip[i]) {   /* rank 0 alone adds them to the summary, which is summed over ranks */
            if (sim_par_rank() == 0) rc = sim_out_read_task(*out, i / n_rep, i % n_rep, bufs, err);
            if (rc == SIM_OK && sim_par_rank() == 0) care_summary_add(sm, i / n_rep, (const void *const *)bufs);
            done++;
        }
    if (*out) rc = sim_par_agree((uint64_t)sim_par_rank(), err);
    for (int v = 0; v < CARE_NVAR; v++)
        free(bufs[v]);
    if (rc == SIM_OK && sim_par_rank() == 0)
        fprintf(stderr, "caresim: resuming %s.part: %zu of %zu tasks already complete\n", path, done, n_tasks);
    else if (rc != SIM_OK && *out) {
        sim_out_close(*out, SIM_OUT_KEEP, err);   /* keep what was computed */
        *out = NULL;
    }
    return rc;
}

/* The engine of each scenario (--engine, or the automatic choice), as flags for the driver and
 * as text: the engine names, one per scenario, space-separated. */
static int engine_choice(const run_opts *o, care_config *const *cfgs, size_t n_scen, unsigned char *use_case, char *text,
                         size_t size, sim_err *err)
{
    size_t len = 0;
    text[0] = '\0';
    /* case draws each child alone: where a finite capacity makes children take each other's
     * places, its answer would be wrong, so it is refused rather than replaced */
    for (size_t s = 0; s < n_scen && o->engine == CARE_ENGINE_CASE; s++)
        if (care_scenario_has_finite_capacity(cfgs[s]))
            return sim_err_set(err, SIM_EINVAL, "%s: %s: --engine case cannot run a scenario whose capacity can bind "
                               "(children wait for or take each other's places); use --engine event or auto", cfgs[s]->path,
                               cfgs[s]->n_cap ? "tables.placement_capacity" : "programmes");
    /* auto: one engine for the whole run, so that scenarios compared within it (common random
     * numbers) agree bit for bit where they should, days and cost included */
    care_engine all = CARE_ENGINE_CASE;
    for (size_t s = 0; s < n_scen && o->engine == CARE_ENGINE_AUTO; s++)
        if (care_engine_choose(CARE_ENGINE_AUTO, cfgs[s]) == CARE_ENGINE_EVENT) all = CARE_ENGINE_EVENT;
    for (size_t s = 0; s < n_scen; s++) {
        care_engine e = care_engine_choose(o->engine == CARE_ENGINE_AUTO ? all : o->engine, cfgs[s]);
        use_case[s] = e == CARE_ENGINE_CASE;
        len += (size_t)snprintf(text + len, size - len, "%s%s", s ? " " : "", care_engine_names[e]);
    }
    return SIM_OK;
}

static int simulate(const run_opts *o, care_config **cfgs, size_t n_scen, const char *path, const char *command_line,
                    sim_err *err)
{
    care_config *c = cfgs[0];
    double *horizons = malloc(n_scen * sizeof *horizons);
    if (!horizons) return sim_err_set(err, SIM_ENOMEM, "out of memory");
    for (size_t s = 0; s < n_scen; s++)
        horizons[s] = cfgs[s]->horizon;
    char created[32];
    time_t now = time(NULL);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    care_output lay;
    care_summary sm;
    sim_out *out = NULL;
    /* horizons holds n_scen doubles, then the engine flags and their names */
    unsigned char *use_case = NULL;
    char *engines = NULL;
    double *grown = realloc(horizons, n_scen * (sizeof *horizons + 1 + 8) + 1);
    if (!grown) { free(horizons); return sim_err_set(err, SIM_ENOMEM, "out of memory"); }
    horizons = grown;
    use_case = (unsigned char *)(horizons + n_scen);
    engines = (char *)use_case + n_scen;
    int rc = engine_choice(o, cfgs, n_scen, use_case, engines, n_scen * 8 + 1, err);
    if (rc != SIM_OK) { free(horizons); return rc; }
    rc = care_output_init(&lay, (const care_config *const *)cfgs, (int)n_scen, command_line, CARESIM_VERSION,
                              created, err);
    if (rc != SIM_OK) { free(horizons); return rc; }
    sim_attr attrs[16];
    if (lay.layout.nattrs < 16) {   /* the engine of each scenario, recorded in the file */
        memcpy(attrs, lay.layout.attrs, (size_t)lay.layout.nattrs * sizeof *attrs);
        attrs[lay.layout.nattrs++] = (sim_attr){"engine", engines};
        lay.layout.attrs = attrs;
    }
    if ((rc = care_summary_init(&sm, n_scen, c, err)) != SIM_OK) { care_output_free(&lay); free(horizons); return rc; }
    size_t n_tasks = n_scen * c->replicates;
    unsigned char *skip = calloc(n_tasks, 1);
    /* handlers before the output exists: a signal while the file is being laid out (a background
     * job ignores SIGINT until then) still stops the run, keeping OUTPUT.part */
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (!skip) rc = sim_err_set(err, SIM_ENOMEM, "out of memory");
    else if (o->resume) rc = resume(path, &lay, &sm, skip, n_tasks, c->replicates, &out, err);
    else rc = sim_out_open(&out, path, &lay.layout, o->force, err);
    if (rc == SIM_OK) {
        sim_driver_opts d = {.threads = o->threads, .n_scenarios = n_scen, .n_replicates = c->replicates,
                             .cfgs = (const void *const *)cfgs, .horizons = horizons, .seed = c->seed,
                             .progress = o->progress, .cancel = &interrupted, .skip = skip, .on_task = on_task,
                             .user = &sm, .use_case = use_case, .case_ops = &care_trajectory_ops};
        sim_driver_stats st = {0};
        rc = sim_driver_run(&care_model_ops, &d, &lay.layout, out, &st, err);
        size_t before = 0;
        for (size_t i = 0; skip && i < n_tasks; i++) before += skip[i];
        if (rc == SIM_ECANCEL) {
            if (sim_par_rank() == 0)
                fprintf(stderr, "caresim: interrupted; %zu of %zu tasks (scenario x replicate) are complete in %s "
                        "(finish them with --resume)\n", before + st.tasks_done, n_tasks, sim_out_part_path(out));
            sim_out_close(out, SIM_OUT_KEEP, err);
        } else if (rc != SIM_OK && (o->resume || st.tasks_done > 0)) {
            /* A failure (disk full) never throws away finished work: each task was flushed. */
            if (sim_par_rank() == 0)
                fprintf(stderr, "%s\ncaresim: %zu of %zu tasks are complete in %s; fix the cause and finish them "
                        "with --resume\n", err->msg, before + st.tasks_done, n_tasks, sim_out_part_path(out));
            err->msg[0] = '\0';   /* printed above */
            sim_out_close(out, SIM_OUT_KEEP, err);
        } else if (rc != SIM_OK) {
            sim_out_close(out, SIM_OUT_DISCARD, err);
        } else {
            sum_ranks(&sm);
            rc = sim_out_close(out, SIM_OUT_PUBLISH, err);
            if (rc == SIM_OK && !o->quiet && sim_par_rank() == 0) print_summary(cfgs, n_scen, &sm, path, &st, engines);
        }
    }
    free(skip);
    free(horizons);
    care_summary_free(&sm);
    care_output_free(&lay);
    return rc;
}

/* Loads every scenario, applies the command line's overrides, and checks that they can share
 * one run: unique names, and the same seed and replicates unless the command line sets them. */
static int load_all(const run_opts *o, care_config ***out, int *n_out, sim_err *err)
{
    care_config **cfgs = NULL;
    int n = 0;
    for (int f = 0; f < o->n_scen; f++) {   /* a file with a sweep: block gives many scenarios */
        care_config **got;
        int n_got, rc = care_scenario_expand(&got, &n_got, o->scenarios[f], err);
        if (rc != SIM_OK) return rc;
        care_config **grown = realloc(cfgs, (size_t)(n + n_got) * sizeof *grown);
        if (!grown) {
            for (int i = 0; i < n_got; i++) care_config_free(got[i]);
            free(got);
            return sim_err_set(err, SIM_ENOMEM, "out of memory");
        }
        cfgs = *out = grown;
        memcpy(cfgs + n, got, (size_t)n_got * sizeof *got);
        free(got);
        n = *n_out = n + n_got;
    }
    for (int s = 0; s < n; s++) {
        int rc;
        care_config *c = cfgs[s];
        if (o->replicates > 0) c->replicates = (uint32_t)o->replicates;
        if (o->has_seed) c->seed = (uint64_t)o->seed;
        if (o->horizon && (rc = care_scenario_set_horizon(c, o->horizon, err)) != SIM_OK) return rc;
        if (o->areas && (rc = care_scenario_keep_areas(c, o->areas, err)) != SIM_OK) return rc;
        for (int q = 0; q < s; q++) {
            if (!strcmp(cfgs[q]->name, c->name))
                return sim_err_set(err, SIM_EINVAL, "%s: name: '%s' is also the name of %s; scenarios of one run need "
                                   "different names", c->path, c->name, cfgs[q]->path);
            if (cfgs[q]->seed != c->seed || cfgs[q]->replicates != c->replicates)
                return sim_err_set(err, SIM_EINVAL, "%s: seed/replicates: differ from %s; scenarios of one run share "
                                   "them (set --seed and --replicates to run them together)", c->path, cfgs[q]->path);
        }
        if ((rc = care_scenario_resolve(c, err)) != SIM_OK) return rc;
        if (c->episodes && sim_par_enabled())   /* tables are written by one process (docs/hpc.md) */
            return sim_err_set(err, SIM_EINVAL, "%s: output.episodes: the episode log needs the serial build "
                               "(this one runs MPI ranks)", c->path);
    }
    int rc = care_scenario_link(cfgs, n, err);
    if (rc != SIM_OK) return rc;
    /* Before anything large is allocated: will it fit? */
    int threads = o->threads > 0 ? o->threads : sim_driver_max_threads();
    return care_estimate_check((const care_config *const *)cfgs, n, threads, o->max_memory, err);
}

static int run(int argc, char **argv, const char *command_line)
{
    run_opts o;
    int prc = parse(argc, argv, &o);
    if (prc) return prc == 1 ? 0 : 2;
    /* From the first moment: a signal during loading or while the output is created is noticed
     * at the next safe point, so nothing half-made is left behind and the exit status is 130. */
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    sim_err err = {0};
    if (sim_par_init(&err) != SIM_OK) {
        fprintf(stderr, "caresim run: %s\n", err.msg);
        return cli_exit_status(&err);
    }
    if (sim_par_rank() != 0 && !freopen("/dev/null", "w", stdout))   /* rank 0 speaks for all */
        return 1;
    care_config **cfgs = NULL;
    int n_cfg = 0;
    load_all(&o, &cfgs, &n_cfg, &err);
    char path[4096];
    if (err.code == SIM_OK) {
        if (o.output) snprintf(path, sizeof path, "%s", o.output);
        else snprintf(path, sizeof path, "out/%s.h5", cfgs[0]->name);
        if (make_parent(path) != 0)
            sim_err_set(&err, SIM_EIO, "%s: cannot create its folder: %s", path, strerror(errno));
    }
    struct stat st;
    if (err.code == SIM_OK && lstat(path, &st) == 0 && !S_ISREG(st.st_mode))   /* even with --force */
        sim_err_set(&err, SIM_EINVAL, "%s: is %s, not an output file; -o names the file to write (e.g. %s/%s.h5)",
                    path, S_ISDIR(st.st_mode) ? "a folder" : S_ISLNK(st.st_mode) ? "a symbolic link" : "a special file",
                    path, cfgs[0]->name);
    if (err.code == SIM_OK && !o.force && access(path, F_OK) == 0)
        sim_err_set(&err, SIM_EINVAL, o.resume ? "%s: output exists and is complete: nothing to resume"
                                               : "%s: output exists; use --force to overwrite or -o to choose another file", path);
    if (err.code == SIM_OK && interrupted)
        sim_err_set(&err, SIM_ECANCEL, "caresim: interrupted before the run started; nothing was written");
    if (err.code == SIM_OK)
        simulate(&o, cfgs, (size_t)n_cfg, path, command_line, &err);
    if (err.code != SIM_OK && err.msg[0] && (err.code != SIM_ECANCEL || !strncmp(err.msg, "caresim:", 8)) &&
        sim_par_rank() == 0)
        fprintf(stderr, "%s\n", err.msg);   /* an interruption during the run was reported above */
    for (int s = 0; s < n_cfg; s++)
        care_config_free(cfgs[s]);
    free(cfgs);
    sim_par_finalize();
    return cli_exit_status(&err);
}

/* `--horizon=5y` as well as `--horizon 5y`, for the long options that take a value (as the
 * Python commands accept): the argument is split in place, the '=' becoming the name's end. */
int cli_run(int argc, char **argv, const char *command_line)
{
    static const char *const with_value[] = {"--output", "--threads", "--replicates", "--seed", "--areas",
                                             "--horizon", "--max-memory", "--progress", "--engine"};
    char **args = malloc(((size_t)argc * 2 + 1) * sizeof *args);
    if (!args) {
        fputs("caresim run: out of memory\n", stderr);
        return 1;
    }
    int n = 0;
    for (int i = 0; i < argc; i++) {
        char *eq = strncmp(argv[i], "--", 2) ? NULL : strchr(argv[i], '=');
        int known = 0;
        for (size_t k = 0; eq && k < sizeof with_value / sizeof *with_value; k++)
            known |= strlen(with_value[k]) == (size_t)(eq - argv[i]) && !strncmp(argv[i], with_value[k], (size_t)(eq - argv[i]));
        args[n++] = argv[i];
        if (known) *eq = '\0', args[n++] = eq + 1;
    }
    args[n] = NULL;
    int rc = run(n, args, command_line);
    free(args);
    return rc;
}
