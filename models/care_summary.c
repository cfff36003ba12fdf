/* models/care_summary.c - see care_summary.h. */
#include "care_summary.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "care_output.h"

int care_summary_init(care_summary *s, size_t n_scen, const care_config *c, sim_err *err)
{
    memset(s, 0, sizeof *s);
    s->n_scen = n_scen;
    s->T = (size_t)c->n_obs;
    s->A = (size_t)c->n_areas;
    size_t n = n_scen * s->T;
    s->n_rep = calloc(n_scen, sizeof *s->n_rep);
    s->lac = calloc(n, sizeof *s->lac);
    s->starts = calloc(n, sizeof *s->starts);
    s->exits = calloc(n, sizeof *s->exits);
    s->stock = calloc(n * CARE_NSTATE, sizeof *s->stock);
    if (!s->n_rep || !s->lac || !s->starts || !s->exits || !s->stock) {
        care_summary_free(s);
        return sim_err_set(err, SIM_ENOMEM, "summary: out of memory");
    }
    return SIM_OK;
}

/* Entries: transitions into care from outside it; exits: out of care (care_states.h). */
void care_summary_add(care_summary *s, size_t scen, const void *const *bufs)
{
    const uint32_t *stock = bufs[CARE_VAR_STOCK], *flow = bufs[CARE_VAR_FLOW];
    size_t base = scen * s->T;
    for (size_t t = 0; t < s->T; t++)
        for (size_t a = 0; a < s->A; a++)
            for (size_t b = 0; b < CARE_NAGE; b++) {
                s->lac[base + t] += stock[care_var_at(CARE_VAR_STOCK, s->A, t, a, CARE_ST_LAC, b)];
                for (size_t st = 0; st < CARE_NSTATE; st++)
                    s->stock[(base + t) * CARE_NSTATE + st] += stock[care_var_at(CARE_VAR_STOCK, s->A, t, a, st, b)];
                for (size_t tr = 0; tr < CARE_NTR; tr++) {
                    const care_transition_info *ti = &care_transitions[tr];
                    uint32_t n = flow[care_var_at(CARE_VAR_FLOW, s->A, t, a, tr, b)];
                    if (ti->to == CARE_ST_LAC && ti->from != CARE_ST_LAC) s->starts[base + t] += n;
                    if (ti->from == CARE_ST_LAC && ti->to != CARE_ST_LAC) s->exits[base + t] += n;
                }
            }
    s->n_rep[scen]++;
}

void care_summary_free(care_summary *s)
{
    free(s->n_rep);
    free(s->lac);
    free(s->starts);
    free(s->exits);
    free(s->stock);
    memset(s, 0, sizeof *s);
}
