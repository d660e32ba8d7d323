/* CSV tables, private to csvio.c and csv_parse.c: the cell pool and row
 * storage. */
#ifndef ALMANAC_CSVIO_INTERNAL_H
#define ALMANAC_CSVIO_INTERNAL_H

#include <stddef.h>

#include <almanac/csvio.h>

/* A table's cells are carved from chunks (a list, newest first). */
struct pool_chunk {
    struct pool_chunk *next;
    size_t used, cap;
    char data[];
};

struct alm_cellpool {
    struct pool_chunk *head;
    size_t next_cap;
    char *empty; /* the one "" every empty new cell points to */
};

/* A new empty pool; NULL when out of memory. */
struct alm_cellpool *alm__pool_new(void);

/* Copies n bytes of s plus a NUL into the pool; NULL when out of memory. */
char *alm__pool_strndup(struct alm_cellpool *p, const char *s, size_t n);

/* Makes room for cap rows (the cells' pointers and lines); never shrinks. */
enum alm_status alm__table_reserve_rows(struct alm_table *t, size_t cap);

#endif
