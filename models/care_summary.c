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
    if (!s->n_rep || !s->lac || !s->starts || !s->exits) {
        care_summary_free(s);
        return sim_err_set(err, SIM_ENOMEM, "summary: out of memory");
    }
    return SIM_OK;
}

void care_summary_add(care_summary *s, size_t scen, const void *const *bufs)
{
    const uint32_t *stock = bufs[CARE_VAR_STOCK], *flow = bufs[CARE_VAR_FLOW];
    size_t base = scen * s->T;
    for (size_t t = 0; t < s->T; t++)
        for (size_t a = 0; a < s->A; a++) {
            size_t ta = t * s->A + a;
            for (int b = 0; b < CARE_NAGE; b++) {
                s->lac[base + t] += stock[(ta * CARE_NSTATE + CARE_ST_LAC) * CARE_NAGE + (size_t)b];
                const uint32_t *f = &flow[ta * CARE_NTR * CARE_NAGE + (size_t)b];
                s->starts[base + t] += f[CARE_TR_ENTRY * CARE_NAGE] + f[CARE_TR_REENTRY * CARE_NAGE];
                for (int tr = CARE_TR_HOME; tr <= CARE_TR_AGED_OUT; tr++)
                    s->exits[base + t] += f[tr * CARE_NAGE];
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
    memset(s, 0, sizeof *s);
}
