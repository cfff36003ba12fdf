/* tests/unit/test_queue.c - the future-event list, as a plain heap and with calendar buckets:
 * pops in (time, push order); equal times are FIFO; a long random sequence of pushes and pops
 * (times far ahead, beyond the ring, and before the first pop negative ones) gives exactly the
 * same popped sequence with buckets of any width as with the plain heap; the push counter
 * wrapping renumbers in order. */
#include <stdlib.h>
#include <string.h>

#include "../../sim/queue.h"
#include "../check.h"

static uint64_t lcg(uint64_t *s) { return *s = *s * 6364136223846793005ULL + 1442695040888963407ULL; }

static void ties_are_fifo(double width)
{
    sim_queue q;
    sim_err err = {0};
    CHECK_EQ_INT(sim_queue_init(&q, width, &err), SIM_OK);
    for (uint32_t i = 0; i < 100; i++)
        CHECK_EQ_INT(sim_queue_push(&q, (double)(i % 3), 0, i, &err), SIM_OK);
    sim_event ev, prev = {-1, 0, 0, 0};
    int n = 0;
    while (sim_queue_pop(&q, &ev) > 0) {
        CHECK(ev.time > prev.time || (ev.time == prev.time && ev.id > prev.id));
        prev = ev;
        n++;
    }
    CHECK_EQ_INT(n, 100);
    CHECK_EQ_INT(sim_queue_pop(&q, &ev), 0);
    sim_queue_fini(&q);
}

/* A simulation-like sequence: start-up pushes (some negative), then interleaved pushes at
 * now + a delay (often coarse, so ties are common; sometimes far beyond the ring) and pops.
 * Returns a hash of the popped (time, id) sequence and checks it is in order. */
static uint64_t run(uint64_t seed, int n, double width)
{
    sim_queue q;
    sim_err err = {0};
    sim_queue_init(&q, width, &err);
    uint64_t s = seed, hash = 1469598103934665603ULL;
    int pushed = 0, popped = 0;
    for (; pushed < 50; pushed++)
        sim_queue_push(&q, (double)(int)(lcg(&s) >> 56) - 100.0, 1, (uint32_t)pushed, &err);
    double now = -1e9;
    sim_event ev, prev = {-1e18, 0, 0, 0};
    while (popped < n) {
        int pushes = pushed < n ? (int)(lcg(&s) >> 62) : 0;   /* 0..3 */
        for (int k = 0; k < pushes && pushed < n; k++, pushed++) {
            uint64_t r = lcg(&s);
            double dt = (r >> 60) == 0 ? (double)(r >> 40 & 0xfffff)      /* far ahead */
                      : (double)(r >> 54) / 64.0;                          /* near, coarse */
            sim_queue_push(&q, (now < 0 ? 0 : now) + dt, 2, (uint32_t)pushed, &err);
        }
        int got = sim_queue_pop(&q, &ev);
        CHECK(got >= 0);
        if (got > 0) {
            CHECK(ev.time > prev.time || (ev.time == prev.time && ev.seq > prev.seq));
            prev = ev;
            now = ev.time;
            popped++;
            uint64_t t;
            memcpy(&t, &ev.time, sizeof t);
            hash = (hash ^ ev.id ^ t) * 1099511628211ULL;
        } else if (pushed >= n) {
            break;
        }
    }
    CHECK_EQ_INT(popped, n);
    CHECK_EQ_INT(sim_queue_len(&q), 0);
    sim_queue_fini(&q);
    return hash;
}

/* When the 32-bit push counter runs out, pending events are renumbered in order: equal times
 * still pop first-in first-out across the wrap. */
static void seq_wraps(double width)
{
    sim_queue q;
    sim_err err = {0};
    sim_queue_init(&q, width, &err);
    sim_queue_push(&q, 0.0, 1, 999, &err);
    sim_event ev;
    CHECK_EQ_INT(sim_queue_pop(&q, &ev), 1);                  /* lay the calendar out */
    q.next_seq = 0xffffffffu - 10;
    for (uint32_t i = 0; i < 40; i++)
        CHECK_EQ_INT(sim_queue_push(&q, (double)(i % 2) * 5000.0, 1, i, &err), SIM_OK);
    CHECK(q.next_seq < 100);
    uint32_t last_even = 0, last_odd = 1;
    int n = 0;
    while (sim_queue_pop(&q, &ev) > 0) {
        if (ev.time == 0) { CHECK(n == 0 || ev.id > last_even); last_even = ev.id; }
        else { CHECK(ev.id >= last_odd); last_odd = ev.id; }
        CHECK(n < 20 ? ev.time == 0 : ev.time == 5000.0);
        n++;
    }
    CHECK_EQ_INT(n, 40);
    CHECK_EQ_INT(sim_queue_push(&q, 1.0, 16, 0, &err), SIM_EINVAL);            /* kind out of range */
    sim_queue_fini(&q);
}

int main(void)
{
    const double widths[] = {0.0, 0.25, 7.0, 1000.0};
    for (int w = 0; w < 4; w++) {
        ties_are_fifo(widths[w]);
        seq_wraps(widths[w]);
    }
    uint64_t ref = run(42, 200000, 0.0);
    for (int w = 1; w < 4; w++)
        CHECK(run(42, 200000, widths[w]) == ref);             /* buckets change nothing */
    CHECK(run(42, 200000, 0.0) == ref);                        /* deterministic */
    CHECK(run(43, 200000, 7.0) != ref);
    return check_result("test_queue");
}
