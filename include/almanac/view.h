/* Views: what people read, and the CSV for programs. The presentation
 * layer: it depends on the analysis modules (project.h, track.h,
 * regress.h), never the other way round.
 *
 * The tables list and show print are built from a dataset as struct
 * alm_table values, so that one writer turns them into CSV
 * (alm_table_format) and one into aligned text for people
 * (alm_table_format_text); alm_view_list and alm_view_show return a new
 * table in *out (the caller frees it with alm_table_free) and leave *out
 * untouched on failure. The other functions append to a caller's buffer.
 */
#ifndef ALMANAC_VIEW_H
#define ALMANAC_VIEW_H

#include <stdbool.h>

#include <almanac/csvio.h>
#include <almanac/dataset.h>
#include <almanac/project.h>
#include <almanac/regress.h>
#include <almanac/track.h>

/* Output formats of commands that print tables. */
enum alm_format { ALM_FORMAT_TABLE, ALM_FORMAT_CSV, ALM_FORMAT_JSON };

/* Parses "table", "csv" or "json" (the --format option). */
enum alm_status alm_format_parse(const char *text, enum alm_format *out,
                                 struct alm_error *err);

/* Appends t as aligned text columns: numbers right-aligned, text left,
 * line breaks inside cells shown as spaces, widths counted in characters
 * (East Asian wide characters count two). */
enum alm_status alm_table_format_text(const struct alm_table *t,
                                      struct alm_buf *out);

/* Text for people never carries a terminal's control characters: in
 * out->s from offset from on, a CR becomes a space and every other
 * control character (C0 but line feed and tab, DEL, C1) is shown escaped,
 * "\x1B" or "\u0085". Tables (alm_table_format_text) do this per cell,
 * with line breaks and tabs as spaces. */
enum alm_status alm_text_escape_controls(struct alm_buf *out, size_t from);

/* Appends a row to t with cells[0..t->ncols), an empty or NULL cell left
 * empty. */
enum alm_status alm_table_add_cells(struct alm_table *t,
                                    const char *const *cells);

/* What the header object of JSON output says: the as-of date (null when
 * ALM_DATE_NONE, a dataset without dates), the model (omitted when NULL)
 * and the level in percent (omitted when NaN). */
struct alm_view_head {
    long as_of;
    bool has_as_of; /* false: the table has no as-of date (regress) */
    const char *model;
    double level;
};

/* Appends t as one JSON document (jansson), two-space indented:
 *
 *     {"header": {"table": NAME, "as_of": DATE, "model": M, "level": L},
 *      "rows": [{COLUMN: VALUE, ...}, ...]}
 *
 * one object per row, keyed by the header's names, in order. A cell of a
 * column typed ALM_COL_NUMBER is a JSON number (an integer when written
 * without a point or an exponent), null when empty; a cell that is not a
 * number stays a string, so nothing is lost. Other cells are strings,
 * an empty one null. No formula guard: JSON is read by programs. */
enum alm_status alm_table_format_json(const struct alm_table *t,
                                      const struct alm_view_head *head,
                                      struct alm_buf *out);

/* Appends t in format f (text, CSV with the formula guard of csvio.h, or
 * JSON without an as-of date). */
enum alm_status alm_table_write(const struct alm_table *t, enum alm_format f,
                                struct alm_buf *out);

/* One row per indicator, in the order of indicators.csv, with the latest
 * period's figure as of as_of (empty when none). In CSV the columns are
 * indicator,title,unit,kind,frequency,period,value,qualifier,status,
 * vintage,source; for people (f is ALM_FORMAT_TABLE) they are fewer and
 * narrower: indicator,period,value (the qualifier written before it, as
 * in ">13"),unit,status,vintage,source. */
enum alm_status alm_view_list(const struct alm_dataset *ds, long as_of,
                              enum alm_format f, struct alm_table **out);

/* alm_view_list's table of the dataset in dir, read an indicator at a
 * time (without reading it whole), as of as_of_text (--as-of's text, NULL
 * or "" for the latest vintage: *as_of, the date alm_view_write writes).
 * False when it cannot (a dataset the stream does not serve, derived
 * indicators, any problem in the dataset): the caller then reads the
 * dataset whole (alm_dataset_open, alm_view_list), which reports any
 * problem as every command does. */
bool alm_view_list_dataset(const char *dir, const char *as_of_text,
                           enum alm_format f, struct alm_table **out,
                           long *as_of);

/* The series of indicator ind with its provenance, one row per
 * observation: period,value,qualifier,status,vintage,source,quote. With
 * all_vintages every vintage not after as_of, else the one analysis uses. */
enum alm_status alm_view_show(const struct alm_dataset *ds, size_t ind,
                              long as_of, bool all_vintages,
                              struct alm_table **out, struct alm_error *err);

/* Appends the view t in format f, stating the as-of date it used: a
 * first line "as of DATE" in a table for people, a last column "as_of" in
 * CSV (t gains that column); CSV cells get the formula guard of csvio.h. */
enum alm_status alm_view_write(struct alm_table *t, enum alm_format f,
                               long as_of, struct alm_buf *out);

/* alm_view_write() with the model and level for JSON's header object: in
 * JSON, the as-of date is in the header, not a column. */
enum alm_status alm_view_write_head(struct alm_table *t, enum alm_format f,
                                    const struct alm_view_head *head,
                                    struct alm_buf *out);

/* How alm_format_number() writes a number. */
enum {
    ALM_NUM_TRIM = 1, /* drop trailing zeros: "6.2", not "6.200" */
    ALM_NUM_GROUP = 2 /* group the digits of amounts of 5 digits and more by
                         thousands: "12,890,000" */
};

/* The one formatter of numbers for people (tables, prose, reports, chart
 * labels): sig significant digits, but never fewer than the integer part
 * has (12888 with 3 is "12888") and never an exponent, except beyond 1e15
 * or below 1e-5 in magnitude where %.SIGg is used ("1.235e+15"); "-0" is
 * written "0"; "" for NaN and infinities. flags: ALM_NUM_*. 80 is "80"
 * (with ALM_NUM_TRIM) or "80.00" (sig 4), never "8e+01". */
void alm_format_number(double x, int sig, unsigned flags, char *out,
                       size_t size);

/* Numbers in aligned tables: alm_format_number(x, 4, 0, ...), so that
 * figures of one column keep their decimals ("13.70"). */
void alm_format_people(double x, char *out, size_t size);

/* Writes a day number as text for an "as of" line: "2025-03-18", or
 * "unknown" for ALM_DATE_NONE. */
void alm_as_of_format(long as_of, char *out, size_t size);

/* ---- analyses for people (view_fit.c, view_track.c; alm_regress_write
 * is in regress.c) ---- */

/* Appends the fitted model of a projection in plain words (its name, the
 * points fitted, auto's choice, the slope or growth, the residual SD and
 * R-squared), each line starting with indent. Plain text: escape it for
 * the output's language. p must be fitted. */
enum alm_status alm_projection_words(const struct alm_projection *p,
                                     const char *indent, struct alm_buf *out);

/* Appends the projections p[0..n) in format f: for people, a block per
 * indicator with the model, its fit and the projected periods; in CSV one
 * row per projected period with the columns
 * indicator,model,n,period,value,lower,upper,level,t,runner_up,score,
 * runner_up_score,flags,note (an indicator with no fit gets one row with
 * the note). */
enum alm_status alm_view_fit(const struct alm_dataset *ds,
                             const struct alm_projection *p, size_t n,
                             enum alm_format f, long as_of, double level,
                             struct alm_buf *out);

/* alm_view_fit()'s CSV a piece at a time, for projections that come one
 * at a time (alm_project_dataset): its header line; the rows of one
 * projection p, as of *as_of or, with as_of NULL (not known yet), each
 * record without its as_of field and line end, which a hole of
 * ALM_VIEW_FIT_HOLE NUL bytes keeps the place of; and, in place, the
 * holes of text[0..len) filled with their as_of and line ends: *filled
 * gets the length of the text filled, *used how much of text it took in
 * (all but a hole cut short at its end, which a next block of the text,
 * from there, completes). The pieces in order give alm_view_fit()'s text
 * byte for byte. */
#define ALM_VIEW_FIT_HOLE 16
enum alm_status alm_view_fit_csv_head(struct alm_buf *out);
enum alm_status alm_view_fit_csv_rows(const struct alm_dataset *ds,
                                      const struct alm_projection *p,
                                      double level, const long *as_of,
                                      struct alm_buf *out);
enum alm_status alm_view_fit_csv_date(char *text, size_t len, long as_of,
                                      size_t *filled, size_t *used);

/* The CSV rows of alm_view_fit() (without as_of) as a new table in *out,
 * with its column types; the caller frees it. */
enum alm_status alm_view_fit_table(const struct alm_dataset *ds,
                                   const struct alm_projection *p, size_t n,
                                   double level, struct alm_table **out);

/* The CSV rows of alm_view_track() (without as_of) as a new table in *out,
 * with its column types; the caller frees it. */
enum alm_status alm_view_track_table(const struct alm_dataset *ds,
                                     const struct alm_track *a, size_t n,
                                     const struct alm_track_opts *o,
                                     struct alm_table **out);

/* Appends the assessment r in plain words, a line for each point (the
 * status, the latest and baseline figures, the progress, the figure a
 * past target was judged on, the projection and probability, notes), each
 * line starting with indent. The words are plain text: escape them for
 * the output's language. */
enum alm_status alm_track_words(const struct alm_dataset *ds,
                                const struct alm_track *r,
                                const struct alm_track_opts *o,
                                const char *indent, struct alm_buf *out);

/* Appends the assessments in format f: for people, a paragraph per target
 * in plain words; in CSV one row per target with the columns
 * indicator,target_period,target,comparator,status,ratio,observed_cagr,
 * required_cagr, then method,eurostat_status,unsd_status,unsd_q,
 * unsd_value,rates,baseline,baseline_from,baseline_value,latest_period,
 * latest_value,latest_qualifier,points,needed_cagr,time_distance,model,
 * projected,lower,upper,level,probability,note. Rates are fractions in
 * CSV and percents for people. */
enum alm_status alm_view_track(const struct alm_dataset *ds,
                               const struct alm_track *a, size_t n,
                               const struct alm_track_opts *o,
                               enum alm_format f, struct alm_buf *out);

/* Appends r in format f. CSV is the header term,estimate,std_error, one
 * row per coefficient, then the rows sigma and r.squared with an empty
 * std_error; numbers in the shortest form that reads back exactly. A table
 * for people has the same three columns (10 significant digits), then the
 * lines sigma, r.squared and n. Returns ALM_OK or ALM_ENOMEM. */
enum alm_status alm_regress_write(const struct alm_regress *r,
                                  enum alm_format f, struct alm_buf *out);

#endif
