/* SHA-256 through Nettle (sha2.h), written out in hexadecimal. */
#include <nettle/sha2.h>

#include <stdlib.h>

#include <almanac/sha256.h>

#include "internal.h"

struct alm__sha256 {
    struct sha256_ctx ctx;
};

/* Writes the digest of ctx as alm_sha256_hex() does. */
static void hex_of(struct sha256_ctx *ctx, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_digest(ctx, sizeof d, d);
    for (size_t i = 0; i < sizeof d; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * sizeof d] = '\0';
}

void alm_sha256_hex(const void *data, size_t len, char out[65])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    hex_of(&ctx, out);
}

struct alm__sha256 *alm__sha256_new(void)
{
    struct alm__sha256 *h = malloc(sizeof *h);
    if (h)
        sha256_init(&h->ctx);
    return h;
}

void alm__sha256_add(struct alm__sha256 *h, const void *data, size_t len)
{
    sha256_update(&h->ctx, len, data);
}

void alm__sha256_end(struct alm__sha256 *h, char out[65])
{
    hex_of(&h->ctx, out);
    free(h);
}
