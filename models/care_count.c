/* models/care_count.c - the care model's counting into its output buffers: flows by period,
 * area, transition and age band, and child-days (in a state, in care, and their cost) split by
 * period and age band. Declared in care_model_impl.h. */
#include <math.h>

#include "care_config.h"
#include "care_hazard.h"
#include "care_model_impl.h"
#include "care_output.h"
#include "care_states.h"

static size_t period_after(const care_model *m, double t)   /* first i with obs[i] > t */
{
    size_t lo = 0, hi = m->T;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->cfg->obs[mid] > t) hi = mid; else lo = mid + 1;
    }
    return lo;
}

/* A flow at a future time t (a case closing, counted when drawn): its period is searched. */
void care_model_count_ahead(care_model *m, double t, const care_child *k, int tr)
{
    const double *obs = m->cfg->obs;
    if (t <= obs[0] || t > obs[m->T - 1])
        return;
    size_t p = period_after(m, t);
    if (p > 0 && obs[p - 1] == t) p--;   /* the period (obs[p-1], obs[p]] holds t */
    int b = care_age_band_at(t - k->birth);
    m->flow[care_var_at(CARE_VAR_FLOW, m->A, p, k->area, (size_t)tr, (size_t)b)]++;
}

/* A closing counted ahead (at close_at) that a redraw replaces: taken back, if still ahead. */
void care_model_uncount_lazy(care_model *m, care_child *k, double now)
{
    const double *obs = m->cfg->obs;
    double t = k->close_at;
    if (!m->lazy[k->state] || !(t > now) || isinf(t) || t <= obs[0] || t > obs[m->T - 1])
        return;
    size_t p = period_after(m, t);
    if (p > 0 && obs[p - 1] == t) p--;
    int b = care_age_band_at(t - k->birth);
    int tr = care_states[k->state].window_end;
    for (int i = 0; i < CARE_NTR; i++)   /* the state's lazy transition */
        if (care_transitions[i].from == k->state && (care_transitions[i].flags & CARE_TF_LAZY)) tr = i;
    m->flow[care_var_at(CARE_VAR_FLOW, m->A, p, k->area, (size_t)tr, (size_t)b)]--;
    k->close_at = INFINITY;
}

int care_model_closed(const care_model *m, const care_child *k, double now)
{
    return m->lazy[k->state] && k->close_at <= now;
}

void care_model_count(care_model *m, double t, const care_child *k, int tr)
{
    const double *obs = m->cfg->obs;
    if (t <= obs[0])
        return;   /* burn-in: not observed */
    while ((size_t)m->period < m->T && obs[m->period] < t)
        m->period++;
    int b = care_age_band_at(t - k->birth);
    m->flow[care_var_at(CARE_VAR_FLOW, m->A, (size_t)m->period, k->area, (size_t)tr, (size_t)b)]++;
    if (k->uasc)   /* counted again on their own (tables.uasc) */
        ((int32_t *)m->buf[CARE_VAR_UASC_FLOW])[care_var_at(CARE_VAR_UASC_FLOW, m->A, (size_t)m->period, k->area, (size_t)tr, (size_t)b)]++;
}

/* Child-days of k in its state over [t0, t1], split by observation period and age band; in care
 * also days in care and placement cost. */
void care_model_account(care_model *m, const care_child *k, double t0, double t1)
{
    const double *obs = m->cfg->obs;
    t0 = fmax(t0, obs[0]);
    t1 = fmin(t1, obs[m->T - 1]);
    double cpd = m->cfg->cost_per_day[k->placement];
    int lac = k->state == CARE_ST_LAC;
    while (t0 < t1) {
        size_t p = period_after(m, t0);
        if (p >= m->T) break;
        int b = care_age_band_at(t0 - k->birth);
        double age_end = b + 1 < CARE_NAGE ? k->birth + care_age_lo_years[b + 1] * CARE_YEAR_DAYS : INFINITY;
        double end = fmin(fmin(t1, obs[p]), fmax(age_end, t0 + 1e-9));
        m->days_state[care_var_at(CARE_VAR_DAYS_STATE, m->A, p, k->area, k->state, (size_t)b)] += end - t0;
        if (lac) {
            m->days[care_var_at(CARE_VAR_DAYS, m->A, p, k->area, (size_t)b, 0)] += end - t0;
            m->cost[(p * m->A + k->area) * (size_t)m->cfg->n_items + k->placement] += (end - t0) * cpd;
        }
        t0 = end;
    }
}
