/* models/care_pathtrend.c - see care_pathtrend.h. */
#include "care_pathtrend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care_calib.h"
#include "care_csv.h"
#include "care_date.h"

static int is_pathway_state(int s)
{
    return s == CARE_ST_CIN || s == CARE_ST_CPP || s == CARE_ST_CLOSED;
}

int care_pathtrend_hazard_column(const char *name, int *s, int *k)
{
    int tr = care_transition_find(name);
    if (tr < 0 || care_transitions[tr].by != CARE_BY_HAZARD || !is_pathway_state(care_transitions[tr].from) ||
        strcmp(name, care_transition_names[tr]))
        return 0;
    *s = care_transitions[tr].from;
    *k = care_transition_column(tr);
    return 1;
}

/* The columns: from_date, rule (*cr, -1 when absent), referral and nfa_odds (cref, cnfa; -1
 * when absent) and each hazard column (col[s][k], -1 when absent). */
static int columns(care_pathtrend *p, const care_csv *t, int *cd, int *cr, int *cref, int *cnfa,
                   int col[CARE_NSTATE][CARE_MAXK], sim_err *err)
{
    *cd = *cr = *cref = *cnfa = -1;
    for (int s = 0; s < CARE_NSTATE; s++)
        for (int k = 0; k < CARE_MAXK; k++) col[s][k] = -1;
    for (int i = 0; i < t->ncols; i++) {
        const char *h = t->header[i];
        int s, k;
        if (!strcmp(h, "source") || !strcmp(h, "note")) continue;
        if (!strcmp(h, "from_date")) *cd = i;
        else if (!strcmp(h, "rule")) *cr = i;
        else if (!strcmp(h, "referral")) *cref = i;
        else if (!strcmp(h, "nfa_odds")) *cnfa = i;
        else if (care_pathtrend_hazard_column(h, &s, &k)) {
            col[s][k] = i;
            p->has_state[s] = 1;
        } else {
            return sim_err_set(err, SIM_EINVAL, "%s:1: %s: unknown column (expected from_date, rule, referral, "
                               "nfa_odds, or a transition of cin_hazards, cpp_hazards or closed_recent_hazards)",
                               t->path, h);
        }
    }
    if (*cd < 0) return sim_err_set(err, SIM_EINVAL, "%s:1: from_date: missing column", t->path);
    return SIM_OK;
}

/* Row r, row j of its rule's block (rule r / n): its date (rule 0's, the same in the others) and
 * multipliers (1 where a column is absent). */
static int row(care_pathtrend *p, int64_t start, const care_csv *t, size_t r, int cd, int cref, int cnfa,
               int col[CARE_NSTATE][CARE_MAXK], sim_err *err)
{
    size_t j = r % (size_t)p->n, rule = r / (size_t)p->n;
    int64_t day;
    if (care_date_parse(t->rows[r].fields[cd], &day) != 0) return care_csv_bad(t, r, "from_date", "expected YYYY-MM-DD", err);
    double from = (double)(day - start);
    if (rule == 0) {
        if (j > 0 && from <= p->from[j - 1]) return care_csv_bad(t, r, "from_date", "dates must increase", err);
        p->from[j] = from;
    } else if (from != p->from[j]) {
        return care_csv_bad(t, r, "from_date", "every rule must have the dates of rule 0", err);
    }
    double *haz = p->haz + (rule * CARE_NSTATE * (size_t)p->n + j) * CARE_MAXK;
    return care_pathtrend_row_mults(t, r, cref, cnfa, col, &p->referral[r], &p->nfa_odds[r], haz,
                                    (size_t)p->n * CARE_MAXK, err);
}

int care_pathtrend_row_mults(const care_csv *t, size_t r, int cref, int cnfa, int col[CARE_NSTATE][CARE_MAXK],
                             double *referral, double *nfa_odds, double *haz, size_t stride, sim_err *err)
{
    int rc = SIM_OK;
    *referral = *nfa_odds = 1.0;
    if (cref >= 0) rc = care_csv_nonneg(t, r, cref, referral, err);
    if (rc == SIM_OK && cnfa >= 0) rc = care_csv_nonneg(t, r, cnfa, nfa_odds, err);
    for (int s = 0; s < CARE_NSTATE && rc == SIM_OK; s++)
        for (int k = 0; k < CARE_MAXK && rc == SIM_OK; k++) {
            double *m = &haz[(size_t)s * stride + (size_t)k];
            *m = 1.0;
            if (col[s][k] >= 0) rc = care_csv_nonneg(t, r, col[s][k], m, err);
        }
    return rc;
}

static int fill(void *obj, const care_csv *t, const char *key, const void *ctx, sim_err *err)
{
    care_pathtrend *p = obj;
    const care_config *c = ctx;
    (void)key;   /* the message below names the key itself */
    int cd, cr, cref, cnfa, col[CARE_NSTATE][CARE_MAXK];
    size_t per_rule = 0;
    int rc = columns(p, t, &cd, &cr, &cref, &cnfa, col, err);
    if (rc == SIM_OK && t->nrows == 0) rc = sim_err_set(err, SIM_EINVAL, "%s:2: tables.pathway_trend: no rows", t->path);
    if (rc == SIM_OK) rc = care_calib_rule_blocks(t, cr, &p->n_rules, &per_rule, err);
    if (rc != SIM_OK) return rc;
    p->has_rules = cr >= 0;
    p->n = (int)per_rule;
    p->from = malloc(per_rule * sizeof *p->from);
    p->referral = malloc(t->nrows * sizeof *p->referral);
    p->nfa_odds = malloc(t->nrows * sizeof *p->nfa_odds);
    p->haz = malloc(t->nrows * CARE_NSTATE * CARE_MAXK * sizeof *p->haz);
    if (!p->from || !p->referral || !p->nfa_odds || !p->haz)
        return sim_err_set(err, SIM_ENOMEM, "%s: out of memory", t->path);
    for (size_t r = 0; r < t->nrows && rc == SIM_OK; r++)
        rc = row(p, c->start_date, t, r, cd, cref, cnfa, col, err);
    if (rc == SIM_OK) p->from[0] = -INFINITY;   /* the first row also covers any burn-in */
    return rc;
}

static void release(void *p)
{
    care_pathtrend_free(p);
}

int care_pathtrend_load(care_config *c, const char *path, const char *key, sim_err *err)
{
    static const care_csv_loader loader = {sizeof(care_pathtrend), fill, release};
    void *p = NULL;
    int rc = care_pathtrend_load_table(c, &loader, path, key, c, &p, err);
    if (rc == SIM_OK) c->pathway_trend = p;
    return rc;
}

int care_pathtrend_load_table(const care_config *c, const care_csv_loader *l, const char *path, const char *key,
                              const void *ctx, void **obj, sim_err *err)
{
    if (!c->referral_rates_path)
        return sim_err_set(err, SIM_EINVAL, "%s:1: %s: needs the pathway before care (tables.referral_rates, "
                           "cin_hazards, cpp_hazards, closed_recent_hazards)", path, key);
    return care_csv_load(l, path, key, ctx, obj, err);
}

void care_pathtrend_free(care_pathtrend *p)
{
    if (!p) return;
    free(p->from);
    free(p->referral);
    free(p->nfa_odds);
    free(p->haz);
    free(p);
}

int care_pathtrend_rules(const care_pathtrend *p)
{
    return p->has_rules ? p->n_rules : 0;
}

/* The first row of the rule's block (care_calib_check_rules has checked the rule). */
static size_t block(const care_pathtrend *p, int rule)
{
    return p->has_rules ? (size_t)rule * (size_t)p->n : 0;
}

/* The row of the block in force at day t; *until: when the next starts. */
static size_t step_at(const care_pathtrend *p, double t, double *until)
{
    int j = 0;
    while (j + 1 < p->n && t >= p->from[j + 1]) j++;
    *until = j + 1 < p->n ? p->from[j + 1] : INFINITY;
    return (size_t)j;
}

care_cal_steps care_pathtrend_steps(const care_config *c, int rule, int s)
{
    if (s == CARE_ST_LAC) return care_calib_lac_steps(c, rule);
    const care_pathtrend *p = c->pathway_trend;
    if (!p || !p->has_state[s]) return (care_cal_steps){0, NULL, NULL};
    size_t r = p->has_rules ? (size_t)rule : 0;
    return (care_cal_steps){p->n, p->from, p->haz + (r * CARE_NSTATE + (size_t)s) * (size_t)p->n * CARE_MAXK};
}

double care_pathtrend_referral(const care_pathtrend *p, int rule, double t, double *until)
{
    *until = INFINITY;
    if (!p) return 1.0;
    size_t j = step_at(p, t, until);
    return p->referral[block(p, rule) + j];
}

double care_pathtrend_nfa(const care_pathtrend *p, int rule, double t, double share, double draw_odds)
{
    double until;
    double m = (p ? p->nfa_odds[block(p, rule) + step_at(p, t, &until)] : 1.0) * draw_odds;
    if (m == 1.0) return share;
    double odds = share * m;
    return odds > 0 ? odds / (1.0 - share + odds) : 0.0;
}
