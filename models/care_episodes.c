/* models/care_episodes.c - see care_episodes.h. */
#include "care_episodes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint32_t care_episodes_open(care_episodes *log, const care_episode *ep)
{
    if (log->n == log->cap) {
        size_t cap = log->cap ? 2 * log->cap : 4096;
        if (cap > UINT32_MAX)   /* row indices are 32-bit; (uint32_t)-1 means "no row" */
            return (uint32_t)-1;
        care_episode *r = realloc(log->rows, cap * sizeof *r);
        if (!r)
            return (uint32_t)-1;
        log->rows = r;
        log->cap = cap;
    }
    log->rows[log->n] = *ep;
    log->rows[log->n].end = NAN;
    log->rows[log->n].reason_ended = -1;
    return (uint32_t)log->n++;
}

void care_episodes_close(care_episodes *log, uint32_t idx, double end, int reason)
{
    log->rows[idx].end = end;
    log->rows[idx].reason_ended = reason;
}

void care_episodes_free(care_episodes *log)
{
    free(log->rows);
    memset(log, 0, sizeof *log);
}

#define COLUMN(NAME, TYPE, CTYPE, FIELD, UNITS, LABELS) do {                          \
        CTYPE *d_ = malloc((n ? n : 1) * sizeof *d_);                                    \
        if (!d_) { sim_table_free(t); return -1; }                                        \
        for (size_t i = 0; i < n; i++) d_[i] = (CTYPE)log->rows[i].FIELD;                 \
        t->cols[t->ncols++] = (sim_column){NAME, TYPE, d_, UNITS, LABELS};               \
    } while (0)

int care_episodes_table(care_episodes *log, sim_table *t)
{
    static const char *const start_labels = CARE_EPISODE_START_LABELS, *const end_labels = CARE_EPISODE_END_LABELS;
    static const char place_labels[] = "foster,kinship,residential,placed_with_parents,independent";
    size_t n = log->n;
    *t = (sim_table){.group = "episodes", .nrows = n};
    COLUMN("child", SIM_I64, int64_t, child, NULL, NULL);
    COLUMN("area", SIM_I32, int32_t, area, NULL, NULL);
    COLUMN("male", SIM_U8, uint8_t, male, NULL, NULL);
    COLUMN("birth", SIM_F64, double, birth, "days since start_date", NULL);
    COLUMN("start", SIM_F64, double, start, "days since start_date", NULL);
    COLUMN("end", SIM_F64, double, end, "days since start_date", NULL);
    COLUMN("state", SIM_I32, int32_t, state, NULL, CARE_STATE_LABELS);
    COLUMN("placement", SIM_I32, int32_t, placement, NULL, place_labels);
    COLUMN("reason_started", SIM_I32, int32_t, reason_started, NULL, start_labels);
    COLUMN("reason_ended", SIM_I32, int32_t, reason_ended, NULL, end_labels);
    COLUMN("period", SIM_I32, int32_t, period, NULL, NULL);
    care_episodes_free(log);
    return 0;
}
