/* models/care_sweep.h - `sweep:` blocks: a grid or a Latin-hypercube sample over named numeric
 * scenario keys, expanded into points (one scenario each).
 *   sweep:
 *     grid: {adjust.entry_rates: [0.9, 1.0, 1.1], programmes.fs.capacity.places: [10, 20]}
 *   sweep:
 *     latin_hypercube: {n: 64, seed: 7}
 *     parameters: {programmes.fs.effects.0.ratio: [0.5, 1.0]}     # [low, high]
 * A grid takes every combination, the first key varying slowest. A Latin hypercube cuts each
 * range into n equal strata and takes one value uniformly within each stratum, each key's
 * strata in an independent random order (a stream keyed by the sweep's seed and the key's
 * position, so the sample depends on nothing else).
 * Ownership: care_sweep owns its keys and values; care_sweep_free releases them. */
#ifndef CARE_SWEEP_H
#define CARE_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/err.h"
#include "care_yaml.h"

#define CARE_SWEEP_MAX_POINTS 100000
#define CARE_SWEEP_MAX_PARAMS 32

enum { CARE_SWEEP_GRID, CARE_SWEEP_LHS };

typedef struct care_sweep_param {
    char *key;           /* dotted scenario key */
    int line;            /* where it was named, for messages */
    int n_values;        /* grid: the values; LHS: 2 (low, high) */
    double *values;
} care_sweep_param;

typedef struct care_sweep {
    int method;          /* CARE_SWEEP_* */
    uint32_t n;          /* LHS points */
    uint64_t seed;       /* LHS sample seed */
    int n_params;
    care_sweep_param *params;
} care_sweep;

/* The values one sweep point gives to scenario keys. A loader asks for each numeric key it
 * reads (care_override_get), whether or not the file gives it; afterwards every override must
 * have been used (care_override_unused), or the sweep named a key that is not a number. */
typedef struct care_override {
    const char *key;     /* borrowed from the care_sweep */
    double value;
    int used;
} care_override;
typedef struct care_overrides {
    care_override *v;
    int n;
} care_overrides;

/* 1 and *value set if o (may be NULL) overrides key. */
int care_override_get(care_overrides *o, const char *key, double *value);
/* The first override no loader asked for, or NULL. */
const care_override *care_override_unused(const care_overrides *o);

/* Reads a sweep mapping. */
int care_sweep_parse(care_yaml_doc *d, yaml_node_t *node, care_sweep *out, sim_err *err);
void care_sweep_free(care_sweep *s);     /* frees the members, not s */

size_t care_sweep_points(const care_sweep *s);
/* Fills values[p * n_params + j] for every point p and key j; values holds
 * care_sweep_points(s) * n_params doubles. */
int care_sweep_expand(const care_sweep *s, double *values, sim_err *err);

/* The output coordinate of a key: "param_" and the key with every character that is not a
 * letter, digit or '_' made '_'. */
void care_sweep_coord_name(const char *key, char *out, size_t n);

#endif
