/* models/care_uasc.h - unaccompanied asylum-seeking children (tables.uasc): an entry stream of
 * its own, beside the ordinary entries by age band. Each row of the table holds from its
 * from_date until the next row's: national entries per year (shared among the areas by their
 * population aged 16-17, as the National Transfer Scheme shares them by child population), the
 * shares of ages 14-17 at entry, the placement shares at entry, the male share, and the hazard
 * of leaving care before 18 (exit `other`: mostly an age assessment finding the child an adult).
 * A UASC child is in care like any other (counted in stock, entries, exits, days and cost) but
 * draws none of lac_hazards: it leaves at that hazard or at 18. Both engines call these
 * functions with the same draws, so they give the same paths.
 * With a `rule` column the rows come in blocks, rule 0, 1, ..., each with the dates of rule 0's
 * (as tables.rate_trend's, care_calib.h): the projection rules' own continuations of UASC
 * entries. Every function takes the replicate's rule (care_calib_draw_rule: the same draw as
 * rate_trend's); a table without blocks serves every rule.
 * Ownership: care_uasc_load allocates c->uasc; care_uasc_free releases it. */
#ifndef CARE_UASC_H
#define CARE_UASC_H

#include "../sim/err.h"
#include "care_config.h"

#define CARE_UASC_AGE0 14   /* youngest age at entry, years */
#define CARE_UASC_NAGE 4    /* ages 14, 15, 16, 17 */

typedef struct care_uasc {
    int n;                                  /* rows (calendar steps) of each rule */
    int n_rules;                            /* blocks of n rows (1 without a rule column) */
    int has_rules;                          /* the table has a rule column */
    double *from;                           /* [n] days since the start date; from[0] = -INFINITY */
    /* [n_rules x n], rule-major: */
    double *per_day;                        /* national entries per day */
    double (*age_cum)[CARE_UASC_NAGE];      /* cumulative shares of ages 14..17 */
    double (*share)[CARE_NPLACE];           /* placement shares at entry */
    double *male;                           /* male share */
    double *exit;                           /* hazard of leaving before 18, per day */
    double *area_share;                     /* [areas] each area's share of the entries */
} care_uasc;

/* Reads tables.uasc into c->uasc (the areas must be loaded). */
int care_uasc_load(care_config *c, const char *path, const char *key, sim_err *err);
void care_uasc_free(care_uasc *u);   /* accepts NULL; frees u itself */
/* The rules of a table with a rule column (0 without one: its one block serves every rule). */
int care_uasc_rules(const care_uasc *u);

/* The first arrival in `area` after `now` for a unit exponential e, or INFINITY if none by
 * `horizon`. */
double care_uasc_arrival(const care_uasc *u, int rule, int area, double now, double horizon, double e);
/* Age in days at entry at day t, from two uniforms (the year of age, then within it). */
double care_uasc_entry_age(const care_uasc *u, int rule, double t, double u1, double u2);
const double *care_uasc_shares(const care_uasc *u, int rule, double t);   /* placement shares at entry */
double care_uasc_male(const care_uasc *u, int rule, double t);
/* After --areas: area a (of n_old) is now keep[a] (-1: gone); shares stay national. */
void care_uasc_keep(care_uasc *u, const int *keep, int n_old);
/* The exit before `limit` for a unit exponential e (INFINITY: none). */
double care_uasc_exit(const care_uasc *u, int rule, double now, double limit, double e);
/* A UASC child of the initial stock in age band b, tb0 <= days in care < tb1: days in care
 * (uniform, at least 14 at entry), then the age at entry from the shares of the replicate's rule
 * in force at the day it came (day -days in care), among those that keep the child in band b. */
void care_uasc_initial(const care_uasc *u, int rule, int b, double tb0, double tb1, double u1, double u2,
                       double *age, double *tic);

#endif
