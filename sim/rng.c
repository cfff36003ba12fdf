/* sim/rng.c - Philox4x64 as a gsl_rng_type. Counter = (stream_hi, stream_lo, block, 0),
 * key = (seed, replicate); each block yields four 64-bit words. */
#include "rng.h"

#include <string.h>

typedef sim_stream philox_state;

static inline uint64_t next_word(philox_state *s) { return sim_stream_word(s); }

static void schedule(philox_state *s)
{
    uint64_t k0 = s->key.v[0], k1 = s->key.v[1];
    for (int r = 0; r < SIM_PHILOX_ROUNDS; r++) {
        s->round_key[r][0] = k0;
        s->round_key[r][1] = k1;
        k0 += PHILOX_W64_0;
        k1 += PHILOX_W64_1;
    }
}

static void seek(philox_state *s, uint64_t position)
{
    s->ctr.v[2] = position / 4;
    s->ctr.v[3] = 0;
    s->out = sim_stream_block(s);
    s->used = (unsigned)(position % 4);
}

/* GSL's set() only carries an unsigned long seed: it keys stream (0, 0) of replicate 0.
 * Models call sim_rng_key instead. */
static void philox_set(void *vstate, unsigned long seed)
{
    philox_state *s = vstate;
    memset(s, 0, sizeof *s);
    s->key.v[0] = seed;
    schedule(s);
    seek(s, 0);
}

/* 32-bit integers for gsl_rng_uniform_int and friends, which assume max - min fits. */
static unsigned long philox_get(void *vstate)
{
    return (unsigned long)(next_word(vstate) >> 32);
}

/* 53 random bits in [0, 1). */
static double philox_get_double(void *vstate)
{
    return (double)(next_word(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type philox_type = {
    "sim_philox4x64", 0xffffffffUL, 0, sizeof(philox_state),
    philox_set, philox_get, philox_get_double
};
const gsl_rng_type *sim_rng_philox4x64 = &philox_type;

gsl_rng *sim_rng_alloc(void)
{
    return gsl_rng_alloc(sim_rng_philox4x64);
}

void sim_rng_key(gsl_rng *g, uint64_t seed, uint64_t replicate,
                 uint64_t stream_hi, uint64_t stream_lo, uint64_t position)
{
    philox_state *s = g->state;
    if (s->key.v[0] != seed || s->key.v[1] != replicate) {   /* gsl_rng_alloc's set() formed the first */
        s->key.v[0] = seed;
        s->key.v[1] = replicate;
        schedule(s);
    }
    s->ctr.v[0] = stream_hi;
    s->ctr.v[1] = stream_lo;
    seek(s, position);
}

uint64_t sim_rng_position(const gsl_rng *g)
{
    const philox_state *s = g->state;
    return s->ctr.v[2] * 4 + s->used;
}
