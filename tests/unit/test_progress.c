/* tests/unit/test_progress.c - the progress bar's share done: a finished task's share leaves the
 * running tasks' sum when it is counted as done (it was shown as 145% when the last tick's
 * share of the task just finished was counted again), the share never passes 100%, and the
 * JSON lines carry the same numbers; a bar line fits 80 columns (not a terminal: 80 assumed), padded
 * so that a shorter update covers a longer one. Updates are rate-limited (0.2 s on a terminal, 1 s as
 * JSON), so the test waits past the limit between updates; nothing depends on timing beyond
 * that. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../sim/progress.h"
#include "../check.h"

static void wait_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Everything written to f so far, from the start. */
static char *contents(FILE *f)
{
    static char buf[4096];
    fflush(f);
    long n = ftell(f);
    rewind(f);
    size_t got = fread(buf, 1, n > 0 && (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1, f);
    buf[got] = '\0';
    fseek(f, 0, SEEK_END);
    return buf;
}

/* The text after the last carriage return or newline that ends an update. */
static const char *last_update(const char *s)
{
    const char *l = strrchr(s, '\r');
    return l ? l + 1 : s;
}

static void bar(void)
{
    FILE *f = tmpfile();
    sim_progress p;
    sim_progress_init(&p, SIM_PROGRESS_BAR, 2, f);
    sim_progress_tick(&p, 100, 0.9);   /* one of two tasks 90% done: 45% */
    CHECK(strstr(last_update(contents(f)), " 45%  0/2 tasks") != NULL);
    wait_s(0.25);
    sim_progress_task(&p, 10, 0.0);    /* it finishes; the other has not started: 50% */
    const char *u = last_update(contents(f));
    CHECK(strstr(u, " 50%  1/2 tasks") != NULL);
    if (!strstr(u, " 50%  1/2 tasks")) fprintf(stderr, "shown: %s\n", u);
    wait_s(0.25);
    sim_progress_tick(&p, 100, 1.5);   /* estimates above 1 are shown as 100%, not more */
    u = last_update(contents(f));
    CHECK(strstr(u, "100%  1/2 tasks") != NULL);
    CHECK(strstr(u, "[#") != NULL && strstr(u, "-") == NULL);   /* the bar full */
    CHECK_EQ_INT(strlen(u), 79);
    sim_progress_finish(&p);
    CHECK(strstr(contents(f), "100%  1/2 tasks") != NULL);
    fclose(f);
}

static void json(void)
{
    FILE *f = tmpfile();
    sim_progress p;
    sim_progress_init(&p, SIM_PROGRESS_JSON, 4, f);
    sim_progress_tick(&p, 5, 1.0);     /* 1 of 4 tasks' worth running: 0.25 */
    CHECK(strstr(contents(f), "\"tasks_done\":0,\"tasks_total\":4,\"fraction_done\":0.2500,") != NULL);
    wait_s(1.1);
    sim_progress_task(&p, 5, 0.5);
    CHECK(strstr(contents(f), "\"tasks_done\":1,\"tasks_total\":4,\"fraction_done\":0.3750,") != NULL);
    fclose(f);
}

int main(void)
{
    bar();
    json();
    return check_result("test_progress");
}
