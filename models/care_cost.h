/* models/care_cost.h - money: prices restated in one base year, and discounting.
 * A cost stated in prices of year Y is restated in the scenario's price base year B by
 * (1 + inflation)^(B - Y), inflation being the scenario's stated annual rate. Discounting is
 * continuous at the stated annual rate d: a pound spent at day t is worth (1 + d)^(-t / 365.25)
 * at the start date, and a cost rate c per day over [t0, t1] is worth c x care_cost_discounted.
 * Pure functions. */
#ifndef CARE_COST_H
#define CARE_COST_H

typedef struct care_money {
    int price_base_year;     /* prices are restated in this year's pounds */
    double inflation;        /* per year, for restating prices */
    double discount;         /* per year; 0: no discounting */
} care_money;

double care_cost_price_factor(const care_money *m, int price_year);
double care_cost_discount_at(const care_money *m, double t_days);
/* Integral of the discount factor over [t0, t1] (days); t1 - t0 when not discounting. */
double care_cost_discounted(const care_money *m, double t0, double t1);

#endif
