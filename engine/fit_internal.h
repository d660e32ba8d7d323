/* What fit.c shares with fit_auto.c; private to the library. */
#ifndef ALMANAC_FIT_INTERNAL_H
#define ALMANAC_FIT_INTERNAL_H

#include <stddef.h>

#include <almanac/fit.h>

/* Fits one named model (not auto) to the n points (t, y). */
enum alm_status alm__fit_one(struct alm_fit_ws *w, const double *t,
                             const double *y, size_t n,
                             const struct alm_model_spec *m,
                             struct alm_fit *out, struct alm_error *err);

/* The number of parameters of a model, for auto's ties. */
size_t alm__fit_params(const struct alm_model_spec *m);

/* The model's scale: z = y, ln y or logit(y/100), and back. */
double alm__fit_to_scale(enum alm_model m, double y);
double alm__fit_from_scale(enum alm_model m, double z);

#endif
