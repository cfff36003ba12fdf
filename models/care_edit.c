/* models/care_edit.c - see care_edit.h. */
#include "care_edit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "care_bounds.h"
#include "care_config.h"
#include "care_keys.h"
#include "care_sweep.h"

static const char *const unit_names[4] = {"add", "add_per_day", "add_per_year", "add_per_10000_per_year"};
static const char *const units_of_kind[3] = {"add_per_year or add_per_day", "add_per_10000_per_year", "add"};

static int unit_allowed(int kind, int unit)
{
    return kind == CARE_EDIT_HAZARD ? unit == 1 || unit == 2 : kind == CARE_EDIT_ENTRY ? unit == 3 : unit == 0;
}

/* A number of either sign (additions may take away), within the plausible bound of `key`. */
static int signed_number(care_yaml_doc *d, yaml_node_t *n, const char *key, double *out, sim_err *err)
{
    if (n->type != YAML_SCALAR_NODE || care_number_parse((const char *)n->data.scalar.value, out) != 0)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a number", d->path, care_yaml_line(n), key);
    return care_bound_check(d->path, care_yaml_line(n), key, fabs(*out), err);
}

/* One edit, a mapping {times, add_..., from}; base names the fields in messages and sweeps. */
static int one(care_edit *e, int kind, const char *base, care_yaml_doc *d, yaml_node_t *v, int64_t start,
               care_overrides *ov, sim_err *err)
{
    char names[6][160];
    care_yaml_key keys[7] = {{0}};
    snprintf(names[0], sizeof names[0], "times");
    snprintf(names[1], sizeof names[1], "from");
    for (int u = 0; u < 4; u++) snprintf(names[2 + u], sizeof names[2 + u], "%s", unit_names[u]);
    for (int i = 0; i < 6; i++) keys[i].name = names[i];
    if (v->type != YAML_MAPPING_NODE)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: expected a number (a multiplier) or a mapping {times, %s, from}",
                           d->path, care_yaml_line(v), base, units_of_kind[kind]);
    int rc = care_yaml_map(d, v, base, keys, err);
    if (rc != SIM_OK) return rc;
    *e = (care_edit){-INFINITY, 1.0, 0.0, kind == CARE_EDIT_HAZARD ? 2 : kind == CARE_EDIT_ENTRY ? 3 : 0};
    char key[200];
    int given = 0;
    snprintf(key, sizeof key, "%s.times", base);
    if (care_override_get(ov, key, &e->times)) given = 1;
    else if (keys[0].value && (rc = care_yaml_nonneg(d, keys[0].value, key, &e->times, err)) != SIM_OK) return rc;
    given |= keys[0].value != NULL;
    for (int u = 0; u < 4 && rc == SIM_OK; u++) {
        snprintf(key, sizeof key, "%s.%s", base, unit_names[u]);
        int swept = unit_allowed(kind, u) && care_override_get(ov, key, &e->add);
        if (!keys[2 + u].value && !swept) continue;
        if (!unit_allowed(kind, u))
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: not for this key (here: %s)", d->path, keys[2 + u].line, key,
                               units_of_kind[kind]);
        if (given > 1)
            return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: one addition per edit", d->path, keys[2 + u].line, key);
        if (!swept) rc = signed_number(d, keys[2 + u].value, key, &e->add, err);
        e->add_unit = u;
        given = 2;
    }
    if (rc != SIM_OK) return rc;
    if (!given)
        return sim_err_set(err, SIM_EINVAL, "%s:%d: %s: an edit needs times or %s", d->path, care_yaml_line(v), base,
                           units_of_kind[kind]);
    if (keys[1].value) {
        int64_t day;
        snprintf(key, sizeof key, "%s.from", base);
        if ((rc = care_yaml_date(d, keys[1].value, key, &day, err)) != SIM_OK) return rc;
        e->from = (double)(day - start);
    }
    return SIM_OK;
}

int care_edit_read(care_edits *out, int kind, const char *key, care_yaml_doc *d, yaml_node_t *v, int64_t start,
                   care_overrides *ov, sim_err *err)
{
    care_edits_free(out);
    char at[1200];
    snprintf(at, sizeof at, "%s:%d: %s", d->path, care_yaml_line(v), key);
    if (!(out->at = strdup(at))) return sim_err_set(err, SIM_ENOMEM, "out of memory");
    care_edit *e = out->e;
    *e = (care_edit){-INFINITY, 1.0, 0.0, 0};
    if (care_override_get(ov, key, &e->times)) {   /* a sweep's multiplier replaces the whole edit */
        out->n = 1;
        return e->times >= 0 ? SIM_OK
                             : sim_err_set(err, SIM_EINVAL, "%s: %s: the sweep sets %g; it must be >= 0", d->path, key, e->times);
    }
    if (v->type == YAML_SCALAR_NODE) {   /* a plain multiplier; 1 (the default) edits nothing */
        int rc = care_yaml_nonneg(d, v, key, &e->times, err);
        char sub[200];
        snprintf(sub, sizeof sub, "%s.times", key);
        int swept = care_override_get(ov, sub, &e->times);   /* a sweep may set a field of a plain value too */
        for (int u = 0; u < 4; u++) {
            snprintf(sub, sizeof sub, "%s.%s", key, unit_names[u]);
            if (unit_allowed(kind, u) && care_override_get(ov, sub, &e->add)) e->add_unit = u, swept = 1;
        }
        out->n = swept || e->times != 1.0;
        return rc;
    }
    if (v->type == YAML_MAPPING_NODE) {
        out->n = 1;
        return one(e, kind, key, d, v, start, ov, err);
    }
    size_t n;
    int rc = care_yaml_list(d, v, key, &n, err);
    if (rc == SIM_OK && (n == 0 || n > CARE_MAXEDITS))
        rc = sim_err_set(err, SIM_EINVAL, "%s: a list of 1 to %d edits", at, CARE_MAXEDITS);
    for (size_t i = 0; i < n && rc == SIM_OK; i++) {
        char base[200];
        snprintf(base, sizeof base, "%s.%zu", key, i);
        yaml_node_t *item = care_yaml_item(d, v, i);
        rc = one(&e[i], kind, base, d, item, start, ov, err);
        if (rc == SIM_OK && i > 0 && !(e[i].from > e[i - 1].from))
            rc = sim_err_set(err, SIM_EINVAL, "%s:%d: %s.from: dates must increase along the list (only the first "
                             "edit may have none)", d->path, care_yaml_line(item), base);
        out->n = (int)i + 1;
    }
    return rc;
}

void care_edit_print(FILE *f, const care_edits *x, int64_t start)
{
    char b[40];
    if (x->n == 0 || (x->n == 1 && isinf(x->e[0].from) && x->e[0].add == 0)) {   /* a plain multiplier */
        care_format_number(x->n ? x->e[0].times : 1.0, b, sizeof b);
        fputs(b, f);
        return;
    }
    if (x->n > 1) fputc('[', f);
    for (int i = 0; i < x->n; i++) {
        const care_edit *e = &x->e[i];
        care_format_number(e->times, b, sizeof b);
        fprintf(f, "%s{times: %s", i ? ", " : "", b);
        care_format_number(e->add, b, sizeof b);
        fprintf(f, ", %s: %s", unit_names[e->add_unit], b);
        if (!isinf(e->from)) {
            care_date_format(start + (int64_t)e->from, b);
            fprintf(f, ", from: %s", b);
        }
        fputc('}', f);
    }
    if (x->n > 1) fputc(']', f);
}

void care_edits_free(care_edits *e)
{
    free(e->at);
    memset(e, 0, sizeof *e);
}

/* ---- applying: the tables as edited from each date on ---- */
static const care_edit *active(const care_edits *x, double date)
{
    const care_edit *a = NULL;
    for (int i = 0; i < x->n && x->e[i].from <= date; i++) a = &x->e[i];
    return a;
}

/* The addition in the unit the model keeps: per day (hazards), per child per day (entries). */
static double add_of(const care_edit *e)
{
    switch (e->add_unit) {
    case 2: return e->add / CARE_YEAR_DAYS;
    case 3: return e->add / 10000.0 / CARE_YEAR_DAYS;
    default: return e->add;
    }
}

static int hazards(const care_config *c, const care_hazard_table raw[CARE_NSTATE], care_epoch *ep, double date,
                   sim_err *err)
{
    for (int s = 0; s < CARE_NSTATE; s++) {
        const care_hazard_table *h = &raw[s];
        ep->haz[s] = *h;
        for (int k = 0; k < h->n_k; k++) {
            const care_edit *e = active(&c->adjust_haz[s][k], date);
            if (!e) continue;
            for (int b = 0; b < CARE_NAGE; b++)
                for (int i = 0; i < h->n_tb; i++) {
                    double r = h->rate[b][i][k] * e->times + add_of(e);
                    if (r < 0)
                        return sim_err_set(err, SIM_EINVAL, "%s: the edit makes the rate negative for age band %s, "
                                           "from_days %g: %g per year", c->adjust_haz[s][k].at, care_age_names[b],
                                           h->tb_from[i], r * CARE_YEAR_DAYS);
                    ep->haz[s].rate[b][i][k] = r;
                }
        }
    }
    return SIM_OK;
}

static int share_check(const care_edits *x, int b, double v, sim_err *err)
{
    if (v >= 0 && v <= 1) return SIM_OK;
    return sim_err_set(err, SIM_EINVAL, "%s: the edit makes the share %g for age band %s (a share lies between 0 and 1)",
                       x->at, v, care_age_names[b]);
}

/* Placement shares: edited types take their new shares, the others share what is left in
 * proportion to their table shares. */
static int placements(const care_config *c, const double raw[CARE_NAGE][CARE_NPLACE], double out[CARE_NAGE][CARE_NPLACE],
                      double date, sim_err *err)
{
    for (int b = 0; b < CARE_NAGE; b++) {
        double edited = 0, rest = 0;
        const care_edits *last = NULL;
        int any = 0;
        for (int p = 0; p < CARE_NPLACE; p++) {
            const care_edit *e = active(&c->adjust_share[p], date);
            out[b][p] = raw[b][p];
            if (!e) { rest += raw[b][p]; continue; }
            out[b][p] = raw[b][p] * e->times + e->add;
            int rc = share_check(&c->adjust_share[p], b, out[b][p], err);
            if (rc != SIM_OK) return rc;
            edited += out[b][p];
            last = &c->adjust_share[p];
            any = 1;
        }
        if (!any) continue;
        if (edited > 1 + 1e-12)
            return sim_err_set(err, SIM_EINVAL, "%s: the edits make the edited placement shares sum to %g for age band %s "
                               "(shares sum to 1)", last->at, edited, care_age_names[b]);
        if (rest <= 0 && edited < 1 - 1e-12)
            return sim_err_set(err, SIM_EINVAL, "%s: the edits leave %g of age band %s to no placement (no other type "
                               "has a share to scale)", last->at, 1 - edited, care_age_names[b]);
        for (int p = 0; p < CARE_NPLACE && rest > 0; p++)
            if (!active(&c->adjust_share[p], date)) out[b][p] = raw[b][p] * (1 - edited) / rest;
    }
    return SIM_OK;
}

typedef struct raw_tables {
    care_hazard_table haz[CARE_NSTATE];
    double entry[CARE_NAGE], nfa[CARE_NAGE], share[CARE_NAGE][CARE_NPLACE];
} raw_tables;

/* The values in force from `date` on (-INFINITY: from the beginning). */
static int epoch(const care_config *c, const raw_tables *raw, care_epoch *ep, double date, sim_err *err)
{
    ep->from = date;
    int rc = hazards(c, raw->haz, ep, date, err);
    for (int b = 0; b < CARE_NAGE && rc == SIM_OK; b++) {
        const care_edit *e = active(&c->adjust_entry, date);
        ep->entry_rate[b] = e ? raw->entry[b] * e->times + add_of(e) : raw->entry[b];
        if (ep->entry_rate[b] < 0)
            rc = sim_err_set(err, SIM_EINVAL, "%s: the edit makes the entry rate of age band %s negative: %g per 10,000 a "
                             "year", c->adjust_entry.at, care_age_names[b], ep->entry_rate[b] * 10000 * CARE_YEAR_DAYS);
        e = active(&c->adjust_nfa, date);
        ep->nfa_share[b] = e ? raw->nfa[b] * e->times + e->add : raw->nfa[b];
        if (rc == SIM_OK && e) rc = share_check(&c->adjust_nfa, b, ep->nfa_share[b], err);
    }
    if (rc == SIM_OK) rc = placements(c, raw->share, ep->placement_share, date, err);
    if (rc == SIM_OK && c->placement_move_shares_path) memcpy(ep->move_share, c->move_share, sizeof ep->move_share);
    else if (rc == SIM_OK) memcpy(ep->move_share, ep->placement_share, sizeof ep->move_share);   /* moves follow entry */
    return rc;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every date on which some edit starts, sorted, without repeats; returns how many. */
static int edit_dates(const care_config *c, double *dates, int cap)
{
    const care_edits *all[1 + CARE_NSTATE * CARE_MAXK + CARE_NPLACE + 1];
    int n = 0, m = 0;
    all[n++] = &c->adjust_entry;
    all[n++] = &c->adjust_nfa;
    for (int s = 0; s < CARE_NSTATE; s++)
        for (int k = 0; k < CARE_MAXK; k++) all[n++] = &c->adjust_haz[s][k];
    for (int p = 0; p < CARE_NPLACE; p++) all[n++] = &c->adjust_share[p];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < all[i]->n; j++)
            if (!isinf(all[i]->e[j].from) && m < cap) dates[m++] = all[i]->e[j].from;
    qsort(dates, (size_t)m, sizeof *dates, by_value);
    int u = 0;
    for (int i = 0; i < m; i++)
        if (!u || dates[i] != dates[u - 1]) dates[u++] = dates[i];
    return u;
}

int care_edit_apply(care_config *c, sim_err *err)
{
    raw_tables *raw = malloc(sizeof *raw);
    care_epoch *e0 = malloc(sizeof *e0);
    double dates[(1 + CARE_NSTATE * CARE_MAXK + CARE_NPLACE + 1) * CARE_MAXEDITS];
    if (!raw || !e0) { free(raw); free(e0); return sim_err_set(err, SIM_ENOMEM, "out of memory"); }
    memcpy(raw->haz, c->haz, sizeof raw->haz);
    memcpy(raw->entry, c->entry_rate, sizeof raw->entry);
    memcpy(raw->nfa, c->nfa_share, sizeof raw->nfa);
    memcpy(raw->share, c->placement_share, sizeof raw->share);
    int rc = epoch(c, raw, e0, -INFINITY, err);   /* from the beginning: the tables themselves */
    if (rc == SIM_OK) {
        memcpy(c->haz, e0->haz, sizeof c->haz);
        memcpy(c->entry_rate, e0->entry_rate, sizeof c->entry_rate);
        memcpy(c->nfa_share, e0->nfa_share, sizeof c->nfa_share);
        memcpy(c->placement_share, e0->placement_share, sizeof c->placement_share);
        memcpy(c->move_share, e0->move_share, sizeof c->move_share);
    }
    int nd = rc == SIM_OK ? edit_dates(c, dates, (int)(sizeof dates / sizeof *dates)) : 0;
    if (nd > 0 && !(c->epochs = malloc((size_t)(nd + 1) * sizeof *c->epochs)))
        rc = sim_err_set(err, SIM_ENOMEM, "out of memory");
    if (nd > 0 && rc == SIM_OK) {
        c->epochs[0] = *e0;
        c->n_epochs = 1;
        for (int i = 0; i < nd && rc == SIM_OK; i++, c->n_epochs++)
            rc = epoch(c, raw, &c->epochs[i + 1], dates[i], err);
    }
    free(raw);
    free(e0);
    return rc;
}

int care_edit_epoch_at(const care_config *c, double t, double *until)
{
    int i = 0;
    while (i + 1 < c->n_epochs && c->epochs[i + 1].from <= t) i++;
    *until = i + 1 < c->n_epochs ? c->epochs[i + 1].from : INFINITY;
    return i;
}

const double *care_edit_shares(const care_config *c, int b, double t, int move)
{
    double until;
    if (!c->n_epochs) return move ? c->move_share[b] : c->placement_share[b];
    const care_epoch *ep = &c->epochs[care_edit_epoch_at(c, t, &until)];
    return move ? ep->move_share[b] : ep->placement_share[b];
}

double care_edit_nfa(const care_config *c, int b, double t)
{
    double until;
    return c->n_epochs ? c->epochs[care_edit_epoch_at(c, t, &until)].nfa_share[b] : c->nfa_share[b];
}
