/* models/care_resolved.c - the scenario as resolved: every key with its value or default and
 * every table as an absolute path. Printed by `caresim validate` and stored in the output's
 * scenario_yaml attribute, so a run says exactly what it ran. Declared in care_scenario.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "care_scenario.h"

static void span(FILE *f, const char *key, care_span s)
{
    char b[32];
    care_span_format(s, b, sizeof b);
    fprintf(f, "%s: %s\n", key, b);
}

static void quoted(FILE *f, const char *indent, const char *key, const char *v)
{
    fprintf(f, "%s%s: \"", indent, key);
    for (; *v; v++)
        if (*v == '\n') fputs("\\n", f);   /* a multi-line description stays one quoted line */
        else fprintf(f, *v == '"' || *v == '\\' ? "\\%c" : "%c", *v);
    fputs("\"\n", f);
}

int care_scenario_resolve(care_config *c, sim_err *err)
{
    char *text = NULL, date[11];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    care_date_format(c->start_date, date);
    quoted(f, "", "name", c->name);
    if (c->description) quoted(f, "", "description", c->description);
    fprintf(f, "start_date: %s\n", date);
    span(f, "horizon", c->horizon_span);
    span(f, "observe", c->observe_span);
    fprintf(f, "replicates: %" PRIu32 "\nseed: %" PRIu64 "\n", c->replicates, c->seed);
    span(f, "burn_in", c->burn_in_span);
    if (c->follow_up_none) fputs("follow_up: none\n", f);
    else span(f, "follow_up", c->follow_up_span);
    quoted(f, "", "areas", c->areas_path);
    fputs("tables:\n", f);
    quoted(f, "  ", "entry_rates", c->entry_rates_path);
    if (c->entry_trend_path) quoted(f, "  ", "entry_trend", c->entry_trend_path);
    quoted(f, "  ", "lac_hazards", c->lac_hazards_path);
    quoted(f, "  ", "home_hazards", c->home_hazards_path);
    quoted(f, "  ", "placement_shares", c->placement_shares_path);
    if (c->placement_move_shares_path) quoted(f, "  ", "placement_move_shares", c->placement_move_shares_path);
    if (c->placement_costs_path) quoted(f, "  ", "placement_costs", c->placement_costs_path);
    if (c->initial_stock_path) quoted(f, "", "initial_stock", c->initial_stock_path);
    else fputs("initial_stock: none\n", f);
    fprintf(f, "output:\n  deflate: %d\n  episodes: %s\n", c->deflate, c->episodes ? "true" : "false");
    fprintf(f, "adjust:\n  entry_rates: %g\n  lac_hazards: {", c->adjust_entry);
    for (int i = 0; i < CARE_NLX; i++)
        fprintf(f, "%s%s: %g", i ? ", " : "", care_lac_hazard_names[i], c->adjust_lac[i]);
    fputs("}\n  home_hazards: {", f);
    for (int i = 0; i < CARE_NHX; i++)
        fprintf(f, "%s%s: %g", i ? ", " : "", care_home_hazard_names[i], c->adjust_home[i]);
    fputs("}\n", f);
    fprintf(f, "# %d areas, %d observation times, horizon %.0f days\n", c->n_areas, c->n_obs, c->horizon);
    if (fclose(f) != 0 || !text) {
        free(text);
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    }
    free(c->resolved_yaml);
    c->resolved_yaml = text;
    return SIM_OK;
}
