/* tests/unit/test_prog_parse.c - reading `programmes:` lists: every key lands where it should,
 * sweep overrides replace numbers by dotted name, and mistakes name file, line and key.
 * argv[1]: a scratch directory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/care_prog.h"
#include "../../models/care_scenario.h"
#include "../check.h"

static const char *dir = ".";

static int parse(const char *text, care_overrides *ov, care_programme **p, int *n, sim_err *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/programmes.yaml", dir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    care_yaml_doc d;
    sim_err_clear(err);
    int rc = care_yaml_open(&d, path, err);
    if (rc != SIM_OK) return rc;
    yaml_node_t *root = care_yaml_root(&d);
    yaml_node_t *list = yaml_document_get_node(&d.doc, root->data.mapping.pairs.start[0].value);
    int64_t day0;
    care_date_parse("2017-03-31", &day0);
    rc = care_prog_parse(&d, list, day0, ov, p, n, err);
    care_yaml_close(&d);
    return rc;
}

static const char *full =
    "programmes:\n"
    "  - name: fs\n"
    "    areas:\n"
    "      eligible: {ofsted: [requires_improvement], care_numbers: [high, rising]}\n"
    "      first: [Darlington]\n"
    "      max: 20\n"
    "    children: {states: [cin, cpp], age: [0, 17]}\n"
    "    start: 2019-04-01\n"
    "    ramp_up: 12m\n"
    "    end: 2024-03-31\n"
    "    after_end: decay\n"
    "    half_life: 1y\n"
    "    capacity: [{from: 2019-04-01, places: 20}, {from: 2020-04-01, places: 40}]\n"
    "    duration: 6m\n"
    "    effects:\n"
    "      - {transition: cpp->lac, ratio: 0.8, ci95: [0.6, 1.0], source: x}\n"
    "    costs: {per_child_served: 1800, fixed_per_area_per_year: 250000, price_year: 2018}\n"
    "  - name: fdac\n"
    "    areas: [E09000001, Leeds]\n"
    "    children: {states: lac, continues_in: [home], new_only: true}\n"
    "    start: 2017-03-31\n"
    "    capacity: 5\n"
    "    effects: [{transition: lac->home, ratio: 1.6}]\n";

static void reads_everything(void)
{
    care_programme *p;
    int n;
    sim_err err = {0};
    CHECK_EQ_INT(parse(full, NULL, &p, &n, &err), SIM_OK);
    if (err.code) { fprintf(stderr, "%s\n", err.msg); return; }
    CHECK_EQ_INT(n, 2);
    CHECK(!strcmp(p[0].name, "fs"));
    CHECK_EQ_INT(p[0].where.n_ofsted, 1);
    CHECK_EQ_INT(p[0].where.numbers, CARE_NUM_HIGH | CARE_NUM_RISING);
    CHECK_EQ_INT(p[0].where.n_first, 1);
    CHECK_EQ_INT(p[0].where.max, 20);
    CHECK_EQ_INT(p[0].n_states, 2);
    CHECK(!strcmp(p[0].states[1], "cpp"));
    CHECK(p[0].age_lo == 0 && p[0].age_hi == 17);
    CHECK(p[0].time.start == 731);      /* 2017-03-31 to 2019-04-01 */
    CHECK(p[0].time.ramp == 366);       /* 2019-04-01 to 2020-04-01 */
    CHECK(p[0].time.end == 731 + 1826); /* to 2024-03-31 */
    CHECK_EQ_INT(p[0].time.after, CARE_AFTER_DECAY);
    CHECK(p[0].time.half_life == 366);
    double until;
    CHECK(care_prog_places(&p[0], 0, &until) == 20 && until == 731 + 366);
    CHECK(care_prog_places(&p[0], 2000, &until) == 40 && isinf(until));
    CHECK(p[0].duration == 183);        /* 2019-04-01 to 2019-10-01 */
    CHECK_EQ_INT(p[0].n_effects, 1);
    CHECK(!strcmp(p[0].effects[0].transition, "cpp->lac"));
    CHECK(p[0].effects[0].size.ratio == 0.8 && p[0].effects[0].size.lo == 0.6 && p[0].effects[0].size.hi == 1.0);
    CHECK(p[0].cost_per_child == 1800 && p[0].cost_fixed_per_area_year == 250000 && p[0].cost_per_day == 0);
    CHECK_EQ_INT(p[0].price_year, 2018);
    CHECK_EQ_INT(p[1].where.n_codes, 2);
    CHECK_EQ_INT(p[1].n_states, 1);
    CHECK_EQ_INT(p[1].n_continues, 1);
    CHECK(!strcmp(p[1].continues[0], "home"));
    CHECK_EQ_INT(p[1].new_only, 1);
    CHECK_EQ_INT(p[0].new_only, 0);
    CHECK(isinf(p[1].time.end) && p[1].time.ramp == 0);
    CHECK(care_prog_places(&p[1], 0, &until) == 5);
    CHECK(isinf(p[1].duration));
    care_config c = {0};   /* places per area make children wait for each other */
    c.progs = p;
    c.n_progs = n;
    CHECK_EQ_INT(care_scenario_has_finite_capacity(&c), 1);
    p[0].n_cap = p[1].n_cap = 0;
    CHECK_EQ_INT(care_scenario_has_finite_capacity(&c), 0);
    care_prog_free(p, n);
}

static void overrides(void)
{
    care_override o[] = {{"programmes.fs.effects.0.ratio", 0.5, 0}, {"programmes.fdac.capacity", 9, 0},
                         {"programmes.fdac.costs.per_child_day", 12.5, 0}};
    care_overrides ov = {o, 3};
    care_programme *p;
    int n;
    sim_err err = {0};
    CHECK_EQ_INT(parse(full, &ov, &p, &n, &err), SIM_OK);
    if (err.code) { fprintf(stderr, "%s\n", err.msg); return; }
    CHECK(p[0].effects[0].size.ratio == 0.5);   /* the interval moves with it: [0.6, 1.0] x 0.5 / 0.8 */
    CHECK_NEAR(p[0].effects[0].size.lo, 0.375, 1e-15);
    CHECK_NEAR(p[0].effects[0].size.hi, 0.625, 1e-15);
    double until;
    CHECK(care_prog_places(&p[1], 0, &until) == 9);
    CHECK(p[1].cost_per_day == 12.5);   /* a key the file leaves to its default */
    CHECK(care_override_unused(&ov) == NULL);
    care_prog_free(p, n);
    care_override bad[] = {{"programmes.fs.effects.0.ratoi", 0.5, 0}};
    care_overrides ovb = {bad, 1};
    CHECK_EQ_INT(parse(full, &ovb, &p, &n, &err), SIM_OK);
    CHECK(care_override_unused(&ovb) == &bad[0]);
    care_prog_free(p, n);
}

static void mistakes(void)
{
    static const struct { const char *text, *msg; } cases[] = {
        {"programmes:\n  - name: a\n    areas: [X]\n    children: {states: [lac]}\n    start: 2018-01-01\n    colour: red\n",
         "programmes.yaml:6: programmes.0.colour: unknown key"},
        {"programmes:\n  - name: a\n    areas: [X]\n    children: {states: [lac]}\n",
         "programmes.yaml:2: programmes.0.start: required key is missing"},
        {"programmes:\n  - name: a\n    areas: [X]\n    children: {states: [lac]}\n    start: 2018-01-01\n"
         "    effects: [{transition: lac->home, ratio: 0.8, ci95: [0.9, 1.2]}]\n",
         "programmes.yaml:6: programmes.a.effects.0.ci95: expected [low, high] with 0 < low <= ratio <= high"},
        {"programmes:\n  - name: a\n    areas: [X]\n    children: {states: [lac]}\n    start: 2018-01-01\n    after_end: decay\n",
         "programmes.a.half_life: give a half-life exactly when after_end is decay"},
        {"programmes:\n  - name: a\n    areas: [X]\n    children: {states: [lac]}\n    start: 2018-01-01\n    end: 2017-01-01\n",
         "programmes.yaml:6: programmes.a.end: must be after the start"},
        {"programmes:\n  - name: a\n    areas: [X]\n    children: {states: [lac]}\n    start: 2018-01-01\n    capacity: -3\n",
         "programmes.yaml:6: programmes.a.capacity: must be >= 0"},
        {"programmes:\n  - name: a\n    areas: {max: 3}\n    children: {states: [lac]}\n    start: 2018-01-01\n",
         "programmes.a.areas: give a list of areas, or eligible and/or first"},
        {"programmes:\n  - name: a\n    areas: {eligible: {care_numbers: [soaring]}}\n    children: {states: [lac]}\n    start: 2018-01-01\n",
         "programmes.a.areas.eligible.care_numbers: expected high, rising or falling, got 'soaring'"},
        {"programmes:\n  - name: a\n    areas: [X]\n    children: {states: [lac]}\n    start: 2018-01-01\n"
         "  - name: a\n    areas: [X]\n    children: {states: [lac]}\n    start: 2018-01-01\n",
         "programmes.yaml:6: programmes.1.name: 'a' is already the name of programme 0"},
        {"programmes:\n  - name: A b\n    areas: [X]\n    children: {states: [lac]}\n    start: 2018-01-01\n",
         "programmes.0.name: use lower-case letters, digits and '_'"},
        {"programmes:\n  - name: a\n    areas: [X]\n    children: {states: [lac], age: [12, 19]}\n    start: 2018-01-01\n",
         "programmes.a.children.age: expected [from, to] with from <= to <= 17"},
        {"programmes:\n  - name: a\n    areas: [X]\n    children: {states: [lac]}\n    start: 2018-01-01\n"
         "    effects: [{transition: lac->home, ratio: 0.8, same_draw_as: 0}]\n",
         "programmes.yaml:6: programmes.a.effects.0.same_draw_as: must name an earlier effect"},
        {"programmes:\n  - name: a\n    areas: [X]\n    children: {states: [lac]}\n    start: 2018-01-01\n    effects:\n"
         "      - {transition: lac->home, ratio: 0.8}\n      - {transition: home->lac, ratio: 0.8, same_draw_as: 1}\n",
         "programmes.yaml:8: programmes.a.effects.1.same_draw_as: must be between 0 and 0, got 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        care_programme *p = NULL;
        int n = 0;
        sim_err err = {0};
        CHECK_EQ_INT(parse(cases[i].text, NULL, &p, &n, &err), SIM_EINVAL);
        if (!strstr(err.msg, cases[i].msg)) {
            fprintf(stderr, "case %zu: got '%s', want '%s'\n", i, err.msg, cases[i].msg);
            CHECK(!"message");
        }
        CHECK(p == NULL);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1) dir = argv[1];
    reads_everything();
    overrides();
    mistakes();
    return check_result("test_prog_parse");
}
