/* Double-double arithmetic: a value is the unevaluated sum hi + lo of two
 * doubles with |lo| <= ulp(hi)/2, which carries about 32 significant
 * digits. Built on the error-free transformations TwoSum (Knuth) and
 * TwoProd (through fma()), after Dekker (1971) and the QD library of Hida,
 * Li and Bailey.
 *
 * These functions rely on every operation being rounded where it is
 * written: the library is compiled with -ffp-contract=off, and must never be
 * compiled with -ffast-math. long double is deliberately not used: under
 * valgrind it silently becomes double, and its width varies by platform.
 * Internal to the library; never installed. */
#ifndef ALMANAC_DD_H
#define ALMANAC_DD_H

#include <math.h>

struct dd {
    double hi;
    double lo;
};

/* Returns hi + lo = a + b exactly, with hi = fl(a + b) (Knuth's TwoSum). */
static inline struct dd dd_two_sum(double a, double b)
{
    double s = a + b;
    double bb = s - a;
    double e = (a - (s - bb)) + (b - bb);
    struct dd r = {s, e};
    return r;
}

/* As dd_two_sum, valid only when |a| >= |b| or a is 0 (Dekker's
 * FastTwoSum). */
static inline struct dd dd_quick_two_sum(double a, double b)
{
    double s = a + b;
    double e = b - (s - a);
    struct dd r = {s, e};
    return r;
}

/* Returns hi + lo = a * b exactly (barring underflow), with hi = fl(a * b);
 * the error term comes from one fused multiply-add. */
static inline struct dd dd_two_prod(double a, double b)
{
    double p = a * b;
    double e = fma(a, b, -p);
    struct dd r = {p, e};
    return r;
}

/* Returns the double-double holding a exactly. */
static inline struct dd dd_from(double a)
{
    struct dd r = {a, 0.0};
    return r;
}

/* Returns a + b, accurate to about 2^-104 relative (the "sloppy" addition
 * is not enough when a and b cancel, so both parts are summed exactly). */
static inline struct dd dd_add(struct dd a, struct dd b)
{
    struct dd s = dd_two_sum(a.hi, b.hi);
    struct dd t = dd_two_sum(a.lo, b.lo);
    s.lo += t.hi;
    s = dd_quick_two_sum(s.hi, s.lo);
    s.lo += t.lo;
    return dd_quick_two_sum(s.hi, s.lo);
}

/* Returns a + b for a double b. */
static inline struct dd dd_add_d(struct dd a, double b)
{
    struct dd s = dd_two_sum(a.hi, b);
    s.lo += a.lo;
    return dd_quick_two_sum(s.hi, s.lo);
}

/* Returns -a. */
static inline struct dd dd_neg(struct dd a)
{
    struct dd r = {-a.hi, -a.lo};
    return r;
}

/* Returns a - b. */
static inline struct dd dd_sub(struct dd a, struct dd b)
{
    return dd_add(a, dd_neg(b));
}

/* Returns a * b for a double b. */
static inline struct dd dd_mul_d(struct dd a, double b)
{
    struct dd p = dd_two_prod(a.hi, b);
    p.lo += a.lo * b;
    return dd_quick_two_sum(p.hi, p.lo);
}

/* Returns a * b. */
static inline struct dd dd_mul(struct dd a, struct dd b)
{
    struct dd p = dd_two_prod(a.hi, b.hi);
    double cross = a.hi * b.lo + a.lo * b.hi;
    p.lo += cross;
    return dd_quick_two_sum(p.hi, p.lo);
}

/* Returns a / b: a first quotient in double, then one correction computed
 * with the exact remainder a - q * b. */
static inline struct dd dd_div(struct dd a, struct dd b)
{
    double q1 = a.hi / b.hi;
    struct dd r = dd_sub(a, dd_mul_d(b, q1));
    double q2 = r.hi / b.hi;
    r = dd_sub(r, dd_mul_d(b, q2));
    double q3 = r.hi / b.hi;
    struct dd q = dd_quick_two_sum(q1, q2);
    return dd_add_d(q, q3);
}

/* Returns the double nearest to a (hi already is, by the invariant). */
static inline double dd_to_double(struct dd a)
{
    return a.hi + a.lo;
}

#endif
