/* models/care_referrals.c - the referral-rates table of the pathway before care: new referrals
 * per 10,000 children per year by age band, and the share needing no further action. Declared
 * in care_tables.h. */
#include <stdlib.h>

#include "care_csv.h"
#include "care_tables.h"

int care_tables_referral_rates(care_config *c, const char *path, const char *key, sim_err *err)
{
    static const char *const allowed[] = {"age_band", "rate_per_10000_per_year", "nfa_share", "source", "note", NULL};
    care_csv t;
    int rc = care_csv_read(&t, path, key, err), ca, cr, cn, seen[CARE_NAGE] = {0};
    if (rc != SIM_OK)
        return rc;
    rc = care_csv_check_header(&t, allowed, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "age_band", &ca, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "rate_per_10000_per_year", &cr, err);
    if (rc == SIM_OK) rc = care_csv_need(&t, "nfa_share", &cn, err);
    for (size_t r = 0; r < t.nrows && rc == SIM_OK; r++) {
        int b = care_age_band_index(t.rows[r].fields[ca]);
        double v, s;
        if (b < 0)
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: age_band: unknown age band '%s'", path, t.rows[r].line,
                             t.rows[r].fields[ca]);
        if (rc == SIM_OK) rc = care_csv_nonneg(&t, r, cr, &v, err);
        if (rc == SIM_OK) rc = care_csv_nonneg(&t, r, cn, &s, err);
        if (rc == SIM_OK && s > 1)
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: nfa_share: must be in [0, 1], got %g", path, t.rows[r].line, s);
        if (rc == SIM_OK && seen[b]++)
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: age_band: '%s' appears twice", path, t.rows[r].line,
                             care_age_names[b]);
        if (rc == SIM_OK) {
            c->referral_rate[b] = v / 10000.0 / CARE_YEAR_DAYS;
            c->nfa_share[b] = s;
        }
    }
    for (int b = 0; b < CARE_NAGE && rc == SIM_OK; b++)
        if (!seen[b])
            rc = sim_err_set(err, SIM_EINVAL, "%s:%zu: age_band: '%s' is missing (each age band exactly once)", path,
                             t.nrows ? (size_t)t.rows[t.nrows - 1].line : 1u, care_age_names[b]);
    care_csv_free(&t);
    return rc;
}
