/* mangen: the manual pages and the --help texts from one source.
 *
 * Each man/almanac-NAME.S.txt file is one page (man/README.md): a few
 * directives (.page, .summary, .usage, .description, .options, .section)
 * and plain text under them. From all the pages at once, mangen writes
 * into OUTDIR:
 *
 *   NAME.SECTION       the troff page (man(7) macros), for man and groff
 *   usage/CMD.h        the --help texts of the page as C strings, which
 *                      engine/cli/cmd_CMD.c includes
 *   help/CMD[-VERB].txt each --help text as the program prints it
 *   units.txt          one line per --help text: its help file, the words
 *                      after "almanac" that print it, and the options its
 *                      page documents (for tests/man/man.sh)
 *
 * usage: mangen VERSION DATE OUTDIR PAGE.txt...
 *
 * The build stops (exit 1, FILE:LINE: what) on a malformed page or a help
 * line wider than 79 columns. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PAGES_MAX    64
#define LINES_MAX    4000
#define UNITS_MAX    8
#define SECTIONS_MAX 16
#define HELP_WIDTH   79
/* A tagged paragraph's body starts in this column of a --help text, its
 * term in column 2; a longer term takes a line of its own. */
#define BODY_COLUMN 24

/* Lines [first, first + n) of a page. */
struct block {
    size_t first, n;
};

/* One --help text: `almanac CMD [VERB]`, its synopsis, description and
 * options. */
struct unit {
    const char *verb; /* "" for the command itself */
    struct block synopsis, description, options;
};

struct section {
    const char *title;
    struct block text;
};

struct page {
    const char *path;
    char *text;
    char *lines[LINES_MAX];
    const char *where[LINES_MAX]; /* the file of each line (.include) */
    size_t lineno[LINES_MAX];     /* and its number there */
    size_t nlines;
    const char *name; /* "almanac-fit", "almanac" */
    const char *section;
    const char *cmd; /* "fit", "" for almanac itself */
    const char *summary;
    const char *cname; /* .cname: the C name of the command's own text */
    struct unit units[UNITS_MAX];
    size_t nunits;
    struct section sections[SECTIONS_MAX];
    size_t nsections;
};

static struct page pages[PAGES_MAX];
static size_t npages;
static const char *version, *date;

static void die(const struct page *pg, size_t line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4), noreturn))
#endif
    ;

static void die(const struct page *pg, size_t line, const char *fmt, ...)
{
    va_list ap;
    if (pg && line < pg->nlines)
        fprintf(stderr, "mangen: %s:%zu: ", pg->where[line], pg->lineno[line]);
    else if (pg)
        fprintf(stderr, "mangen: %s: ", pg->path);
    else
        fputs("mangen: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

/* Whether line starts with the directive d followed by the end or a
 * space; *arg is then what follows the space ("" without one). */
static bool directive(char *line, const char *d, char **arg)
{
    size_t n = strlen(d);
    if (strncmp(line, d, n) != 0 || (line[n] && line[n] != ' '))
        return false;
    *arg = line[n] ? line + n + 1 : line + n;
    return true;
}

static bool blank(const char *line)
{
    return line[strspn(line, " ")] == '\0';
}

static bool indented(const char *line)
{
    return line[0] == ' ' && !blank(line);
}

/* Drops the blank lines at both ends of b. */
static struct block trim(const struct page *pg, struct block b)
{
    while (b.n && blank(pg->lines[b.first])) {
        b.first++;
        b.n--;
    }
    while (b.n && blank(pg->lines[b.first + b.n - 1]))
        b.n--;
    return b;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(NULL, 0, "cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    size_t got;
    while (s && (got = fread(s + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *t = realloc(s, cap * 2);
            if (!t)
                free(s);
            s = t;
            cap *= 2;
        }
    }
    if (!s || ferror(f))
        die(NULL, 0, "cannot read %s", path);
    fclose(f);
    s[len] = '\0';
    return s;
}

/* The texts read for ".include" lines, freed at the end. */
static char *included[PAGES_MAX * 8];
static size_t nincluded;

static void split_text(struct page *pg, char *text, const char *path,
                       int depth);

/* Splices the lines of path (relative to the page's folder) in place of
 * an ".include" line. */
static void include(struct page *pg, const char *name, int depth)
{
    char path[4096];
    const char *slash = strrchr(pg->path, '/');
    snprintf(path, sizeof path, "%.*s%s",
             slash ? (int)(slash + 1 - pg->path) : 0, pg->path, name);
    if (depth > 4 || nincluded == sizeof included / sizeof included[0])
        die(pg, pg->nlines, ".include %s: too deep or too many", name);
    char *text = read_file(path);
    included[nincluded++] = text;
    split_text(pg, text, strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
               depth + 1);
}

/* Splits text into the page's lines, checking each is printable ASCII or
 * UTF-8 without tabs or control characters, and splicing ".include FILE"
 * lines. */
static void split_text(struct page *pg, char *text, const char *path, int depth)
{
    char *p = text;
    size_t lno = 0;
    while (*p) {
        if (pg->nlines == LINES_MAX)
            die(pg, pg->nlines, "more than %d lines", LINES_MAX);
        char *nl = strchr(p, '\n');
        lno++;
        if (!nl)
            die(NULL, 0, "%s:%zu: the file does not end with a newline", path,
                lno);
        *nl = '\0';
        for (char *c = p; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                die(NULL, 0, "%s:%zu: a control character (a tab?): use spaces",
                    path, lno);
        size_t n = strlen(p);
        if (n && p[n - 1] == ' ')
            die(NULL, 0, "%s:%zu: trailing space", path, lno);
        char *arg;
        if (directive(p, ".include", &arg)) {
            include(pg, arg, depth);
        } else {
            pg->where[pg->nlines] = path;
            pg->lineno[pg->nlines] = lno;
            pg->lines[pg->nlines++] = p;
        }
        p = nl + 1;
    }
}

static void split(struct page *pg)
{
    const char *base = strrchr(pg->path, '/');
    split_text(pg, pg->text, base ? base + 1 : pg->path, 0);
}

/* Reads the directives of a page into its units and sections. */
static void parse(struct page *pg)
{
    struct block *open = NULL; /* the block the text lines go into */
    struct unit *u = NULL;
    for (size_t i = 0; i < pg->nlines; i++) {
        char *line = pg->lines[i], *arg;
        if (directive(line, ".page", &arg)) {
            char *sp = strchr(arg, ' ');
            if (!sp || pg->name)
                die(pg, i, "expected one '.page NAME SECTION'");
            *sp = '\0';
            pg->name = arg;
            pg->section = sp + 1;
            if (strcmp(arg, "almanac") == 0)
                pg->cmd = "";
            else if (strncmp(arg, "almanac-", 8) == 0)
                pg->cmd = arg + 8;
            else
                die(pg, i, "a page is almanac or almanac-COMMAND");
            open = NULL;
        } else if (directive(line, ".summary", &arg)) {
            pg->summary = arg;
            open = NULL;
        } else if (directive(line, ".cname", &arg)) {
            pg->cname = arg;
            open = NULL;
        } else if (directive(line, ".usage", &arg)) {
            if (pg->nunits == UNITS_MAX)
                die(pg, i, "more than %d .usage", UNITS_MAX);
            u = &pg->units[pg->nunits++];
            u->verb = arg;
            u->synopsis = (struct block){i + 1, 0};
            open = &u->synopsis;
        } else if (directive(line, ".description", &arg) ||
                   directive(line, ".options", &arg)) {
            if (!u)
                die(pg, i, "%s before .usage", line);
            open = line[1] == 'd' ? &u->description : &u->options;
            *open = (struct block){i + 1, 0};
        } else if (directive(line, ".section", &arg)) {
            if (pg->nsections == SECTIONS_MAX || !*arg)
                die(pg, i, "expected '.section TITLE' (at most %d)",
                    SECTIONS_MAX);
            struct section *s = &pg->sections[pg->nsections++];
            s->title = arg;
            s->text = (struct block){i + 1, 0};
            open = &s->text;
            u = NULL;
        } else if (open) {
            open->n++;
        } else if (!blank(line)) {
            die(pg, i,
                "text outside .usage, .description, .options or "
                ".section");
        }
    }
    if (!pg->name || !pg->summary)
        die(pg, 0, "a page needs .page NAME SECTION and .summary");
    for (size_t k = 0; k < pg->nunits; k++) {
        struct unit *v = &pg->units[k];
        v->synopsis = trim(pg, v->synopsis);
        v->description = trim(pg, v->description);
        v->options = trim(pg, v->options);
        if (!v->synopsis.n)
            die(pg, 0, ".usage %s has no synopsis", v->verb);
    }
    for (size_t k = 0; k < pg->nsections; k++)
        pg->sections[k].text = trim(pg, pg->sections[k].text);
}

/* The words that start a synopsis line: "almanac fit", "almanac indicator
 * add". */
static void prefix_of(const struct page *pg, const struct unit *u, char *out,
                      size_t size)
{
    snprintf(out, size, "almanac%s%s%s%s", *pg->cmd ? " " : "", pg->cmd,
             *u->verb ? " " : "", u->verb);
}

/* --- --help texts ---------------------------------------------------- */

/* A growable string. */
struct str {
    char *s;
    size_t len, cap;
};

static void put(struct str *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *t = realloc(b->s, cap);
        if (!t)
            die(NULL, 0, "out of memory");
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void puts_(struct str *b, const char *s)
{
    put(b, s, strlen(s));
}

static void spaces(struct str *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(b, " ", 1);
}

static const struct page *find_page(const char *cmd)
{
    for (size_t i = 0; i < npages; i++)
        if (strcmp(pages[i].cmd, cmd) == 0)
            return &pages[i];
    return NULL;
}

/* The names listed by ".commands A B C", one at a time: *p moves on;
 * false at the end. */
static bool next_name(const char **p, char *name, size_t size)
{
    *p += strspn(*p, " ");
    size_t n = strcspn(*p, " ");
    if (!n)
        return false;
    if (n >= size)
        n = size - 1;
    memcpy(name, *p, n);
    name[n] = '\0';
    *p += n;
    return true;
}

/* The page of each command ".commands" lists, or death at line i. */
static const struct page *listed(const struct page *pg, size_t i,
                                 const char *name)
{
    const struct page *c = find_page(name);
    if (!c || !*name)
        die(pg, i, ".commands: no page almanac-%s", name);
    return c;
}

/* The lines of a text block as --help prints them: paragraphs as
 * written, indented (literal) lines as written, a tagged paragraph (a
 * line, then lines indented under it) as "  TERM  BODY" in two columns,
 * and ".commands" as the commands with their summaries. */
static void help_block(const struct page *pg, struct block b, struct str *out)
{
    bool in_tag = false;
    for (size_t i = b.first; i < b.first + b.n; i++) {
        const char *line = pg->lines[i], *arg;
        const char *next = i + 1 < b.first + b.n ? pg->lines[i + 1] : "";
        if (directive((char *)line, ".commands", (char **)&arg)) {
            char name[64];
            size_t w = 0;
            for (const char *p = arg; next_name(&p, name, sizeof name);)
                if (strlen(name) > w)
                    w = strlen(name);
            for (const char *p = arg; next_name(&p, name, sizeof name);) {
                const struct page *c = listed(pg, i, name);
                puts_(out, "  ");
                puts_(out, name);
                spaces(out, w + 1 - strlen(name));
                puts_(out, c->summary);
                puts_(out, "\n");
            }
            in_tag = false;
            continue;
        }
        if (blank(line)) {
            in_tag = false;
            puts_(out, "\n");
        } else if (!indented(line) && indented(next)) {
            /* a term: its body's first line beside it when it fits */
            const char *body = next + strspn(next, " ");
            puts_(out, "  ");
            puts_(out, line);
            if (strlen(line) + 2 + 2 <= BODY_COLUMN) {
                spaces(out, BODY_COLUMN - 2 - strlen(line));
                puts_(out, body);
                i++;
            }
            puts_(out, "\n");
            in_tag = true;
        } else if (indented(line) && in_tag) {
            spaces(out, BODY_COLUMN);
            puts_(out, line + strspn(line, " "));
            puts_(out, "\n");
        } else {
            in_tag = false;
            puts_(out, line);
            puts_(out, "\n");
        }
    }
}

/* The synopsis as --help prints it: "usage: " before the first line and
 * aligned under it the other forms ("almanac ..." lines) and the
 * continuation lines (indented in the source: under the first option,
 * plus the indentation past 4 spaces). */
static void help_synopsis(const struct page *pg, const struct unit *u,
                          struct str *out, const char *lead, size_t width)
{
    char prefix[128];
    prefix_of(pg, u, prefix, sizeof prefix);
    for (size_t i = u->synopsis.first; i < u->synopsis.first + u->synopsis.n;
         i++) {
        const char *line = pg->lines[i];
        size_t ind = strspn(line, " ");
        if (ind == 0 && strncmp(line, prefix, strlen(prefix)) != 0)
            die(pg, i, "a synopsis line starts with '%s' (or is indented)",
                prefix);
        if (i == u->synopsis.first)
            puts_(out, lead);
        else
            spaces(out, width);
        if (ind > 0)
            spaces(out, strlen(prefix) + 1 + (ind > 4 ? ind - 4 : 0));
        puts_(out, line + ind);
        puts_(out, "\n");
    }
}

/* The whole --help text of u. */
static void help_text(const struct page *pg, const struct unit *u,
                      struct str *out)
{
    help_synopsis(pg, u, out, "usage: ", strlen("usage: "));
    if (u->description.n) {
        puts_(out, "\n");
        help_block(pg, u->description, out);
    }
    if (u->options.n) {
        puts_(out, "\noptions:\n");
        help_block(pg, u->options, out);
    }
}

/* Checks every line of a --help text against HELP_WIDTH (in characters:
 * UTF-8 continuation bytes do not count; a CJK character is counted as
 * one, which the pages use only in examples). */
static void check_width(const struct page *pg, const struct unit *u,
                        const struct str *t)
{
    size_t col = 0, line = 1;
    for (const char *p = t->s; *p; p++) {
        if (*p == '\n') {
            col = 0;
            line++;
            continue;
        }
        if (((unsigned char)*p & 0xc0) != 0x80)
            col++;
        if (col == HELP_WIDTH + 1)
            die(pg, u->synopsis.first - 1,
                "line %zu of the --help text of '%s %s' is wider than %d "
                "columns",
                line, pg->cmd, u->verb, HELP_WIDTH);
    }
}

/* --- troff ------------------------------------------------------------ */

/* Decodes one UTF-8 character at *p (moving *p past it). */
static unsigned long utf8_next(const struct page *pg, size_t line,
                               const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    unsigned long c = s[0];
    int n = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
    if (n < 0)
        die(pg, line, "not UTF-8");
    if (n)
        c &= 0x3fu >> n;
    for (int k = 1; k <= n; k++) {
        if ((s[k] & 0xc0) != 0x80)
            die(pg, line, "not UTF-8");
        c = (c << 6) | (s[k] & 0x3fu);
    }
    *p += n + 1;
    return c;
}

/* Writes text for troff: backslashes, a leading dot or quote, quotes and
 * backquotes (as themselves, not typographic), the dashes of options
 * (\-, a dash after a space or an opening mark) and every non-ASCII
 * character (\[uXXXX]) escaped, so the page is ASCII. */
static void troff_text(FILE *f, const struct page *pg, size_t line,
                       const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", f);
    char prev = ' ';
    bool option = false; /* in a word that starts with a dash */
    for (const char *p = s; *p;) {
        char c = *p;
        if ((unsigned char)c >= 0x80) {
            unsigned long u = utf8_next(pg, line, &p);
            fprintf(f, "\\[u%04lX]", u);
            prev = 'x';
            continue;
        }
        if (c == '-' && strchr(" [(|,/=\"-", prev))
            option = true;
        else if (strchr(" ]),|", c))
            option = false;
        if (c == '\\')
            fputs("\\e", f);
        else if (c == '\'')
            fputs("\\(aq", f);
        else if (c == '`')
            fputs("\\(ga", f);
        else if (c == '-' && option)
            fputs("\\-", f);
        else
            fputc(c, f);
        prev = c;
        p++;
    }
}

/* A term of a tagged paragraph: option names bold, placeholders (words in
 * capitals) italic, the rest roman. */
static void troff_term(FILE *f, const struct page *pg, size_t line,
                       const char *term)
{
    char word[256];
    const char *p = term;
    bool first = true;
    while (*p) {
        size_t n = strcspn(p, " ");
        if (n >= sizeof word)
            die(pg, line, "a word of 256 characters or more");
        memcpy(word, p, n);
        word[n] = '\0';
        char *comma = n && word[n - 1] == ',' ? &word[n - 1] : NULL;
        if (comma)
            *comma = '\0';
        if (!first)
            fputc(' ', f);
        const char *font =
            word[0] == '-' ? "\\fB"
            : word[0] >= 'A' && word[0] <= 'Z' &&
                    (word[1] == '\0' || (word[1] >= 'A' && word[1] <= 'Z'))
                ? "\\fI"
                : NULL;
        if (font)
            fputs(font, f);
        troff_text(f, pg, line, word);
        if (font)
            fputs("\\fR", f);
        if (comma)
            fputc(',', f);
        first = false;
        p += n;
        p += strspn(p, " ");
    }
    fputc('\n', f);
}

/* A text block in troff: paragraphs (.PP), literal lines (.nf in an
 * indented block), tagged paragraphs (.TP), ".commands" (.TP each). */
static void troff_block(FILE *f, const struct page *pg, struct block b,
                        bool first_in_section)
{
    enum { START, PARA, TAG, LITERAL } state = START;
    bool fresh = first_in_section;
    for (size_t i = b.first; i < b.first + b.n; i++) {
        char *line = pg->lines[i], *arg;
        const char *next = i + 1 < b.first + b.n ? pg->lines[i + 1] : "";
        if (state == LITERAL && !indented(line)) {
            fputs(".fi\n.RE\n", f);
            state = START;
        }
        if (directive(line, ".commands", &arg)) {
            char name[64];
            for (const char *p = arg; next_name(&p, name, sizeof name);) {
                const struct page *c = listed(pg, i, name);
                fprintf(f, ".TP\n\\fB%s\\fR\n", name);
                troff_text(f, c, 0, c->summary);
                fprintf(f, "; see \\fBalmanac\\-%s\\fR(1).\n", name);
            }
            state = TAG;
            fresh = false;
            continue;
        }
        if (blank(line)) {
            state = START;
            continue;
        }
        if (!indented(line) && indented(next)) {
            fputs(".TP\n", f);
            troff_term(f, pg, i, line);
            state = TAG;
        } else if (indented(line) && state == TAG) {
            troff_text(f, pg, i, line + strspn(line, " "));
            fputc('\n', f);
        } else if (indented(line)) {
            if (state != LITERAL) {
                if (!fresh)
                    fputs(".PP\n", f);
                fputs(".RS 4\n.nf\n", f);
            }
            state = LITERAL;
            size_t ind = strspn(line, " ");
            troff_text(f, pg, i, line + (ind < 4 ? ind : 4));
            fputc('\n', f);
        } else {
            if (state != PARA && !fresh)
                fputs(".PP\n", f);
            state = PARA;
            troff_text(f, pg, i, line);
            fputc('\n', f);
        }
        fresh = false;
    }
    if (state == LITERAL)
        fputs(".fi\n.RE\n", f);
}

/* A synopsis: the command words bold, the rest as written, aligned. */
static void troff_synopsis(FILE *f, const struct page *pg, const struct unit *u)
{
    char prefix[128];
    prefix_of(pg, u, prefix, sizeof prefix);
    for (size_t i = u->synopsis.first; i < u->synopsis.first + u->synopsis.n;
         i++) {
        const char *line = pg->lines[i];
        size_t ind = strspn(line, " ");
        if (ind == 0 && strncmp(line, prefix, strlen(prefix)) != 0)
            die(pg, i, "a synopsis line starts with '%s' (or is indented)",
                prefix);
        if (ind == 0) {
            fputs("\\fB", f);
            troff_text(f, pg, i, prefix);
            fputs("\\fR", f);
            troff_text(f, pg, i, line + strlen(prefix));
        } else {
            for (size_t k = 0; k < strlen(prefix) + 1 + (ind > 4 ? ind - 4 : 0);
                 k++)
                fputc(' ', f);
            troff_text(f, pg, i, line + ind);
        }
        fputc('\n', f);
    }
}

/* SEE ALSO: "almanac-fit(1), almanac(5)" with the names bold. */
static void troff_see_also(FILE *f, const struct page *pg, struct block b)
{
    bool first = true;
    for (size_t i = b.first; i < b.first + b.n; i++) {
        const char *p = pg->lines[i];
        while (*p) {
            size_t n = strcspn(p, "(");
            const char *close = strchr(p + n, ')');
            if (!p[n] || !close)
                die(pg, i, "SEE ALSO lists NAME(SECTION), ...");
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)n, p);
            if (!first)
                fputs(",\n", f);
            fputs("\\fB", f);
            troff_text(f, pg, i, name);
            fprintf(f, "\\fR%.*s", (int)(close + 1 - (p + n)), p + n);
            first = false;
            p = close + 1;
            p += strspn(p, ", ");
        }
    }
    fputc('\n', f);
}

static FILE *create(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        die(NULL, 0, "cannot write %s: %s", path, strerror(errno));
    return f;
}

static void close_(FILE *f, const char *name)
{
    if (ferror(f) | fclose(f))
        die(NULL, 0, "cannot write %s", name);
}

static void upper(FILE *f, const char *s)
{
    for (; *s; s++)
        if (*s == '-')
            fputs("\\-", f);
        else
            fputc(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s, f);
}

static bool has_section(const struct page *pg, const char *title)
{
    for (size_t k = 0; k < pg->nsections; k++)
        if (strcmp(pg->sections[k].title, title) == 0)
            return true;
    return false;
}

static void write_troff(const struct page *pg, const char *dir)
{
    char name[256];
    snprintf(name, sizeof name, "%s.%s", pg->name, pg->section);
    FILE *f = create(dir, name);
    fprintf(f,
            ".\\\" Written by man/mangen.c from %s: edit that file.\n"
            ".TH ",
            strrchr(pg->path, '/') ? strrchr(pg->path, '/') + 1 : pg->path);
    upper(f, pg->name);
    fprintf(f, " %s %s \"almanac %s\" \"Almanac Manual\"\n", pg->section, date,
            version);
    /* No hyphenation, ragged right: option names and ids stay whole. */
    fputs(".nh\n.ad l\n", f);
    fputs(".SH NAME\n", f);
    troff_text(f, pg, 0, pg->name);
    fputs(" \\- ", f);
    troff_text(f, pg, 0, pg->summary);
    fputc('\n', f);
    if (pg->nunits) {
        fputs(".SH SYNOPSIS\n.nf\n", f);
        for (size_t k = 0; k < pg->nunits; k++)
            troff_synopsis(f, pg, &pg->units[k]);
        fputs(".fi\n", f);
    }
    if (pg->nunits == 1) {
        /* A page's own DESCRIPTION or OPTIONS section takes the place of
         * the --help text's. */
        const struct unit *u = &pg->units[0];
        if (u->description.n && !has_section(pg, "DESCRIPTION")) {
            fputs(".SH DESCRIPTION\n", f);
            troff_block(f, pg, u->description, true);
        }
        if (u->options.n && !has_section(pg, "OPTIONS")) {
            fputs(".SH OPTIONS\n", f);
            troff_block(f, pg, u->options, true);
        }
    } else if (pg->nunits > 1) {
        fputs(".SH DESCRIPTION\n", f);
        for (size_t k = 0; k < pg->nunits; k++) {
            const struct unit *u = &pg->units[k];
            char prefix[128];
            prefix_of(pg, u, prefix, sizeof prefix);
            fputs(".SS \"", f);
            troff_text(f, pg, u->synopsis.first, prefix);
            fputs("\"\n", f);
            troff_block(f, pg, u->description, true);
            if (u->options.n) {
                fputs(".PP\nOptions:\n", f);
                troff_block(f, pg, u->options, false);
            }
        }
    }
    for (size_t k = 0; k < pg->nsections; k++) {
        const struct section *s = &pg->sections[k];
        fprintf(f, ".SH \"%s\"\n", s->title);
        if (strcmp(s->title, "SEE ALSO") == 0)
            troff_see_also(f, pg, s->text);
        else
            troff_block(f, pg, s->text, true);
    }
    close_(f, name);
}

/* --- C header, help files, the list of units ---------------------------- */

/* The C name of u's text: usage_text (or the page's .cname), or
 * usage_CMD_VERB for a verb. */
static void c_name(const struct page *pg, const struct unit *u, char *out,
                   size_t size)
{
    if (!*u->verb)
        snprintf(out, size, "%s", pg->cname ? pg->cname : "usage_text");
    else
        snprintf(out, size, "usage_%s_%s", pg->cmd, u->verb);
    for (char *p = out; *p; p++)
        if (*p == '-')
            *p = '_';
}

static void c_string(FILE *f, const char *s)
{
    fputs("    \"", f);
    for (const char *p = s; *p; p++) {
        if (*p == '\\' || *p == '"')
            fprintf(f, "\\%c", *p);
        else if (*p == '?' && p[1] == '?')
            fputs("?\\", f);
        else if (*p == '\n' && p[1])
            fputs("\\n\"\n    \"", f);
        else if (*p == '\n')
            fputs("\\n", f);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* Whether the word at p (n bytes) is an option name: -X or --word. */
static bool option_word(const char *p, size_t n)
{
    if (n > 1 && p[0] == '-' && isalpha((unsigned char)p[1]))
        return true;
    return n > 2 && p[0] == '-' && p[1] == '-' && isalpha((unsigned char)p[2]);
}

/* The options a unit's page documents: every option name in a term of
 * its options, followed by "=" when a placeholder follows it ("--model M"
 * takes a value, "--raw" does not), as tests/man/optdump.c prints the
 * program's. */
static void documented(FILE *f, const struct page *pg, const struct unit *u)
{
    struct block b = u->options;
    for (size_t i = b.first; i < b.first + b.n; i++) {
        const char *line = pg->lines[i];
        const char *next = i + 1 < b.first + b.n ? pg->lines[i + 1] : "";
        if (indented(line) || blank(line) || !indented(next))
            continue;
        for (const char *p = line; *p;) {
            size_t n = strcspn(p, " ,");
            const char *q = p + n + strspn(p + n, " ,");
            size_t m = strcspn(q, " ,");
            if (option_word(p, n))
                fprintf(f, " %.*s%s", (int)n, p,
                        m && !option_word(q, m) && p[n] == ' ' ? "=" : "");
            p = q;
        }
    }
}

static void write_units(const struct page *pg, const char *dir, FILE *list)
{
    char name[256];
    if (!pg->nunits)
        return;
    snprintf(name, sizeof name, "usage/%s.h", *pg->cmd ? pg->cmd : "almanac");
    FILE *h = create(dir, name);
    fprintf(h,
            "/* The --help texts of %s(%s), written by man/mangen.c from "
            "man/%s:\n * edit that file. */\n",
            pg->name, pg->section,
            strrchr(pg->path, '/') ? strrchr(pg->path, '/') + 1 : pg->path);
    for (size_t k = 0; k < pg->nunits; k++) {
        const struct unit *u = &pg->units[k];
        struct str t = {NULL, 0, 0};
        help_text(pg, u, &t);
        check_width(pg, u, &t);
        char cname[128], file[256];
        c_name(pg, u, cname, sizeof cname);
        fprintf(h, "static const char %s[] =\n", cname);
        c_string(h, t.s);
        fputs(";\n", h);
        snprintf(file, sizeof file, "help/%s%s%s.txt",
                 *pg->cmd ? pg->cmd : "almanac", *u->verb ? "-" : "", u->verb);
        FILE *hf = create(dir, file);
        fputs(t.s, hf);
        close_(hf, file);
        fprintf(list, "%s\t%s%s%s\t", file, pg->cmd, *u->verb ? " " : "",
                u->verb);
        documented(list, pg, u);
        fputc('\n', list);
        free(t.s);
    }
    close_(h, name);
}

static void make_dir(const char *dir, const char *sub)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir, *sub ? "/" : "", sub);
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        die(NULL, 0, "cannot create %s: %s", path, strerror(errno));
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fputs("usage: mangen VERSION DATE OUTDIR PAGE.txt...\n", stderr);
        return 2;
    }
    version = argv[1];
    date = argv[2];
    const char *dir = argv[3];
    if (argc - 4 > PAGES_MAX)
        die(NULL, 0, "more than %d pages", PAGES_MAX);
    for (int i = 4; i < argc; i++) {
        struct page *pg = &pages[npages++];
        pg->path = argv[i];
        pg->text = read_file(argv[i]);
        split(pg);
        parse(pg);
    }
    make_dir(dir, "");
    make_dir(dir, "usage");
    make_dir(dir, "help");
    FILE *list = create(dir, "units.txt");
    for (size_t i = 0; i < npages; i++) {
        write_troff(&pages[i], dir);
        write_units(&pages[i], dir, list);
    }
    close_(list, "units.txt");
    for (size_t i = 0; i < npages; i++)
        free(pages[i].text);
    for (size_t i = 0; i < nincluded; i++)
        free(included[i]);
    return 0;
}
