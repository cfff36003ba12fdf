/* models/care_states.c - see care_states.h: the tables generated from the lists, and lookups. */
#include "care_states.h"

#include <string.h>

#define X_REQUIRED 0
#define X_OPTIONAL 1
#define X_ST(id, name, table, req, at18, wend) {name, table, X_##req, CARE_TR_##at18, CARE_TR_##wend},
const care_state_info care_states[CARE_NSTATE] = {CARE_STATE_LIST(X_ST)};

#define X_FLAG_0 0
#define X_FLAG_EXIT_MULT CARE_TF_EXIT_MULT
#define X_FLAG_LAZY CARE_TF_LAZY
#define X_OPENS_Y 1
#define X_OPENS_N 0
#define X_TR(id, name, from, to, by, fl, o) \
    {name, CARE_ST_##from, CARE_ST_##to, CARE_BY_##by, X_FLAG_##fl, X_OPENS_##o},
const care_transition_info care_transitions[CARE_NTR] = {CARE_TRANSITION_LIST(X_TR)};

#define X_NAME(id, name, ...) name,
const char *const care_state_names[CARE_NSTATE] = {CARE_STATE_LIST(X_NAME)};
const char *const care_transition_names[CARE_NTR] = {CARE_TRANSITION_LIST(X_NAME)};

int care_transition_start_code(int tr)
{
    if (!care_transitions[tr].opens) return -1;
    int k = 0;
    for (int i = 0; i < tr; i++) k += care_transitions[i].opens;
    return k;
}

int care_state_columns(int state, int tr[CARE_MAXK])
{
    int n = 0;
    for (int i = 0; i < CARE_NTR && n < CARE_MAXK; i++)
        if (care_transitions[i].from == state && care_transitions[i].by == CARE_BY_HAZARD)
            tr[n++] = i;
    return n;
}

int care_transition_column(int tr)
{
    if (tr < 0 || tr >= CARE_NTR || care_transitions[tr].by != CARE_BY_HAZARD)
        return -1;
    int k = 0;
    for (int i = 0; i < tr; i++)
        k += care_transitions[i].from == care_transitions[tr].from && care_transitions[i].by == CARE_BY_HAZARD;
    return k;
}

int care_state_find(const char *name)
{
    for (int s = 0; s < CARE_NSTATE; s++)
        if (!strcmp(care_states[s].name, name))
            return s;
    return -1;
}

static int state_span(const char *s, size_t n)
{
    char buf[32];
    if (n >= sizeof buf) return -2;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return !strcmp(buf, "out") ? CARE_ST_OUT : care_state_find(buf) >= 0 ? care_state_find(buf) : -2;
}

int care_transition_find(const char *name)
{
    for (int i = 0; i < CARE_NTR; i++)
        if (!strcmp(care_transitions[i].name, name))
            return i;
    const char *arrow = strstr(name, "->");
    if (!arrow) return -1;
    int from = state_span(name, (size_t)(arrow - name)), to = state_span(arrow + 2, strlen(arrow + 2)), found = -1;
    for (int i = 0; i < CARE_NTR; i++)
        if (care_transitions[i].from == from && care_transitions[i].to == to) {
            if (found >= 0) return -1;   /* ambiguous: use the label */
            found = i;
        }
    return found;
}
