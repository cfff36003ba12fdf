/* models/care_capacity.h - placement capacity: how many children each area can place in each
 * placement type, optionally changing on given dates (tables.placement_capacity), and the
 * fallback type a child goes to when the type it wanted is full (placement_fallback). A finite
 * capacity makes children wait for each other's places, so such a scenario runs on the event
 * list (care_scenario_has_finite_capacity). The model side is care_mplace.c.
 * Table: columns area (a code of the areas table, or `all` for every area without rows of its
 * own for that placement), placement, from_date (optional; empty: from the beginning, burn-in
 * included), places (a whole number >= 0;
 * empty: unlimited); source and note as everywhere. Before its first row a
 * pair (area, placement) is unlimited; a row holds until the next row of the same pair.
 * Ownership: the rows belong to the config (care_config_free releases them). */
#ifndef CARE_CAPACITY_H
#define CARE_CAPACITY_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/err.h"
#include "care_config.h"

#define CARE_CAP_ALL (-1)   /* a row's area: every area without rows of its own */

typedef struct care_cap_row {
    int area;               /* index into c->areas, or CARE_CAP_ALL */
    int placement;          /* CARE_PL_* */
    double from;            /* days since the start date (-INFINITY: from the beginning) */
    double places;
} care_cap_row;

/* Reads the table at path into c->cap (after the areas table); errors FILE:LINE: COLUMN. */
int care_capacity_load(care_config *c, const char *path, const char *key, sim_err *err);
/* The rows that apply to (area, placement), sorted by date: *first and *n into c->cap. */
void care_capacity_rows(const care_config *c, int area, int placement, size_t *first, size_t *n);
/* Places in force at day t among rows[first .. first+n) (INFINITY: unlimited). */
double care_capacity_at(const care_cap_row *rows, size_t n, double t);
/* After a subset of the areas was kept (care_scenario_keep_areas): newidx[a] is area a's new
 * index, or -1 where it was dropped; its rows go with it. */
void care_capacity_keep(care_config *c, const int *newidx);
/* Index of a placement name, or -1. */
int care_placement_index(const char *name);

#endif
