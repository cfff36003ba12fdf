/* sim/progress.c - see progress.h. Updates are rate-limited (5 per second on a terminal, one
 * per second as JSON) so progress never costs measurable time. */
#include "progress.h"

#include <sys/ioctl.h>
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

/* The terminal's width in columns (80 when it does not say). */
static int columns(FILE *f)
{
    struct winsize ws;
    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
    return 80;
}

static void show(sim_progress *p, int final)
{
    double el = now_s() - p->t0;
    double rate = el > 0 ? (double)p->events / el : 0.0;
    double frac = p->total ? ((double)p->done + (final ? 0.0 : p->running)) / (double)p->total : 1.0;
    if (frac > 1.0) frac = 1.0;   /* shares of running tasks are estimates */
    double eta = frac > 0 ? el * (1.0 - frac) / frac : -1.0;
    if (p->mode == SIM_PROGRESS_JSON) {
        fprintf(p->f, "{\"tasks_done\":%zu,\"tasks_total\":%zu,\"fraction_done\":%.4f,\"events\":%llu,"
                "\"events_per_s\":%.0f,\"elapsed_s\":%.2f,\"eta_s\":%.1f}\n",
                p->done, p->total, frac, (unsigned long long)p->events, rate, el, eta);
    } else {
        char eta_s[32], el_s[32], text[192], bar[32];
        fmt_hms(eta_s, sizeof eta_s, eta);
        fmt_hms(el_s, sizeof el_s, el);
        int n = snprintf(text, sizeof text, " %3.0f%%  %zu/%zu tasks  %.2fM events/s  elapsed %s  ETA %s",
                         100.0 * frac, p->done, p->total, rate / 1e6, el_s, final ? "0:00" : eta_s);
        /* The line fits the terminal, space-padded to its width: a line that wraps is not
         * overwritten by \r (each update would add a row), and a shorter one would leave the end
         * of the one before. The bar takes what the text leaves, up to 30 characters. */
        int cols = columns(p->f) - 1, w = cols - n - 2;
        if (w > 30) w = 30;
        if (w < 10) w = 0;   /* a narrow terminal: the text alone, cut to fit */
        int fill = (int)(w * frac);
        for (int i = 0; i < w; i++)
            bar[i] = i < fill ? '#' : '-';
        bar[w] = '\0';
        if (w) fprintf(p->f, "\r[%s]%s%*s", bar, text, cols - w - 2 - n, "");
        else fprintf(p->f, "\r%-*.*s", cols, cols, text + 1);
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

void sim_progress_task(sim_progress *p, uint64_t new_events, double running)
{
    p->done++;
    p->events += new_events;
    p->running = running;
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
