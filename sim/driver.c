/* sim/driver.c - see driver.h. */
#include "driver.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"

int sim_driver_max_threads(void) { return omp_get_max_threads(); }

/* The failure to report: the lowest-index failed task's, so that the message does not depend
 * on which thread failed first. Memory stays O(1) in the number of tasks. */
typedef struct first_failure {
    size_t index;
    sim_err err;
} first_failure;

static void record_failure(first_failure *f, size_t i, const sim_err *e)
{
    if (f->err.code == SIM_OK || i < f->index) {
        f->index = i;
        f->err = *e;
    }
}

/* Rank 0 folds the other ranks' finished tasks into its progress (wait: until every rank is
 * done); the other ranks report each finished task to rank 0. Called under the output lock. */
static void poll_ranks(sim_progress *prog, int wait)
{
    uint64_t tasks, events;
    if (sim_par_size() == 1 || sim_par_rank() != 0)
        return;
    sim_par_recv_progress(wait, &tasks, &events);
    for (uint64_t k = 0; k < tasks; k++)
        sim_progress_task(prog, k == 0 ? events : 0);
}

/* This rank's share of the tasks: the tasks still to run, dealt round-robin over the ranks
 * (replicates cost about the same, so this balances as well as a shared counter would, and
 * needs no communication). A task's results do not depend on the rank that runs it. */
static unsigned char *my_tasks(const sim_driver_opts *o, size_t n_tasks, size_t *to_run)
{
    unsigned char *mine = malloc(n_tasks ? n_tasks : 1);
    size_t k = 0, rank = (size_t)sim_par_rank(), size = (size_t)sim_par_size();
    for (size_t i = 0; mine && i < n_tasks; i++) {
        int todo = !(o->skip && o->skip[i]);
        mine[i] = todo && k % size == rank;
        k += (size_t)todo;
    }
    *to_run = k;
    return mine;
}

/* Progress inside long tasks: each thread reports the share done of its running task. */
typedef struct tick_state {
    sim_progress *prog;
    double *running;       /* one per thread, under the output lock */
    int threads, tid;
    uint64_t ticked;       /* events of the running task already reported */
} tick_state;

static void on_tick(void *user, double fraction, uint64_t new_events)
{
    tick_state *t = user;
    t->ticked += new_events;
    #pragma omp critical(sim_driver_out)
    {
        t->running[t->tid] = fraction;
        double sum = 0.0;
        for (int k = 0; k < t->threads; k++)
            sum += t->running[k];
        sim_progress_tick(t->prog, new_events, sum);
        poll_ranks(t->prog, 0);
    }
}

static void free_bufs(void **bufs, int n)
{
    for (int v = 0; v < n; v++)
        free(bufs[v]);
    free(bufs);
}

static void **alloc_bufs(const sim_out_layout *lay, size_t *sizes)
{
    void **bufs = calloc((size_t)(lay->nvars ? lay->nvars : 1), sizeof *bufs);
    for (int v = 0; bufs && v < lay->nvars; v++) {
        sizes[v] = sim_out_task_elems(lay, v) * sim_type_size(lay->vars[v].type);
        bufs[v] = malloc(sizes[v] ? sizes[v] : 1);
        if (!bufs[v]) {
            free_bufs(bufs, v);
            return NULL;
        }
    }
    return bufs;
}

int sim_driver_run(const sim_model_ops *ops, const sim_driver_opts *o, const sim_out_layout *lay,
                   sim_out *out, sim_driver_stats *st, sim_err *err)
{
    size_t n_tasks = o->n_scenarios * o->n_replicates;
    size_t *sizes = calloc((size_t)(lay->nvars ? lay->nvars : 1), sizeof *sizes);
    if (!sizes)
        return sim_err_set(err, SIM_ENOMEM, "driver: out of memory");
    first_failure first = {0};
    size_t to_run;
    unsigned char *mine = my_tasks(o, n_tasks, &to_run);
    sim_progress prog;   /* rank 0 reports for every rank */
    sim_progress_init(&prog, sim_par_rank() == 0 ? o->progress : SIM_PROGRESS_QUIET, to_run, stderr);
    int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    double *running = calloc((size_t)threads, sizeof *running);
    if (!running || !mine) {
        free(running);
        free(mine);
        free(sizes);
        return sim_err_set(err, SIM_ENOMEM, "driver: out of memory");
    }
    int failed = 0;   /* read and written atomically: once set, the remaining tasks are skipped */
    *st = (sim_driver_stats){.threads_used = threads};

    #pragma omp parallel num_threads(threads)
    {
        void **bufs = alloc_bufs(lay, sizes);
        tick_state ts = {&prog, running, threads, omp_get_thread_num(), 0};
        sim_run_hooks hooks = {o->cancel, on_tick, &ts};
        #pragma omp for schedule(dynamic, 1)
        for (size_t i = 0; i < n_tasks; i++) {
            size_t s = i / o->n_replicates, r = i % o->n_replicates;
            sim_err terr = {0};
            int trc;
            int stop;
            #pragma omp atomic read
            stop = failed;
            if (!mine[i] || stop || (o->cancel && *o->cancel))
                continue;   /* no early exit from an OpenMP loop: skip the rest */
            if (!bufs) {
                sim_err_set(&terr, SIM_ENOMEM, "driver: out of memory for result buffers");
                #pragma omp critical(sim_driver_out)
                record_failure(&first, i, &terr);
                #pragma omp atomic write
                failed = 1;
                continue;
            }
            for (int v = 0; v < lay->nvars; v++)
                memset(bufs[v], 0, sizes[v]);
            uint64_t events = 0;
            sim_table table = {0};
            ts.ticked = 0;
            if (o->use_case && o->use_case[s])
                trc = sim_case_run(o->case_ops, o->cfgs[s], o->seed, (uint32_t)s, (uint32_t)r,
                                   o->horizons[s], &hooks, bufs, &table, &events, &terr);
            else
                trc = sim_engine_run(ops, o->cfgs[s], o->seed, (uint32_t)s, (uint32_t)r,
                                     o->horizons[s], &hooks, bufs, &table, &events, &terr);
            #pragma omp critical(sim_driver_out)
            {
                if (trc == SIM_OK && out)   /* the table first: write_task marks the task done */
                    trc = sim_out_write_table(out, s, r, &table, &terr);
                if (trc == SIM_OK && out)
                    trc = sim_out_write_task(out, s, r, (const void *const *)bufs, &terr);
                if (trc == SIM_OK) {
                    if (o->on_task)
                        o->on_task(o->user, s, r, (const void *const *)bufs);
                    st->events += events;
                    st->tasks_done++;
                    running[ts.tid] = 0.0;
                    sim_progress_task(&prog, events - ts.ticked);
                    sim_par_send_progress(events, 0);
                    poll_ranks(&prog, 0);
                } else {
                    running[ts.tid] = 0.0;
                    record_failure(&first, i, &terr);
                    #pragma omp atomic write
                    failed = 1;
                }
            }
            sim_table_free(&table);
        }
        if (bufs)
            free_bufs(bufs, lay->nvars);
    }
    sim_par_send_progress(0, 1);
    poll_ranks(&prog, 1);
    /* Every rank's totals, and one error for all: the lowest-index failed task's. */
    uint64_t tot[3] = {st->events, st->tasks_done, o->cancel && *o->cancel};
    sim_par_sum_u64(tot, 3);
    st->events = tot[0];
    st->tasks_done = (size_t)tot[1];
    sim_progress_finish(&prog);
    st->seconds = sim_progress_elapsed(&prog);
    st->write_seconds = out ? sim_out_seconds(out) : 0.0;

    int rc = sim_par_agree(first.err.code != SIM_OK ? (uint64_t)first.index : UINT64_MAX, &first.err);
    if (rc != SIM_OK)
        sim_err_set(err, rc, "%s", first.err.msg);
    else if (tot[2])
        rc = sim_err_set(err, SIM_ECANCEL, "interrupted: %zu of %zu tasks finished", st->tasks_done, to_run);
    free(running);
    free(mine);
    free(sizes);
    return rc;
}
