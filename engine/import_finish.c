/* Import's last steps once every format has fed the builder: dates
 * mapped onto periods of each series' frequency, the indicators and the
 * series summary built, the file's source named (import_internal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/period.h>

#include "import_internal.h"
#include "internal.h"

/* The frequency of a series dated by days, from the dates themselves:
 * every date the first (FRED) or the last (ECB) day of its month, a year
 * apart in January or December: A; three months apart on quarter
 * boundaries: Q; else M; anything else is D. */
static char infer_date_freq(struct imp *im, const size_t *rows, size_t nr)
{
    const struct alm_table *t = im->b->obs;
    bool first = true, last = true, jan = true, dec = true, qs = true,
         qe = true;
    long prev = -1, mingap = -1;
    size_t n = 0;
    for (size_t i = 0; i < nr; i++) {
        size_t r = rows[i];
        if (!im->row_date[r])
            continue;
        int y, m, d;
        /* A date this row's period already parsed as one (YYYY-MM-DD). */
        // NOLINTNEXTLINE(cert-err34-c)
        if (sscanf(alm_table_cell(t, r, 1), "%d-%d-%d", &y, &m, &d) != 3)
            return 'D';
        n++;
        first = first && d == 1;
        last = last && d == alm_days_in_month(y, m);
        jan = jan && m == 1;
        dec = dec && m == 12;
        qs = qs && (m - 1) % 3 == 0;
        qe = qe && m % 3 == 0;
        long mo = (long)y * 12 + m - 1;
        if (prev >= 0) {
            long gap = mo > prev ? mo - prev : prev - mo;
            if (mingap < 0 || gap < mingap)
                mingap = gap;
        }
        prev = mo;
    }
    if (n < 2 || mingap <= 0 || !(first || last))
        return 'D';
    if ((first && jan) || (last && dec))
        return mingap >= 12 ? 'A' : 'D';
    if ((first && qs) || (last && qe))
        return mingap >= 3 ? 'Q' : 'M';
    return 'M';
}

/* Maps the dates of series s onto periods of frequency f. */
static enum alm_status map_dates(struct imp *im, const size_t *rows, size_t nr,
                                 char f)
{
    struct alm_table *t = im->b->obs;
    char prev[ALM_PERIOD_TEXT_MAX] = "", prev_date[16] = "";
    for (size_t i = 0; i < nr; i++) {
        size_t r = rows[i];
        if (!im->row_date[r])
            continue;
        int y, m, d;
        char out[ALM_PERIOD_TEXT_MAX];
        // NOLINTNEXTLINE(cert-err34-c): a date parsed as one, as above
        if (sscanf(alm_table_cell(t, r, 1), "%d-%d-%d", &y, &m, &d) != 3)
            continue;
        if (f == 'A')
            snprintf(out, sizeof out, "%04d", y);
        else if (f == 'Q')
            snprintf(out, sizeof out, "%04d-Q%d", y, (m - 1) / 3 + 1);
        else if (f == 'M')
            snprintf(out, sizeof out, "%04d-%02d", y, m);
        else
            continue;
        /* Two dates of one period (daily data read as months): import
         * does not aggregate. */
        if (strcmp(out, prev) == 0) {
            alm_fail(im->err, ALM_EINPUT,
                     "dates %s and %s both fall in %s: the data is finer "
                     "than frequency %c; leave --frequency out to keep them",
                     prev_date, alm_table_cell(t, r, 1), out, f);
            alm_error_locate(im->err, im->name, t->lines[r], NULL);
            return ALM_EINPUT;
        }
        alm__copy(prev, sizeof prev, out);
        alm__copy(prev_date, sizeof prev_date, alm_table_cell(t, r, 1));
        if (alm_table_set(t, r, 1, out) != ALM_OK)
            return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    }
    return ALM_OK;
}

/* Maps the dates of every series onto periods of its frequency (the
 * option's, the format's, or the one its dates show). */
static enum alm_status map_all_dates(struct imp *im)
{
    struct alm_table *t = im->b->obs;
    char want = im->spec->frequency;
    if (!im->ndated)
        return ALM_OK;
    /* The rows of each series, in file order: start[s] .. start[s + 1]
     * of rows (a counting sort, so that large files stay linear). */
    size_t *start = calloc(im->nser + 1, sizeof *start);
    size_t nrows = t->nrows ? t->nrows : 1;
    size_t *rows =
        alm__huge_pages(malloc(nrows * sizeof *rows), nrows * sizeof *rows);
    if (!start || !rows) {
        free(start);
        free(rows);
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < t->nrows; r++)
        start[im->row_ser[r] + 1]++;
    for (size_t s = 0; s < im->nser; s++)
        start[s + 1] += start[s];
    for (size_t r = 0; r < t->nrows; r++)
        rows[start[im->row_ser[r]]++] = r;
    for (size_t s = im->nser; s > 0; s--)
        start[s] = start[s - 1];
    start[0] = 0;
    enum alm_status st = ALM_OK;
    for (size_t s = 0; s < im->nser && st == ALM_OK; s++) {
        const size_t *sr = rows + start[s];
        size_t nr = start[s + 1] - start[s];
        bool dates = false;
        for (size_t i = 0; i < nr && !dates; i++)
            dates = im->row_date[sr[i]];
        char f = want ? want : im->ser[s].freq;
        if (f == 'W')
            f = 'D';
        if (dates && !f)
            f = infer_date_freq(im, sr, nr);
        if (dates)
            st = map_dates(im, sr, nr, f);
    }
    free(start);
    free(rows);
    return st;
}

/* Each series' letter: the one its periods share (the dataset infers it
 * for a mix); a format's own letter that disagrees with the periods (an
 * SDMX FREQ of "W" written as days) gives way to the periods. */
static enum alm_status settle_letters(struct imp *im)
{
    const struct alm_table *t = im->b->obs;
    char want = im->spec->frequency;
    char *seen = calloc(im->nser ? im->nser : 1, 1);
    if (!seen)
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    for (size_t r = 0; r < t->nrows; r++) {
        struct alm_period p;
        if (alm_period_parse(alm_table_cell(t, r, 1), &p, NULL) != ALM_OK)
            continue;
        char g = alm_period_freq(&p);
        size_t k = im->row_ser[r];
        seen[k] = !seen[k] ? g : seen[k] == g ? g : '?';
    }
    for (size_t k = 0; k < im->nser; k++)
        im->ser[k].freq = want ? want : seen[k] && seen[k] != '?' ? seen[k] : 0;
    free(seen);
    return ALM_OK;
}

/* Checks that every period has the frequency --frequency gives. */
static enum alm_status check_frequency(struct imp *im)
{
    const struct alm_table *t = im->b->obs;
    char want = im->spec->frequency;
    for (size_t r = 0; r < t->nrows; r++) {
        struct alm_period p;
        const char *text = alm_table_cell(t, r, 1);
        if (alm_period_parse(text, &p, NULL) != ALM_OK)
            continue;
        char g = alm_period_freq(&p);
        if (want && g != want) {
            char q[60];
            alm_fail(im->err, ALM_EINPUT,
                     "period '%s' has frequency %c, but --frequency is %c: "
                     "leave --frequency out or give the frequency of the "
                     "file",
                     alm_error_quote(text, q, sizeof q), g, want);
            alm_error_locate(im->err, im->name, t->lines[r], "period");
            return ALM_EINPUT;
        }
    }
    return ALM_OK;
}

enum alm_status alm__imp_settle_periods(struct imp *im)
{
    enum alm_status st = map_all_dates(im);
    if (st == ALM_OK)
        st = settle_letters(im);
    if (st == ALM_OK && im->spec->frequency)
        st = check_frequency(im);
    return st;
}

/* A period text of the batch, parsed once (ok: it parsed). */
struct ptext {
    const char *text;
    struct alm_period p;
    bool ok;
};

/* Compares two period texts as periods, as text when either is none. */
static int cmp_ptext(const struct ptext *a, const struct ptext *b)
{
    if (!a->ok || !b->ok)
        return strcmp(a->text, b->text);
    return alm_period_compare(&a->p, &b->p);
}

/* The file's source: a hash of the content (and of --vintage, which makes
 * it another publication), dated by the file or --vintage; rows without a
 * source of their own name it. */
static enum alm_status finish_source(struct imp *im, const char *data,
                                     size_t len)
{
    struct alm_import_batch *b = im->b;
    uint64_t h = alm__imp_hash(ALM_IMP_HASH0, data, len);
    if (im->spec->vintage)
        h = alm__imp_hash(h, im->spec->vintage, strlen(im->spec->vintage));
    char id[64];
    snprintf(id, sizeof id, "%s.%016llx", alm_import_format_name(im->format),
             (unsigned long long)h);
    const char *base = strrchr(im->name, '/');
    base = base ? base + 1 : im->name;
    b->source[0] = alm__strdup(id);
    b->source[1] = alm__strdup(im->title && im->title[0] ? im->title : base);
    b->source[2] = alm__strdup(im->publisher ? im->publisher : "");
    b->source[3] = alm__strdup(im->spec->vintage ? im->spec->vintage
                               : im->date        ? im->date
                                                 : "");
    for (size_t i = 0; i < 4; i++)
        if (!b->source[i])
            return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    long cs = alm_table_col(b->obs, "source");
    for (size_t r = 0; r < b->obs->nrows; r++)
        if (!alm_table_cell(b->obs, r, cs)[0] &&
            alm_table_set(b->obs, r, (size_t)cs, id) != ALM_OK)
            return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    return ALM_OK;
}

enum alm_status alm__imp_finish(struct imp *im, const char *data, size_t len)
{
    struct alm_import_batch *b = im->b;
    static const char *const icols[] = {"id", "title", "unit", "kind",
                                        "frequency"};
    b->ind = alm_table_new(b->obs->name, 5, icols);
    b->series = calloc(im->nser ? im->nser : 1, sizeof *b->series);
    if (!b->ind || !b->series)
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    /* First and last period of each series, each row's parsed once. */
    struct ptext *first = calloc(im->nser ? im->nser : 1, sizeof *first);
    struct ptext *last = calloc(im->nser ? im->nser : 1, sizeof *last);
    if (!first || !last) {
        free(first);
        free(last);
        return alm_fail(im->err, ALM_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < b->obs->nrows; r++) {
        size_t s = im->row_ser[r];
        struct ptext p = {alm_table_cell(b->obs, r, 1), {0}, false};
        p.ok = alm_period_parse(p.text, &p.p, NULL) == ALM_OK;
        if (!first[s].text || cmp_ptext(&p, &first[s]) < 0)
            first[s] = p;
        if (!last[s].text || cmp_ptext(&p, &last[s]) > 0)
            last[s] = p;
    }
    enum alm_status st = ALM_OK;
    for (size_t s = 0; s < im->nser && st == ALM_OK; s++) {
        struct imp_series *in = &im->ser[s];
        if (!in->nobs)
            continue;
        struct alm_import_series *o = &b->series[b->nseries++];
        char f[2] = {in->freq, '\0'};
        o->id = alm__strdup(in->id);
        o->title = alm__strdup(in->title[0] ? in->title : in->id);
        o->unit = alm__strdup(in->unit);
        o->freq = in->freq;
        o->nobs = in->nobs;
        o->first = alm__strdup(first[s].text);
        o->last = alm__strdup(last[s].text);
        size_t r = b->ind->nrows;
        if (!o->id || !o->title || !o->unit || !o->first || !o->last ||
            alm_table_add_row(b->ind, 0) != ALM_OK ||
            alm_table_set(b->ind, r, 0, in->id) != ALM_OK ||
            alm_table_set(b->ind, r, 1, in->title) != ALM_OK ||
            alm_table_set(b->ind, r, 2, in->unit) != ALM_OK ||
            alm_table_set(b->ind, r, 4, f) != ALM_OK)
            st = alm_fail(im->err, ALM_ENOMEM, "out of memory");
    }
    free(first);
    free(last);
    if (st != ALM_OK || !im->uses_source)
        return st;
    return finish_source(im, data, len);
}
