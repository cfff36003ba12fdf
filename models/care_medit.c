/* models/care_medit.c - rates and shares that change on dates (adjust: edits with `from:`,
 * care_edit.h) in the event-list model: which epoch's values are in force at a time, and each
 * area's entry process in every epoch. A draw that reaches the next epoch's start stops there
 * and is drawn again from that moment (as for a programme's steps), so every time stays exact.
 * Part of care_model (care_model_impl.h); the model owns ep_entry. */
#include <math.h>
#include <stdlib.h>

#include "care_edit.h"
#include "care_model_impl.h"

int care_medit_create(care_model *m, const double *draw_entry, sim_err *err)
{
    const care_config *c = m->cfg;
    if (c->n_epochs == 0) return SIM_OK;
    if (!(m->ep_entry = calloc((size_t)c->n_epochs * m->A, sizeof *m->ep_entry)))
        return sim_err_set(err, SIM_ENOMEM, "care model: out of memory for dated rate edits");
    for (int e = 0; e < c->n_epochs; e++)
        for (size_t a = 0; a < m->A; a++) {   /* as care_model.c's create, with this epoch's rates */
            arrival *ar = &m->ep_entry[(size_t)e * m->A + a];
            double acc = 0;
            for (int b = 0; b < CARE_NAGE; b++)
                ar->cum[b] = (acc += c->areas[a].pop[b] * c->epochs[e].entry_rate[b] * (draw_entry ? draw_entry[b] : 1.0));
            ar->base_rate = acc * c->areas[a].entry_mult;
        }
    return SIM_OK;
}

const arrival *care_medit_arrival(const care_model *m, uint32_t a, int p, double t, double *until)
{
    *until = INFINITY;
    if (!m->ep_entry || p != PROC_ENTRY) return &m->areas[a].proc[p];
    int e = care_edit_epoch_at(m->cfg, t, until);
    return &m->ep_entry[(size_t)e * m->A + a];
}

const care_hazard_table *care_medit_haz(const care_model *m, int s, double t, double *until)
{
    *until = INFINITY;
    if (!m->cfg->n_epochs) return &m->cfg->haz[s];
    return &m->cfg->epochs[care_edit_epoch_at(m->cfg, t, until)].haz[s];
}

const double *care_medit_shares(const care_model *m, int b, double t, int move)
{
    return care_edit_shares(m->cfg, b, t, move);
}

double care_medit_nfa(const care_model *m, int b, double t)
{
    return care_edit_nfa(m->cfg, b, t);
}
