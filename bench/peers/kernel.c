/* bench/peers/kernel.c - reference model R1 (bench/README.md) as a minimal
 * hand-written event-queue kernel: the practical speed limit for an engine that pops events off a
 * priority queue one by one. No model generality, no output beyond one JSON line.
 *
 * R1 (time in days): A areas, each with Poisson entries at 0.6/day, start empty. A child in care
 * leaves at total rate M = 1/1500 + 1/1800, reunification with probability (1/1500)/M, otherwise
 * an "other" exit. A reunified child re-enters with probability 0.3 after Exp(mean 365 days)
 * (drawn at reunification; the other 0.7 close, which is no event and schedules nothing).
 * Events counted: entries + re-entries + exits up to the horizon. Final stock: in care at the end.
 *
 * Queue: 4-ary min-heap keyed on (time, insertion sequence). Generator: xoshiro256** seeded by
 * splitmix64 from --seed; exponential variates as -log(1-u)/rate.
 *
 *   gcc -std=c11 -O2 -Wall -Wextra -Werror bench/peers/kernel.c -lm -o r1_kernel
 *   r1_kernel [--replicates N] [--seed S] [--areas A] [--horizon DAYS]
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ENTRY_RATE 0.6
#define REUNIFY_RATE (1.0 / 1500.0)
#define OTHER_RATE (1.0 / 1800.0)
#define REENTRY_PROB 0.3
#define HOME_MEAN 365.0

enum { EV_ENTRY, EV_EXIT_REUNIFY, EV_EXIT_OTHER, EV_REENTRY };

typedef struct {
    double t;
    uint64_t seq;
    uint32_t area;
    uint32_t kind;
} event;

/* ---- random numbers: splitmix64 seeding, xoshiro256** ---- */
static uint64_t rng_s[4];

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t next_u64(void) {
    uint64_t r = rotl(rng_s[1] * 5, 7) * 9, t = rng_s[1] << 17;
    rng_s[2] ^= rng_s[0];
    rng_s[3] ^= rng_s[1];
    rng_s[1] ^= rng_s[2];
    rng_s[0] ^= rng_s[3];
    rng_s[2] ^= t;
    rng_s[3] = rotl(rng_s[3], 45);
    return r;
}

static inline double unif(void) { return (double)(next_u64() >> 11) * 0x1.0p-53; } /* [0,1) */
static inline double expo(double rate) { return -log(1.0 - unif()) / rate; }

/* ---- 4-ary min-heap on (t, seq) ---- */
static event *heap;
static size_t heap_n, heap_cap;
static uint64_t heap_seq;

static inline int before(const event *a, const event *b) {
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void push(double t, uint32_t area, uint32_t kind) {
    if (heap_n == heap_cap) {
        heap_cap = heap_cap ? 2 * heap_cap : 1024;
        heap = realloc(heap, heap_cap * sizeof *heap);
        if (!heap) { perror("kernel"); exit(1); }
    }
    event e = {t, heap_seq++, area, kind};
    size_t i = heap_n++;
    while (i > 0) {
        size_t p = (i - 1) / 4;
        if (!before(&e, &heap[p])) break;
        heap[i] = heap[p];
        i = p;
    }
    heap[i] = e;
}

static event pop(void) {
    event top = heap[0], last = heap[--heap_n];
    size_t i = 0;
    for (;;) {
        size_t c = 4 * i + 1, best, end;
        if (c >= heap_n) break;
        best = c;
        end = c + 4 < heap_n ? c + 4 : heap_n;
        for (size_t j = c + 1; j < end; j++)
            if (before(&heap[j], &heap[best])) best = j;
        if (!before(&heap[best], &last)) break;
        heap[i] = heap[best];
        i = best;
    }
    heap[i] = last;
    return top;
}

/* ---- one replicate ---- */
static void admit(double now, uint32_t area) { /* a stay starts: draw its exit time and reason */
    double m = REUNIFY_RATE + OTHER_RATE;
    uint32_t kind = unif() * m < REUNIFY_RATE ? EV_EXIT_REUNIFY : EV_EXIT_OTHER;
    push(now + expo(m), area, kind);
}

static void replicate(uint32_t areas, double horizon, uint64_t *events, uint64_t *stock) {
    uint64_t ev = 0, in_care = 0;
    heap_n = 0;
    heap_seq = 0;
    for (uint32_t a = 0; a < areas; a++) push(expo(ENTRY_RATE), a, EV_ENTRY);
    while (heap_n > 0 && heap[0].t <= horizon) {
        event e = pop();
        ev++;
        switch (e.kind) {
        case EV_ENTRY:
            push(e.t + expo(ENTRY_RATE), e.area, EV_ENTRY);
            /* fall through */
        case EV_REENTRY:
            in_care++;
            admit(e.t, e.area);
            break;
        case EV_EXIT_REUNIFY:
            in_care--;
            if (unif() < REENTRY_PROB) push(e.t + expo(1.0 / HOME_MEAN), e.area, EV_REENTRY);
            break;
        default: /* EV_EXIT_OTHER */
            in_care--;
            break;
        }
    }
    *events = ev;
    *stock = in_care;
}

static _Noreturn void usage(void) {
    fprintf(stderr, "usage: kernel [--replicates N] [--seed S] [--areas A] [--horizon DAYS]\n");
    exit(2);
}

static double sd(double sum, double sumsq, long n) {
    if (n < 2) return 0.0;
    double v = (sumsq - sum * sum / (double)n) / (double)(n - 1);
    return v > 0 ? sqrt(v) : 0.0;
}

int main(int argc, char **argv) {
    long reps = 1, areas = 150;
    unsigned long long seed = 1;
    double horizon = 3650.0;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc) usage();
        char *end = NULL;
        if (!strcmp(argv[i], "--replicates")) reps = strtol(argv[++i], &end, 10);
        else if (!strcmp(argv[i], "--seed")) seed = strtoull(argv[++i], &end, 10);
        else if (!strcmp(argv[i], "--areas")) areas = strtol(argv[++i], &end, 10);
        else if (!strcmp(argv[i], "--horizon")) horizon = strtod(argv[++i], &end);
        else usage();
        if (*end) usage();
    }
    if (reps < 1 || areas < 1 || areas > UINT32_MAX || !(horizon >= 0)) usage();

    uint64_t sm = seed;
    for (int i = 0; i < 4; i++) rng_s[i] = splitmix64(&sm);

    double ev_sum = 0, ev_sq = 0, st_sum = 0, st_sq = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long r = 0; r < reps; r++) { /* replicates continue one random stream */
        uint64_t ev, st;
        replicate((uint32_t)areas, horizon, &ev, &st);
        ev_sum += (double)ev; ev_sq += (double)ev * (double)ev;
        st_sum += (double)st; st_sq += (double)st * (double)st;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);

    printf("{\"engine\":\"kernel\",\"replicates\":%ld,\"events_total\":%.0f,"
           "\"events_per_replicate_mean\":%.3f,\"final_stock_mean\":%.3f,\"final_stock_sd\":%.3f,"
           "\"events_sd\":%.3f,\"wall_s\":%.6f,\"events_per_s\":%.1f}\n",
           reps, ev_sum, ev_sum / (double)reps, st_sum / (double)reps, sd(st_sum, st_sq, reps), sd(ev_sum, ev_sq, reps),
           wall, wall > 0 ? ev_sum / wall : 0.0);
    free(heap);
    return 0;
}
