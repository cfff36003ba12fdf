/* models/care_pathtrend.h - tables.pathway_trend: calendar steps of the pathway before care, the
 * counterpart for referrals, children in need and plans of tables.rate_trend (care_calib.h),
 * which moves entries to care and exits from care. Each row holds from its from_date until the
 * next row's and gives multipliers on:
 * - `referral`: the rate of new referrals (those needing no further action and those that open a
 *   CIN episode alike);
 * - `nfa_odds`: the odds that a new referral needs no further action (a share s becomes
 *   s m / (1 - s + s m): never above 1, and the fit's logit-linear trend is exactly a step of
 *   odds);
 * - one column per hazard-drawn transition of the pathway's states, by its label (cin_cpp,
 *   cin_lac, cin_closed, cpp_step_down, cpp_lac, cpp_closed, rereferral): that column of
 *   cin_hazards, cpp_hazards or closed_recent_hazards.
 * A column left out multiplies by 1; the multipliers act on top of everything else (area
 * multipliers, dated edits, programmes). With a `rule` column the rows come in blocks, rule 0,
 * 1, ..., each with rule 0's dates, as in tables.rate_trend; the replicate's rule is the one it
 * drew with its parameters (care_calib_draw_rule), so one rule governs rate_trend, uasc and
 * pathway_trend; a table without blocks serves every rule. Why a table of its own rather than
 * more columns of rate_trend: the care-only baseline uses rate_trend without the pathway, and
 * the two tables come from different fits (care, pathway) with their own dates.
 * Both engines call these functions with the same arguments, so they give the same paths.
 * Ownership: care_pathtrend_load allocates c->pathway_trend; care_pathtrend_free releases it. */
#ifndef CARE_PATHTREND_H
#define CARE_PATHTREND_H

#include <stdint.h>

#include "../sim/err.h"
#include "care_config.h"
#include "care_csv.h"
#include "care_hazard.h"

typedef struct care_pathtrend {
    int n;                          /* rows (calendar steps) of each rule */
    int n_rules;                    /* blocks of n rows (1 without a rule column) */
    int has_rules;                  /* the table has a rule column */
    uint8_t has_state[CARE_NSTATE]; /* 1: the table has a column of that state's hazards */
    double *from;                   /* [n] days since the start date; from[0] = -INFINITY */
    double *referral, *nfa_odds;    /* [n_rules x n] */
    double *haz;                    /* [n_rules][CARE_NSTATE][n][CARE_MAXK] multipliers on hazard columns */
} care_pathtrend;

/* Reads tables.pathway_trend into c->pathway_trend (the pathway's tables must be given). */
int care_pathtrend_load(care_config *c, const char *path, const char *key, sim_err *err);
void care_pathtrend_free(care_pathtrend *p);   /* accepts NULL; frees p itself */
/* The rules of a table with a rule column (0 without one: its one block serves every rule). */
int care_pathtrend_rules(const care_pathtrend *p);

/* The calendar steps on state s's hazards under `rule`: tables.rate_trend's for children in
 * care, tables.pathway_trend's for the pathway's states (n = 0: none; borrows c's arrays). */
care_cal_steps care_pathtrend_steps(const care_config *c, int rule, int s);
/* The multiplier on new referrals at day t (1 without the table); *until: when it next changes. */
double care_pathtrend_referral(const care_pathtrend *p, int rule, double t, double *until);
/* The no-further-action share `share` at day t with the odds multiplier in force times the
 * replicate's drawn one (draw_odds: tables.pathway_draws, else 1): share itself, bit for bit,
 * where the product is 1 (p NULL: the table's multiplier is 1). */
double care_pathtrend_nfa(const care_pathtrend *p, int rule, double t, double share, double draw_odds);
/* 1 if `name` is the label of a hazard-drawn transition of the pathway's states (cin_hazards,
 * cpp_hazards, closed_recent_hazards), with its state and hazard column in *s and *k. */
int care_pathtrend_hazard_column(const char *name, int *s, int *k);
/* Row r's multipliers in a table of the pathway (tables.pathway_trend, tables.pathway_draws):
 * referral and nfa_odds from columns cref and cnfa, hazard column k of state s from col[s][k]
 * into haz[s * stride + k]; 1 where a column is absent (-1). */
int care_pathtrend_row_mults(const care_csv *t, size_t r, int cref, int cnfa, int col[CARE_NSTATE][CARE_MAXK],
                             double *referral, double *nfa_odds, double *haz, size_t stride, sim_err *err);
/* care_csv_load for a table of the pathway, refused ("needs the pathway before care") unless the
 * scenario gives the pathway's tables. */
int care_pathtrend_load_table(const care_config *c, const care_csv_loader *l, const char *path, const char *key,
                              const void *ctx, void **obj, sim_err *err);

#endif
