/* Import of the publishers' CSV files: the World Bank's (with its
 * optional metadata files), FRED's, the ECB data portal's and SDMX-CSV.
 * import_csv.c reads the records and dispatches each to the reader of its
 * format here (import_csv.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/fsio.h>
#include <almanac/period.h>

#include "import_csv.h"
#include "import_internal.h"
#include "internal.h"

static const char *cell(char **f, size_t n, long j)
{
    return j >= 0 && (size_t)j < n ? f[j] : "";
}

static long find_exact(const struct csvr *c, const char *name)
{
    for (size_t j = 0; j < c->ncols; j++)
        if (strcmp(c->head[j], name) == 0)
            return (long)j;
    return -1;
}

/* True when every byte of s is [A-Za-z0-9_]: an SDMX component id, as
 * opposed to a label ("Time frequency"). */
static bool is_ident(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

/* The unit inside the last parentheses of a name: "GDP (current US$)" gives
 * "current US$", "M2供应量(亿元)" gives "亿元"; "" when there are none. */
static void unit_of(const char *name, char *out, size_t size)
{
    const char *open = NULL, *close = NULL;
    for (const char *p = name; *p; p++) {
        if (*p == '(')
            open = p + 1;
        else if (strncmp(p, "（", 3) == 0)
            open = p + 3;
        else if (*p == ')' && open)
            close = p;
        else if (strncmp(p, "）", 3) == 0 && open)
            close = p;
    }
    out[0] = '\0';
    if (open && close && close > open) {
        size_t n = (size_t)(close - open);
        if (n >= size)
            n = size - 1;
        memcpy(out, open, n);
        out[n] = '\0';
    }
}

static const char *meta(const struct alm_table *t, const char *kcol,
                        const char *key, const char *vcol)
{
    if (!t)
        return NULL;
    long k = alm_table_col(t, kcol), v = alm_table_col(t, vcol);
    for (size_t r = 0; k >= 0 && v >= 0 && r < t->nrows; r++)
        if (strcmp(alm_table_cell(t, r, k), key) == 0)
            return alm_table_cell(t, r, v);
    return NULL;
}

struct mread {
    struct alm_table *t;
};

static enum alm_status meta_record(void *ctx, char **f, size_t n, long line)
{
    struct mread *m = ctx;
    if (!m->t) {
        while (n > 0 && !f[n - 1][0])
            n--; /* the World Bank's trailing comma */
        m->t = alm_table_new("metadata", n, (const char *const *)f);
        return m->t ? ALM_OK : ALM_ENOMEM;
    }
    if (alm_table_add_row(m->t, line) != ALM_OK)
        return ALM_ENOMEM;
    for (size_t j = 0; j < n && j < m->t->ncols; j++)
        if (alm_table_set(m->t, m->t->nrows - 1, j, f[j]) != ALM_OK)
            return ALM_ENOMEM;
    return ALM_OK;
}

/* Reads the World Bank metadata file dir + prefix + base, if it exists:
 * it is optional, so a missing or unreadable one is no error. */
static struct alm_table *read_meta(const struct imp *im, const char *prefix)
{
    if (!im->dir)
        return NULL;
    const char *base = strrchr(im->name, '/');
    base = base ? base + 1 : im->name;
    struct alm_buf path = ALM_BUF_INIT, data = ALM_BUF_INIT;
    struct mread m = {NULL};
    struct alm_error e;
    alm_error_clear(&e);
    if (alm_buf_printf(&path, "%s%s%s", im->dir, prefix, base) == ALM_OK &&
        alm_file_read(path.s, ALM_CSV_FILE_MAX, &data, &e) == ALM_OK) {
        const char *d = data.s;
        size_t len = data.len;
        if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) {
            d += 3;
            len -= 3;
        }
        if (!alm__utf8_valid(d, len) ||
            alm__imp_csv_each(d, len, ',', path.s, 0, meta_record, &m, &e) !=
                ALM_OK) {
            alm_table_free(m.t);
            m.t = NULL;
        }
    }
    alm_buf_release(&path);
    alm_buf_release(&data);
    return m.t;
}

enum alm_status alm__csv_wdi_header(struct csvr *c, long line)
{
    c->cname = find_exact(c, "Country Name");
    c->ccode = find_exact(c, "Country Code");
    c->iname = find_exact(c, "Indicator Name");
    c->icode = find_exact(c, "Indicator Code");
    if (c->cname < 0 || c->ccode < 0 || c->iname < 0 || c->icode < 0)
        return alm__csv_bad(
            c, line, NULL,
            "a World Bank file has the columns Country Name, Country "
            "Code, Indicator Name, Indicator Code and one per year");
    for (size_t j = 0; j < c->ncols; j++) {
        char p[ALM_PERIOD_TEXT_MAX];
        if (alm__csv_head_period(c->head[j], p) &&
            !(c->hperiod[j] = alm__strdup(p)))
            return alm__csv_nomem(c);
    }
    c->mind = read_meta(c->im, "Metadata_Indicator_");
    c->mcountry = read_meta(c->im, "Metadata_Country_");
    c->im->uses_source = true;
    return alm__imp_source(c->im, NULL, "World Bank", NULL);
}

enum alm_status alm__csv_wdi_row(struct csvr *c, char **f, size_t n, long line)
{
    struct imp *im = c->im;
    enum alm_status st;
    if (!alm__csv_row_ready(c, f, n, line, &st))
        return st;
    const char *code = f[c->icode], *country = f[c->ccode];
    if (!code[0] || !country[0])
        return alm__csv_bad(
            c, line, !code[0] ? "Indicator Code" : "Country Code",
            "empty code: every row needs its indicator and country "
            "codes");
    const char *iname = meta(c->mind, "INDICATOR_CODE", code, "INDICATOR_NAME");
    const char *cname = meta(c->mcountry, "Country Code", country, "TableName");
    if (!iname || !iname[0])
        iname = f[c->iname];
    if (!cname || !cname[0])
        cname = f[c->cname];
    struct alm_buf title = ALM_BUF_INIT;
    char unit[200];
    unit_of(iname, unit, sizeof unit);
    if (alm_buf_printf(&title, "%s: %s", iname, cname) != ALM_OK)
        return alm__csv_nomem(c);
    const char *parts[] = {code, country};
    long s = alm__imp_series(im, parts, 2, false, title.s, unit, 'A', line);
    alm_buf_release(&title);
    if (s < 0)
        return im->err->status;
    for (size_t j = 0; j < n; j++)
        if (c->hperiod[j] && alm__imp_obs(im, s, c->hperiod[j], f[j], NULL, 0,
                                          line, c->head[j], c->head[j]) < 0)
            return im->err->status;
    return ALM_OK;
}

/* -- FRED ------------------------------------------------------------------ */

enum alm_status alm__csv_fred_header(struct csvr *c, long line)
{
    struct imp *im = c->im;
    struct alm_buf title = ALM_BUF_INIT;
    enum alm_status st = ALM_OK;
    if (strcmp(c->head[0], "DATE") != 0 &&
        strcmp(c->head[0], "observation_date") != 0)
        return alm__csv_bad(
            c, line, NULL,
            "a FRED file starts with the column DATE (legacy) or "
            "observation_date");
    for (size_t j = 1; j < c->ncols && st == ALM_OK; j++) {
        if (!c->head[j][0]) {
            st =
                alm__csv_bad(c, line, NULL,
                             "a column of the header is empty: FRED names each "
                             "column by its series id");
            break;
        }
        const char *parts[] = {c->head[j]};
        c->colser[j] =
            alm__imp_series(im, parts, 1, false, c->head[j], NULL, 0, line);
        if (c->colser[j] < 0)
            st = im->err->status;
        else if (alm_buf_printf(&title, "%sFRED %s", j > 1 ? ", " : "",
                                c->head[j]) != ALM_OK)
            st = alm__csv_nomem(c);
    }
    im->uses_source = true;
    if (st == ALM_OK)
        st = alm__imp_source(im, title.s,
                             "Federal Reserve Bank of St. Louis (FRED)", NULL);
    alm_buf_release(&title);
    return st;
}

enum alm_status alm__csv_series_row(struct csvr *c, char **f, size_t n,
                                    long line, long pcol)
{
    struct imp *im = c->im;
    enum alm_status st;
    if (!alm__csv_row_ready(c, f, n, line, &st))
        return st;
    for (size_t j = 0; j < n; j++)
        if (c->colser[j] >= 0 &&
            alm__imp_obs(im, c->colser[j], f[pcol], f[j], NULL, 0, line,
                         c->head[pcol], c->head[j]) < 0)
            return im->err->status;
    return ALM_OK;
}

/* -- ECB data portal ----------------------------------------------------------
 */

enum alm_status alm__csv_ecb_header(struct csvr *c, long line)
{
    struct imp *im = c->im;
    c->cp = find_exact(c, "TIME PERIOD");
    if (c->cp < 0)
        return alm__csv_bad(
            c, line, NULL,
            "an ECB data portal file has the columns DATE, TIME "
            "PERIOD and one per series");
    for (size_t j = 0; j < c->ncols; j++) {
        if ((long)j == c->cp || strcmp(c->head[j], "DATE") == 0)
            continue;
        /* "Title (KEY.WITH.DOTS)[ - Modified value (Quarterly)]": the key is
         * the parenthesised group of codes and dots. */
        const char *h = c->head[j], *key = NULL;
        size_t klen = 0;
        for (const char *p = strchr(h, '('); p; p = strchr(p + 1, '(')) {
            const char *q = p + 1;
            while (*q && (isalnum((unsigned char)*q) || *q == '_' || *q == '.'))
                q++;
            if (*q == ')' && memchr(p + 1, '.', (size_t)(q - p - 1))) {
                key = p + 1;
                klen = (size_t)(q - key);
            }
        }
        if (!key)
            return alm__csv_bad(
                c, line, h,
                "no series key in parentheses: the ECB data portal "
                "names each column 'Title (KEY)'");
        char *k = alm__strndup(key, klen);
        char *title = alm__strndup(h, (size_t)(key - 1 - h));
        enum alm_status st = k && title ? ALM_OK : ALM_ENOMEM;
        if (st == ALM_OK) {
            char *parts[40];
            size_t np = 0;
            parts[np++] = (char *)"ecb";
            for (char *p = k; p && np < 40; np++) {
                parts[np] = p;
                p = strchr(p, '.');
                if (p)
                    *p++ = '\0';
            }
            char *t = alm__imp_trim(title);
            if (t) {
                c->colser[j] = alm__imp_series(im, (const char *const *)parts,
                                               np, false, t, NULL, 0, line);
                if (c->colser[j] < 0)
                    st = im->err->status;
            } else {
                st = ALM_ENOMEM;
            }
            free(t);
        }
        free(k);
        free(title);
        if (st == ALM_ENOMEM)
            return alm__csv_nomem(c);
        if (st != ALM_OK)
            return st;
    }
    im->uses_source = true;
    return alm__imp_source(im, NULL, "European Central Bank", NULL);
}

/* -- SDMX-CSV -------------------------------------------------------------- */

static bool sdmx_special(const char *h)
{
    static const char *const names[] = {
        "DATAFLOW", "STRUCTURE",   "STRUCTURE_ID", "STRUCTURE_NAME",
        "ACTION",   "TIME_PERIOD", "OBS_VALUE"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(h, names[i]) == 0)
            return true;
    return false;
}

enum alm_status alm__csv_sdmx_header(struct csvr *c, long line)
{
    c->ctime = find_exact(c, "TIME_PERIOD");
    c->cval = find_exact(c, "OBS_VALUE");
    if (c->ctime < 0 || c->cval < 0)
        return alm__csv_bad(c, line, NULL,
                            "an SDMX-CSV file has the columns TIME_PERIOD and "
                            "OBS_VALUE");
    c->cflow = find_exact(c, "DATAFLOW");
    if (c->cflow < 0)
        c->cflow = find_exact(c, "STRUCTURE_ID");
    c->cname2 = find_exact(c, "STRUCTURE_NAME");
    c->clast = find_exact(c, "LAST UPDATE");
    c->cstat = find_exact(c, "OBS_STATUS");
    if (c->cstat < 0)
        c->cstat = find_exact(c, "OBS_FLAG");
    c->cmult = find_exact(c, "UNIT_MULT");
    c->cunit = find_exact(c, "UNIT_MEASURE");
    if (c->cunit < 0)
        c->cunit = find_exact(c, "unit");
    c->cfreq = find_exact(c, "FREQ");
    if (c->cfreq < 0)
        c->cfreq = find_exact(c, "freq");
    /* Dimensions: the component columns before OBS_VALUE (SDMX-CSV puts
     * attributes after it); a label column right after a dimension is its
     * label (SDMX-CSV 2.0 with labels=both). */
    bool both = false; /* a label column after each code column */
    for (size_t j = 0; j + 1 < (size_t)c->cval && !both; j++)
        both = is_ident(c->head[j]) && !sdmx_special(c->head[j]) &&
               !is_ident(c->head[j + 1]) && (long)(j + 1) != c->clast;
    c->ndims = 0;
    for (size_t j = 0; j < (size_t)c->cval; j++) {
        if (both && (long)j == c->ctime) {
            j++; /* TIME_PERIOD's label ("Time") */
            continue;
        }
        if (sdmx_special(c->head[j]) || !is_ident(c->head[j]))
            continue;
        c->dims[c->ndims] = (long)j;
        c->dimlab[c->ndims] =
            both && j + 1 < (size_t)c->cval ? (long)j + 1 : -1;
        if (both)
            j++;
        c->ndims++;
    }
    c->im->uses_source = true;
    return ALM_OK;
}

/* Splits an SDMX structure reference "AGENCY:ID(VERSION)" (or
 * "AGENCY:DSD@FLOW(1.0)", "ESTAT:ID$DEFAULTVIEW(1.0)") into agency and
 * flow id. */
static void flow_parts(const char *ref, char *agency, char *flow, size_t size)
{
    const char *colon = strchr(ref, ':');
    const char *id = colon ? colon + 1 : ref;
    size_t na = colon ? (size_t)(colon - ref) : 0;
    if (na >= size)
        na = size - 1;
    memcpy(agency, ref, na);
    agency[na] = '\0';
    const char *at = strchr(id, '@');
    if (at)
        id = at + 1;
    size_t nf = strcspn(id, "($");
    if (nf >= size)
        nf = size - 1;
    memcpy(flow, id, nf);
    flow[nf] = '\0';
}

/* The frequency letter of an SDMX FREQ code or label. */
static char freq_letter(const char *v)
{
    if (!v[0])
        return 0;
    if (!v[1] && strchr("AQMDW", v[0]))
        return v[0];
    if (alm__csv_head_is(v, "Annual"))
        return 'A';
    if (alm__csv_head_is(v, "Quarterly"))
        return 'Q';
    if (alm__csv_head_is(v, "Monthly"))
        return 'M';
    if (alm__csv_head_is(v, "Daily") || alm__csv_head_is(v, "Weekly"))
        return 'D';
    return 0;
}

enum alm_status alm__csv_sdmx_row(struct csvr *c, char **f, size_t n, long line)
{
    struct imp *im = c->im;
    char agency[128] = "", flow[128] = "";
    enum alm_status st;
    if (!alm__csv_row_ready(c, f, n, line, &st))
        return st;
    if (c->cflow >= 0)
        flow_parts(f[c->cflow], agency, flow, sizeof agency);
    const char *parts[MAXC + 2];
    size_t np = 0;
    if (agency[0])
        parts[np++] = agency;
    if (flow[0])
        parts[np++] = flow;
    struct alm_buf title = ALM_BUF_INIT;
    if (c->cname2 >= 0 && f[c->cname2][0])
        st = alm_buf_printf(&title, "%s: ", f[c->cname2]);
    for (size_t d = 0; d < c->ndims && st == ALM_OK; d++) {
        const char *v = f[c->dims[d]];
        parts[np++] = v;
        const char *lab =
            c->dimlab[d] >= 0 && f[c->dimlab[d]][0] ? f[c->dimlab[d]] : v;
        st = alm_buf_printf(&title, "%s%s", d ? ", " : "", lab);
    }
    if (st != ALM_OK)
        return alm__csv_nomem(c);
    const char *unit = cell(f, n, c->cunit);
    for (size_t d = 0; d < c->ndims; d++)
        if (c->dims[d] == c->cunit && c->dimlab[d] >= 0 && f[c->dimlab[d]][0])
            unit = f[c->dimlab[d]];
    char freq = freq_letter(cell(f, n, c->cfreq));
    long s = alm__imp_series(im, parts, np, false, title.s, unit, freq, line);
    alm_buf_release(&title);
    if (s < 0)
        return im->err->status;
    int mult = 0;
    const char *m = cell(f, n, c->cmult);
    if (m[0] && alm__parse_int(m[0] == '-' ? m + 1 : m, &mult, NULL) != ALM_OK)
        return alm__csv_bad(
            c, line, "UNIT_MULT",
            "UNIT_MULT is the power of ten of the unit: expected an "
            "integer");
    if (m[0] == '-')
        mult = -mult;
    if (mult > 30 || mult < -30)
        return alm__csv_bad(c, line, "UNIT_MULT",
                            "UNIT_MULT out of range (-30..30)");
    if (alm__imp_obs(im, s, f[c->ctime], f[c->cval], cell(f, n, c->cstat), mult,
                     line, "TIME_PERIOD", "OBS_VALUE") < 0)
        return im->err->status;
    /* The file's date and title: Eurostat's LAST UPDATE ("30/10/25
     * 23:00:00", day/month/two-digit year) and the structure. */
    if (!im->title && (st = alm__imp_source(im,
                                            c->cname2 >= 0 && f[c->cname2][0]
                                                ? f[c->cname2]
                                                : cell(f, n, c->cflow),
                                            agency, NULL)) != ALM_OK)
        return st;
    int dd, mm, yy, end = 0;
    if (!im->date && c->clast >= 0 &&
        /* The widths bound every number (no overflow), then a space or
         * the end. NOLINTNEXTLINE(cert-err34-c) */
        sscanf(f[c->clast], "%2d/%2d/%4d%n", &dd, &mm, &yy, &end) == 3 &&
        (f[c->clast][end] == ' ' || f[c->clast][end] == '\0') && mm >= 1 &&
        mm <= 12 && dd >= 1 && dd <= 31) {
        char date[48];
        snprintf(date, sizeof date, "%04d-%02d-%02d", yy < 100 ? 2000 + yy : yy,
                 mm, dd);
        long day;
        if (alm_date_parse(date, &day, NULL) == ALM_OK &&
            (st = alm__imp_source(im, NULL, NULL, date)) != ALM_OK)
            return st;
    }
    return ALM_OK;
}
