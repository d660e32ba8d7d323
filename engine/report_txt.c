/* The text backend of the report walk (report_internal.h): the summary
 * table as aligned text, then every target assessed in plain words, for a
 * terminal. */
#include <stdio.h>

#include <almanac/report.h>

#include "internal.h"
#include "report_internal.h"

static void begin(const struct facts *f, struct alm_buf *out)
{
    alm_buf_printf(out, "%s\n", f->title);
    if (f->ds->description && f->ds->description[0])
        alm_buf_printf(out, "%s\n", f->ds->description);
    alm_buf_printf(out, "as of %s; %s%% prediction intervals\n\n", f->date,
                   f->level);
}

/* Several targets of one indicator: one line, not a broken row. */
static void summary(const struct facts *f, struct alm_table *t,
                    struct alm_buf *out)
{
    (void)f;
    enum alm_status st = ALM_OK;
    for (size_t i = 0; i < t->nrows && st == ALM_OK; i++) {
        struct alm_buf line = ALM_BUF_INIT;
        for (const char *q = alm_table_cell(t, i, 5); *q; q++) {
            if (*q == '\n')
                alm_buf_puts(&line, "; ");
            else
                alm_buf_putc(&line, *q);
        }
        st = alm_buf_status(&line);
        if (st == ALM_OK && line.s)
            st = alm_table_set(t, i, 5, line.s);
        alm_buf_release(&line);
    }
    if (st == ALM_OK)
        st = alm_table_format_text(t, out);
    if (st != ALM_OK)
        alm_buf_mark_failed(out);
}

/* A heading, its paragraph, then the table as aligned text. */
static void compare(const char *heading, const char *intro,
                    const struct alm_table *t, struct alm_buf *out)
{
    alm_buf_printf(out, "\n%s\n%s\n", heading, intro);
    if (alm_table_format_text(t, out) != ALM_OK)
        alm_buf_mark_failed(out);
    alm_buf_putc(out, '\n');
}

static void end(const struct facts *f, struct alm_buf *out)
{
    if (alm_view_track(f->ds, f->track, f->ntrack, &f->topts, ALM_FORMAT_TABLE,
                       out) != ALM_OK)
        alm_buf_mark_failed(out);
}

const struct markup alm__report_txt = {
    .begin = begin, .summary = summary, .compare = compare, .end = end};
