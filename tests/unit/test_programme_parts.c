/* tests/unit/test_programme_parts.c - the pieces of a programme that stand alone: effect draws
 * (lognormal from a point estimate and 95% interval), the effect's level over time, prices and
 * discounting, and sweep expansion (grid and Latin hypercube). argv[1]: a scratch directory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/care_cost.h"
#include "../../models/care_effect.h"
#include "../../models/care_sweep.h"
#include "../../sim/rng.h"
#include "../check.h"

/* Ratio 0.8, 95% interval [0.6, 1.0]: sigma = log(1/0.6) / 3.92 = 0.1303. n = 20000 replicates:
 * the mean of log ratio has se sigma/sqrt(n) = 9.2e-4; the sample sd has se about
 * sigma/sqrt(2n) = 6.5e-4. Accept within 4 se (false alarm about 6e-5 each). The share of draws
 * inside the interval is 0.95 with se sqrt(0.95 x 0.05 / n) = 1.5e-3: accept within 4 se. */
static void effect_draws(void)
{
    gsl_rng *g = sim_rng_alloc();
    care_effect_size s = {0.8, 0.6, 1.0}, fixed = {0.8, 0, 0};
    double sigma = care_effect_sigma(&s);
    CHECK_NEAR(sigma, log(1.0 / 0.6) / (2 * 1.959963984540054), 1e-15);
    const int n = 20000;
    double sum = 0, sum2 = 0;
    int inside = 0;
    for (int r = 0; r < n; r++) {
        care_effect_stream(g, 20240117, (uint32_t)r, "family_safeguarding", 0);
        double x = log(care_effect_draw(&s, g));
        sum += x;
        sum2 += x * x;
        inside += x >= log(0.6) && x <= log(1.0);
        care_effect_stream(g, 20240117, (uint32_t)r, "family_safeguarding", 0);
        CHECK(care_effect_draw(&fixed, g) == 0.8);
    }
    double mean = sum / n, sd = sqrt((sum2 - n * mean * mean) / (n - 1));
    CHECK_NEAR(mean, log(0.8), 4 * sigma / sqrt(n));
    CHECK_NEAR(sd, sigma, 4 * sigma / sqrt(2.0 * n));
    CHECK_NEAR((double)inside / n, 0.95, 4 * sqrt(0.95 * 0.05 / n));
    /* The draw depends on (seed, replicate, programme, effect) only: the same key, the same draw;
     * another programme name or effect index, another draw. */
    care_effect_stream(g, 1, 3, "a", 0);
    double a0 = care_effect_draw(&s, g);
    care_effect_stream(g, 1, 3, "b", 0);
    double b0 = care_effect_draw(&s, g);
    care_effect_stream(g, 1, 3, "a", 1);
    double a1 = care_effect_draw(&s, g);
    care_effect_stream(g, 1, 3, "a", 0);
    CHECK(care_effect_draw(&s, g) == a0);
    CHECK(a0 != b0 && a0 != a1);
    gsl_rng_free(g);
}

static void effect_time(void)
{
    const double M = CARE_EFFECT_STEP_DAYS;
    double until;
    care_effect_time tm = {100, 3 * M, 100 + 24 * M, CARE_AFTER_STOP, 0};
    CHECK(care_effect_level(&tm, 0, &until) == 0 && until == 100);
    CHECK_NEAR(care_effect_level(&tm, 100, &until), 1.0 / 6, 1e-12);    /* middle of the first of 3 steps */
    CHECK_NEAR(until, 100 + M, 1e-9);
    CHECK_NEAR(care_effect_level(&tm, 100 + 2.5 * M, &until), 5.0 / 6, 1e-12);
    CHECK(care_effect_level(&tm, 100 + 3 * M, &until) == 1.0);
    CHECK_NEAR(until, 100 + 24 * M, 1e-9);
    CHECK(care_effect_level(&tm, 100 + 24 * M, &until) == 0.0 && isinf(until));
    tm.after = CARE_AFTER_PERSIST;
    CHECK(care_effect_level(&tm, 1e6, &until) == 1.0 && isinf(until));
    tm.after = CARE_AFTER_DECAY;
    tm.half_life = 12 * M;   /* the level halves every 12 monthly steps */
    double l0 = care_effect_level(&tm, 100 + 24 * M, &until);
    CHECK_NEAR(l0, exp2(-0.5 / 12), 1e-12);
    CHECK_NEAR(until, 100 + 25 * M, 1e-9);
    CHECK_NEAR(care_effect_level(&tm, 100 + 36 * M, &until) / l0, 0.5, 1e-12);
    CHECK(care_effect_level(&tm, 100 + 24 * M + 12 * M * 11, &until) == 0.0);   /* 2^-11 < 1e-3 */
    /* Funding ends during the ramp-up: a persisting effect keeps the level it had reached. */
    care_effect_time early = {0, 4 * M, 1.5 * M, CARE_AFTER_PERSIST, 0};
    CHECK_NEAR(care_effect_level(&early, 1.2 * M, &until), 3.0 / 8, 1e-12);
    CHECK_NEAR(until, 1.5 * M, 1e-9);
    CHECK_NEAR(care_effect_level(&early, 10 * M, &until), 3.0 / 8, 1e-12);
    /* Levels are piecewise constant: every step ends where the next begins. */
    double t = 0;
    int steps = 0;
    while (!isinf(t) && steps < 1000) {
        double l = care_effect_level(&tm, t, &until);
        CHECK(until > t);
        CHECK(l >= 0 && l <= 1);
        t = until;
        steps++;
    }
    CHECK(steps < 1000);
}

/* Walking a programme's effect level from its start, each step's end to the next: every step
 * ends strictly after it begins, and the walk takes exactly the ramp's steps plus the decay's.
 * Dates and ramps as scenarios give them (whole days from the model's start, calendar months
 * of 28 to 31 days, leap years): a step end that rounds onto its own start would make every
 * treated child redraw at that moment without end, a run hundreds of times slower. */
static void effect_steps_advance(void)
{
    const double M = CARE_EFFECT_STEP_DAYS;
    long bad = 0, walks = 0;
    for (int start = 0; start < 1500; start += 7)
        for (int ramp = 28; ramp <= 1100; ramp += 29)
            for (int after = 0; after < 2; after++) {
                int n = (int)ceil(ramp / M);
                double end = start + ramp + 700 + (start % 11), half = 6 * M;
                care_effect_time tm = {start, ramp, end, after ? CARE_AFTER_DECAY : CARE_AFTER_STOP, half};
                /* decay steps while 2^-(j + 0.5) / 6 >= 1e-3, j < 6 log2(1000) - 0.5 */
                int decay = after ? (int)ceil(6 * log2(1000) - 0.5) : 0;
                double t = start, until;
                int steps = 0;
                while (!isinf(t) && steps <= n + decay + 3) {
                    care_effect_level(&tm, t, &until);
                    if (!(until > t)) { bad++; break; }
                    t = until;
                    steps++;
                }
                /* the ramp's n steps, the full level to the end, the decay's, the last (level 0 for good) */
                if (steps != n + 2 + decay) bad++;
                walks++;
            }
    CHECK(walks > 1000);
    CHECK(bad == 0);
}

static void money(void)
{
    care_money m = {2017, 0.02, 0.035};
    CHECK_NEAR(care_cost_price_factor(&m, 2015), 1.02 * 1.02, 1e-15);
    CHECK_NEAR(care_cost_price_factor(&m, 2017), 1.0, 0);
    CHECK_NEAR(care_cost_discount_at(&m, 365.25 * 2), 1 / (1.035 * 1.035), 1e-12);
    /* The integral of the discount factor over 10 years against a midpoint sum of 36525 days:
     * the midpoint rule errs by at most (b - a) h^2 max|f''| / 24 = 36525 lam^2 / 24 = 1.35e-5,
     * lam = log(1.035) / 365.25 per day (f'' = lam^2 f, f <= 1). */
    double sum = 0;
    for (int i = 0; i < 36525; i++) sum += care_cost_discount_at(&m, i + 0.5);
    double lam = log(1.035) / 365.25;
    CHECK_NEAR(care_cost_discounted(&m, 0, 36525), sum, 36525 * lam * lam / 24);
    CHECK_NEAR(care_cost_discounted(&m, 100, 100.5), 0.5 * care_cost_discount_at(&m, 100.25), 1e-9);
    care_money flat = {2017, 0, 0};
    CHECK(care_cost_discounted(&flat, 3, 10) == 7);
}

static int load_sweep(const char *dir, const char *text, care_sweep *s, sim_err *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/sweep.yaml", dir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    care_yaml_doc d;
    int rc = care_yaml_open(&d, path, err);
    if (rc != SIM_OK) return rc;
    yaml_node_t *root = care_yaml_root(&d);
    yaml_node_t *node = yaml_document_get_node(&d.doc, root->data.mapping.pairs.start[0].value);
    rc = care_sweep_parse(&d, node, s, err);
    care_yaml_close(&d);
    return rc;
}

static void sweeps(const char *dir)
{
    care_sweep s;
    sim_err err = {0};
    CHECK_EQ_INT(load_sweep(dir, "sweep:\n  grid:\n    a.b: [1, 2, 3]\n    c: [10, 20]\n", &s, &err), SIM_OK);
    CHECK_EQ_INT(care_sweep_points(&s), 6);
    double v[12];
    CHECK_EQ_INT(care_sweep_expand(&s, v, &err), SIM_OK);
    double want[12] = {1, 10, 1, 20, 2, 10, 2, 20, 3, 10, 3, 20};
    for (int i = 0; i < 12; i++) CHECK(v[i] == want[i]);
    char name[64];
    care_sweep_coord_name(s.params[0].key, name, sizeof name);
    CHECK(!strcmp(name, "param_a_b"));
    care_sweep_free(&s);

    /* LHS of n = 50 over [0.5, 1] and [0, 100]: every stratum of every key holds one point. */
    CHECK_EQ_INT(load_sweep(dir, "sweep:\n  latin_hypercube: {n: 50, seed: 7}\n  parameters: {x: [0.5, 1.0], y: [0, 100]}\n", &s, &err), SIM_OK);
    CHECK_EQ_INT(care_sweep_points(&s), 50);
    double *w = malloc(100 * sizeof *w), *w2 = malloc(100 * sizeof *w2);
    CHECK_EQ_INT(care_sweep_expand(&s, w, &err), SIM_OK);
    CHECK_EQ_INT(care_sweep_expand(&s, w2, &err), SIM_OK);
    CHECK(!memcmp(w, w2, 100 * sizeof *w));   /* the same seed, the same sample */
    int seen[2][50] = {{0}};
    for (int p = 0; p < 50; p++) {
        int sx = (int)floor((w[2 * p] - 0.5) / 0.5 * 50), sy = (int)floor(w[2 * p + 1] / 100 * 50);
        CHECK(sx >= 0 && sx < 50 && sy >= 0 && sy < 50);
        if (sx >= 0 && sx < 50) seen[0][sx]++;
        if (sy >= 0 && sy < 50) seen[1][sy]++;
    }
    for (int i = 0; i < 50; i++) CHECK(seen[0][i] == 1 && seen[1][i] == 1);
    free(w);
    free(w2);
    care_sweep_free(&s);

    CHECK_EQ_INT(load_sweep(dir, "sweep:\n  latin_hypercube: {n: 5, seed: 1}\n  parameters: {x: [1, 0.5]}\n", &s, &err), SIM_EINVAL);
    CHECK(strstr(err.msg, "sweep.yaml:3: sweep.parameters.x: the range must have low < high") != NULL);
    care_sweep_free(&s);
    sim_err_clear(&err);
    CHECK_EQ_INT(load_sweep(dir, "sweep:\n  grid: {x: [1]}\n  latin_hypercube: {n: 5, seed: 1}\n", &s, &err), SIM_EINVAL);
    CHECK(strstr(err.msg, "give either grid or latin_hypercube") != NULL);
    care_sweep_free(&s);
    sim_err_clear(&err);
    CHECK_EQ_INT(load_sweep(dir, "sweep:\n  grid: {x: [1, z]}\n", &s, &err), SIM_EINVAL);
    CHECK(strstr(err.msg, "sweep.yaml:2: sweep.grid.x: expected a number, got 'z'") != NULL);
    care_sweep_free(&s);
}

int main(int argc, char **argv)
{
    effect_draws();
    effect_time();
    effect_steps_advance();
    money();
    sweeps(argc > 1 ? argv[1] : ".");
    return check_result("test_programme_parts");
}
