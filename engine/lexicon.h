/* The lexicon of the extractor (private to the library): entries loaded
 * from the CSV files of a lexicon folder, and the matcher of their patterns
 * against normalised text. See include/almanac/extract.h. */
#ifndef ALMANAC_LEXICON_H
#define ALMANAC_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <almanac/dataset.h>
#include <almanac/extract.h>

enum lx_cat {
    LX_SCALE,
    LX_UNIT,
    LX_KIND,
    LX_PERIOD,
    LX_QUAL,
    LX_ROLE,
    LX_EXCL,
    LX_STOP
};

/* Kinds of kinds.csv rows. */
enum lx_kind { KC_GROWTH, KC_SHARE, KC_INDEX, KC_COUNT, KC_REACH, KC_NEUTRAL };

/* Types of periods.csv rows. */
enum lx_ptype {
    PT_YEAR,
    PT_MONTH,
    PT_SPAN,
    PT_QUARTER,
    PT_RELYEAR,
    PT_RELMONTH,
    PT_BASE,
    PT_SKIP,
    PT_DATE,
    PT_BASEMARK,
    PT_ASOF
};

/* Where a unit, qualifier or excluding word stands. */
enum lx_pos { POS_AFTER, POS_BEFORE, POS_NOUN, POS_SENTENCE };

struct lx_entry {
    char *pat; /* the words, '#' a number, '@' a month name */
    enum lx_cat cat;
    int exp;            /* scale: power of ten */
    char unit[16];      /* unit: its code */
    enum alm_kind kind; /* unit: the kind it implies (ALM_KIND_VALUE: none) */
    enum lx_pos pos;    /* unit, qualifier, exclude */
    bool stock;         /* unit: a count of things that exist (zones) */
    enum lx_kind kc;    /* kind */
    int sign;           /* kind: -1 for a decline */
    enum lx_ptype pt;   /* period */
    char pval[16];      /* period: value ("1-#", "-1", "@") */
    bool ptarget;       /* period: a deadline ("by 2025") */
    char qobs[3], qtgt[3]; /* qualifier for observations and targets */
};

struct lx_trad {
    uint32_t from, to;
};

struct alm_lexicon {
    struct lx_entry *e;
    size_t n;
    /* Entries by the first byte of their pattern: by_byte[from[b]] up to
     * by_byte[from[b + 1]] start with byte b; those starting with a slot
     * ('#', '@') are under byte 0. */
    size_t *by_byte;
    size_t from[257];
    struct lx_trad *trad; /* sorted by from */
    size_t ntrad;
};

/* What the slots of a matched pattern held: numbers, then month names. */
struct lx_caps {
    long num[4];
    int nnum;
    int mon[2];
    int nmon;
};

/* Finds the longest entry matching text s (len bytes) at pos, skipping
 * entries whose category is not in the bit set cats (1 << LX_...). Writes
 * the entry and its slots; returns the bytes matched, 0 if none. */
size_t alm__lx_match(const struct alm_lexicon *lex, const char *s, size_t len,
                     size_t pos, unsigned cats, const struct lx_entry **out,
                     struct lx_caps *caps);

/* Decodes one UTF-8 character of s at *i (advancing *i); invalid bytes
 * decode as themselves. */
uint32_t alm__utf8_next(const char *s, size_t len, size_t *i);

/* Scans an integer at s[pos]: ASCII digits, or Chinese numerals
 * (一百七十八, 二〇二四). Returns the bytes used (0 if none) and the value. */
size_t alm__scan_int(const char *s, size_t len, size_t pos, long *value);

/* Maps a Traditional character to its Simplified form (itself if none). */
uint32_t alm__lx_simplify(const struct alm_lexicon *lex, uint32_t cp);

#endif
