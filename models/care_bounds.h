/* models/care_bounds.h - what a number in a scenario or table may be: its syntax (plain decimal:
 * no hex, no inf or nan, no leading space or sign tricks) and a plausible upper bound for each
 * kind of quantity, so that a typo such as 1e308 fails at validation with FILE:LINE instead of
 * exhausting memory half an hour later. Bounds are chosen far above anything real (the table
 * and its reasons are in docs/scenarios.md, "Plausibility bounds"). Stateless; no allocation. */
#ifndef CARE_BOUNDS_H
#define CARE_BOUNDS_H

#include <stdint.h>

#include "../sim/err.h"
#include "care_date.h"

/* Parses a plain decimal number: optional '-', digits with an optional fraction, an optional
 * exponent; trailing spaces allowed. 0 on success (finite), -1 otherwise. */
int care_number_parse(const char *s, double *out);
/* Parses a plain non-negative integer (digits only); 0 on success, -1 otherwise. */
int care_uint_parse(const char *s, uint64_t *out);

/* The upper bound for a table column or scenario key by its name (e.g. "pop_1_4",
 * "home_per_year", "adjust.entry_rates"), or a negative value when it has none. what is set to
 * a short description for the message. */
double care_bound_of(const char *name, const char **what);
/* Checks v against name's bound: "FILE:LINE: NAME: V is above the plausible maximum ...". */
int care_bound_check(const char *file, int line, const char *name, double v, sim_err *err);

/* Longest durations, in years: horizon, burn_in, follow_up, observe. */
#define CARE_MAX_HORIZON_YEARS 200
#define CARE_MAX_BURN_IN_YEARS 100
#define CARE_MAX_FOLLOW_UP_YEARS 100
/* A duration's bound by key, in days (approximate: years of 365.25 days), or < 0 if none. */
double care_span_bound_days(const char *key);
/* Dates the run reaches (start - burn_in to start + horizon) must lie in years 0001-9999; at
 * is "FILE:LINE: start_date" for the message. */
int care_bound_dates(int64_t start, care_span burn_in, care_span horizon, const char *at, sim_err *err);

#endif
