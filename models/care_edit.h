/* models/care_edit.h - rate edits (`adjust:`): a multiplier and/or an addition on a rate or a
 * share, from the beginning or from a date. A key's value is a number (a multiplier from the
 * beginning, as adjust always meant), a mapping {times, add_..., from}, or a list of such
 * mappings with increasing dates. An edit holds from its date until the next edit of the same
 * key; each is relative to the table (edits of one key replace each other, never compound).
 *   rate' = rate x times + add        (hazards: add_per_year or add_per_day;
 *                                      entry rates: add_per_10000_per_year; shares: add)
 * An edit that would make a rate negative or a share exceed 1 (or fall below 0) is an error
 * naming FILE:LINE: KEY, the age band and the value. Edits from the beginning change the tables
 * themselves (c->haz, c->entry_rate, ...); dated ones make epochs (c->epochs): the values in
 * force from each date on, which both engines read (care_medit.c, care_trend_case.c).
 * Ownership: care_edits owns its `at` text (care_edits_free); c->epochs belongs to the config. */
#ifndef CARE_EDIT_H
#define CARE_EDIT_H

#include <stdint.h>
#include <stdio.h>

#include "../sim/err.h"
#include "care_yaml.h"

struct care_config;
struct care_overrides;

enum { CARE_EDIT_HAZARD, CARE_EDIT_ENTRY, CARE_EDIT_SHARE };   /* what a key edits: its add's unit */
#define CARE_MAXEDITS 8

typedef struct care_edit {
    double from;           /* days since the start date; -INFINITY: from the beginning */
    double times, add;     /* add in the unit written (add_unit) */
    int add_unit;          /* 0: add (shares), 1: add_per_day, 2: add_per_year, 3: add_per_10000_per_year */
} care_edit;

typedef struct care_edits {
    int n;                 /* 0: no edit */
    care_edit e[CARE_MAXEDITS];
    char *at;              /* "FILE:LINE: KEY", for messages; NULL for the default */
} care_edits;

/* Reads key's value v (a number, a mapping or a list) into *out. kind: CARE_EDIT_*. A sweep's
 * value for `key` sets the multiplier (as for a plain number); for KEY.times, KEY.add_... (or
 * KEY.N.times in a list) that field. */
int care_edit_read(care_edits *out, int kind, const char *key, care_yaml_doc *d, yaml_node_t *v, int64_t start_date,
                   struct care_overrides *ov, sim_err *err);
void care_edit_print(FILE *f, const care_edits *e, int64_t start_date);
void care_edits_free(care_edits *e);

/* After the tables are loaded: applies edits from the beginning to the tables and builds the
 * epochs of dated ones, checking every value. */
int care_edit_apply(struct care_config *c, sim_err *err);

/* The values in force at day t, read by both engines: the epoch of dated edits (0 without
 * any) and the day the next one starts (INFINITY if none); the placement (move = 0) or move
 * (move = 1) shares of age band b; the "no further action" share of age band b. */
int care_edit_epoch_at(const struct care_config *c, double t, double *until);
const double *care_edit_shares(const struct care_config *c, int b, double t, int move);
double care_edit_nfa(const struct care_config *c, int b, double t);

#endif
