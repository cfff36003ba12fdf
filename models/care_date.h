/* models/care_date.h - calendar dates (proleptic Gregorian) as day numbers, and the
 * durations scenarios use ("10y", "18m", "30d"). Years and months are calendar steps from a
 * date, so yearly observations fall on the start date's anniversary. Pure functions. */
#ifndef CARE_DATE_H
#define CARE_DATE_H

#include <stdint.h>

typedef struct care_span { int years, months, days; } care_span;

int64_t care_date_days(int y, int m, int d);                 /* days since 1970-01-01 */
void care_date_civil(int64_t days, int *y, int *m, int *d);
int care_date_parse(const char *s, int64_t *days);           /* "YYYY-MM-DD"; 0 on success */
void care_date_format(int64_t days, char out[11]);
int care_span_parse(const char *s, care_span *out);          /* "10y", "6m", "30d", "0"; 0 on success */
int64_t care_span_add(int64_t date, care_span sp, int times);  /* date + times*sp, day clamped */
void care_span_format(care_span sp, char *out, int n);

#endif
