/* Transformations: FRED's units and frequency aggregation (transform.h
 * gives the formulas). */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <almanac/transform.h>

#include "internal.h"

static const struct {
    const char *code, *title;
} tx_names[] = {
    [ALM_TX_LIN] = {"lin", "levels"},
    [ALM_TX_CHG] = {"chg", "change"},
    [ALM_TX_CH1] = {"ch1", "change from a year ago"},
    [ALM_TX_PCH] = {"pch", "percent change"},
    [ALM_TX_PC1] = {"pc1", "percent change from a year ago"},
    [ALM_TX_PCA] = {"pca", "compounded annual rate of change"},
    [ALM_TX_CCH] = {"cch", "continuously compounded rate of change"},
    [ALM_TX_CCA] = {"cca", "continuously compounded annual rate of change"},
    [ALM_TX_LOG] = {"log", "natural log"},
};

static const char *const agg_names[] = {
    [ALM_AGG_AVG] = "avg",
    [ALM_AGG_SUM] = "sum",
    [ALM_AGG_EOP] = "eop",
};

enum alm_status alm_transform_parse(const char *text, enum alm_transform *out,
                                    struct alm_error *err)
{
    for (size_t i = 0; i < sizeof tx_names / sizeof tx_names[0]; i++)
        if (text && strcmp(text, tx_names[i].code) == 0) {
            *out = (enum alm_transform)i;
            return ALM_OK;
        }
    char q[80];
    return alm_fail(err, ALM_EINPUT,
                    "unknown transformation '%s': expected lin, chg, ch1, "
                    "pch, pc1, pca, cch, cca or log",
                    alm_error_quote(text ? text : "", q, sizeof q));
}

enum alm_status alm_aggregate_parse(const char *text, enum alm_aggregate *out,
                                    struct alm_error *err)
{
    for (size_t i = 0; i < sizeof agg_names / sizeof agg_names[0]; i++)
        if (text && strcmp(text, agg_names[i]) == 0) {
            *out = (enum alm_aggregate)i;
            return ALM_OK;
        }
    char q[80];
    return alm_fail(err, ALM_EINPUT,
                    "unknown aggregation '%s': expected avg, sum or eop",
                    alm_error_quote(text ? text : "", q, sizeof q));
}

const char *alm_transform_code(enum alm_transform tx)
{
    return tx_names[tx].code;
}

const char *alm_transform_title(enum alm_transform tx)
{
    return tx_names[tx].title;
}

const char *alm_aggregate_code(enum alm_aggregate agg)
{
    return agg_names[agg];
}

void alm_transform_unit(enum alm_transform tx, const char *unit, char *out,
                        size_t size)
{
    switch (tx) {
    case ALM_TX_LIN:
    case ALM_TX_CHG:
    case ALM_TX_CH1:
        snprintf(out, size, "%s", unit);
        break;
    case ALM_TX_LOG:
        snprintf(out, size, "ln(%s)", unit);
        break;
    default:
        snprintf(out, size, "%%");
        break;
    }
}

int alm_freq_per_year(char freq)
{
    switch (freq) {
    case 'A':
    case 'P':
        return 1;
    case 'Q':
        return 4;
    case 'M':
        return 12;
    default:
        return 0;
    }
}

const char *alm_freq_name(char freq)
{
    switch (freq) {
    case 'A':
        return "annual";
    case 'Q':
        return "quarterly";
    case 'M':
        return "monthly";
    case 'D':
        return "daily";
    case 'P':
        return "partial-year (span)";
    default:
        return "irregular";
    }
}

static bool same_period(const struct alm_period *a, const struct alm_period *b)
{
    return a->kind == b->kind && a->m0 == b->m0 && a->m1 == b->m1 &&
           a->day == b->day;
}

/* The same period a year earlier (a 29 February has none: its day stays
 * 29 in a February of 28 days, which no series holds). */
static struct alm_period year_ago(const struct alm_period *p)
{
    struct alm_period q = *p;
    q.m0 -= 12;
    q.m1 -= 12;
    return q;
}

/* Whether the transformation compares with a year ago rather than with
 * the period before. */
static bool uses_year_ago(enum alm_transform tx)
{
    return tx == ALM_TX_CH1 || tx == ALM_TX_PC1;
}

/* The formula of tx at x (now) and b (the base), with n periods a year;
 * false where it is undefined. */
static bool formula(enum alm_transform tx, double x, double b, int n, double *y)
{
    switch (tx) {
    case ALM_TX_LIN:
        *y = x;
        return true;
    case ALM_TX_CHG:
    case ALM_TX_CH1:
        *y = x - b;
        break;
    case ALM_TX_PCH:
    case ALM_TX_PC1:
        if (b == 0)
            return false;
        *y = (x / b - 1) * 100;
        break;
    case ALM_TX_PCA:
        if (b == 0 || x / b < 0)
            return false;
        *y = (pow(x / b, n) - 1) * 100;
        break;
    case ALM_TX_CCH:
    case ALM_TX_CCA:
        if (x <= 0 || b <= 0)
            return false;
        *y = (log(x) - log(b)) * 100 * (tx == ALM_TX_CCA ? n : 1);
        break;
    case ALM_TX_LOG:
        if (x <= 0)
            return false;
        *y = log(x);
        return true;
    }
    return isfinite(*y);
}

/* Checks that every point has the frequency freq ('I' takes any). */
static enum alm_status check_freq(char freq, const struct alm_point *in,
                                  size_t n, struct alm_error *err)
{
    if (!strchr("AQMDPI", freq) || freq == '\0')
        return alm_fail(err, ALM_EINPUT,
                        "unknown frequency '%c': expected A, Q, M, D, P or I",
                        freq ? freq : '?');
    for (size_t i = 0; freq != 'I' && i < n; i++)
        if (alm_period_freq(&in[i].period) != freq) {
            char p[ALM_PERIOD_TEXT_MAX];
            alm_period_format(&in[i].period, p, sizeof p);
            return alm_fail(err, ALM_EINPUT,
                            "period %s is not of the series' frequency %c", p,
                            freq);
        }
    return ALM_OK;
}

enum alm_status alm_transform_apply(enum alm_transform tx, char freq,
                                    const struct alm_point *in, size_t n,
                                    struct alm_point *out, size_t *nout,
                                    struct alm_transform_stats *stats,
                                    struct alm_error *err)
{
    struct alm_transform_stats local = {0};
    *nout = 0;
    enum alm_status st = check_freq(freq, in, n, err);
    if (st != ALM_OK)
        return st;
    int per_year = alm_freq_per_year(freq);
    bool annual = tx == ALM_TX_PCA || tx == ALM_TX_CCA || uses_year_ago(tx);
    if (annual && per_year == 0)
        return alm_fail(err, ALM_EINPUT,
                        "%s needs a fixed number of periods a year: a %s "
                        "series has none",
                        tx_names[tx].code, freq == 'D' ? "daily" : "irregular");
    size_t j = 0; /* the year-ago candidate: keys only move forward */
    for (size_t i = 0; i < n; i++) {
        const struct alm_point *base = NULL;
        if (tx == ALM_TX_LIN || tx == ALM_TX_LOG) {
            base = &in[i];
        } else if (uses_year_ago(tx)) {
            struct alm_period key = year_ago(&in[i].period);
            while (j < i && alm_period_compare(&in[j].period, &key) < 0)
                j++;
            if (j < i && same_period(&in[j].period, &key))
                base = &in[j];
        } else if (i > 0) {
            struct alm_period next = alm_period_next(&in[i - 1].period);
            /* Daily series are mostly of working days, irregular ones of
             * whatever dates: both compare with the figure before. */
            if (freq == 'I' || freq == 'D' || same_period(&next, &in[i].period))
                base = &in[i - 1];
        }
        if (!base) {
            local.no_base++;
            continue;
        }
        double y = 0;
        if (!formula(tx, in[i].value, base->value, per_year, &y)) {
            local.undefined++;
            continue;
        }
        out[*nout].period = in[i].period;
        out[*nout].value = y;
        (*nout)++;
    }
    if (stats)
        *stats = local;
    return ALM_OK;
}

/* The period of frequency to ('Q' or 'A') that holds month m. */
static struct alm_period holder(char to, long m)
{
    struct alm_period p = {0};
    if (to == 'Q') {
        p.kind = ALM_PERIOD_QUARTER;
        p.m0 = m - m % 3;
        p.m1 = p.m0 + 2;
    } else {
        p.kind = ALM_PERIOD_YEAR;
        p.m0 = m - m % 12;
        p.m1 = p.m0 + 11;
    }
    return p;
}

enum alm_status alm_aggregate_apply(enum alm_aggregate agg, char from, char to,
                                    const struct alm_point *in, size_t n,
                                    struct alm_point *out, size_t *nout,
                                    struct alm_transform_stats *stats,
                                    struct alm_error *err)
{
    struct alm_transform_stats local = {0};
    *nout = 0;
    bool ok_pair =
        (from == 'M' && (to == 'Q' || to == 'A')) || (from == 'Q' && to == 'A');
    if (!ok_pair) {
        if (from == 'P' || from == 'D' || from == 'I')
            return alm_fail(err, ALM_EINPUT,
                            "a %s series cannot be aggregated: its "
                            "sub-periods are not known",
                            alm_freq_name(from));
        return alm_fail(err, ALM_EINPUT,
                        "cannot aggregate frequency %c to %c: only M to Q "
                        "or A, and Q to A",
                        from ? from : '?', to ? to : '?');
    }
    enum alm_status st = check_freq(from, in, n, err);
    if (st != ALM_OK)
        return st;
    /* Sub-periods in a period: months of a quarter or year, or quarters. */
    size_t want = from == 'Q' ? 4 : to == 'Q' ? 3 : 12;
    size_t i = 0;
    while (i < n) {
        struct alm_period p = holder(to, in[i].period.m0);
        size_t k = i;
        double sum = 0;
        /* Sub-periods arrive in order, one per period: count them and
         * check that each starts where the previous one ended. */
        bool gap = in[i].period.m0 != p.m0;
        while (k < n && in[k].period.m0 <= p.m1) {
            if (k > i && in[k].period.m0 != in[k - 1].period.m1 + 1)
                gap = true;
            sum += in[k].value;
            k++;
        }
        if (gap || k - i != want || in[k - 1].period.m1 != p.m1) {
            local.partial++;
        } else {
            double v = agg == ALM_AGG_SUM   ? sum
                       : agg == ALM_AGG_AVG ? sum / (double)want
                                            : in[k - 1].value;
            out[*nout].period = p;
            out[*nout].value = v;
            (*nout)++;
        }
        i = k;
    }
    if (stats)
        *stats = local;
    return ALM_OK;
}
