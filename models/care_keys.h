/* models/care_keys.h - the scenario's keys as one table: each key's dotted name, type, default
 * and where its value goes in care_config. The loader (care_scenario.c), `caresim validate`'s
 * resolved print-out and the output's scenario_yaml attribute (care_resolved.c) all walk this
 * table, so a key is declared once. The per-state keys (tables.<state>_hazards and
 * adjust.<state>_hazards.<transition>) are generated from care_states.h.
 * Files that extend others are merged key by key at every depth: a map given in a nearer file
 * overrides only the keys it names (adjust.entry_rates in a variant keeps its parent's
 * adjust.lac_hazards.home). Ownership: the key list is the caller's (a fixed array); values set
 * into care_config are owned by the config (care_config_free). */
#ifndef CARE_KEYS_H
#define CARE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "../sim/err.h"
#include "care_config.h"
#include "care_yaml.h"

enum { CARE_KEY_STR, CARE_KEY_DATE, CARE_KEY_SPAN, CARE_KEY_SPAN_NONE, CARE_KEY_U32, CARE_KEY_U64,
       CARE_KEY_INT, CARE_KEY_BOOL, CARE_KEY_NUM, CARE_KEY_PATH, CARE_KEY_PATH_NONE, CARE_KEY_NODE,
       CARE_KEY_PATHS, CARE_KEY_EDIT };

#define CARE_MAXKEYS 128

typedef struct care_key {
    char name[64];          /* dotted: "output.deflate" */
    int type;               /* CARE_KEY_* */
    const char *def;        /* default as YAML text; NULL: required; "": optional, unset if absent */
    size_t off;             /* destination in care_config */
    size_t aux;             /* SPAN_NONE: the int flag set for "none"; PATHS: the int count; EDIT: CARE_EDIT_* */
    uint64_t lo, hi;        /* integer keys: allowed range; SPAN: lo = 1 means longer than 0 */
    care_yaml_key at;       /* where the value came from (NULL value: default) */
    /* NODE: a structured value (a list or a mapping) read by its own reader while the file is
     * open; keys before it in the table are already stored (programmes read start_date). */
    int (*read)(care_config *c, care_yaml_doc *d, yaml_node_t *v, sim_err *err);
} care_key;

/* Fills keys[] with the scenario's keys, in the order they are printed; returns how many. */
int care_keys_table(care_key *keys);
/* Reads path and every file it extends (nearer files win, key by key), checks every key is
 * known and every required key present, and stores values and defaults into c. */
int care_keys_load(care_config *c, care_key *keys, int n, const char *path, sim_err *err);
/* v in its shortest decimal form that reads back exactly (at most 17 significant digits; whole
 * numbers below 1e15 in full, 840000 rather than 8.4e+05). */
void care_format_number(double v, char *out, size_t n);
/* The key named `name`, or NULL. */
care_key *care_keys_find(care_key *keys, int n, const char *name);

#endif
