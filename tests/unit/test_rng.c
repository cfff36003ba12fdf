/* tests/unit/test_rng.c - keyed Philox streams.
 * - the same (seed, replicate, stream, position) gives the same numbers; seeking to a position
 *   equals drawing up to it; different keys give different numbers;
 * - uniforms have mean 1/2 and variance 1/12: n = 1e6 draws, se(mean) = sqrt(1/12/n) = 2.9e-4,
 *   accept 5 se (false alarm ~6e-7); se(var) = sqrt((1/80 - 1/144)/n) = 7.5e-5, accept 5 se;
 * - streams that differ in one key word are uncorrelated: correlation of n = 1e5 paired draws
 *   has se 1/sqrt(n) = 3.2e-3, accept 5 se, for each of the four key words;
 * - GSL variates work on the wrapped generator: Exp(mean 818.18) over n = 2e5 draws, se =
 *   818.18/sqrt(n) = 1.83, accept 5 se;
 * - the stream's own Philox rounds (precomputed round keys) give Random123's philox4x64 bit for
 *   bit, word by word, across keys that change and keys that stay. Seeds fixed. */
#include <gsl/gsl_randist.h>

#include "../../sim/rng.h"
#include "../check.h"

static void reproducible(gsl_rng *g)
{
    double a[40], b[40];
    sim_rng_key(g, 7, 3, 11, 13, 0);
    for (int i = 0; i < 40; i++) a[i] = gsl_rng_uniform(g);
    CHECK_EQ_INT(sim_rng_position(g), 40);
    sim_rng_key(g, 7, 3, 11, 13, 0);
    for (int i = 0; i < 40; i++) b[i] = gsl_rng_uniform(g);
    for (int i = 0; i < 40; i++) CHECK(a[i] == b[i]);
    for (uint64_t pos = 0; pos < 40; pos += 7) {   /* seek = draw up to */
        sim_rng_key(g, 7, 3, 11, 13, pos);
        CHECK(gsl_rng_uniform(g) == a[pos]);
    }
    sim_rng_key(g, 7, 4, 11, 13, 0);
    CHECK(gsl_rng_uniform(g) != a[0]);
}

static void moments(gsl_rng *g)
{
    const int n = 1000000;
    double s = 0, s2 = 0;
    sim_rng_key(g, 20240117, 0, 1, 0, 0);
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(g);
        CHECK(u >= 0.0 && u < 1.0);
        s += u;
        s2 += u * u;
    }
    double mean = s / n, var = s2 / n - mean * mean;
    CHECK_NEAR(mean, 0.5, 5 * 2.9e-4);
    CHECK_NEAR(var, 1.0 / 12, 5 * 7.5e-5);
}

static double correlation(gsl_rng *g, const uint64_t k1[4], const uint64_t k2[4])
{
    const int n = 100000;
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    uint64_t p1 = 0, p2 = 0;
    for (int i = 0; i < n; i++) {
        sim_rng_key(g, k1[0], k1[1], k1[2], k1[3], p1);
        double x = gsl_rng_uniform(g);
        p1 = sim_rng_position(g);
        sim_rng_key(g, k2[0], k2[1], k2[2], k2[3], p2);
        double y = gsl_rng_uniform(g);
        p2 = sim_rng_position(g);
        sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
    }
    double cov = sxy / n - sx / n * sy / n;
    return cov / sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
}

static void independent(gsl_rng *g)
{
    const uint64_t base[4] = {99, 5, 2ULL << 56 | 17, 1000};
    for (int w = 0; w < 4; w++) {
        uint64_t other[4] = {base[0], base[1], base[2], base[3]};
        other[w] += 1;
        CHECK_NEAR(correlation(g, base, other), 0.0, 5 * 3.2e-3);
    }
}

static void gsl_variates(gsl_rng *g)
{
    const int n = 200000;
    const double mean = 1.0 / (1.0 / 1500 + 1.0 / 1800);
    double s = 0;
    sim_rng_key(g, 20240117, 1, 2, 3, 0);
    for (int i = 0; i < n; i++) s += gsl_ran_exponential(g, mean);
    CHECK_NEAR(s / n, mean, 5 * mean / sqrt(n));
}

/* Every word of each stream, at positions across several blocks, against Random123 itself. */
static void same_as_random123(gsl_rng *g)
{
    const uint64_t keys[][4] = {{1, 0, 2ULL << 56 | 3, 0}, {1, 0, 2ULL << 56 | 3, 1}, {1, 7, 5, 9},
                                {UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}, {0, 0, 0, 0}, {42, 3, 1, 0}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        sim_rng_key(g, keys[i][0], keys[i][1], keys[i][2], keys[i][3], 0);
        philox4x64_key_t k = {{keys[i][0], keys[i][1]}};
        for (uint64_t pos = 0; pos < 40; pos++) {
            philox4x64_ctr_t c = {{keys[i][2], keys[i][3], pos / 4, 0}}, r = philox4x64(c, k);
            CHECK(sim_stream_word(sim_rng_stream(g)) == r.v[pos % 4]);
        }
    }
}

int main(void)
{
    gsl_rng *g = sim_rng_alloc();
    CHECK(g != NULL);
    reproducible(g);
    same_as_random123(g);
    moments(g);
    independent(g);
    gsl_variates(g);
    gsl_rng_free(g);
    return check_result("test_rng");
}
