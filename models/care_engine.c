/* models/care_engine.c - see care_engine.h. */
#include "care_engine.h"

#include <math.h>

#include "care_prog.h"
#include "care_scenario.h"

const char *const care_engine_names[3] = {"auto", "case", "event"};

/* Where the event list's order of simultaneous events decides a child's draws, the sampler
 * cannot follow it: a programme referring the children present on the day a dated edit takes
 * effect (an edit's redraw queued before or after the start), or before the start date, when
 * the initial stock (placed on the start date) is referred before it exists. */
static int start_ambiguous(const care_config *c)
{
    for (int i = 0; i < c->n_progs; i++) {
        double t0 = fmax(c->progs[i].time.start, -c->burn_in);
        if (c->progs[i].new_only) continue;
        if (t0 < 0 && c->n_stock > 0) return 1;
        for (int e = 1; e < c->n_epochs; e++)
            if (c->epochs[e].from == t0) return 1;
    }
    return 0;
}

care_engine care_engine_choose(care_engine asked, const care_config *c)
{
    if (start_ambiguous(c))
        return CARE_ENGINE_EVENT;
    if (asked != CARE_ENGINE_AUTO)
        return asked;
    /* a finite number of places (a programme's capacity, placement capacity) makes children
     * wait for each other */
    return care_scenario_has_finite_capacity(c) ? CARE_ENGINE_EVENT : CARE_ENGINE_CASE;
}
