/* tests/statistical/test_hazard.c - exact draws from piecewise-constant competing hazards.
 * 1. Survival: a child aged 4.5 years faces hazards that change with its time in care (bands at
 *    100 and 300 days) and with its age band (1_4 -> 5_9 at +182.625 days). The share of
 *    n = 200000 draws surviving past t must match S(t) = exp(-H(t)), H integrated independently
 *    by the midpoint rule (step 0.01 day: error < 1e-4, far below the se). Binomial
 *    se = sqrt(S(1-S)/n) <= 1.1e-3; accept 5 se (false alarm < 1e-6 per point).
 * 2. Competing risks: constant hazards 1/1500, 1/1800, 1/2000 per day with multipliers 1, 2, 0.5:
 *    kind shares m_i r_i / sum (binomial se, 5 se) and mean time 1/sum (se = mean/sqrt(n), 5 se).
 * 3. A limit: draws beyond it return infinity, with probability S(limit) (binomial, 5 se).
 * 4. Calendar steps (tables.rate_trend): constant hazards 1/1000 and 1/2000 per day whose
 *    columns are multiplied by (1, 1) before day 200, (3, 0.5) from day 200 and (0.2, 2) from
 *    day 500, for a child who entered at day -50 and is followed from day 0. Survival past each
 *    time is exp(-H) with H the exact piecewise-linear integral (binomial se, 5 se); among the
 *    events of each step the share of column 0 is its hazard over the step's total (binomial
 *    se with the step's event count, 5 se). Without steps (NULL) the draws are care_hazard_draw's,
 *    bit for bit, from the same stream position.
 * Seeds fixed. */
#include <gsl/gsl_randist.h>

#include "../../models/care_hazard.h"
#include "../../sim/rng.h"
#include "../check.h"

static const double base[CARE_NAGE] = {0.001, 0.002, 0.004, 0.001, 0.001};
static const double per_band[3] = {1.0, 3.0, 0.5};

static void build(care_hazard_table *h)
{
    *h = (care_hazard_table){0};
    h->n_tb = 3;
    h->n_k = 1;
    h->tb_from[0] = 0; h->tb_from[1] = 100; h->tb_from[2] = 300; h->tb_from[3] = INFINITY;
    for (int b = 0; b < CARE_NAGE; b++)
        for (int i = 0; i < 3; i++)
            h->rate[b][i][0] = base[b] * per_band[i];
}

/* Hazard at time t for the child of test 1 (birth = -4.5 y, in care since day 0). */
static double hazard_at(double t)
{
    double age_y = (t + 4.5 * CARE_YEAR_DAYS) / CARE_YEAR_DAYS;
    int b = age_y < 5 ? 1 : 2;
    int i = t < 100 ? 0 : t < 300 ? 1 : 2;
    return base[b] * per_band[i];
}

static double survival(double t)
{
    double H = 0, dt = 0.01;
    for (double s = dt / 2; s < t; s += dt) H += hazard_at(s) * dt;
    return exp(-H);
}

static void piecewise_survival(gsl_rng *g)
{
    care_hazard_table h;
    build(&h);
    const int n = 200000;
    const double times[] = {50, 100, 150, 182.625, 250, 300, 500, 900};
    int survived[8] = {0};
    double one = 1.0, birth = -4.5 * CARE_YEAR_DAYS;
    sim_rng_key(g, 20240117, 0, 1, 1, 0);
    for (int k = 0; k < n; k++) {
        int kind;
        double t = care_hazard_draw(&h, &one, 0.0, birth, 0.0, INFINITY, g, &kind);
        for (int j = 0; j < 8; j++) survived[j] += t > times[j];
    }
    for (int j = 0; j < 8; j++) {
        double S = survival(times[j]), se = sqrt(S * (1 - S) / n);
        CHECK_NEAR((double)survived[j] / n, S, 5 * se);
    }
    /* mid-stay start: a child already 120 days in care sees only the later pieces */
    int beyond = 0;
    for (int k = 0; k < n; k++) {
        int kind;
        double t = care_hazard_draw(&h, &one, 120.0, birth, 0.0, INFINITY, g, &kind);
        beyond += t > 300;
    }
    double S = survival(300) / survival(120);
    CHECK_NEAR((double)beyond / n, S, 5 * sqrt(S * (1 - S) / n));
}

static void competing(gsl_rng *g)
{
    care_hazard_table h = {0};
    h.n_tb = 1;
    h.n_k = 3;
    h.tb_from[1] = INFINITY;
    const double r[3] = {1.0 / 1500, 1.0 / 1800, 1.0 / 2000}, m[3] = {1, 2, 0.5};
    for (int b = 0; b < CARE_NAGE; b++)
        for (int k = 0; k < 3; k++) h.rate[b][0][k] = r[k];
    const int n = 200000;
    int count[3] = {0};
    double sum_t = 0, tot = r[0] * m[0] + r[1] * m[1] + r[2] * m[2];
    sim_rng_key(g, 20240118, 0, 1, 2, 0);
    for (int i = 0; i < n; i++) {
        int kind;
        sum_t += care_hazard_draw(&h, m, 0.0, -20.0, 0.0, INFINITY, g, &kind);
        count[kind]++;
    }
    for (int k = 0; k < 3; k++) {
        double p = r[k] * m[k] / tot;
        CHECK_NEAR((double)count[k] / n, p, 5 * sqrt(p * (1 - p) / n));
    }
    CHECK_NEAR(sum_t / n, 1 / tot, 5 * (1 / tot) / sqrt(n));
}

static void limit(gsl_rng *g)
{
    care_hazard_table h;
    build(&h);
    const int n = 200000;
    int inf = 0;
    double one = 1.0, birth = -4.5 * CARE_YEAR_DAYS;
    sim_rng_key(g, 20240119, 0, 1, 3, 0);
    for (int i = 0; i < n; i++) {
        int kind;
        double t = care_hazard_draw(&h, &one, 0.0, birth, 0.0, 250.0, g, &kind);
        CHECK(isinf(t) || t <= 250.0);
        inf += isinf(t);
    }
    double S = survival(250);
    CHECK_NEAR((double)inf / n, S, 5 * sqrt(S * (1 - S) / n));
}

static void calendar_steps(gsl_rng *g)
{
    care_hazard_table h = {0};
    h.n_tb = 1;
    h.n_k = 2;
    h.tb_from[1] = INFINITY;
    const double r[2] = {1.0 / 1000, 1.0 / 2000}, one[2] = {1, 1};
    for (int b = 0; b < CARE_NAGE; b++)
        for (int k = 0; k < 2; k++) h.rate[b][0][k] = r[k];
    const double from[3] = {-INFINITY, 200, 500};
    double mult[3 * CARE_MAXK] = {0};
    const double m[3][2] = {{1, 1}, {3, 0.5}, {0.2, 2}};
    for (int j = 0; j < 3; j++)
        for (int k = 0; k < 2; k++) mult[j * CARE_MAXK + k] = m[j][k];
    care_cal_steps cal = {3, from, mult};
    const int n = 200000;
    const double times[] = {100, 200, 350, 500, 800, 1500};
    int survived[6] = {0}, events[3] = {0}, kind0[3] = {0};
    sim_rng_key(g, 20240120, 0, 1, 4, 0);
    for (int i = 0; i < n; i++) {
        int kind;
        double t = care_hazard_draw_cal(&h, one, &cal, 0.0, -3000.0, -50.0, INFINITY, g, &kind);
        for (int j = 0; j < 6; j++) survived[j] += t > times[j];
        int step = t < 200 ? 0 : t < 500 ? 1 : 2;
        events[step]++;
        kind0[step] += kind == 0;
    }
    for (int j = 0; j < 6; j++) {
        double H = 0, t = times[j];
        for (int s = 0; s < 3; s++) {
            double lo = s ? from[s] : 0.0, hi = s < 2 ? from[s + 1] : INFINITY;
            if (t > lo) H += (r[0] * m[s][0] + r[1] * m[s][1]) * (fmin(t, hi) - lo);
        }
        double S = exp(-H);
        CHECK_NEAR((double)survived[j] / n, S, 5 * sqrt(S * (1 - S) / n));
    }
    for (int s = 0; s < 3; s++) {
        double p = r[0] * m[s][0] / (r[0] * m[s][0] + r[1] * m[s][1]);
        CHECK(events[s] > 1000);
        CHECK_NEAR((double)kind0[s] / events[s], p, 5 * sqrt(p * (1 - p) / events[s]));
    }
    for (int i = 0; i < 1000; i++) {   /* no steps: the same draws as care_hazard_draw */
        int k1, k2;
        uint64_t pos = (uint64_t)i * 2;
        sim_rng_key(g, 20240121, 0, 1, 5, pos);
        double t1 = care_hazard_draw(&h, one, 0.0, -3000.0, -50.0, INFINITY, g, &k1);
        sim_rng_key(g, 20240121, 0, 1, 5, pos);
        double t2 = care_hazard_draw_cal(&h, one, NULL, 0.0, -3000.0, -50.0, INFINITY, g, &k2);
        CHECK(t1 == t2 && k1 == k2);
    }
}

int main(void)
{
    gsl_rng *g = sim_rng_alloc();
    piecewise_survival(g);
    competing(g);
    limit(g);
    calendar_steps(g);
    gsl_rng_free(g);
    return check_result("test_hazard");
}
