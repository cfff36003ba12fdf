/* models/care_pathdraws.c - see care_pathdraws.h. */
#include "care_pathdraws.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care_csv.h"
#include "care_pathtrend.h"

/* The columns: draw (*cd), referral and nfa_odds (-1 when absent), each hazard (col[s][k]). */
static int columns(const care_csv *t, int *cd, int *cref, int *cnfa, int col[CARE_NSTATE][CARE_MAXK], sim_err *err)
{
    *cd = *cref = *cnfa = -1;
    for (int s = 0; s < CARE_NSTATE; s++)
        for (int k = 0; k < CARE_MAXK; k++) col[s][k] = -1;
    for (int i = 0; i < t->ncols; i++) {
        const char *h = t->header[i];
        int s, k;
        if (!strcmp(h, "source") || !strcmp(h, "note")) continue;
        if (!strcmp(h, "draw")) *cd = i;
        else if (!strcmp(h, "referral")) *cref = i;
        else if (!strcmp(h, "nfa_odds")) *cnfa = i;
        else if (care_pathtrend_hazard_column(h, &s, &k)) col[s][k] = i;
        else
            return sim_err_set(err, SIM_EINVAL, "%s:1: %s: unknown column (expected draw, referral, nfa_odds, or a "
                               "transition of cin_hazards, cpp_hazards or closed_recent_hazards)", t->path, h);
    }
    if (*cd < 0) return sim_err_set(err, SIM_EINVAL, "%s:1: draw: missing column", t->path);
    return SIM_OK;
}

/* Row r: its draw number (r itself: the rows go with tables.parameter_draws' by position) and
 * multipliers. */
static int row(care_pathdraws *p, const care_csv *t, size_t r, int cd, int cref, int cnfa,
               int col[CARE_NSTATE][CARE_MAXK], sim_err *err)
{
    const char *f = t->rows[r].fields[cd];
    char *end, msg[96];
    long v = strtol(f, &end, 10);
    if (end == f || *end || v != (long)r) {
        snprintf(msg, sizeof msg, "expected %zu (the draws numbered 0, 1, ... in order)", r);
        return care_csv_bad(t, r, "draw", msg, err);
    }
    return care_pathtrend_row_mults(t, r, cref, cnfa, col, &p->referral[r], &p->nfa_odds[r],
                                    p->haz + r * CARE_NSTATE * CARE_MAXK, CARE_MAXK, err);
}

static int fill(void *obj, const care_csv *t, const char *key, const void *ctx, sim_err *err)
{
    care_pathdraws *p = obj;
    (void)ctx;
    int cd, cref, cnfa, col[CARE_NSTATE][CARE_MAXK];
    int rc = columns(t, &cd, &cref, &cnfa, col, err);
    if (rc == SIM_OK && t->nrows == 0) rc = sim_err_set(err, SIM_EINVAL, "%s:2: %s: no rows", t->path, key);
    if (rc != SIM_OK) return rc;
    p->n = (int)t->nrows;
    p->referral = malloc(t->nrows * sizeof *p->referral);
    p->nfa_odds = malloc(t->nrows * sizeof *p->nfa_odds);
    p->haz = malloc(t->nrows * CARE_NSTATE * CARE_MAXK * sizeof *p->haz);
    if (!p->referral || !p->nfa_odds || !p->haz) return sim_err_set(err, SIM_ENOMEM, "%s: out of memory", t->path);
    for (size_t r = 0; r < t->nrows && rc == SIM_OK; r++) rc = row(p, t, r, cd, cref, cnfa, col, err);
    return rc;
}

static void release(void *p)
{
    care_pathdraws_free(p);
}

int care_pathdraws_load(care_config *c, const char *path, const char *key, sim_err *err)
{
    static const care_csv_loader loader = {sizeof(care_pathdraws), fill, release};
    void *p = NULL;
    int rc = care_pathtrend_load_table(c, &loader, path, key, NULL, &p, err);
    if (rc == SIM_OK) c->pathway_draws = p;
    return rc;
}

void care_pathdraws_free(care_pathdraws *p)
{
    if (!p) return;
    free(p->referral);
    free(p->nfa_odds);
    free(p->haz);
    free(p);
}

int care_pathdraws_check(const care_config *c, sim_err *err)
{
    const care_pathdraws *p = c->pathway_draws;
    if (!p) return SIM_OK;
    if (!c->n_draws)
        return sim_err_set(err, SIM_EINVAL, "%s:1: tables.pathway_draws: needs tables.parameter_draws (a replicate "
                           "uses row d of both)", c->pathway_draws_path);
    if (p->n != c->n_draws)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: tables.pathway_draws: %d draws, but tables.parameter_draws has %d "
                           "(a replicate uses row d of both)", c->pathway_draws_path, p->n + 1, p->n, c->n_draws);
    return SIM_OK;
}

void care_pathdraws_row(const care_pathdraws *p, size_t d, care_repdraw *r)
{
    const double *m = p->haz + d * CARE_NSTATE * CARE_MAXK;
    r->referral = p->referral[d];
    r->nfa_odds = p->nfa_odds[d];
    for (int s = 0; s < CARE_NSTATE; s++)
        if (s != CARE_ST_LAC)
            for (int k = 0; k < CARE_MAXK; k++) r->haz[s][k] = m[s * CARE_MAXK + k];
}
