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

extern const gsl_rng_type *sim_rng_philox4x64;

gsl_rng *sim_rng_alloc(void);                               /* NULL when out of memory */
void sim_rng_key(gsl_rng *g, uint64_t seed, uint64_t replicate,
                 uint64_t stream_hi, uint64_t stream_lo, uint64_t position);
uint64_t sim_rng_position(const gsl_rng *g);               /* words drawn since position 0 */

#endif
