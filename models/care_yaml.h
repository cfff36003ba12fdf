/* models/care_yaml.h - checked access to a libyaml document: every key of a mapping must be
 * one the caller expects, appear once, and have the expected type; errors name
 * "file:line: dotted.key: message". Ownership: care_yaml_doc owns the libyaml document; node
 * pointers stay valid until care_yaml_close. */
#ifndef CARE_YAML_H
#define CARE_YAML_H

#include <stdint.h>
#include <yaml.h>

#include "../sim/err.h"
#include "care_date.h"

typedef struct care_yaml_doc {
    const char *path;
    yaml_document_t doc;
    int loaded;
} care_yaml_doc;

typedef struct care_yaml_key {     /* one expected key of a mapping */
    const char *name;
    int required;
    yaml_node_t *value;            /* filled by care_yaml_map */
    int line;                      /* line of the key, filled by care_yaml_map */
    care_yaml_doc *doc;            /* the document the value came from (files can extend others) */
} care_yaml_key;

int care_yaml_open(care_yaml_doc *d, const char *path, sim_err *err);
void care_yaml_close(care_yaml_doc *d);
yaml_node_t *care_yaml_root(care_yaml_doc *d);
int care_yaml_line(const yaml_node_t *n);
/* Matches the mapping node's pairs against keys (NULL-name terminated); prefix is the dotted
 * path of the mapping ("" at the root) used in messages. */
int care_yaml_map(care_yaml_doc *d, yaml_node_t *map, const char *prefix, care_yaml_key *keys, sim_err *err);

/* The first required key without a value, as an error naming file:line of `where`. */
int care_yaml_check_required(care_yaml_doc *d, const yaml_node_t *where, const char *prefix,
                             const care_yaml_key *keys, sim_err *err);

/* Typed scalar readers; key is the dotted key for messages. */
int care_yaml_str(care_yaml_doc *d, yaml_node_t *n, const char *key, const char **out, sim_err *err);
int care_yaml_uint(care_yaml_doc *d, yaml_node_t *n, const char *key, uint64_t lo, uint64_t hi, uint64_t *out, sim_err *err);
int care_yaml_bool(care_yaml_doc *d, yaml_node_t *n, const char *key, int *out, sim_err *err);
/* A finite number >= 0. */
int care_yaml_nonneg(care_yaml_doc *d, yaml_node_t *n, const char *key, double *out, sim_err *err);
int care_yaml_date(care_yaml_doc *d, yaml_node_t *n, const char *key, int64_t *out, sim_err *err);
int care_yaml_span(care_yaml_doc *d, yaml_node_t *n, const char *key, int allow_none, care_span *out,
                   int *is_none, sim_err *err);

/* A YAML list (block "- a" or flow "[a, b]"): *n items; item(i) gives the i-th node. A scalar
 * where a list is expected is an error naming file:line: key. */
int care_yaml_list(care_yaml_doc *d, yaml_node_t *n, const char *key, size_t *len, sim_err *err);
yaml_node_t *care_yaml_item(care_yaml_doc *d, yaml_node_t *list, size_t i);

#endif
