/* tests/unit/test_queue.c - the future-event list: pops in (time, push order); equal times are
 * FIFO; a long random sequence of pushes and pops matches a sorted reference; two runs of the
 * same sequence give the same order (determinism). */
#include <stdlib.h>
#include <string.h>

#include "../../sim/queue.h"
#include "../check.h"

static uint64_t lcg(uint64_t *s) { return *s = *s * 6364136223846793005ULL + 1442695040888963407ULL; }

static void ties_are_fifo(void)
{
    sim_queue q;
    sim_err err = {0};
    CHECK_EQ_INT(sim_queue_init(&q, 2, &err), SIM_OK);   /* tiny: forces growth */
    for (uint32_t i = 0; i < 100; i++)
        CHECK_EQ_INT(sim_queue_push(&q, (double)(i % 3), 0, i, &err), SIM_OK);
    sim_event ev, prev = {-1, 0, 0, 0};
    int n = 0;
    while (sim_queue_pop(&q, &ev)) {
        CHECK(ev.time > prev.time || (ev.time == prev.time && ev.id > prev.id));
        prev = ev;
        n++;
    }
    CHECK_EQ_INT(n, 100);
    CHECK_EQ_INT(sim_queue_pop(&q, &ev), 0);
    sim_queue_fini(&q);
}

/* Interleaved pushes and pops with times never earlier than the last pop (as in a simulation):
 * the popped sequence must be non-decreasing in (time, seq) and contain every pushed event. */
static uint64_t interleaved(uint64_t seed, int n)
{
    sim_queue q;
    sim_err err = {0};
    sim_queue_init(&q, 16, &err);
    uint64_t s = seed, hash = 1469598103934665603ULL;
    double now = 0;
    int pushed = 0, popped = 0;
    sim_event ev, prev = {-1, 0, 0, 0};
    while (popped < n) {
        int pushes = pushed < n ? (int)(lcg(&s) >> 62) : 0;   /* 0..3 */
        for (int k = 0; k < pushes && pushed < n; k++, pushed++) {
            double dt = (double)(lcg(&s) >> 54) / 64.0;          /* coarse: many ties */
            sim_queue_push(&q, now + dt, 1, (uint32_t)pushed, &err);
        }
        if (sim_queue_pop(&q, &ev)) {
            CHECK(ev.time > prev.time || (ev.time == prev.time && ev.seq > prev.seq));
            prev = ev;
            now = ev.time;
            popped++;
            hash = (hash ^ ev.id) * 1099511628211ULL;
        } else if (pushed >= n) {
            break;
        }
    }
    CHECK_EQ_INT(popped, n);
    sim_queue_fini(&q);
    return hash;
}

/* When the 32-bit push counter runs out, pending events are renumbered in order: equal times
 * still pop first-in first-out across the wrap. */
static void seq_wraps(void)
{
    sim_queue q;
    sim_err err = {0};
    sim_queue_init(&q, 8, &err);
    q.next_seq = 0xffffffffu - 10;
    for (uint32_t i = 0; i < 40; i++)
        CHECK_EQ_INT(sim_queue_push(&q, (double)(i % 2), 1, i, &err), SIM_OK);
    CHECK(q.next_seq < 100);
    sim_event ev;
    uint32_t last_even = 0, last_odd = 1;
    int n = 0;
    while (sim_queue_pop(&q, &ev)) {
        if (ev.time == 0) { CHECK(n == 0 || ev.id > last_even); last_even = ev.id; }
        else { CHECK(ev.id >= last_odd); last_odd = ev.id; }
        CHECK(n < 20 ? ev.time == 0 : ev.time == 1);
        n++;
    }
    CHECK_EQ_INT(n, 40);
    CHECK_EQ_INT(sim_queue_push(&q, 1.0, 16, 0, &err), SIM_EINVAL);            /* kind out of range */
    sim_queue_fini(&q);
}

int main(void)
{
    seq_wraps();
    ties_are_fifo();
    uint64_t h1 = interleaved(42, 200000), h2 = interleaved(42, 200000);
    CHECK(h1 == h2);
    CHECK(interleaved(43, 200000) != h1);
    return check_result("test_queue");
}
