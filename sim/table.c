/* sim/table.c - sim_table_free (see out.h). */
#include <stdlib.h>
#include <string.h>

#include "out.h"

void sim_table_free(sim_table *t)
{
    if (!t)
        return;
    for (int c = 0; c < t->ncols; c++)
        free(t->cols[c].data);
    memset(t, 0, sizeof *t);
}
