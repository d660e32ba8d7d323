/* Extraction: the statistical figures stated in plain-text documents
 * (English or Chinese, UTF-8, GBK or Big5, Simplified or Traditional), each
 * with its value, unit, kind, period, qualifier, role and quote.
 *
 * What the words mean lives in a lexicon: CSV files in a folder (lexicon/
 * of the source tree, or $ALMANAC_LEXICON) that a user reads and extends:
 * scales.csv (million, 亿), units.csv (%, yuan, 辆, zones), kinds.csv
 * (year on year, accounted for, fell), periods.csv (patterns such as
 * "first # months", "#-#月", "last year"), qualifiers.csv (over, 左右),
 * roles.csv (aims to, 力争), exclude.csv (departments, page), stopwords.csv
 * and traditional.csv (繁 -> 简, applied before matching). The grammar over
 * them is in extract.c; README.md describes both.
 *
 * Ownership: a struct alm_lexicon and a struct alm_doc are freed with their
 * own free functions; every string in them is owned by them. */
#ifndef ALMANAC_EXTRACT_H
#define ALMANAC_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include <almanac/csvio.h>
#include <almanac/dataset.h>
#include <almanac/error.h>

struct alm_lexicon;

/* Writes the lexicon folder used when none is given into out (size bytes):
 * $ALMANAC_LEXICON when set and not empty, else PREFIX/share/almanac/lexicon
 * of the prefix the running program is installed in (its folder's parent),
 * else the lexicon folder of the source tree Almanac was built from, else
 * that of the configured install prefix (the first holding units.csv). */
void alm_lexicon_default_dir(char *out, size_t size);

/* Loads the lexicon in dir (NULL: alm_lexicon_default_dir). A missing file
 * or a bad row fails with err naming the file, line and column. */
enum alm_status alm_lexicon_load(const char *dir, struct alm_lexicon **out,
                                 struct alm_error *err);

/* Frees lex; NULL is a no-op. */
void alm_lexicon_free(struct alm_lexicon *lex);

/* One figure found in a document. */
struct alm_figure {
    size_t offset;           /* byte offset of its number in the document */
    double value;            /* scale applied, negative for a decline */
    char unit[16];           /* "%", "pp", "CNY", "count", "index", ... */
    enum alm_kind kind;      /* level, count, share, growth or index */
    char period[24];         /* canonical period text, "" when unknown */
    enum alm_qualifier qual; /* for a target, its comparator (or ~) */
    bool target;             /* a goal or a projection, not an observation */
    char *quote;             /* its sentence */
    char *subject;           /* the words it is about ("" when none) */
};

/* A document and the figures found in it. */
struct alm_doc {
    char *name;           /* as given (the path) */
    char *text;           /* its text in UTF-8 */
    size_t len;           /* bytes of text */
    char date[11];        /* "YYYY-MM-DD" from its date line, "" if none */
    char *title;          /* its first line of text (cut), never NULL */
    const char *encoding; /* "UTF-8", "GBK" or "BIG5" */
    struct alm_figure *fig;
    size_t nfig;
};

/* Finds the figures in len bytes of data (a whole document in any of the
 * supported encodings); name is used in messages and kept in the result.
 * Text that is not UTF-8, GBK or Big5, or holds NUL bytes, is ALM_EINPUT.
 * On success *out holds the document; free it with alm_doc_free(). */
enum alm_status alm_extract_text(const struct alm_lexicon *lex,
                                 const char *name, const char *data, size_t len,
                                 struct alm_doc **out, struct alm_error *err);

/* Reads the file at path and extracts from it as alm_extract_text(). A file
 * that cannot be read is ALM_EIO. */
enum alm_status alm_extract_file(const struct alm_lexicon *lex,
                                 const char *path, struct alm_doc **out,
                                 struct alm_error *err);

/* Frees doc; NULL is a no-op. */
void alm_doc_free(struct alm_doc *doc);

/* Builds the table of the figures of n documents, one row per figure, with
 * the columns document,offset,value,unit,kind,period,qualifier,role,quote,
 * subject (document is the file's base name). Text a spreadsheet would
 * run as a formula (alm_export_is_formula) gets a leading "'", as in
 * exports; values are never touched. */
enum alm_status alm_extract_table(struct alm_doc *const *docs, size_t n,
                                  struct alm_table **out,
                                  struct alm_error *err);

/* Writes a figure's value: an integer in plain digits (80, 500000000000),
 * else the shortest text that reads back as the same double (7.6). */
void alm_extract_format_value(double x, char *out, size_t size);

/* Options of alm_extract_into(). */
struct alm_extract_into_opts {
    const char *map; /* CSV file subject,indicator[,document], or NULL */
};

/* What alm_extract_into() wrote. */
struct alm_extract_into_result {
    size_t observations, targets, indicators, sources;
    size_t skipped; /* figures without a period, left out */
};

/* Appends the figures of n documents to the dataset in dir in one atomic
 * write: a source per document (id from its file name, its title and
 * date), an indicator per document, subject and unit (or the indicator the
 * map gives the subject), observations and targets with their quotes. A
 * figure whose period is unknown cannot be stored and is counted in
 * res->skipped. All rows valid or nothing written. A folder dir that does
 * not exist is created as a new dataset (and removed again on failure). */
enum alm_status alm_extract_into(const char *dir, struct alm_doc *const *docs,
                                 size_t n,
                                 const struct alm_extract_into_opts *opts,
                                 struct alm_extract_into_result *res,
                                 struct alm_error *err);

#endif
