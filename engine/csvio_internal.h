/* CSV tables, private to csvio.c and csv_parse.c: the cell pool and row
 * storage. */
#ifndef ALMANAC_CSVIO_INTERNAL_H
#define ALMANAC_CSVIO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <almanac/csvio.h>

/* A table's cells are carved from chunks of at most 16 MiB, at most 256
 * of them (4 GiB of text), and a cell is a 32-bit reference: the chunk's
 * number in the top 8 bits, the offset in it below. Chunks never move, so
 * a cell's text stays where it is while the table grows. Reference 0 is
 * the pool's one "" (the first bytes of chunk 0). */
#define ALM__REF_BITS   24
#define ALM__REF_CHUNKS ((size_t)1 << (32 - ALM__REF_BITS))

struct pool_chunk {
    size_t used, cap;
    char data[];
};

struct alm_cellpool {
    struct pool_chunk **chunks;
    size_t nchunks, capchunks;
    size_t cur;      /* the chunk new text goes to */
    size_t next_cap; /* the size of the next chunk */
    size_t shared;   /* bytes (NULs included) cells share rather than
                      * hold a copy of: the text they stand for is the
                      * chunks' plus this */
};

/* The text of reference ref. */
static inline const char *alm__pool_str(const struct alm_cellpool *p,
                                        uint32_t ref)
{
    return p->chunks[ref >> ALM__REF_BITS]->data +
           (ref & (((uint32_t)1 << ALM__REF_BITS) - 1));
}

/* Makes room for n more chunks in p's array. */
enum alm_status alm__pool_reserve_chunks(struct alm_cellpool *p, size_t n);

/* A new empty pool; NULL when out of memory. */
struct alm_cellpool *alm__pool_new(void);

/* Copies n bytes of s plus a NUL into the pool, its reference to *ref;
 * false when out of memory (or the pool holds 4 GiB). */
bool alm__pool_strndup(struct alm_cellpool *p, const char *s, size_t n,
                       uint32_t *ref);

/* alm__pool_strndup, inline where the current chunk has room. */
static inline bool alm__pool_put(struct alm_cellpool *p, const char *s,
                                 size_t n, uint32_t *ref)
{
    struct pool_chunk *c = p->chunks[p->cur];
    if (c->cap - c->used <= n)
        return alm__pool_strndup(p, s, n, ref);
    *ref = (uint32_t)(p->cur << ALM__REF_BITS) | (uint32_t)c->used;
    char *d = c->data + c->used;
    /* Short texts in two copies of a fixed size that overlap, rather
     * than a call. */
    if (n >= 8 && n <= 16) {
        memcpy(d, s, 8);
        memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4 && n < 8) {
        memcpy(d, s, 4);
        memcpy(d + n - 4, s + n - 4, 4);
    } else {
        memcpy(d, s, n);
    }
    d[n] = '\0';
    c->used += n + 1;
    return true;
}

/* Lends p the chunks of from, behind p's own (p's current chunk stays
 * current, so nothing is ever written into them): a reference r of from
 * reads the same text in p as r + *shift (0, the "", stays 0). No text is
 * copied. false when p has no room for them (the caller copies instead).
 * from must outlive p's use of them, and alm__pool_unlend(p, *shift, n)
 * (n: from's chunks) must take them back before p is freed. */
bool alm__pool_lend(struct alm_cellpool *p, const struct alm_cellpool *from,
                    uint32_t *shift, size_t *n);
void alm__pool_unlend(struct alm_cellpool *p, uint32_t shift, size_t n);

/* A record's text, built before it goes to the output in one copy. */
struct alm__csv_line {
    char *s;
    size_t len, cap;
    size_t longest; /* the longest field put so far, guard included */
};

/* Appends the record of fields[0..n) to out as alm_table_format writes
 * it, each field j with guarded[j] (guarded may be NULL) preceded by a
 * formula guard ('\''); l is scratch room, freed by the caller. */
enum alm_status alm__csv_put_record(struct alm_buf *out,
                                    struct alm__csv_line *l,
                                    const char *const *fields,
                                    const bool *guarded, size_t n);

/* The text alm_table_format() gives of t, handed to put(ctx, s, len) a
 * piece at a time (whole records, in order) rather than held whole: memory
 * bounded by a stretch of rows. *longest gets the length of the longest
 * field. Returns ALM_ENOMEM, or the first status put returns other than
 * ALM_OK (nothing more is put then). */
enum alm_status
alm__table_write(const struct alm_table *t,
                 enum alm_status (*put)(void *ctx, const char *s, size_t len),
                 void *ctx, size_t *longest);

/* alm_table_format() that also gives the length of the longest field it
 * wrote (*longest, a guard included), and writes into out from a capacity
 * reserved for the text's size as the pool's text gives it. */
enum alm_status alm__table_format_longest(const struct alm_table *t,
                                          struct alm_buf *out, size_t *longest);

/* Makes room for cap rows (the cells' pointers and lines); never shrinks. */
enum alm_status alm__table_reserve_rows(struct alm_table *t, size_t cap);

/* Makes room for ncells cells, keeping the first keep; never shrinks
 * (caprows is the caller's to set). Large arrays live in a mapping of
 * their own and grow without a copy. */
enum alm_status alm__table_cells_grow(struct alm_table *t, size_t ncells,
                                      size_t keep);

/* Cell arrays of at least this many bytes are mapped (4 MiB unless a
 * test sets it). */
void alm__cells_map_min(size_t bytes);

/* Frees t's cells (t->cells is NULL after it). */
void alm__table_cells_free(struct alm_table *t);

/* Gives from's cells to to (whose own are freed); from has none after. */
void alm__table_cells_move(struct alm_table *to, struct alm_table *from);

#endif
