/* Extraction, first steps: decoding a document (UTF-8, or GBK and Big5
 * through iconv) and normalising its text (full-width forms, Traditional
 * characters, dashes) with a map back to the original bytes. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <almanac/buf.h>
#include <almanac/extract.h>
#include <almanac/period.h>

#include "extract_internal.h"
#include "lexicon.h"

#include "internal.h"

/* ---- decoding --------------------------------------------------------- */

/* Converts len bytes from encoding from to UTF-8, a character at a time so
 * that *omap (caller frees) gives, for each output byte, the offset of the
 * input character it came from. NULL when the bytes are not valid in it. */
static char *convert(const char *from, const char *data, size_t len,
                     size_t *outlen, size_t **omap)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 4 + 16, k = 0, i = 0;
    char *out = malloc(cap);
    size_t *map = malloc(cap * sizeof *map);
    bool ok = out && map;
    while (ok && i < len) {
        size_t n = 1;
        for (;; n++) {
            char *ip = (char *)data + i, *op = out + k;
            size_t ileft = n, left = cap - k - 1;
            if (i + n > len || n > 4) {
                ok = false;
                break;
            }
            size_t r = iconv(cd, &ip, &ileft, &op, &left);
            if (r != (size_t)-1 && ileft == 0) {
                size_t made = (size_t)(op - (out + k));
                for (size_t j = 0; j < made; j++)
                    map[k + j] = i;
                k += made;
                i += n;
                break;
            }
            if (r == (size_t)-1 && errno != EINVAL) {
                ok = false;
                break;
            }
        }
    }
    iconv_close(cd);
    if (!ok) {
        free(out);
        free(map);
        return NULL;
    }
    out[k] = '\0';
    map[k] = len;
    *outlen = k;
    *omap = map;
    return out;
}

/* How much text looks like running Chinese: the share of CJK characters
 * that are among the commonest (in their Simplified or Traditional form). */
static double chinese_score(const char *s, size_t len)
{
    static const char common[] =
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成"
        "会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着"
        "等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把"
        "性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新"
        "线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公"
        "无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活"
        "设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运"
        "農這為國個會發產動來時們對說長經進電與業點當現實開變關萬億輛增計統";
    size_t n = 0, hit = 0, i = 0;
    while (i < len) {
        uint32_t c = alm__utf8_next(s, len, &i);
        if (!is_cjk(c))
            continue;
        n++;
        size_t j = 0, cl = sizeof common - 1;
        while (j < cl) {
            if (alm__utf8_next(common, cl, &j) == c) {
                hit++;
                break;
            }
        }
    }
    return n ? (double)hit / (double)n : 0;
}

enum alm_status alm__ex_decode(const char *name, const char *data, size_t len,
                               char **out, size_t *outlen, size_t **omap,
                               const char **enc, struct alm_error *err)
{
    if (memchr(data, '\0', len)) {
        alm_fail(err, ALM_EINPUT,
                 "holds NUL bytes: not a text document (extract reads plain "
                 "text in UTF-8, GBK or Big5)");
        alm_error_locate(err, name, 0, NULL);
        return ALM_EINPUT;
    }
    if (alm__utf8_valid(data, len)) {
        *out = alm__strndup(data, len);
        *outlen = len;
        *enc = "UTF-8";
        return *out ? ALM_OK : alm_fail(err, ALM_ENOMEM, "out of memory");
    }
    size_t lg = 0, lb = 0, *mg = NULL, *mb = NULL;
    char *g = convert("GB18030", data, len, &lg, &mg);
    char *b = convert("BIG5", data, len, &lb, &mb);
    if (!g && !b) {
        alm_fail(err, ALM_EINPUT,
                 "not text in UTF-8, GBK or Big5: convert it to UTF-8 first "
                 "(iconv -f ENCODING -t UTF-8)");
        alm_error_locate(err, name, 0, NULL);
        return ALM_EINPUT;
    }
    if (g && b && chinese_score(b, lb) > chinese_score(g, lg)) {
        free(g);
        free(mg);
        g = NULL;
    }
    if (g) {
        free(b);
        free(mb);
        *out = g;
        *omap = mg;
        *outlen = lg;
        *enc = "GBK";
    } else {
        *out = b;
        *omap = mb;
        *outlen = lb;
        *enc = "BIG5";
    }
    return ALM_OK;
}

/* ---- normalisation ---------------------------------------------------- */

static void put_utf8(char *out, size_t *k, uint32_t c)
{
    if (c < 0x80) {
        out[(*k)++] = (char)c;
    } else if (c < 0x800) {
        out[(*k)++] = (char)(0xc0 | (c >> 6));
        out[(*k)++] = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        out[(*k)++] = (char)(0xe0 | (c >> 12));
        out[(*k)++] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[(*k)++] = (char)(0x80 | (c & 0x3f));
    } else {
        out[(*k)++] = (char)(0xf0 | (c >> 18));
        out[(*k)++] = (char)(0x80 | ((c >> 12) & 0x3f));
        out[(*k)++] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[(*k)++] = (char)(0x80 | (c & 0x3f));
    }
}

static uint32_t fold(const struct alm_lexicon *lex, uint32_t c)
{
    if (c >= 0xff01 && c <= 0xff5e)
        return c - 0xfee0;
    switch (c) {
    case 0x3000:
    case 0x00a0:
    case '\t':
        return ' ';
    case '\r':
        return '\n';
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xfe63:
        return '-';
    case 0x2018:
    case 0x2019:
        return '\'';
    case 0x201c:
    case 0x201d:
        return '"';
    default:
        return alm__lx_simplify(lex, c);
    }
}

enum alm_status alm__ex_normalise(struct ctx *c, size_t from)
{
    c->n = malloc(c->ulen - from + 8);
    c->map = malloc((c->ulen - from + 8) * sizeof *c->map);
    if (!c->n || !c->map)
        return ALM_ENOMEM;
    size_t i = from, k = 0;
    while (i < c->ulen) {
        size_t at = i;
        uint32_t cp = fold(c->lex, alm__utf8_next(c->u, c->ulen, &i));
        char tmp[4];
        size_t m = 0;
        put_utf8(tmp, &m, cp);
        if (m > i - at) { /* never longer than the original */
            m = i - at;
            memcpy(tmp, c->u + at, m);
        }
        for (size_t j = 0; j < m; j++) {
            c->n[k] = tmp[j];
            c->map[k++] = at;
        }
    }
    c->n[k] = '\0';
    c->map[k] = c->ulen;
    c->nlen = k;
    return ALM_OK;
}
