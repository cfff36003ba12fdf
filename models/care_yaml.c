/* models/care_yaml.c - see care_yaml.h. */
#include "care_yaml.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int care_yaml_open(care_yaml_doc *d, const char *path, sim_err *err)
{
    memset(d, 0, sizeof *d);
    d->path = path;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sim_err_set(err, SIM_EINVAL, "%s: cannot open scenario: %s", path, strerror(errno));
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    int ok = yaml_parser_load(&p, &d->doc);
    int rc = SIM_OK;
    if (!ok) {
        rc = sim_err_set(err, SIM_EINVAL, "%s:%zu: syntax: %s%s%s (malformed YAML)", path,
                         (p.problem_mark.line + 1), p.problem ? p.problem : "syntax error",
                         p.context ? " " : "", p.context ? p.context : "");
    } else {
        d->loaded = 1;
        yaml_node_t *root = yaml_document_get_root_node(&d->doc);
        if (!root)
            rc = sim_err_set(err, SIM_EINVAL, "%s:1: empty scenario file", path);
        else if (root->type != YAML_MAPPING_NODE)
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: the scenario must be a mapping of keys", path, care_yaml_line(root));
    }
    yaml_parser_delete(&p);
    fclose(f);
    if (rc != SIM_OK)
        care_yaml_close(d);
    return rc;
}

void care_yaml_close(care_yaml_doc *d)
{
    if (d->loaded)
        yaml_document_delete(&d->doc);
    d->loaded = 0;
}

yaml_node_t *care_yaml_root(care_yaml_doc *d) { return yaml_document_get_root_node(&d->doc); }
int care_yaml_line(const yaml_node_t *n) { return (int)n->start_mark.line + 1; }

static const char *scalar(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

int care_yaml_map(care_yaml_doc *d, yaml_node_t *map, const char *prefix, care_yaml_key *keys, sim_err *err)
{
    if (map->type != YAML_MAPPING_NODE)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a mapping of keys", d->path, care_yaml_line(map), prefix);
    for (care_yaml_key *k = keys; k->name; k++) {
        k->value = NULL;
        k->doc = NULL;
    }
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *kn = yaml_document_get_node(&d->doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(&d->doc, pr->value);
        if (kn->type != YAML_SCALAR_NODE)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: keys must be plain names", d->path, care_yaml_line(kn), prefix);
        care_yaml_key *k = keys;
        while (k->name && strcmp(k->name, scalar(kn)) != 0)
            k++;
        if (!k->name) {
            char list[512] = "";
            for (care_yaml_key *e = keys; e->name; e++) {
                strncat(list, e->name, sizeof list - strlen(list) - 3);
                if (e[1].name) strncat(list, ", ", sizeof list - strlen(list) - 1);
            }
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s%s%s: unknown key (expected one of: %s)", d->path,
                               care_yaml_line(kn), prefix, *prefix ? "." : "", scalar(kn), list);
        }
        if (k->value)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s%s%s: key appears twice (first on line %d)", d->path,
                               care_yaml_line(kn), prefix, *prefix ? "." : "", k->name, k->line);
        k->value = vn;
        k->line = care_yaml_line(kn);
        k->doc = d;
    }
    return care_yaml_check_required(d, map, prefix, keys, err);
}

int care_yaml_check_required(care_yaml_doc *d, const yaml_node_t *where, const char *prefix,
                             const care_yaml_key *keys, sim_err *err)
{
    for (const care_yaml_key *k = keys; k->name; k++)
        if (k->required && !k->value)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s%s%s: required key is missing", d->path,
                               care_yaml_line(where), prefix, *prefix ? "." : "", k->name);
    return SIM_OK;
}

static int need_scalar(care_yaml_doc *d, yaml_node_t *n, const char *key, const char *what, sim_err *err)
{
    if (n->type == YAML_SCALAR_NODE && n->data.scalar.length > 0)
        return SIM_OK;
    return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected %s, got %s", d->path, care_yaml_line(n), key, what,
                       n->type == YAML_SCALAR_NODE ? "an empty value" : n->type == YAML_SEQUENCE_NODE ? "a list" : "a mapping");
}

int care_yaml_str(care_yaml_doc *d, yaml_node_t *n, const char *key, const char **out, sim_err *err)
{
    int rc = need_scalar(d, n, key, "a string", err);
    if (rc == SIM_OK)
        *out = scalar(n);
    return rc;
}

int care_yaml_uint(care_yaml_doc *d, yaml_node_t *n, const char *key, uint64_t lo, uint64_t hi, uint64_t *out, sim_err *err)
{
    int rc = need_scalar(d, n, key, "an integer", err);
    if (rc != SIM_OK)
        return rc;
    const char *s = scalar(n);
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (s[0] == '-' || end == s || *end != '\0' || errno == ERANGE)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a non-negative integer, got '%s'", d->path,
                           care_yaml_line(n), key, s);
    if (v < lo || v > hi)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: must be between %llu and %llu, got %llu", d->path,
                           care_yaml_line(n), key, (unsigned long long)lo, (unsigned long long)hi, v);
    *out = v;
    return SIM_OK;
}

int care_yaml_bool(care_yaml_doc *d, yaml_node_t *n, const char *key, int *out, sim_err *err)
{
    int rc = need_scalar(d, n, key, "true or false", err);
    if (rc != SIM_OK)
        return rc;
    if (!strcmp(scalar(n), "true")) *out = 1;
    else if (!strcmp(scalar(n), "false")) *out = 0;
    else rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected true or false, got '%s'", d->path,
                          care_yaml_line(n), key, scalar(n));
    return rc;
}

int care_yaml_nonneg(care_yaml_doc *d, yaml_node_t *n, const char *key, double *out, sim_err *err)
{
    int rc = need_scalar(d, n, key, "a number", err);
    if (rc != SIM_OK)
        return rc;
    char *end;
    errno = 0;
    double v = strtod(scalar(n), &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(v))
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a number, got '%s'", d->path, care_yaml_line(n), key, scalar(n));
    if (v < 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: must be >= 0, got %g", d->path, care_yaml_line(n), key, v);
    *out = v;
    return SIM_OK;
}

int care_yaml_date(care_yaml_doc *d, yaml_node_t *n, const char *key, int64_t *out, sim_err *err)
{
    int rc = need_scalar(d, n, key, "a date (YYYY-MM-DD)", err);
    if (rc == SIM_OK && care_date_parse(scalar(n), out) != 0)
        rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a date YYYY-MM-DD, got '%s'", d->path,
                         care_yaml_line(n), key, scalar(n));
    return rc;
}

int care_yaml_span(care_yaml_doc *d, yaml_node_t *n, const char *key, int allow_none, care_span *out,
                   int *is_none, sim_err *err)
{
    int rc = need_scalar(d, n, key, "a duration (e.g. 10y, 6m, 30d)", err);
    if (rc != SIM_OK)
        return rc;
    if (is_none)
        *is_none = 0;
    if (allow_none && is_none && strcmp(scalar(n), "none") == 0) {
        *is_none = 1;
        *out = (care_span){0, 0, 0};
        return SIM_OK;
    }
    if (care_span_parse(scalar(n), out) != 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a duration such as 10y, 6m or 30d%s, got '%s'",
                           d->path, care_yaml_line(n), key, allow_none ? " (or none)" : "", scalar(n));
    return SIM_OK;
}

int care_yaml_list(care_yaml_doc *d, yaml_node_t *n, const char *key, size_t *len, sim_err *err)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a list, got %s", d->path, care_yaml_line(n), key,
                           n->type == YAML_SCALAR_NODE ? "a single value" : "a mapping");
    *len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    return SIM_OK;
}

yaml_node_t *care_yaml_item(care_yaml_doc *d, yaml_node_t *list, size_t i)
{
    return yaml_document_get_node(&d->doc, list->data.sequence.items.start[i]);
}
