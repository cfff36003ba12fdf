/* tests/check.h - minimal assertions for the C tests: print the expression and both values,
 * flush (ctest buffers output), and count failures; main returns check_result(). */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <math.h>
#include <stdio.h>

static int check_failures;

#define CHECK(cond) do { if (!(cond)) { check_failures++; \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); fflush(stderr); } } while (0)
#define CHECK_EQ_INT(a, b) do { long long va_ = (long long)(a), vb_ = (long long)(b); if (va_ != vb_) { \
    check_failures++; fprintf(stderr, "%s:%d: %s == %s failed: %lld vs %lld\n", __FILE__, __LINE__, #a, #b, va_, vb_); \
    fflush(stderr); } } while (0)
/* |a - b| <= tol, with the reason for tol stated at the call site. */
#define CHECK_NEAR(a, b, tol) do { double va_ = (a), vb_ = (b), t_ = (tol); if (!(fabs(va_ - vb_) <= t_)) { \
    check_failures++; fprintf(stderr, "%s:%d: |%s - %s| <= %s failed: %.6g vs %.6g (diff %.3g, tol %.3g)\n", \
    __FILE__, __LINE__, #a, #b, #tol, va_, vb_, va_ - vb_, t_); fflush(stderr); } } while (0)

static inline int check_result(const char *name)
{
    if (check_failures)
        fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
    else
        printf("%s: all checks passed\n", name);
    return check_failures ? 1 : 0;
}

#endif
