/* Views: the tables that list, show and export print, built from a dataset
 * as struct alm_table values so that one writer turns them into CSV
 * (alm_table_format) and one into aligned text for people
 * (alm_table_format_text).
 *
 * Every function here returns a new table in *out (the caller frees it with
 * alm_table_free) and leaves *out untouched on failure. */
#ifndef ALMANAC_VIEW_H
#define ALMANAC_VIEW_H

#include <stdbool.h>

#include <almanac/csvio.h>
#include <almanac/dataset.h>

/* Output formats of commands that print tables. */
enum alm_format { ALM_FORMAT_TABLE, ALM_FORMAT_CSV };

/* Parses "table" or "csv" (the --format option). */
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

/* Appends t in format f (text, or CSV with the formula guard of csvio.h). */
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

/* Writes a day number as text for an "as of" line: "2025-03-18", or
 * "unknown" for ALM_DATE_NONE. */
void alm_as_of_format(long as_of, char *out, size_t size);

#endif
