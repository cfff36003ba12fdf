/* models/care_names.c - labels of age bands and placements (the output's coordinate labels;
 * states and transitions are in care_states.c) and care_config_free. */
#include <stdlib.h>

#include "care_config.h"
#include "care_pathdraws.h"
#include "care_pathtrend.h"
#include "care_prog.h"
#include "care_sweep.h"
#include "care_uasc.h"

const char *const care_age_names[CARE_NAGE] = {"under_1", "1_4", "5_9", "10_15", "16_17"};
const double care_age_lo_years[CARE_NAGE + 1] = {0, 1, 5, 10, 16, 18};
const char *const care_placement_names[CARE_NPLACE] = {"foster", "kinship", "residential",
                                                       "placed_with_parents", "independent"};

void care_config_free(care_config *c)
{
    if (!c)
        return;
    for (int a = 0; c->areas && a < c->n_areas; a++) {
        free(c->areas[a].code);
        free(c->areas[a].name);
        free(c->areas[a].region);
        free(c->areas[a].ofsted);
    }
    free(c->areas);
    care_prog_free(c->progs, c->n_progs);
    for (int i = 0; c->prog_run_names && i < c->n_prog_run; i++) free(c->prog_run_names[i]);
    free(c->prog_run_names);
    free(c->prog_index);
    if (c->sweep) care_sweep_free(c->sweep);
    free(c->sweep);
    for (int i = 0; c->param_keys && i < c->n_params; i++) free(c->param_keys[i]);
    free(c->param_keys);
    free(c->param_values);
    free(c->observe_at);
    free(c->entries_at);
    free(c->start_at);
    free(c->path);
    free(c->name);
    free(c->obs);
    free(c->areas_path);
    free(c->entry_rates_path);
    free(c->entry_trend_path);
    for (int s = 0; s < CARE_NSTATE; s++)
        free(c->hazards_path[s]);
    free(c->description);
    free(c->placement_shares_path);
    free(c->placement_move_shares_path);
    free(c->placement_costs_path);
    free(c->placement_capacity_path);
    free(c->cap);
    for (int i = 0; i < c->n_initial_stock; i++)
        free(c->initial_stock_paths[i]);
    free(c->referral_rates_path);
    free(c->trend_from);
    free(c->trend_mult);
    free(c->stock);
    free(c->entry_ages_path);
    free(c->parameter_draws_path);
    free(c->initial_placement_shares_path);
    free(c->initial_stock_ages_path);
    free(c->initial_stock_ages_by_time_path);
    free(c->draw_entry);
    free(c->draw_exit);
    free(c->draw_rule);
    free(c->draw_uasc);
    free(c->pathway_draws_path);
    care_pathdraws_free(c->pathway_draws);
    free(c->rate_trend_path);
    free(c->uasc_path);
    care_uasc_free(c->uasc);
    free(c->pathway_trend_path);
    care_pathtrend_free(c->pathway_trend);
    free(c->rate_trend_from);
    free(c->rate_trend_entry);
    free(c->rate_trend_exit);
    free(c->resolved_yaml);
    care_edits_free(&c->adjust_entry);
    care_edits_free(&c->adjust_nfa);
    for (int s = 0; s < CARE_NSTATE; s++)
        for (int k = 0; k < CARE_MAXK; k++) care_edits_free(&c->adjust_haz[s][k]);
    for (int p = 0; p < CARE_NPLACE; p++) care_edits_free(&c->adjust_share[p]);
    free(c->epochs);
    free(c);
}
