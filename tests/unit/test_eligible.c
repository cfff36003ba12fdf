/* tests/unit/test_eligible.c - the eligibility rule picks exactly the areas the rule implies:
 * on a small table whose answer follows from the rule by hand, and on the bundled England table
 * against the rule restated area by area (argv[1]: areas_england.csv). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/care_config.h"
#include "../../models/care_eligible.h"
#include "../../models/care_tables.h"
#include "../check.h"

static char *S(const char *s) { return strdup(s); }
/* A heap list of n names, as the loader builds it (care_eligible_free releases it). */
static char **L(int n, ...)
{
    va_list ap;
    va_start(ap, n);
    char **v = malloc((size_t)n * sizeof *v);
    for (int i = 0; i < n; i++) v[i] = S(va_arg(ap, const char *));
    va_end(ap);
    return v;
}

static care_area area(const char *code, const char *region, const char *ofsted, double pop, double c15, double c17)
{
    care_area a = {0};
    a.code = (char *)code;
    a.name = (char *)code;
    a.region = (char *)region;
    a.ofsted = (char *)ofsted;
    a.pop[CARE_AGE_10_15] = pop;
    a.cla[0] = c15;
    a.cla[1] = NAN;
    a.cla[2] = c17;
    return a;
}

/* Six areas of 10,000 children each; all together 60 + 90 + 50 + 40 + 100 + 70 = 410 in care in
 * 2017, a rate of 68.3 per 10,000. high: A2 (90), A5 (100), A6 (70). rising (2017 > 2015): A1
 * (60 > 50), A4 (40 > 30), A6 (70 > 60). requires improvement: A1, A2, A4, A6 (A3 good, A5
 * inadequate). So "requires improvement and (high or rising)" is A1, A2, A4, A6; by rate:
 * A2 (90), A6 (70), A1 (60), A4 (40). */
static void by_hand(void)
{
    care_area t[6] = {area("A1", "North", "requires improvement", 1e4, 50, 60),
                      area("A2", "North", "requires_improvement", 1e4, 95, 90),
                      area("A3", "South", "good", 1e4, 40, 50),
                      area("A4", "South", "Requires_Improvement", 1e4, 30, 40),
                      area("A5", "South", "inadequate", 1e4, 100, 100),
                      area("A6", "North", "requires_improvement", 1e4, 60, 70)};
    care_eligible e = {.ofsted = L(1, "requires_improvement"), .n_ofsted = 1, .numbers = CARE_NUM_HIGH | CARE_NUM_RISING};
    int out[6], n = 0;
    sim_err err = {0};
    CHECK_EQ_INT(care_eligible_select(&e, t, 6, "where", out, &n, &err), SIM_OK);
    int want[] = {1, 5, 0, 3};
    CHECK_EQ_INT(n, 4);
    for (int i = 0; i < 4 && i < n; i++) CHECK_EQ_INT(out[i], want[i]);
    /* A named early adopter (A3, not eligible) goes first; the cap then keeps two more. */
    e.first = L(1, "A3");
    e.n_first = 1;
    e.max = 3;
    CHECK_EQ_INT(care_eligible_select(&e, t, 6, "where", out, &n, &err), SIM_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(out[0], 2);
    CHECK_EQ_INT(out[1], 1);
    CHECK_EQ_INT(out[2], 5);
    /* Skip: the two highest-rate eligible areas went to another programme. */
    care_eligible_free(&e);
    e = (care_eligible){.ofsted = L(1, "requires_improvement"), .n_ofsted = 1,
                        .numbers = CARE_NUM_HIGH | CARE_NUM_RISING, .skip = 2};
    CHECK_EQ_INT(care_eligible_select(&e, t, 6, "where", out, &n, &err), SIM_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(out[0], 0);
    CHECK_EQ_INT(out[1], 3);
    /* Region and rising alone; table order. */
    care_eligible r = {.regions = L(1, "North"), .n_regions = 1, .numbers = CARE_NUM_RISING, .order = CARE_ORDER_TABLE};
    CHECK_EQ_INT(care_eligible_select(&r, t, 6, "where", out, &n, &err), SIM_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(out[0], 0);
    CHECK_EQ_INT(out[1], 5);
    /* Falling: A2 only (95 -> 90). */
    care_eligible f = {.numbers = CARE_NUM_FALLING};
    CHECK_EQ_INT(care_eligible_select(&f, t, 6, "where", out, &n, &err), SIM_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(out[0], 1);
    /* An unknown name is an error that names it. */
    care_eligible b = {.first = L(1, "Atlantis"), .n_first = 1};
    CHECK_EQ_INT(care_eligible_select(&b, t, 6, "programmes.x.areas", out, &n, &err), SIM_EINVAL);
    CHECK(strstr(err.msg, "programmes.x.areas: no area with code or name 'Atlantis'") != NULL);
    care_eligible_free(&e);
    care_eligible_free(&r);
    care_eligible_free(&b);
}

/* The national roll-out's rule on the England table: named adopters first, then every area that
 * is rated requires improvement with a rate above England's or more children in care in 2017
 * than in 2015, highest rate first, up to 20. Restated here area by area, independently. */
static void england(const char *path)
{
    care_config *cp = calloc(1, sizeof *cp);
    sim_err err = {0};
    CHECK_EQ_INT(care_tables_areas(cp, path, "areas", &err), SIM_OK);
    if (err.code) { fprintf(stderr, "%s\n", err.msg); care_config_free(cp); return; }
    const care_config c = *cp;
    care_eligible e = {.ofsted = L(1, "requires_improvement"), .n_ofsted = 1, .numbers = CARE_NUM_HIGH | CARE_NUM_RISING,
                       .first = L(3, "Darlington", "Middlesbrough", "Cambridgeshire"), .n_first = 3, .max = 20};
    int *out = malloc((size_t)c.n_areas * sizeof *out), n = 0;
    CHECK_EQ_INT(care_eligible_select(&e, c.areas, c.n_areas, "where", out, &n, &err), SIM_OK);
    double cla = 0, pop = 0;
    for (int i = 0; i < c.n_areas; i++) {
        for (int b = 0; b < CARE_NAGE; b++) pop += c.areas[i].pop[b];
        cla += c.areas[i].cla[2];
    }
    double england_rate = cla / pop * 1e4;
    int n_elig = 0;
    unsigned char *chosen = calloc((size_t)c.n_areas, 1);
    for (int j = 0; j < n; j++) chosen[out[j]] = 1;
    double lowest_chosen = INFINITY;
    for (int j = 3; j < n; j++) lowest_chosen = fmin(lowest_chosen, care_eligible_rate(&c.areas[out[j]]));
    CHECK(!strcmp(c.areas[out[0]].name, "Darlington") && !strcmp(c.areas[out[1]].name, "Middlesbrough") &&
          !strcmp(c.areas[out[2]].name, "Cambridgeshire"));
    for (int i = 0; i < c.n_areas; i++) {
        const care_area *a = &c.areas[i];
        double p = 0;
        for (int b = 0; b < CARE_NAGE; b++) p += a->pop[b];
        int elig = !strcmp(a->ofsted, "requires_improvement") && (a->cla[2] / p * 1e4 > england_rate || a->cla[2] > a->cla[0]);
        int named = !strcmp(a->name, "Darlington") || !strcmp(a->name, "Middlesbrough") || !strcmp(a->name, "Cambridgeshire");
        n_elig += elig && !named;
        if (chosen[i] && !named) CHECK(elig);
        if (elig && !chosen[i]) CHECK(a->cla[2] / p * 1e4 <= lowest_chosen);   /* left out only for a lower rate */
    }
    for (int j = 4; j < n; j++)
        CHECK(care_eligible_rate(&c.areas[out[j - 1]]) >= care_eligible_rate(&c.areas[out[j]]));
    CHECK_EQ_INT(n, n_elig + 3 < 20 ? n_elig + 3 : 20);
    CHECK(n_elig > 17);   /* the rule binds: more eligible areas than places */
    free(out);
    free(chosen);
    care_eligible_free(&e);
    care_config_free(cp);
}

int main(int argc, char **argv)
{
    by_hand();
    if (argc > 1) england(argv[1]);
    else CHECK(!"usage: test_eligible AREAS_CSV");
    return check_result("test_eligible");
}
