/* tests/statistical/test_stock.c - the whole model against a closed form.
 * Scenario tests/data/poisson/scenario.yaml: 10 areas, children enter at constant rate
 * L = 0.5 per day per area (under-1s only, so nobody ages out within the 2-year horizon) and
 * leave at one constant hazard M = 1/400 per day. The number in care at time t in one area is
 * then Poisson with mean mu(t) = (L/M)(1 - exp(-M t)) (an M/M/infinity queue started empty).
 * With R = 200 replicates x 10 areas = n = 2000 independent counts per time:
 * - sample mean: se = sqrt(mu/n) (0.24 at t = 365); accept 4 se (false alarm 6e-5 per check);
 * - sample variance must equal mu (Poisson): Var(s^2) ~ (mu + 2 mu^2)/n, se = 3.8 at t = 365;
 *   accept 4 se;
 * - entries in a year: Poisson with mean 365 L exactly (182.6 first year); se = sqrt(182.6/n).
 * The test runs the model through the scenario loader and the engine (no output file). */
#include <stdlib.h>
#include <string.h>

#include "../../models/care_model.h"
#include "../../models/care_output.h"
#include "../../models/care_scenario.h"
#include "../check.h"

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "tests/data/poisson/scenario.yaml";
    care_config *c = NULL;
    sim_err err = {0};
    if (care_scenario_load(&c, path, &err) != SIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    const double L = 0.5, M = 1.0 / 400;
    const size_t R = 200, A = (size_t)c->n_areas, T = (size_t)c->n_obs;
    CHECK_EQ_INT(A, 10);
    CHECK_EQ_INT(T, 3);
    care_output lay;
    const care_config *cfgs[1] = {c};
    care_output_init(&lay, cfgs, 1, "test", "test", "now", &err);
    void *bufs[CARE_NVAR];
    for (int v = 0; v < CARE_NVAR; v++)
        bufs[v] = calloc(sim_out_task_elems(&lay.layout, v), sim_type_size(lay.vars[v].type));
    double s1[3] = {0}, s2[3] = {0}, entries = 0;
    for (uint32_t r = 0; r < R; r++) {
        for (int v = 0; v < CARE_NVAR; v++)
            memset(bufs[v], 0, sim_out_task_elems(&lay.layout, v) * sim_type_size(lay.vars[v].type));
        CHECK_EQ_INT(sim_engine_run(&care_model_ops, c, 12345, 0, r, c->horizon, NULL, bufs, NULL, NULL, &err), SIM_OK);
        const uint32_t *stock = bufs[CARE_VAR_STOCK], *flow = bufs[CARE_VAR_FLOW];
        for (size_t t = 1; t < T; t++)
            for (size_t a = 0; a < A; a++) {
                double x = 0;
                for (int b = 0; b < CARE_NAGE; b++)
                    x += stock[((t * A + a) * CARE_NSTATE + CARE_ST_LAC) * CARE_NAGE + (size_t)b];
                s1[t] += x;
                s2[t] += x * x;
                if (t == 1)
                    for (int b = 0; b < CARE_NAGE; b++)
                        entries += flow[((t * A + a) * CARE_NTR + CARE_TR_ENTRY) * CARE_NAGE + (size_t)b];
            }
    }
    double n = (double)(R * A);
    for (size_t t = 1; t < T; t++) {
        double mu = L / M * (1 - exp(-M * c->obs[t]));
        double mean = s1[t] / n, var = (s2[t] - n * mean * mean) / (n - 1);
        printf("t = %.0f d: mean %.3f (theory %.3f), variance %.3f\n", c->obs[t], mean, mu, var);
        CHECK_NEAR(mean, mu, 4 * sqrt(mu / n));
        CHECK_NEAR(var, mu, 4 * sqrt((mu + 2 * mu * mu) / n));
    }
    double ey = L * c->obs[1];
    CHECK_NEAR(entries / n, ey, 4 * sqrt(ey / n));
    for (int v = 0; v < CARE_NVAR; v++) free(bufs[v]);
    care_output_free(&lay);
    care_config_free(c);
    return check_result("test_stock");
}
