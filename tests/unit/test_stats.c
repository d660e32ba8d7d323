/* Tests of stats and progress (idmap.c): the operation counter counts one
 * per probe of an id hash table, so that the scaling test can trust it;
 * the hash tables themselves (internal.h) find every key they were given
 * and nothing else; the progress callback receives what the library
 * reports, and nothing once removed. Expected counts follow from the
 * table's rule (at least twice as many slots as keys: a probe into an
 * empty table, or for a key that is alone in its slot, is one). */
#include <stdio.h>
#include <string.h>

#include <almanac/progress.h>
#include <almanac/stats.h>

#include "internal.h"

#include "../check.h"

static void test_counter(void)
{
    alm_stats_reset();
    CHECK_INT(alm_stats_ops(), 0);
    struct alm__idmap *m = alm__idmap_new(4);
    CHECK(m != NULL);
    if (!m)
        return;
    /* Creating a table probes nothing; a find in an empty table is one
     * probe (its first slot is empty). */
    CHECK_INT(alm_stats_ops(), 0);
    CHECK_INT(alm__idmap_find(m, "a"), -1);
    CHECK_INT(alm_stats_ops(), 1);
    /* A put with room is one probe, the find of that key one more. */
    long have = 7;
    CHECK(alm__idmap_put(m, "a", 42, &have) == ALM_OK);
    CHECK_INT(have, -1);
    CHECK_INT(alm_stats_ops(), 2);
    CHECK_INT(alm__idmap_find(m, "a"), 42);
    CHECK_INT(alm_stats_ops(), 3);
    /* A key already there is not replaced: have names its index. */
    CHECK(alm__idmap_put(m, "a", 43, &have) == ALM_OK);
    CHECK_INT(have, 42);
    CHECK_INT(alm__idmap_find(m, "a"), 42);
    /* NULL finds nothing and counts nothing. */
    unsigned long long before = alm_stats_ops();
    CHECK_INT(alm__idmap_find(NULL, "a"), -1);
    CHECK_INT(alm_stats_ops(), before);
    alm__idmap_free(m);
    alm__idmap_free(NULL);
    alm_stats_reset();
    CHECK_INT(alm_stats_ops(), 0);
}

/* 5,000 keys into a table sized for none: it grows as it goes, and every
 * key is found with its value. The probes stay linear in the keys: with
 * the load at most one half, linear probing averages under 2.5 probes
 * per successful find (Knuth, TAOCP 6.4: (1 + 1/(1 - a)) / 2 at a = 1/2),
 * so 5,000 finds take fewer than 5 * 5,000 probes with room to spare,
 * and at least one each. */
static void test_growth(void)
{
    static char keys[5000][16];
    struct alm__idmap *m = alm__idmap_new(0);
    CHECK(m != NULL);
    if (!m)
        return;
    bool ok = true;
    for (size_t i = 0; i < 5000 && ok; i++) {
        long have;
        snprintf(keys[i], sizeof keys[i], "id.%zu", i);
        ok = alm__idmap_put(m, keys[i], i, &have) == ALM_OK && have == -1;
    }
    CHECK(ok);
    alm_stats_reset();
    size_t found = 0;
    for (size_t i = 0; i < 5000; i++)
        found += alm__idmap_find(m, keys[i]) == (long)i;
    CHECK_INT(found, 5000);
    unsigned long long ops = alm_stats_ops();
    CHECK_AT(ops >= 5000 && ops < 25000, "%llu probes for 5000 finds", ops);
    CHECK_INT(alm__idmap_find(m, "id.5000"), -1);
    CHECK_INT(alm__idmap_find(m, "id.12"), 12);
    alm__idmap_free(m);
}

struct seen {
    int calls;
    char what[64];
    size_t done, total;
};

static void on_progress(void *ctx, const char *what, size_t done, size_t total)
{
    struct seen *s = ctx;
    s->calls++;
    snprintf(s->what, sizeof s->what, "%s", what);
    s->done = done;
    s->total = total;
}

static void test_progress(void)
{
    struct seen s = {0, "", 0, 0};
    alm__progress("nobody listens", 1, 2); /* no callback: nothing */
    alm_progress_set(on_progress, &s);
    alm__progress("reading ds/observations.csv", 300, 1000);
    CHECK_INT(s.calls, 1);
    CHECK_STR(s.what, "reading ds/observations.csv");
    CHECK_INT(s.done, 300);
    CHECK_INT(s.total, 1000);
    alm_progress_set(NULL, NULL);
    alm__progress("after", 1, 1);
    CHECK_INT(s.calls, 1);
}

int main(void)
{
    alm_init();
    test_counter();
    test_growth();
    test_progress();
    return check_done();
}
