/* tests/unit/test_tables.c - the model's tables as data: states and transitions (enums, labels,
 * hazard-table columns, lookup by name and by "from->to"), the scenario key table, the YAML list
 * reader, and numbers in the resolved scenario reading back exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../models/care_keys.h"
#include "../../models/care_states.h"
#include "../../models/care_yaml.h"
#include "../check.h"

static void states(void)
{
    for (int tr = 0; tr < CARE_NTR; tr++) {
        const care_transition_info *ti = &care_transitions[tr];
        CHECK_EQ_INT(care_transition_find(ti->name), tr);
        CHECK(ti->from != CARE_ST_OUT || ti->by == CARE_BY_ARRIVAL);   /* from outside: only arrivals */
        if (ti->by == CARE_BY_HAZARD) {   /* the column it occupies in its state's table */
            int cols[CARE_MAXK], n = care_state_columns(ti->from, cols), k = care_transition_column(tr);
            CHECK(k >= 0 && k < n);
            if (k >= 0 && k < n) CHECK_EQ_INT(cols[k], tr);
        } else {
            CHECK_EQ_INT(care_transition_column(tr), -1);
        }
    }
    for (int s = 0; s < CARE_NSTATE; s++) {
        CHECK_EQ_INT(care_state_find(care_states[s].name), s);
        CHECK(care_states[s].at_18 >= 0 && care_transitions[care_states[s].at_18].from == s);
        int cols[CARE_MAXK];
        CHECK(care_state_columns(s, cols) > 0);
    }
    CHECK_EQ_INT(care_transition_find("lac->home"), CARE_TR_HOME);
    CHECK_EQ_INT(care_transition_find("home->lac"), CARE_TR_REENTRY);
    CHECK_EQ_INT(care_transition_find("out->lac"), CARE_TR_ENTRY);
    CHECK_EQ_INT(care_transition_find("lac->out"), -1);      /* several: ambiguous */
    CHECK_EQ_INT(care_transition_find("cpp->lac"), CARE_TR_CPP_LAC);
    CHECK_EQ_INT(care_transition_find("cin->cpp"), CARE_TR_CIN_CPP);
    CHECK_EQ_INT(care_transition_find("closed_recent->cin"), CARE_TR_REREFERRAL);
    CHECK_EQ_INT(care_transition_find("nowhere->lac"), -1);
    CHECK_EQ_INT(care_state_find("nowhere"), -1);
    /* episode labels: every transition ends a row; the opening ones, then initial_stock, start one */
    char end[512];
    snprintf(end, sizeof end, "%s", CARE_EPISODE_END_LABELS);
    int i = 0;
    for (char *tok = strtok(end, ","); tok; tok = strtok(NULL, ","), i++)
        CHECK(i < CARE_NTR && !strcmp(tok, care_transition_names[i]));
    CHECK_EQ_INT(i, CARE_NTR);
    char start[512];
    snprintf(start, sizeof start, "%s", CARE_EPISODE_START_LABELS);
    i = 0;
    for (char *tok = strtok(start, ","); tok; tok = strtok(NULL, ","), i++) {
        int tr = care_transition_find(tok);
        if (i == CARE_START_INITIAL) CHECK(!strcmp(tok, "initial_stock"));
        else CHECK(tr >= 0 && care_transition_start_code(tr) == i);
    }
    CHECK_EQ_INT(i, CARE_START_INITIAL + 1);
}

static void keys(void)
{
    care_key k[CARE_MAXKEYS];
    int n = care_keys_table(k);
    CHECK(n > 0 && n < CARE_MAXKEYS);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) CHECK(strcmp(k[i].name, k[j].name) != 0);
    for (int s = 0; s < CARE_NSTATE; s++) {   /* every hazard column can be adjusted */
        int cols[CARE_MAXK], nk = care_state_columns(s, cols);
        char name[96];
        for (int c = 0; c < nk; c++) {
            snprintf(name, sizeof name, "adjust.%s.%s", care_states[s].table, care_transition_names[cols[c]]);
            CHECK(care_keys_find(k, n, name) != NULL);
        }
    }
    CHECK(care_keys_find(k, n, "seed") && care_keys_find(k, n, "seed")->def == NULL);   /* required */
}

static void numbers(void)
{
    /* shortest exact form: reads back bit for bit; 0.95 stays "0.95", 0.1 + 0.2 needs 17 digits */
    char b[40];
    care_format_number(0.95, b, sizeof b);
    CHECK(!strcmp(b, "0.95"));
    care_format_number(0.1 + 0.2, b, sizeof b);
    CHECK(!strcmp(b, "0.30000000000000004"));
    srand(7);
    for (int i = 0; i < 10000; i++) {
        double v = (double)rand() / RAND_MAX * pow(10, rand() % 20 - 10);
        care_format_number(v, b, sizeof b);
        CHECK(strtod(b, NULL) == v);
    }
}

static void lists(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/list.yaml", dir);
    FILE *f = fopen(path, "w");
    fputs("block:\n  - a\n  - {x: 1}\n  - c\nflow: [1, 2]\nempty: []\nscalar: 3\n", f);
    fclose(f);
    care_yaml_doc d;
    sim_err err = {0};
    CHECK_EQ_INT(care_yaml_open(&d, path, &err), SIM_OK);
    care_yaml_key k[] = {{"block", 1, NULL, 0, NULL}, {"flow", 1, NULL, 0, NULL}, {"empty", 1, NULL, 0, NULL},
                         {"scalar", 1, NULL, 0, NULL}, {NULL, 0, NULL, 0, NULL}};
    CHECK_EQ_INT(care_yaml_map(&d, care_yaml_root(&d), "", k, &err), SIM_OK);
    size_t n = 0;
    CHECK_EQ_INT(care_yaml_list(&d, k[0].value, "block", &n, &err), SIM_OK);
    CHECK_EQ_INT(n, 3);
    const char *s;
    CHECK_EQ_INT(care_yaml_str(&d, care_yaml_item(&d, k[0].value, 2), "block[2]", &s, &err), SIM_OK);
    CHECK(!strcmp(s, "c"));
    CHECK(care_yaml_item(&d, k[0].value, 1)->type == YAML_MAPPING_NODE);
    uint64_t v;
    CHECK_EQ_INT(care_yaml_list(&d, k[1].value, "flow", &n, &err), SIM_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(care_yaml_uint(&d, care_yaml_item(&d, k[1].value, 1), "flow", 0, 9, &v, &err), SIM_OK);
    CHECK_EQ_INT(v, 2);
    CHECK_EQ_INT(care_yaml_list(&d, k[2].value, "empty", &n, &err), SIM_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(care_yaml_list(&d, k[3].value, "scalar", &n, &err), SIM_EINVAL);
    CHECK(strstr(err.msg, "list.yaml:7: scalar: expected a list") != NULL);
    care_yaml_close(&d);
    remove(path);
}

int main(int argc, char **argv)
{
    states();
    keys();
    numbers();
    lists(argc > 1 ? argv[1] : ".");
    return check_result("test_tables");
}
