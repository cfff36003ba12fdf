/* models/care_trend_case.c - see care_trend_case.h. Each routine mirrors its event-list
 * counterpart (named in its comment) expression for expression: changing one means changing
 * the other, and the engine identity tests (tests/integration/engines_identical.sh) check it. */
#include "care_trend_case.h"

#include <math.h>
#include <stdlib.h>

#include "care_calib.h"
#include "care_edit.h"
#include "care_pathtrend.h"

int care_trend_case_create(care_trend_case **out, const care_config *c, const double *draw_entry,
                           const double *draw_haz, int rule, sim_err *err)
{
    *out = NULL;
    if (c->n_rate_trend == 0 && c->n_epochs == 0 && !c->pathway_trend) return SIM_OK;
    care_trend_case *t = calloc(1, sizeof *t);
    if (!t) return sim_err_set(err, SIM_ENOMEM, "care model: out of memory for calendar trends");
    t->cfg = c;
    t->A = (size_t)c->n_areas;
    t->n_ep = c->n_epochs ? c->n_epochs : 1;
    t->rule = rule;
    for (int s = 0; s < CARE_NSTATE; s++) t->cal[s] = care_pathtrend_steps(c, rule, s);
    t->draw_haz = draw_haz;
    t->area = -1;
    t->cum = calloc((size_t)t->n_ep * t->A, sizeof *t->cum);
    t->base = calloc((size_t)t->n_ep * t->A, sizeof *t->base);
    if (!t->cum || !t->base) {
        care_trend_case_free(t);
        return sim_err_set(err, SIM_ENOMEM, "care model: out of memory for calendar trends");
    }
    for (int e = 0; e < t->n_ep; e++) {   /* care_model.c's create and care_medit_create */
        const double *rate = c->n_epochs ? c->epochs[e].entry_rate : c->entry_rate;
        for (size_t a = 0; a < t->A; a++) {
            double acc = 0, *cum = t->cum[(size_t)e * t->A + a];
            for (int b = 0; b < CARE_NAGE; b++)
                cum[b] = (acc += c->areas[a].pop[b] * rate[b] * (draw_entry ? draw_entry[b] : 1.0));
            t->base[(size_t)e * t->A + a] = acc * c->areas[a].entry_mult;
        }
    }
    *out = t;
    return SIM_OK;
}

void care_trend_case_free(care_trend_case *t)
{
    if (!t) return;
    free(t->cum);
    free(t->base);
    free(t);
}

/* The epoch's entry process of area a at day `at` (care_medit_arrival). */
static size_t entry_at(const care_trend_case *t, int a, double at, double *until)
{
    *until = INFINITY;
    int e = t->cfg->n_epochs ? care_edit_epoch_at(t->cfg, at, until) : 0;
    return (size_t)e * t->A + (size_t)a;
}

double care_trend_case_entry(const care_trend_case *t, int a, double now, double horizon, double e, double scale)
{
    const care_config *c = t->cfg;
    double at = now;
    while (at <= horizon) {   /* schedule_arrival: across trend steps, rate_trend rows and dated edits */
        double until, step = INFINITY, trend = INFINITY;
        size_t i = entry_at(t, a, at, &until);
        double rate = t->base[i] * care_trend_at(c, at, &step);
        if (c->n_rate_trend)
            rate *= care_calib_entry_scale(c, t->rule, at, t->cum[i], &trend);
        until = fmin(until, fmin(step, trend));
        rate *= scale;   /* entries thinned back on arrival (care_progcase.h) */
        if (rate > 0 && rate * (until - at) >= e)
            return at + e / rate;
        e -= rate * (until - at);
        at = until;
    }
    return INFINITY;
}

int care_trend_case_band(const care_trend_case *t, int a, double at, double u)
{
    double until;
    const double *cum = t->cum[entry_at(t, a, at, &until)];
    if (t->cfg->n_rate_trend)
        return care_calib_entry_band(t->cfg, t->rule, at, cum, u);
    int b = 0;   /* care_model.c's age_band_of */
    u *= cum[CARE_NAGE - 1];
    while (b + 1 < CARE_NAGE && u >= cum[b]) b++;
    return b;
}

const double *care_trend_case_shares(const care_trend_case *t, int b, double at, int move)
{
    return care_edit_shares(t->cfg, b, at, move);
}

double care_trend_case_nfa(const care_trend_case *t, int b, double at)
{
    return care_edit_nfa(t->cfg, b, at);
}

int care_trend_case_owns(const care_trend_case *t, int s)
{
    return t && (t->cfg->n_epochs > 0 || t->cal[s].n > 0);
}

/* The area's multipliers on each state's hazards (care_model.c's create). */
static void use_area(care_trend_case *t, int a)
{
    if (t->area == a) return;
    care_hazard_mults(t->cfg, a, t->draw_haz, t->mult);
    t->area = a;
}

/* care_model.c's schedule without programmes: a draw that reaches the next dated edit before
 * `limit` stops there, and the child draws again from that day with the new rates. */
double care_trend_case_draw(care_trend_case *t, int area, int s, double now, double birth, double since,
                            double limit, gsl_rng *g, int *tr)
{
    const care_config *c = t->cfg;
    use_area(t, area);
    for (;;) {
        double until = INFINITY;
        const care_hazard_table *h = c->n_epochs ? &c->epochs[care_edit_epoch_at(c, now, &until)].haz[s] : &c->haz[s];
        int kind;
        double x = care_hazard_draw_cal(h, t->mult[s], &t->cal[s], now, birth, since,
                                        fmin(limit, until), g, &kind);
        if (!isinf(x)) {
            *tr = h->tr[kind];
            return x;
        }
        if (!(until < limit)) return INFINITY;
        now = until;
    }
}
