/* A minimal test harness: CHECK macros count passes and failures, print
 * the failing expression with its place, and check_done() prints the
 * closing line "N passed, N failed" and returns the exit status. */
#ifndef ALMANAC_TESTS_CHECK_H
#define ALMANAC_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK_AT(cond, ...)                                                    \
    do {                                                                       \
        if (cond) {                                                            \
            check_passed++;                                                    \
        } else {                                                               \
            check_failed++;                                                    \
            fprintf(stderr, "%s:%d: FAILED: ", __FILE__, __LINE__);            \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
        }                                                                      \
    } while (0)

#define CHECK(c) CHECK_AT((c), "%s", #c)

#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *check_a_ = (a), *check_b_ = (b);                           \
        CHECK_AT(check_a_ &&check_b_ &&strcmp(check_a_, check_b_) == 0,        \
                 "%s == %s: '%s' vs '%s'", #a, #b,                             \
                 check_a_ ? check_a_ : "(null)",                               \
                 check_b_ ? check_b_ : "(null)");                              \
    } while (0)

#define CHECK_INT(a, b)                                                        \
    do {                                                                       \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);        \
        CHECK_AT(check_a_ == check_b_, "%s == %s: %lld vs %lld", #a, #b,       \
                 check_a_, check_b_);                                          \
    } while (0)

/* Relative difference within tol (absolute when want is 0). */
#define CHECK_REL(got, want, tol)                                              \
    do {                                                                       \
        double check_g_ = (got), check_w_ = (want);                            \
        double check_d_ = check_w_ == 0                                        \
                              ? fabs(check_g_)                                 \
                              : fabs(check_g_ - check_w_) / fabs(check_w_);    \
        CHECK_AT(check_d_ <= (tol), "%s = %.17g, want %.17g (rel %.3g > %g)",  \
                 #got, check_g_, check_w_, check_d_, (double)(tol));           \
    } while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
