/* The kinds of indicator: what a value means, hence which bounds it keeps
 * (a share stays within 0..100) and how a fit treats it. A header of its
 * own so that the analysis modules (fit) can name a kind without
 * depending on the dataset; alm_kind_name() and alm_kind_parse() are the
 * dataset's (dataset.h). */
#ifndef ALMANAC_KIND_H
#define ALMANAC_KIND_H

enum alm_kind {
    ALM_KIND_LEVEL,  /* an amount, >= 0 */
    ALM_KIND_COUNT,  /* a number of things, >= 0 */
    ALM_KIND_SHARE,  /* percent of a whole, 0..100 */
    ALM_KIND_GROWTH, /* percent change on a year earlier */
    ALM_KIND_INDEX,
    ALM_KIND_VALUE /* anything */
};

#endif
