/* Derived indicators, private to derive.c (parsing, validation, the
 * public questions) and derive_eval.c (computing): a formula parsed into
 * nodes, per indicator. */
#ifndef ALMANAC_DERIVE_INTERNAL_H
#define ALMANAC_DERIVE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/dataset.h>
#include <almanac/transform.h>

enum dop { D_NUM, D_IND, D_ADD, D_SUB, D_MUL, D_DIV, D_NEG, D_TX, D_SHIFT };

struct dnode {
    enum dop op;
    int a, b;              /* operands (node indices), -1 when none */
    double num;            /* D_NUM */
    size_t ind;            /* D_IND */
    enum alm_transform tx; /* D_TX */
    int years;  /* D_SHIFT: +1 for lag (a year later in time), -1 lead */
    bool named; /* an indicator is named at or below this node */
};

struct dform {
    struct dnode *node;
    int nnode, root;
    const char *text; /* borrowed from indicators.csv */
    /* Once alm_derive_record() has recorded its figures: true, and its
     * observations are rec[rec_off .. rec_off + rec_n) of struct
     * alm__derived (indices into ds->obs), which alm_dataset_obs_of()
     * gives as its group. */
    bool recorded;
    size_t rec_off, rec_n;
    const char *title; /* once recorded: its title as declared */
};

struct alm__derived {
    struct dform *form; /* per indicator; node NULL when not derived */
    long *same_as;      /* per indicator, -1 when none */
    size_t nind;
    size_t nderived; /* how many have a formula */
    size_t *rec;     /* the recorded observations, by indicator */
    size_t nrec;
};

/* The recorded observations of derived indicator ind (alm_derive_record),
 * for alm_dataset_obs_of(): true and *idx, *n set when it has any. */
bool alm__derive_recorded_obs(const struct alm_dataset *ds, size_t ind,
                              const size_t **idx, size_t *n);

/* The parsed formula of indicator ind, or NULL when it is not derived. */
const struct dform *alm__derive_form(const struct alm_dataset *ds, size_t ind);

#endif
