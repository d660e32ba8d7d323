/* The backtest command's output (backtest.h computes it). */
#ifndef ALMANAC_BACKTEST_VIEW_H
#define ALMANAC_BACKTEST_VIEW_H

#include <stddef.h>

#include <almanac/backtest.h>
#include <almanac/buf.h>
#include <almanac/dataset.h>
#include <almanac/view.h>

/* Appends rows[0..n) in format f: for people, a table per indicator and
 * model, then a summary per model (series scored, mean MASE, pooled
 * coverage, how often auto chose it); in CSV one row per indicator and
 * model with the columns
 * indicator,model,n,hold,mae,mase,coverage,chosen,note. */
enum alm_status alm_view_backtest(const struct alm_dataset *ds,
                                  const struct alm_backtest_row *rows, size_t n,
                                  const struct alm_backtest_opts *o,
                                  enum alm_format f, struct alm_buf *out);

#endif
