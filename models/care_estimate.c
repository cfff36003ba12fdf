/* models/care_estimate.c - see care_estimate.h. */
#include "care_estimate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Result elements of one task: stock, placements, flow, days in care, cost (care_output.c). */
static double task_elems(const care_config *c)
{
    double ta = (double)c->n_obs * c->n_areas;
    return ta * ((CARE_NSTATE + CARE_NPLACE + CARE_NTR + 1) * CARE_NAGE + 2 * CARE_NPLACE);   /* cost, shortfall */
}

static double entries_per_day(const care_config *c)
{
    double trend = 1.0, e = 0.0;
    for (int i = 0; i < c->n_trend; i++)
        if (c->trend_mult[i] > trend) trend = c->trend_mult[i];
    double band[CARE_NAGE];   /* the largest tables.rate_trend multiplier of each band, any rule */
    for (int b = 0; b < CARE_NAGE; b++) {
        band[b] = 1.0;
        for (int i = 0; i < c->n_rate_trend * c->n_trend_rules; i++)
            band[b] = fmax(band[b], c->rate_trend_entry[(size_t)i * CARE_NAGE + b]);
    }
    for (int a = 0; a < c->n_areas; a++)
        for (int b = 0; b < CARE_NAGE; b++) {
            double rate = c->entry_rate[b];   /* the highest any dated edit sets (care_edit.h) */
            for (int i = 0; i < c->n_epochs; i++) rate = c->epochs[i].entry_rate[b] > rate ? c->epochs[i].entry_rate[b] : rate;
            e += c->areas[a].pop[b] * rate * band[b] * c->areas[a].entry_mult;
        }
    return e * trend;
}

static double tracked_children(const care_config *c, double per_day)
{
    double run = c->burn_in + c->horizon, longest = CARE_AGE_OUT_DAYS + (c->follow_up_none ? run : c->follow_up);
    double stock = 0;
    for (size_t i = 0; i < c->n_stock; i++)
        stock += c->stock[i].count;
    return per_day * (longest < run ? longest : run) + stock;
}

void care_estimate_run(const care_config *const *cfgs, int n_scen, int threads, care_estimate *e)
{
    memset(e, 0, sizeof *e);
    for (int s = 0; s < n_scen; s++) {
        double per_day = entries_per_day(cfgs[s]), kids = tracked_children(cfgs[s], per_day);
        if (per_day > e->entries_per_day) e->entries_per_day = per_day;
        if (kids > e->children) e->children = kids;
    }
    const care_config *c = cfgs[0];   /* scenarios of one run share areas and observation times */
    double result = task_elems(c) * 8.0;   /* at most 8 bytes an element */
    e->task_bytes = 2.0 * result;         /* the driver's buffers and the model's accumulators */
    e->memory = threads * (e->task_bytes + e->children * CARE_BYTES_PER_CHILD) + 3.0 * 8.0 * n_scen * c->n_obs;
    e->output = (double)n_scen * c->replicates * result;
}

static void human(double bytes, char *out, size_t n)
{
    static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (bytes >= 1024 && u < 5) { bytes /= 1024; u++; }
    snprintf(out, n, u ? "%.1f %s" : "%.0f %s", bytes, unit[u]);
}

int care_estimate_check(const care_config *const *cfgs, int n_scen, int threads, double max_bytes, sim_err *err)
{
    care_estimate e;
    care_estimate_run(cfgs, n_scen, threads, &e);
    if (e.memory <= max_bytes)
        return SIM_OK;
    char need[32], lim[32], per[32];
    human(e.memory, need, sizeof need);
    human(max_bytes, lim, sizeof lim);
    const care_config *c = cfgs[0];
    int by_results = e.task_bytes >= e.children * CARE_BYTES_PER_CHILD;
    human(by_results ? e.task_bytes : e.children * CARE_BYTES_PER_CHILD, per, sizeof per);
    if (by_results)
        return sim_err_set(err, SIM_EINVAL, "%s: the run would need up to about %s of memory, more than the limit of %s "
                           "(--max-memory): %s a thread for %d observation times x %d areas, %d thread%s; observe less "
                           "often, shorten the horizon, or use fewer threads", c->observe_at ? c->observe_at : c->path,
                           need, lim, per, c->n_obs, c->n_areas, threads, threads == 1 ? "" : "s");
    return sim_err_set(err, SIM_EINVAL, "%s: the run would need up to about %s of memory, more than the limit of %s "
                       "(--max-memory): about %.3g children tracked at once (%.3g entries a day) take %s a thread, %d "
                       "thread%s; check populations, entry rates and multipliers", c->entries_at ? c->entries_at : c->path,
                       need, lim, e.children, e.entries_per_day, per, threads, threads == 1 ? "" : "s");
}

double care_estimate_default_limit(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? 0.5 * (double)pages * (double)size : 4.0 * 1024 * 1024 * 1024;
}

void care_estimate_note(char **at, const char *file, int line, const char *key)
{
    free(*at);
    size_t n = strlen(file) + strlen(key) + 24;
    if ((*at = malloc(n)))
        snprintf(*at, n, "%s:%d: %s", file, line, key);
}
