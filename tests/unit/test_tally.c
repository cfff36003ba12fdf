/* tests/unit/test_tally.c - the case-based model's counting rules (models/care_tally.h): a flow
 * at time t falls in the period (obs[i-1], obs[i]] that holds it and is not counted at or before
 * obs[0] nor after the last observation; a spell (from, to] is seen by the observations inside
 * it. The tally remembers the period it last found, so the times come both in a child's order
 * (rising, mostly within one period) and scattered, on observation instants and between them;
 * every count is compared with the definition applied by brute force. */
#include <stdlib.h>
#include <string.h>

#include "../../models/care_tally.h"
#include "../check.h"

#define T 6
static const double obs[T] = {0, 10, 20, 20.5, 30, 40};

static uint64_t lcg(uint64_t *s) { return *s = *s * 6364136223846793005ULL + 1442695040888963407ULL; }

/* A time from -5 to 45, an observation instant one time in four. */
static double some_time(uint64_t *s)
{
    uint64_t r = lcg(s) >> 11;
    return r % 4 == 0 ? obs[(r >> 2) % T] : -5.0 + 50.0 * (double)(r >> 2) / (double)(1ULL << 51);
}

static int period_of(double t)   /* the i >= 1 with obs[i-1] < t <= obs[i]; -1: not counted */
{
    for (int i = 1; i < T; i++)
        if (obs[i - 1] < t && t <= obs[i])
            return i;
    return -1;
}

static uint64_t flow_in(const care_tally *t, int p)
{
    uint64_t n = 0;
    for (size_t j = 0; j < care_vars[CARE_VAR_FLOW].n1 * care_vars[CARE_VAR_FLOW].n2; j++)
        n += t->flow[care_var_at(CARE_VAR_FLOW, 1, (size_t)p, 0, 0, 0) + j];
    return n;
}

static uint64_t stock_at(const care_tally *t, int i)
{
    uint64_t n = 0;
    for (size_t j = 0; j < care_vars[CARE_VAR_STOCK].n1 * care_vars[CARE_VAR_STOCK].n2; j++)
        n += t->stock[care_var_at(CARE_VAR_STOCK, 1, (size_t)i, 0, 0, 0) + j];
    return n;
}

int main(void)
{
    care_config *c = calloc(1, sizeof *c);
    c->n_areas = 1;
    c->n_obs = T;
    c->obs = (double *)obs;
    care_tally t;
    CHECK_EQ_INT(care_tally_init(&t, c), 0);
    uint64_t want_flow[T] = {0}, want_stock[T] = {0}, s = 7;
    for (int n = 0; n < 20000; n++) {
        /* a child: a few rising times (its transitions), after a scattered first one */
        double time = some_time(&s), from = n % 5 == 0 ? -INFINITY : time;
        int steps = 1 + (int)(lcg(&s) >> 62);
        for (int k = 0; k < steps; k++) {
            int p = period_of(time);
            if (p > 0) want_flow[p]++;
            care_tally_flow(&t, time, 0, time - 100.0, CARE_TR_ENTRY);
            double to = k + 1 < steps ? time + (double)(lcg(&s) >> 40) / (double)(1ULL << 24) * 12.0 : INFINITY;
            for (int i = 0; i < T; i++)
                want_stock[i] += from < obs[i] && obs[i] <= to;
            care_tally_seen(&t, from, to, 0, time - 100.0, CARE_ST_LAC, CARE_PL_FOSTER);
            from = time = to;
        }
    }
    for (int i = 0; i < T; i++) {
        CHECK_EQ_INT(flow_in(&t, i), want_flow[i]);
        CHECK_EQ_INT(stock_at(&t, i), want_stock[i]);
    }
    CHECK(want_flow[3] > 0 && want_stock[2] > 0);   /* the short period and its ends were reached */
    care_tally_free(&t);
    free(c);
    return check_result("test_tally");
}
