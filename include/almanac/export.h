/* Exports: a dataset, and optionally its projections, as one CSV table
 * for spreadsheets and other programs.
 *
 * The long layout has every observation row whose vintage is not after
 * the as-of date, with the columns of observations.csv (the standard ones
 * first, in their standard order, then any others), sorted by indicator
 * (in the order of indicators.csv), period, vintage and file order.
 * Importing it into a dataset with the same indicators and sources and
 * exporting again gives the same bytes. With projections, each
 * indicator's projected periods follow its observations, and the columns
 * type ("observation" or "projection"), model, lower and upper are added.
 *
 * The wide layout has one row per period in time order and a column per
 * indicator holding the figure analysis uses as of the date; with
 * projections, the projected periods are added and each projected
 * indicator gets the columns ID:lower, ID:upper and ID:model (':' cannot
 * appear in an id).
 *
 * Text cells that a spreadsheet would run as a formula (starting with
 * '=', '+', '-', '@', a tab or a carriage return, and not a number) get a
 * leading "'" unless raw is set, by the one rule of csvio.h
 * (alm_csv_needs_guard), which import undoes; numbers are never touched. */
#ifndef ALMANAC_EXPORT_H
#define ALMANAC_EXPORT_H

#include <stdbool.h>

#include <almanac/buf.h>
#include <almanac/csvio.h>
#include <almanac/dataset.h>
#include <almanac/project.h>

struct alm_export_opts {
    bool wide;
    long as_of;
    const struct alm_projection *proj; /* NULL for none */
    size_t nproj;
    bool raw; /* keep formula triggers as they are */
};

/* Builds the export of ds into *out (caller frees with alm_table_free). */
enum alm_status alm_export(const struct alm_dataset *ds,
                           const struct alm_export_opts *o,
                           struct alm_table **out, struct alm_error *err);

/* Appends the export of ds to out as CSV text: the text alm_table_format
 * writes of alm_export's table, the long layout written row by row
 * without building the table. */
enum alm_status alm_export_csv(const struct alm_dataset *ds,
                               const struct alm_export_opts *o,
                               struct alm_buf *out, struct alm_error *err);

/* What alm_export_dataset gives the text to once an indicator's rows are
 * in out: it may take them (write them somewhere and empty out). */
typedef enum alm_status (*alm_export_flush_fn)(void *ctx, struct alm_buf *out);

/* Appends alm_export_csv's text of the dataset in dir to out as the
 * dataset is read, an indicator at a time, without reading it whole,
 * calling flush (when not NULL) after each indicator: the long layout,
 * o->as_of given by as_of_text (--as-of's text, NULL or "" for the latest
 * vintage), with each indicator's projection by po when po is not NULL
 * (through alm_project_dataset; o->proj is not used). Returns false when
 * it cannot (the wide layout, a dataset the stream does not serve,
 * derived indicators, a horizon alm_project_dataset cannot tell, any
 * problem in the dataset, or flush failing): what out holds and what
 * flush got are then to be thrown away, and the caller reads the dataset
 * whole (alm_dataset_open, alm_project_all, alm_export_csv), which
 * reports any problem as every command does. */
bool alm_export_dataset(const char *dir, const struct alm_export_opts *o,
                        const struct alm_projection_opts *po,
                        const char *as_of_text, struct alm_buf *out,
                        alm_export_flush_fn flush, void *ctx);

/* Returns true when a spreadsheet would treat text as a formula. */
bool alm_export_is_formula(const char *text);

#endif
