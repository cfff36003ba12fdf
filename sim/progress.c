/* sim/progress.c - see progress.h. Updates are rate-limited (5 per second on a terminal, one
 * per second as JSON) so progress never costs measurable time. */
#include "progress.h"

#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void sim_progress_init(sim_progress *p, sim_progress_mode mode, size_t total, FILE *f)
{
    if (mode == SIM_PROGRESS_AUTO)
        mode = isatty(fileno(f)) ? SIM_PROGRESS_BAR : SIM_PROGRESS_JSON;
    *p = (sim_progress){.mode = mode, .f = f, .total = total, .t0 = now_s()};
    p->last = p->t0 - 10.0;
}

double sim_progress_elapsed(const sim_progress *p) { return now_s() - p->t0; }

static void fmt_hms(char *buf, size_t n, double s)
{
    if (s < 0 || s > 1e7) {
        snprintf(buf, n, "--:--");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

static void show(sim_progress *p, int final)
{
    double el = now_s() - p->t0;
    double rate = el > 0 ? (double)p->events / el : 0.0;
    double frac = p->total ? ((double)p->done + (final ? 0.0 : p->running)) / (double)p->total : 1.0;
    double eta = frac > 0 ? el * (1.0 - frac) / frac : -1.0;
    if (p->mode == SIM_PROGRESS_JSON) {
        fprintf(p->f, "{\"tasks_done\":%zu,\"tasks_total\":%zu,\"fraction_done\":%.4f,\"events\":%llu,"
                "\"events_per_s\":%.0f,\"elapsed_s\":%.2f,\"eta_s\":%.1f}\n",
                p->done, p->total, frac, (unsigned long long)p->events, rate, el, eta);
    } else {
        enum { W = 30 };
        int fill = (int)(W * (frac > 1.0 ? 1.0 : frac));
        char bar[W + 1], eta_s[32], el_s[32];
        for (int i = 0; i < W; i++)
            bar[i] = i < fill ? '#' : '-';
        bar[W] = '\0';
        fmt_hms(eta_s, sizeof eta_s, eta);
        fmt_hms(el_s, sizeof el_s, el);
        fprintf(p->f, "\r[%s] %3.0f%%  %zu/%zu tasks  %.2fM events/s  elapsed %s  ETA %s ", bar,
                100.0 * frac, p->done, p->total, rate / 1e6, el_s, final ? "0:00" : eta_s);
        if (final)
            fputc('\n', p->f);
    }
    fflush(p->f);
}

static void maybe_show(sim_progress *p)
{
    if (p->mode == SIM_PROGRESS_QUIET)
        return;
    double t = now_s(), gap = p->mode == SIM_PROGRESS_BAR ? 0.2 : 1.0;
    if (t - p->last >= gap && p->done < p->total) {
        p->last = t;
        show(p, 0);
    }
}

void sim_progress_task(sim_progress *p, uint64_t new_events)
{
    p->done++;
    p->events += new_events;
    maybe_show(p);
}

void sim_progress_tick(sim_progress *p, uint64_t new_events, double running)
{
    p->events += new_events;
    p->running = running;
    maybe_show(p);
}

void sim_progress_finish(sim_progress *p)
{
    if (p->mode != SIM_PROGRESS_QUIET)
        show(p, 1);
}
