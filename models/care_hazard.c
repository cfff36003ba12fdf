/* models/care_hazard.c - see care_hazard.h. */
#include "care_hazard.h"

#include <math.h>
#include <gsl/gsl_randist.h>

#include "care_states.h"

int care_age_band_at(double age_days)
{
    double years = age_days / CARE_YEAR_DAYS;
    int b = 0;
    while (b + 1 < CARE_NAGE && years >= care_age_lo_years[b + 1])
        b++;
    return b;
}

static int time_band(const care_hazard_table *h, double d)
{
    int i = 0;
    while (i + 1 < h->n_tb && d >= h->tb_from[i + 1])
        i++;
    return i;
}

static const double ones[CARE_MAXK] = {1, 1, 1, 1, 1, 1, 1, 1};
_Static_assert(CARE_MAXK == 8, "ones[] lists CARE_MAXK ones");

/* Column multipliers of the calendar step in force at t (all 1 without steps); *until: when the
 * next step starts. Multiplying by an exact 1 leaves every product unchanged, so a run without
 * steps draws the same times as before steps existed. */
static const double *cal_at(const care_cal_steps *cal, double t, double *until)
{
    *until = INFINITY;
    if (!cal || cal->n == 0) return ones;
    int j = 0;
    while (j + 1 < cal->n && t >= cal->from[j + 1]) j++;
    if (j + 1 < cal->n) *until = cal->from[j + 1];
    return cal->mult + (size_t)j * CARE_MAXK;
}

static double piece_total(const care_hazard_table *h, const double *mult, const double *cm, int age, int tb)
{
    double s = 0.0;
    for (int k = 0; k < h->n_k; k++)
        s += h->rate[age][tb][k] * mult[k] * cm[k];
    return s;
}

/* The inversion itself, for a given unit exponential e; sets the piece (age band, time band,
 * calendar step's multipliers). */
static double invert(const care_hazard_table *h, const double *mult, const care_cal_steps *cal, double now,
                     double birth, double since, double limit, double e, int *age, int *tb, const double **cm)
{
    double t = now, cal_end;
    int b = care_age_band_at(now - birth), i = time_band(h, now - since);
    const double *m = cal_at(cal, t, &cal_end);
    while (t < limit) {
        double age_end = b + 1 < CARE_NAGE ? birth + care_age_lo_years[b + 1] * CARE_YEAR_DAYS : INFINITY;
        double tb_end = since + h->tb_from[i + 1];
        double end = fmin(fmin(fmin(age_end, tb_end), cal_end), limit);
        double rate = piece_total(h, mult, m, b, i);
        if (rate > 0.0 && rate * (end - t) >= e) {
            *age = b;
            *tb = i;
            *cm = m;
            return t + e / rate;
        }
        e -= rate * (end - t);
        t = end;
        if (end == age_end) b++;
        if (end == tb_end) i++;
        if (end == cal_end) m = cal_at(cal, t, &cal_end);
    }
    return INFINITY;
}

double care_hazard_draw_cal(const care_hazard_table *h, const double *mult, const care_cal_steps *cal,
                            double now, double birth, double since, double limit, gsl_rng *g, int *kind)
{
    int b = 0, i = 0;
    const double *cm = ones;
    double t = invert(h, mult, cal, now, birth, since, limit, care_unit_exponential(g), &b, &i, &cm);
    if (isinf(t))
        return t;
    double u = gsl_rng_uniform(g) * piece_total(h, mult, cm, b, i), acc = 0.0;
    int k = 0;
    for (; k < h->n_k - 1; k++) {
        acc += h->rate[b][i][k] * mult[k] * cm[k];
        if (u < acc)
            break;
    }
    while (h->rate[b][i][k] * mult[k] * cm[k] == 0.0 && k > 0)   /* rounding at the top: last non-zero */
        k--;
    *kind = k;
    return t;
}

double care_hazard_draw(const care_hazard_table *h, const double *mult, double now, double birth,
                        double since, double limit, gsl_rng *g, int *kind)
{
    return care_hazard_draw_cal(h, mult, NULL, now, birth, since, limit, g, kind);
}

int care_share_pick(const double *sh, int exclude, sim_stream *g)
{
    double tot = 0, acc = 0;
    for (int p = 0; p < CARE_NPLACE; p++) tot += p == exclude ? 0 : sh[p];
    if (tot <= 0) return exclude >= 0 ? exclude : CARE_PL_FOSTER;
    double u = sim_stream_uniform(g) * tot;
    int last = 0;   /* rounding at the top: the last type with a share */
    for (int p = 0; p < CARE_NPLACE; p++) {
        if (p == exclude || sh[p] == 0) continue;
        last = p;
        acc += sh[p];
        if (u < acc) return p;
    }
    return last;
}

/* Summed in care_share_pick's order: adding a zero share leaves a sum as it was. */
void care_share_sum(const double *sh, care_share_sums *out)
{
    double acc = 0;
    out->last = 0;
    for (int p = 0; p < CARE_NPLACE; p++) {
        acc += sh[p];
        out->cum[p] = acc;
        if (sh[p] != 0) out->last = p;
    }
}

double care_hazard_mult(const care_config *c, int area, int state, int k)
{
    return care_transitions[c->haz[state].tr[k]].flags & CARE_TF_EXIT_MULT ? c->areas[area].exit_mult : 1.0;
}


double care_trend_at(const care_config *c, double t, double *until)
{
    if (c->n_trend == 0) { *until = INFINITY; return 1.0; }
    int i = 0;
    while (i + 1 < c->n_trend && t >= c->trend_from[i + 1]) i++;
    *until = i + 1 < c->n_trend ? c->trend_from[i + 1] : INFINITY;
    return c->trend_mult[i];
}

void care_hazard_mults(const care_config *c, int area, const double *draw_haz,
                       double mult[CARE_NSTATE][CARE_MAXK])
{
    for (int s = 0; s < CARE_NSTATE; s++)
        for (int k = 0; k < c->haz[s].n_k; k++)
            mult[s][k] = care_hazard_mult(c, area, s, k) * care_draw_mult(draw_haz, s, k);
}
