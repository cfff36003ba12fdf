/* sim/driver.c - see driver.h. */
#include "driver.h"

#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "pending.h"

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
    for (uint64_t k = 0; k < tasks; k++)   /* this rank's running tasks are unchanged */
        sim_progress_task(prog, k == 0 ? events : 0, prog->running);
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

/* What the threads share: the queue of finished tasks and three locks. qlock guards the queue;
 * wlock is the writer's role (one thread at a time drains the queue); outlock serialises the
 * output file, the progress report, the totals and MPI calls (MPI_THREAD_SERIALIZED). */
typedef struct shared {
    const sim_driver_opts *o;
    sim_out *out;
    sim_driver_stats *st;
    sim_progress *prog;
    first_failure *first;
    int *failed;           /* read and written atomically */
    _Atomic double *running;   /* one per thread: share done of its running task */
    int threads;
    sim_pending *q;
    omp_lock_t qlock, wlock, outlock;
} shared;

/* Progress inside long tasks: each thread reports the share done of its running task. */
typedef struct tick_state {
    shared *w;
    int tid;
    uint64_t ticked;       /* events of the running task already reported */
} tick_state;

/* The summed share done of the tasks running now (a thread's share is 0 between tasks). */
static double running_share(shared *w)
{
    double sum = 0.0;
    for (int k = 0; k < w->threads; k++)
        sum += atomic_load_explicit(&w->running[k], memory_order_relaxed);
    return sum;
}

static void on_tick(void *user, double fraction, uint64_t new_events)
{
    tick_state *t = user;
    shared *w = t->w;
    atomic_store_explicit(&w->running[t->tid], fraction, memory_order_relaxed);
    /* While a task is being written, skip: its events are reported when the task ends. */
    if (!omp_test_lock(&w->outlock))
        return;
    t->ticked += new_events;
    sim_progress_tick(w->prog, new_events, running_share(w));
    poll_ranks(w->prog, 0);
    omp_unset_lock(&w->outlock);
}

static void fail(shared *w, size_t i, const sim_err *e)
{
    omp_set_lock(&w->outlock);
    record_failure(w->first, i, e);
    omp_unset_lock(&w->outlock);
    #pragma omp atomic write
    *w->failed = 1;
}

/* Writes one finished task, counts it, and gives its buffers back to the pool. */
static void write_one(shared *w, sim_pending_task *t)
{
    const sim_driver_opts *o = w->o;
    size_t s = t->index / o->n_replicates, r = t->index % o->n_replicates;
    sim_err terr = {0};
    int trc = SIM_OK;
    omp_set_lock(&w->outlock);
    if (w->out)   /* the table first: write_task marks the task done */
        trc = sim_out_write_table(w->out, s, r, &t->table, &terr);
    if (trc == SIM_OK && w->out)
        trc = sim_out_write_task(w->out, s, r, (const void *const *)t->bufs, &terr);
    if (trc == SIM_OK) {
        if (o->on_task)
            o->on_task(o->user, s, r, (const void *const *)t->bufs);
        w->st->events += t->events;
        w->st->tasks_done++;
        sim_progress_task(w->prog, t->events - t->ticked, running_share(w));   /* its share was reset */
        sim_par_send_progress(t->events, 0);
        poll_ranks(w->prog, 0);
    }
    omp_unset_lock(&w->outlock);
    if (trc != SIM_OK)
        fail(w, t->index, &terr);
    sim_table_free(&t->table);
    omp_set_lock(&w->qlock);
    sim_pending_recycle(w->q, t->bufs);
    omp_unset_lock(&w->qlock);
}

/* Writes the pending tasks if no other thread is (wait = 0), or once the writer's role is free
 * (wait = 1). A task handed over while the writer was finishing is seen by the check after it
 * lets go, so none is left behind: whoever pushes then tries the role itself. */
static void drain(shared *w, int wait)
{
    for (;;) {
        if (wait)
            omp_set_lock(&w->wlock);
        else if (!omp_test_lock(&w->wlock))
            return;
        for (;;) {
            sim_pending_task t;
            omp_set_lock(&w->qlock);
            int got = sim_pending_pop(w->q, &t);
            omp_unset_lock(&w->qlock);
            if (!got)
                break;
            write_one(w, &t);
        }
        omp_unset_lock(&w->wlock);
        omp_set_lock(&w->qlock);
        size_t left = sim_pending_count(w->q);
        omp_unset_lock(&w->qlock);
        if (!left)
            return;
        wait = 0;
    }
}

/* Hands a finished task to the writers and returns a fresh buffer set for the next one (NULL
 * when out of memory). The thread writes the queue itself when no one else is, and waits for
 * the writer when a task per thread is already pending, so that memory stays bounded. */
static void **hand_over(shared *w, sim_pending_task *t)
{
    omp_set_lock(&w->qlock);
    size_t n = sim_pending_push(w->q, t);
    void **next = n ? sim_pending_bufs(w->q) : NULL;
    omp_unset_lock(&w->qlock);
    if (!n) {   /* no room in the queue: write this one now */
        write_one(w, t);
        omp_set_lock(&w->qlock);
        next = sim_pending_bufs(w->q);
        omp_unset_lock(&w->qlock);
        return next;
    }
    drain(w, n >= (size_t)w->threads);
    return next;
}

static void run_tasks(shared *w, const sim_model_ops *ops, const unsigned char *mine, size_t n_tasks)
{
    const sim_driver_opts *o = w->o;
    #pragma omp parallel num_threads(w->threads)
    {
        omp_set_lock(&w->qlock);
        void **bufs = sim_pending_bufs(w->q);
        omp_unset_lock(&w->qlock);
        tick_state ts = {w, omp_get_thread_num(), 0};
        sim_run_hooks hooks = {o->cancel, on_tick, &ts};
        #pragma omp for schedule(dynamic, 1)
        for (size_t i = 0; i < n_tasks; i++) {
            size_t s = i / o->n_replicates, r = i % o->n_replicates;
            sim_err terr = {0};
            int stop;
            #pragma omp atomic read
            stop = *w->failed;
            if (!mine[i] || stop || (o->cancel && *o->cancel))
                continue;   /* no early exit from an OpenMP loop: skip the rest */
            if (!bufs) {
                sim_err_set(&terr, SIM_ENOMEM, "driver: out of memory for result buffers");
                fail(w, i, &terr);
                continue;
            }
            uint64_t events = 0;
            sim_table table = {0};
            ts.ticked = 0;
            int trc;
            if (o->use_case && o->use_case[s])
                trc = sim_case_run(o->case_ops, o->cfgs[s], o->seed, (uint32_t)s, (uint32_t)r,
                                   o->horizons[s], &hooks, bufs, &table, &events, &terr);
            else
                trc = sim_engine_run(ops, o->cfgs[s], o->seed, (uint32_t)s, (uint32_t)r,
                                     o->horizons[s], &hooks, bufs, &table, &events, &terr);
            atomic_store_explicit(&w->running[ts.tid], 0.0, memory_order_relaxed);
            if (trc != SIM_OK) {
                fail(w, i, &terr);
                sim_table_free(&table);
                continue;
            }
            sim_pending_task t = {i, bufs, table, events, ts.ticked};
            bufs = hand_over(w, &t);
        }
        drain(w, 1);   /* every task this thread handed over is written before the barrier */
        omp_set_lock(&w->qlock);
        sim_pending_recycle(w->q, bufs);
        omp_unset_lock(&w->qlock);
    }
}

int sim_driver_run(const sim_model_ops *ops, const sim_driver_opts *o, const sim_out_layout *lay,
                   sim_out *out, sim_driver_stats *st, sim_err *err)
{
    size_t n_tasks = o->n_scenarios * o->n_replicates;
    first_failure first = {0};
    size_t to_run;
    unsigned char *mine = my_tasks(o, n_tasks, &to_run);
    sim_progress prog;   /* rank 0 reports for every rank */
    sim_progress_init(&prog, sim_par_rank() == 0 ? o->progress : SIM_PROGRESS_QUIET, to_run, stderr);
    int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    _Atomic double *running = calloc((size_t)threads, sizeof *running);
    sim_pending *q = sim_pending_new(lay);
    if (!running || !mine || !q) {
        free(running);
        free(mine);
        sim_pending_free(q);
        return sim_err_set(err, SIM_ENOMEM, "driver: out of memory");
    }
    int failed = 0;
    *st = (sim_driver_stats){.threads_used = threads};
    shared w = {.o = o, .out = out, .st = st, .prog = &prog, .first = &first, .failed = &failed,
                .running = running, .threads = threads, .q = q};
    omp_init_lock(&w.qlock);
    omp_init_lock(&w.wlock);
    omp_init_lock(&w.outlock);
    run_tasks(&w, ops, mine, n_tasks);
    omp_destroy_lock(&w.qlock);
    omp_destroy_lock(&w.wlock);
    omp_destroy_lock(&w.outlock);
    sim_pending_free(q);
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
    return rc;
}
