/* models/care_pathdraws.h - tables.pathway_draws: the pathway fit's parameter uncertainty as
 * joint draws of multipliers on the pathway's fitted rates, one row per draw (column `draw`:
 * 0, 1, ... in order), for the replicate to use row d, d being the row it drew of
 * tables.parameter_draws (care_calib_pick): a replicate's care, pathway and UASC multipliers
 * come from one row number. Both tables must have the same number of rows; the pathway fit's
 * draws are drawn independently of the care fit's (docs/calibration.md). Columns, each
 * optional (1 where absent): `referral` (new referrals), `nfa_odds` (the odds of no further
 * action, as in tables.pathway_trend), and one column per hazard-drawn transition of the
 * pathway's states by its label (cin_cpp, cin_lac, cin_closed, cpp_step_down, cpp_lac,
 * cpp_closed, rereferral); `source` and `note` are free text. The multipliers act on top of
 * everything else, for the whole run.
 * Ownership: care_pathdraws_load allocates c->pathway_draws; care_pathdraws_free releases it. */
#ifndef CARE_PATHDRAWS_H
#define CARE_PATHDRAWS_H

#include "../sim/err.h"
#include "care_calib.h"
#include "care_config.h"

typedef struct care_pathdraws {
    int n;                  /* rows */
    double *referral;       /* [n] */
    double *nfa_odds;       /* [n] */
    double *haz;            /* [n][CARE_NSTATE][CARE_MAXK]: 1 outside the pathway's states */
} care_pathdraws;

/* Reads tables.pathway_draws into c->pathway_draws (the pathway's tables must be given). */
int care_pathdraws_load(care_config *c, const char *path, const char *key, sim_err *err);
void care_pathdraws_free(care_pathdraws *p);   /* accepts NULL; frees p itself */
/* After the tables are read: tables.parameter_draws is given and has as many rows. */
int care_pathdraws_check(const care_config *c, sim_err *err);
/* Row d's multipliers into r (referral, nfa_odds, the pathway states' rows of haz). */
void care_pathdraws_row(const care_pathdraws *p, size_t d, care_repdraw *r);

#endif
