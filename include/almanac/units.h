/* Units with their scale. An indicator's unit is free text ("vehicles",
 * "% of GDP"); some carry a scale, a factor of a base unit, which this
 * module reads so that values convert between scales of one unit and
 * are shown at a readable one. Nothing here changes a stored figure.
 *
 * The scales (a word before or after the base, separated by a space, or
 * a Chinese character before it, with no space):
 *
 *   k, thousand            1e3      CNY k, thousand tonnes
 *   10k                    1e4      10k vehicles
 *   mn, million            1e6      CNY mn, million vehicles
 *   bn, billion            1e9      CNY bn, billion kWh
 *   tn, trillion           1e12     USD tn
 *   万                     1e4      万辆 (10k vehicles), 万元
 *   亿                     1e8      亿元 (100 million yuan)
 *   万亿                   1e12     万亿元
 *
 * A unit with none of them has scale 1 ("vehicles", "CNY", "%"); a scale
 * word alone is a scale of nothing ("million": a number in millions).
 * 千 is not a scale here: 千克 and 千瓦 are units of their own. Units
 * compare by their base, exactly: "CNY bn" and "CNY" are one unit, "CNY"
 * and "USD" are not, and neither are "vehicles" and "辆". */
#ifndef ALMANAC_UNITS_H
#define ALMANAC_UNITS_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/error.h>

/* The longest unit text handled, with its NUL; longer units have scale 1
 * and are their own base. */
#define ALM_UNIT_MAX 160

struct alm_unit {
    double scale;            /* the factor of the base: 1e9 for "CNY bn" */
    char base[ALM_UNIT_MAX]; /* "CNY", "vehicles", "元", "" */
    bool chinese;            /* the scale is 万/亿, or the base is Chinese */
};

/* Reads a unit's text (NULL is ""). Never fails: a text without a known
 * scale is its own base, at scale 1. */
void alm_unit_parse(const char *text, struct alm_unit *u);

/* The factor that turns a value in unit from into one in unit to ("10k
 * vehicles" to "million vehicles": 0.01; "亿元" to "CNY bn": refused,
 * 元 is not CNY). ALM_EINPUT with a message naming both units when their
 * bases differ. */
enum alm_status alm_unit_factor(const char *from, const char *to,
                                double *factor, struct alm_error *err);

/* The readable scale for values in unit whose largest magnitude is big:
 * *divide gets what to divide them by, out (size bytes) the unit to show
 * them in. Chinese units go by 万, 亿 and 万亿 (2830000 辆 is 283 万辆);
 * others by thousand (from 1e5), million, billion and trillion, written
 * after a currency code ("CNY bn") and before anything else ("million
 * vehicles", "million" for a unit without a base); percentages,
 * percentage points, indices and logs keep their scale. A unit already at the
 * readable scale gives *divide = 1 and itself. */
void alm_unit_readable(const char *unit, double big, double *divide, char *out,
                       size_t size);

#endif
