/* Hash tables from ids to indices: open addressing with linear probing,
 * keys borrowed from the caller (see internal.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/progress.h>
#include <almanac/stats.h>

#include "internal.h"

_Thread_local unsigned long long alm__ops;

unsigned long long alm_stats_ops(void)
{
    return alm__ops;
}

void alm_stats_reset(void)
{
    alm__ops = 0;
}

struct alm__idmap {
    size_t cap; /* a power of two, at least twice the entries */
    size_t n;
    const char **key; /* NULL for an empty slot */
    size_t *val;
};

/* FNV-1a over the bytes of s. */
static uint64_t hash_of(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

struct alm__idmap *alm__idmap_new(size_t n)
{
    struct alm__idmap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 16;
    while (m->cap < 2 * n + 2)
        m->cap *= 2;
    m->key = calloc(m->cap, sizeof *m->key);
    m->val = malloc(m->cap * sizeof *m->val);
    if (!m->key || !m->val) {
        alm__idmap_free(m);
        return NULL;
    }
    return m;
}

void alm__idmap_free(struct alm__idmap *m)
{
    if (!m)
        return;
    free(m->key);
    free(m->val);
    free(m);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t slot_of(const struct alm__idmap *m, const char *key)
{
    size_t i = (size_t)hash_of(key) & (m->cap - 1);
    for (;;) {
        alm__ops++;
        if (!m->key[i] || strcmp(m->key[i], key) == 0)
            return i;
        i = (i + 1) & (m->cap - 1);
    }
}

long alm__idmap_find(const struct alm__idmap *m, const char *key)
{
    if (!m)
        return -1;
    size_t i = slot_of(m, key);
    return m->key[i] ? (long)m->val[i] : -1;
}

static enum alm_status grow(struct alm__idmap *m)
{
    struct alm__idmap big = {m->cap * 2, 0, NULL, NULL};
    big.key = calloc(big.cap, sizeof *big.key);
    big.val = malloc(big.cap * sizeof *big.val);
    if (!big.key || !big.val) {
        free(big.key);
        free(big.val);
        return ALM_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->key[i])
            continue;
        size_t j = slot_of(&big, m->key[i]);
        big.key[j] = m->key[i];
        big.val[j] = m->val[i];
        big.n++;
    }
    free(m->key);
    free(m->val);
    *m = big;
    return ALM_OK;
}

enum alm_status alm__idmap_put(struct alm__idmap *m, const char *key,
                               size_t val, long *have)
{
    size_t i = slot_of(m, key);
    if (m->key[i]) {
        *have = (long)m->val[i];
        return ALM_OK;
    }
    *have = -1;
    if (2 * (m->n + 1) > m->cap) {
        if (grow(m) != ALM_OK)
            return ALM_ENOMEM;
        i = slot_of(m, key);
    }
    m->key[i] = key;
    m->val[i] = val;
    m->n++;
    return ALM_OK;
}

/* ---- progress (progress.h) ------------------------------------------- */

static alm_progress_fn progress_fn;
static void *progress_ctx;

void alm_progress_set(alm_progress_fn fn, void *ctx)
{
    progress_fn = fn;
    progress_ctx = ctx;
}

void alm__progress(const char *what, size_t done, size_t total)
{
    if (progress_fn)
        progress_fn(progress_ctx, what, done, total);
}
