/* models/care_date.c - days from civil dates by the standard era arithmetic. */
#include "care_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t care_date_days(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void care_date_civil(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int month_len(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return len[m - 1] + (m == 2 && leap);
}

int care_date_parse(const char *s, int64_t *days)
{
    int y, m, d, n = 0;
    /* Exactly YYYY-MM-DD in digits: sscanf alone would take "-999-01-01" or " 2017-1-01". */
    for (int i = 0; i < 10; i++)
        if (!s[i] || (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9')))
            return -1;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || y < 1)
        return -1;
    if (m < 1 || m > 12 || d < 1 || d > month_len(y, m))
        return -1;
    *days = care_date_days(y, m, d);
    return 0;
}

void care_date_format(int64_t days, char out[11])
{
    int y, m, d;
    care_date_civil(days, &y, &m, &d);
    unsigned yy = (unsigned)y % 10000u, mm = (unsigned)m % 13u, dd = (unsigned)d % 32u;
    out[0] = (char)('0' + yy / 1000); out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10); out[3] = (char)('0' + yy % 10); out[4] = '-';
    out[5] = (char)('0' + mm / 10); out[6] = (char)('0' + mm % 10); out[7] = '-';
    out[8] = (char)('0' + dd / 10); out[9] = (char)('0' + dd % 10); out[10] = '\0';
}

int care_span_parse(const char *s, care_span *out)
{
    *out = (care_span){0, 0, 0};
    if (strcmp(s, "0") == 0)
        return 0;
    if (*s < '0' || *s > '9')   /* strtol would take " 3y" and "+3y" */
        return -1;
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v < 0 || v > 100000 || end[0] == '\0' || end[1] != '\0')
        return -1;
    switch (*end) {
    case 'y': out->years = (int)v; return 0;
    case 'm': out->months = (int)v; return 0;
    case 'd': out->days = (int)v; return 0;
    default: return -1;
    }
}

int64_t care_span_add(int64_t date, care_span sp, int times)
{
    int y, m, d;
    care_date_civil(date, &y, &m, &d);
    long months = (long)(sp.years * 12 + sp.months) * times + (m - 1);
    y += (int)(months >= 0 ? months / 12 : -((11 - months) / 12));
    m = (int)(months - (long)((months >= 0 ? months / 12 : -((11 - months) / 12))) * 12) + 1;
    int ml = month_len(y, m);
    return care_date_days(y, m, d > ml ? ml : d) + (int64_t)sp.days * times;
}

void care_span_format(care_span sp, char *out, int n)
{
    if (sp.years) snprintf(out, (size_t)n, "%dy", sp.years);
    else if (sp.months) snprintf(out, (size_t)n, "%dm", sp.months);
    else if (sp.days) snprintf(out, (size_t)n, "%dd", sp.days);
    else snprintf(out, (size_t)n, "0");
}
