/* models/care_resolved.c - the scenario as resolved: every key of the key table (care_keys.h)
 * with its value or default, every table as an absolute path, numbers in their shortest form
 * that reads back exactly. Printed by `caresim validate` and stored in the output's
 * scenario_yaml attribute, so a run says exactly what it ran. Declared in care_scenario.h. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "care_keys.h"
#include "care_prog.h"
#include "care_scenario.h"

static void quoted(FILE *f, const char *v)
{
    fputc('"', f);
    for (; *v; v++)
        if (*v == '\n') fputs("\\n", f);   /* a multi-line description stays one quoted line */
        else fprintf(f, *v == '"' || *v == '\\' ? "\\%c" : "%c", *v);
    fputc('"', f);
}

void care_format_number(double v, char *out, size_t n)
{
    if (v == floor(v) && fabs(v) < 1e15) {   /* whole numbers as written: 840000, not 8.4e+05 */
        snprintf(out, n, "%.0f", v == 0 ? 0.0 : v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {   /* the shortest that reads back as v */
        snprintf(out, n, "%.*g", prec, v);
        if (strtod(out, NULL) == v) return;
    }
}

/* Opens the maps between the previous key and this one; returns the indent of the leaf. */
static int open_maps(FILE *f, const char *prev, const char *name, const char **leaf)
{
    int depth = 0;
    const char *p = name, *q = prev;
    /* skip the map segments both keys share */
    for (;;) {
        size_t lp = strcspn(p, "."), lq = strcspn(q, ".");
        if (!p[lp] || !q[lq] || lp != lq || strncmp(p, q, lp)) break;
        p += lp + 1, q += lq + 1, depth++;
    }
    for (size_t l; p[l = strcspn(p, ".")]; p += l + 1, depth++)
        fprintf(f, "%*s%.*s:\n", 2 * depth, "", (int)l, p);
    *leaf = p;
    return depth;
}

static void value(FILE *f, const care_config *c, const care_key *k)
{
    const void *v = (const char *)c + k->off;
    char b[40];
    switch (k->type) {
    case CARE_KEY_STR: case CARE_KEY_PATH: quoted(f, *(char *const *)v); break;
    case CARE_KEY_PATHS: {
        int n = *(const int *)((const char *)c + k->aux);
        if (n == 0) fputs("none", f);
        if (n > 1) fputc('[', f);
        for (int i = 0; i < n; i++) {
            if (i) fputs(", ", f);
            quoted(f, ((char *const *)v)[i]);
        }
        if (n > 1) fputc(']', f);
        break;
    }
    case CARE_KEY_DATE: care_date_format(*(const int64_t *)v, b); fputs(b, f); break;
    case CARE_KEY_SPAN_NONE:
        if (*(const int *)((const char *)c + k->aux)) { fputs("none", f); break; }
        /* fall through */
    case CARE_KEY_SPAN: care_span_format(*(const care_span *)v, b, sizeof b); fputs(b, f); break;
    case CARE_KEY_U32: fprintf(f, "%" PRIu32, *(const uint32_t *)v); break;
    case CARE_KEY_U64: fprintf(f, "%" PRIu64, *(const uint64_t *)v); break;
    case CARE_KEY_INT: fprintf(f, "%d", *(const int *)v); break;
    case CARE_KEY_BOOL: fputs(*(const int *)v ? "true" : "false", f); break;
    case CARE_KEY_EDIT: care_edit_print(f, (const care_edits *)v, c->start_date); break;
    default: care_format_number(*(const double *)v, b, sizeof b); fputs(b, f); break;
    }
}

/* Appends to order[] the keys under `prefix` (its first plen characters; 0: every key), each
 * map's keys together in table order. The key table is ordered for reading, and keys of one map
 * may sit apart in it (tables.referral_rates, initial_stock, tables.entry_ages): printed in that
 * order they would open the same map twice, which YAML readers take as one map replacing the
 * other. */
static void group(const care_key *keys, int n, const char *prefix, size_t plen, char *done,
                  int *order, int *m)
{
    for (int i = 0; i < n; i++) {
        const char *name = keys[i].name;
        if (done[i] || strncmp(name, prefix, plen) || (plen && name[plen] != '.'))
            continue;
        done[i] = 1, order[(*m)++] = i;
        const char *seg = plen ? name + plen + 1 : name;
        size_t l = strcspn(seg, ".");
        if (seg[l])   /* the first key of a map: the rest of that map follows it */
            group(keys, n, name, (size_t)(seg + l - name), done, order, m);
    }
}

int care_scenario_resolve(care_config *c, sim_err *err)
{
    /* programmes' areas are chosen here, after any change to the areas (--areas) */
    if (c->n_progs && care_prog_resolve(c->progs, c->n_progs, c->areas, c->n_areas, err) != SIM_OK)
        return err ? err->code : SIM_EINVAL;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    care_key keys[CARE_MAXKEYS];
    int n = care_keys_table(keys);
    int order[CARE_MAXKEYS], m = 0;
    char done[CARE_MAXKEYS] = {0};
    group(keys, n, "", 0, done, order, &m);
    const char *prev = "";
    for (int o = 0; o < m; o++) {
        const care_key *k = &keys[order[o]];
        if (k->type == CARE_KEY_NODE)
            continue;   /* printed below */
        if ((k->type == CARE_KEY_STR || k->type == CARE_KEY_PATH) && !*(char *const *)((const char *)c + k->off))
            continue;   /* optional and absent */
        const char *leaf;
        int depth = open_maps(f, prev, k->name, &leaf);
        fprintf(f, "%*s%s: ", 2 * depth, "", leaf);
        value(f, c, k);
        fputc('\n', f);
        prev = k->name;
    }
    if (c->placement_capacity_path || c->placement_fallback_line)
        fprintf(f, "placement_fallback: %s\n", care_placement_names[c->placement_fallback]);
    if (c->n_progs) care_prog_print(f, c->progs, c->n_progs, c->areas, c->start_date);
    for (int i = 0; i < c->n_params; i++) {   /* a sweep point: the values it gave (set above) */
        char b[40];
        care_format_number(c->param_values[i], b, sizeof b);
        fprintf(f, "# sweep: %s = %s\n", c->param_keys[i], b);
    }
    fprintf(f, "# %d areas, %d observation times, horizon %.0f days\n", c->n_areas, c->n_obs, c->horizon);
    if (fclose(f) != 0 || !text) {
        free(text);
        return sim_err_set(err, SIM_ENOMEM, "out of memory");
    }
    free(c->resolved_yaml);
    c->resolved_yaml = text;
    return SIM_OK;
}
