/* tests/unit/test_progrun.c - places and first-come waiting lists of one (programme, area):
 * a referral is served while places are free and nobody waits; a freed place goes to the
 * longest-waiting child still waiting; a child that moved on is skipped; places changing over
 * time; effects multiply only their own state's columns; an effect drawn with another's
 * (same_draw_as) takes the same normal deviate. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/care_progrun.h"
#include "../../sim/rng.h"
#include "../check.h"

static uint32_t wait_ticket[16];   /* the model's side: a child's ticket, 0 when not waiting */
static int still_waiting(void *user, uint32_t id, uint32_t ticket)
{
    (void)user;
    return wait_ticket[id] == ticket;
}

/* Effect 1 shares effect 0's draw, effect 2 draws its own: in every replicate the shared one's
 * standard normal deviate equals effect 0's (to rounding), whatever its own median and interval;
 * the independent one's differs (equal deviates have probability 0). */
static void shared_draws(void)
{
    care_programme p;
    memset(&p, 0, sizeof p);
    p.name = "tied";
    p.time = (care_effect_time){0, 0, INFINITY, CARE_AFTER_STOP, 0};
    p.n_effects = 3;
    p.effects[0] = (care_prog_effect){NULL, 0, 1, {0.3, 0.1, 0.9}, 0, 0};
    p.effects[1] = (care_prog_effect){NULL, 1, 0, {0.5, 0.25, 1.0}, 0, 1};
    p.effects[2] = (care_prog_effect){NULL, 1, 1, {0.3, 0.1, 0.9}, 0, 0};
    gsl_rng *g = sim_rng_alloc();
    sim_err err = {0};
    int same = 0, differ = 0;
    for (uint32_t rep = 0; rep < 200; rep++) {
        care_progrun *r;
        CHECK_EQ_INT(care_progrun_create(&r, &p, 1, 1, 7, rep, g, &err), SIM_OK);
        double z[3];
        for (int e = 0; e < 3; e++)
            z[e] = (log(r->ratio[0][e]) - log(p.effects[e].size.ratio)) / care_effect_sigma(&p.effects[e].size);
        same += fabs(z[1] - z[0]) < 1e-9;
        differ += z[2] != z[0];
        care_progrun_destroy(r);
    }
    CHECK_EQ_INT(same, 200);
    CHECK_EQ_INT(differ, 200);
    gsl_rng_free(g);
}

int main(void)
{
    shared_draws();
    care_programme p;
    memset(&p, 0, sizeof p);
    p.name = "x";
    p.time = (care_effect_time){0, 0, INFINITY, CARE_AFTER_STOP, 0};
    p.n_cap = 2;
    p.cap_from[0] = -INFINITY;
    p.cap_places[0] = 2;
    p.cap_from[1] = 100;
    p.cap_places[1] = 3;
    p.n_effects = 2;
    p.effects[0] = (care_prog_effect){NULL, 0, 1, {0.5, 0, 0}, 0, 0};
    p.effects[1] = (care_prog_effect){NULL, 1, 0, {1.0, 0, 0}, 0, 0};
    gsl_rng *g = sim_rng_alloc();
    care_progrun *r;
    sim_err err = {0};
    CHECK_EQ_INT(care_progrun_create(&r, &p, 1, 2, 1, 0, g, &err), SIM_OK);
    uint32_t t, id;
    CHECK_EQ_INT(care_progrun_refer(r, 0, 0, 1, 0, &t, &err), 1);
    CHECK_EQ_INT(care_progrun_refer(r, 0, 0, 2, 0, &t, &err), 1);
    for (uint32_t c = 3; c <= 6; c++) {   /* the area is full: 3, 4, 5, 6 wait in that order */
        CHECK_EQ_INT(care_progrun_refer(r, 0, 0, c, 0, &wait_ticket[c], &err), 0);
    }
    CHECK_EQ_INT(r->waiting[0], 4);
    CHECK_EQ_INT(care_progrun_refer(r, 0, 1, 9, 0, &t, &err), 1);   /* another area has its own places */
    wait_ticket[3] = 0;                   /* child 3 moves on while waiting */
    care_progrun_unwait(r, 0, 0);
    CHECK_EQ_INT(r->waiting[0], 3);
    CHECK_EQ_INT(care_progrun_next(r, 0, 0, 1, still_waiting, NULL, &id), 0);   /* no free place */
    care_progrun_release(r, 0, 0);
    CHECK_EQ_INT(care_progrun_next(r, 0, 0, 1, still_waiting, NULL, &id), 1);
    CHECK_EQ_INT(id, 4);                  /* 3 is skipped; 4 waited longest */
    wait_ticket[4] = 0;
    CHECK_EQ_INT(care_progrun_next(r, 0, 0, 1, still_waiting, NULL, &id), 0);   /* full again */
    CHECK_EQ_INT(care_progrun_next(r, 0, 0, 100, still_waiting, NULL, &id), 1); /* a third place from day 100 */
    CHECK_EQ_INT(id, 5);
    wait_ticket[5] = 0;
    CHECK_EQ_INT(r->waiting[0], 1);
    /* A new referral finds no free place: it waits behind child 6. */
    CHECK_EQ_INT(care_progrun_refer(r, 0, 0, 7, 100, &wait_ticket[7], &err), 0);
    care_progrun_release(r, 0, 0);
    CHECK_EQ_INT(care_progrun_next(r, 0, 0, 100, still_waiting, NULL, &id), 1);
    CHECK_EQ_INT(id, 6);                  /* first come, first served */
    care_progrun_clear(r, 0);
    CHECK_EQ_INT(r->waiting[0], 0);
    /* Effects: ratio 0.5 on state 0, column 1; the ratio-1 effect on state 1 does not act. */
    double m[CARE_MAXK] = {1, 1, 1, 1, 1, 1, 1, 1}, until;
    until = care_progrun_mult(r, 0, 0, 5, m);
    CHECK(m[1] == 0.5 && m[0] == 1 && isinf(until));
    double m1[CARE_MAXK] = {1, 1, 1, 1, 1, 1, 1, 1};
    care_progrun_mult(r, 0, 1, 5, m1);
    CHECK(m1[0] == 1);
    CHECK_EQ_INT(r->acts[0], 1);
    care_progrun_destroy(r);
    gsl_rng_free(g);
    return check_result("test_progrun");
}
