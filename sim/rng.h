/* sim/rng.h - keyed, counter-based random streams (docs/model.md).
 * Philox4x64-10 (Random123, header-only) wrapped as a gsl_rng_type, so every gsl_ran_* variate
 * works on it. A stream is named by (seed, replicate, stream_hi, stream_lo); what it yields
 * depends on nothing else: not on the scenario index, the thread, the rank or the order in which
 * other streams were used. Replicate r therefore sees the same world in every scenario (common
 * random numbers), and a single replicate can be re-run alone.
 * A stream has no stored state beyond its position (the number of 64-bit words drawn), so a
 * model can keep one position per entity and re-key one shared gsl_rng when that entity acts.
 * Ownership: sim_rng_alloc returns a gsl_rng the caller frees with gsl_rng_free.
 * The generator type is named here, never taken from GSL_RNG_TYPE in the environment. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>
#include <Random123/philox.h>

extern const gsl_rng_type *sim_rng_philox4x64;

/* The generator's state, visible so that a hot loop can draw without GSL's indirect calls:
 * sim_rng_stream(g) gives g's state, and the inline draws below yield exactly what gsl_rng_get,
 * gsl_rng_uniform and gsl_rng_uniform_pos yield on g, advancing the same position. */
#define SIM_PHILOX_ROUNDS 10   /* Random123's philox4x64_rounds, its published, Crush-resistant default */

typedef struct sim_stream {
    philox4x64_key_t key;      /* (seed, replicate) */
    philox4x64_ctr_t ctr;      /* (stream_hi, stream_lo, block, 0) */
    philox4x64_ctr_t out;      /* the current block's four words */
    unsigned used;             /* words of `out` consumed, 0..4 */
    /* The key of each round (Philox's key schedule: round r uses key + r (W0, W1)), formed when
     * the key changes: a task re-keys one stream per entity but keeps its (seed, replicate). */
    uint64_t round_key[SIM_PHILOX_ROUNDS][2];
} sim_stream;

/* philox4x64(s->ctr, s->key), bit for bit (tests/unit/test_rng.c compares them), on the
 * precomputed round keys. */
static inline philox4x64_ctr_t sim_stream_block(const sim_stream *s)
{
    uint64_t c0 = s->ctr.v[0], c1 = s->ctr.v[1], c2 = s->ctr.v[2], c3 = s->ctr.v[3];
    for (int r = 0; r < SIM_PHILOX_ROUNDS; r++) {
        __uint128_t p0 = (__uint128_t)PHILOX_M4x64_0 * c0, p1 = (__uint128_t)PHILOX_M4x64_1 * c2;
        c0 = (uint64_t)(p1 >> 64) ^ c1 ^ s->round_key[r][0];
        c1 = (uint64_t)p1;
        c2 = (uint64_t)(p0 >> 64) ^ c3 ^ s->round_key[r][1];
        c3 = (uint64_t)p0;
    }
    return (philox4x64_ctr_t){{c0, c1, c2, c3}};
}

static inline sim_stream *sim_rng_stream(gsl_rng *g) { return (sim_stream *)g->state; }

static inline uint64_t sim_stream_word(sim_stream *s)
{
    if (s->used == 4) {
        s->ctr.v[2]++;
        s->out = sim_stream_block(s);
        s->used = 0;
    }
    return s->out.v[s->used++];
}

/* 53 random bits in [0, 1): gsl_rng_uniform. */
static inline double sim_stream_uniform(sim_stream *s) { return (double)(sim_stream_word(s) >> 11) * 0x1.0p-53; }

/* (0, 1): gsl_rng_uniform_pos, which draws again on 0. */
static inline double sim_stream_uniform_pos(sim_stream *s)
{
    double x;
    do
        x = sim_stream_uniform(s);
    while (x == 0);
    return x;
}

/* Uniform on [a, b): gsl_ran_flat's formula. */
static inline double sim_stream_flat(sim_stream *s, double a, double b)
{
    double u = sim_stream_uniform(s);
    return a * (1 - u) + b * u;
}

gsl_rng *sim_rng_alloc(void);                               /* NULL when out of memory */
void sim_rng_key(gsl_rng *g, uint64_t seed, uint64_t replicate,
                 uint64_t stream_hi, uint64_t stream_lo, uint64_t position);
uint64_t sim_rng_position(const gsl_rng *g);               /* words drawn since position 0 */

#endif
