/* models/care_bounds.c - see care_bounds.h. */
#include "care_bounds.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "care_config.h"

int care_number_parse(const char *s, double *out)
{
    const char *p = s;
    if (*p == '-') p++;
    int digits = 0;
    while (isdigit((unsigned char)*p)) { p++; digits++; }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) { p++; digits++; }
    }
    if (!digits) return -1;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!isdigit((unsigned char)*p)) return -1;
        while (isdigit((unsigned char)*p)) p++;
    }
    while (*p == ' ') p++;
    if (*p) return -1;
    errno = 0;
    double v = strtod(s, NULL);
    if (errno == ERANGE || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int care_uint_parse(const char *s, uint64_t *out)
{
    if (!*s) return -1;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p)) return -1;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE) return -1;
    *out = v;
    return 0;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

/* The bounds, matched in order: name is exact, a prefix ending in '*', or a suffix after '*'. */
static const struct { const char *pattern; double max; const char *what; } bounds[] = {
    {"pop_*", 1e7, "children of one age band in one area (England has about 12 million children)"},
    {"cost_per_day", 1e6, "pounds a day"},
    {"rate_per_10000_per_year", 1e4, "entries per 10,000 children a year (10,000: every child every year)"},
    {"entries_per_year", 1e6, "entries to care a year (England: about 33,000)"},
    {"*_per_year", 365.25, "a hazard per year (365.25: once a day)"},
    {"*_per_day", 1.0, "a hazard per day (1: once a day)"},
    {"*multiplier", 100.0, "a multiplier"},
    {"adjust.*", 100.0, "a multiplier"},
    {"count", 1e7, "children in one row of the initial stock"},
    {"places", 1e7, "places of one placement type in one area"},
    {"cla_*", 1e7, "children in care in one area"},
    {"from_days", 18 * 366.0, "days since entry (a child leaves care by 18)"},
};

double care_bound_of(const char *name, const char **what)
{
    for (size_t i = 0; i < sizeof bounds / sizeof *bounds; i++) {
        const char *p = bounds[i].pattern;
        size_t n = strlen(p);
        int hit = p[n - 1] == '*' ? strncmp(name, p, n - 1) == 0
                : p[0] == '*' ? ends_with(name, p + 1) : strcmp(name, p) == 0;
        if (hit) {
            if (what) *what = bounds[i].what;
            return bounds[i].max;
        }
    }
    return -1;
}

int care_bound_check(const char *file, int line, const char *name, double v, sim_err *err)
{
    const char *what = "";
    double max = care_bound_of(name, &what);
    if (max >= 0 && v > max)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: %g is above the plausible maximum %g for %s "
                           "(docs/scenarios.md, Plausibility bounds)", file, line, name, v, max, what);
    return SIM_OK;
}

double care_span_bound_days(const char *key)
{
    double years = !strcmp(key, "horizon") || !strcmp(key, "observe") ? CARE_MAX_HORIZON_YEARS
                 : !strcmp(key, "burn_in") ? CARE_MAX_BURN_IN_YEARS
                 : !strcmp(key, "follow_up") ? CARE_MAX_FOLLOW_UP_YEARS : -1;
    return years < 0 ? -1 : years * CARE_YEAR_DAYS;
}

int care_bound_dates(int64_t start, care_span burn_in, care_span horizon, const char *at, sim_err *err)
{
    int64_t lo = care_span_add(start, burn_in, -1), hi = care_span_add(start, horizon, 1);
    if (lo < care_date_days(1, 1, 1) || hi > care_date_days(9999, 12, 31))
        return sim_err_set(err, SIM_EINVAL, "%s: the run (burn-in to horizon) must lie within the years 0001-9999", at);
    return SIM_OK;
}
