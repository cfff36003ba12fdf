/* models/care_eligible.h - which areas a programme runs in: a list of area codes, or a rule on
 * area attributes (Ofsted rating, the 2015-2017 care-number trend, region), with named early
 * adopters taken first, then the eligible areas in a stated order, up to a cap.
 * A rule selects an area when every condition given holds (conditions not given always hold);
 * inside one condition the listed values are alternatives (ofsted: [inadequate,
 * requires_improvement] means either). Named areas are taken whether or not they meet the rule:
 * they were chosen by name. Pure functions over the caller's area table; the rule owns its
 * strings (care_eligible_free). */
#ifndef CARE_ELIGIBLE_H
#define CARE_ELIGIBLE_H

#include "../sim/err.h"
#include "care_config.h"

/* The care-number conditions of care_numbers: (alternatives; an area meets the condition when
 * it meets any of those listed). high: 2017 rate per child above the rate of all areas of the
 * table together; rising / falling: children in care on 31 March 2017 above / below 2015. */
enum { CARE_NUM_HIGH = 1, CARE_NUM_RISING = 2, CARE_NUM_FALLING = 4 };
/* Order of the eligible areas after the named ones. */
enum { CARE_ORDER_HIGHEST_RATE, CARE_ORDER_TABLE };

typedef struct care_eligible {
    char **codes;        /* explicit areas (code or name); when given, no rule applies */
    int n_codes;
    char **ofsted;       /* allowed ratings; none: any */
    int n_ofsted;
    char **regions;      /* allowed regions; none: any */
    int n_regions;
    unsigned numbers;    /* CARE_NUM_* alternatives; 0: any */
    char **first;        /* named early adopters (code or name), taken first in this order */
    int n_first;
    int skip;            /* leave out this many of the ordered eligible areas (another programme took them) */
    int max;             /* at most this many areas in all; 0: no cap */
    int order;           /* CARE_ORDER_* */
} care_eligible;

void care_eligible_free(care_eligible *e);   /* frees the members, not e */

/* The area's children in care per 10,000 children on 31 March 2017 (NaN if unknown). */
double care_eligible_rate(const care_area *a);

/* Index of the area whose code or name is `name`, or -1. */
int care_eligible_find(const care_area *areas, int n_areas, const char *name);

/* 1 if area i meets the rule (not counting named or explicit areas). */
int care_eligible_meets(const care_eligible *e, const care_area *areas, int n_areas, int i);

/* Fills out[0..*n_out-1] with the chosen area indices, in order of adoption. out must hold
 * n_areas entries. A name that matches no area is an error naming it (`key` for the message);
 * an area named twice is taken once. */
int care_eligible_select(const care_eligible *e, const care_area *areas, int n_areas, const char *key,
                         int *out, int *n_out, sim_err *err);

#endif
