/* models/care_cost.c - see care_cost.h. */
#include "care_cost.h"

#include <math.h>

#define YEAR_DAYS 365.25

double care_cost_price_factor(const care_money *m, int price_year)
{
    return pow(1.0 + m->inflation, m->price_base_year - price_year);
}

double care_cost_discount_at(const care_money *m, double t)
{
    return m->discount > 0 ? exp(-log1p(m->discount) * t / YEAR_DAYS) : 1.0;
}

double care_cost_discounted(const care_money *m, double t0, double t1)
{
    if (!(m->discount > 0)) return t1 - t0;
    double lam = log1p(m->discount) / YEAR_DAYS;   /* per day */
    /* (f(t0) - f(t1)) / lam, written with expm1 so short intervals keep their precision */
    return -exp(-lam * t0) * expm1(-lam * (t1 - t0)) / lam;
}
