/* SHA-256 against the examples of FIPS 180-4 (NIST's "SHA256.pdf" of the
 * Examples with Intermediate Values, and the one-million-'a' message of
 * FIPS 180-2 appendix B.3), plus the empty message (NIST CAVP
 * SHA256ShortMsg, Len = 0) and lengths at the padding's edges, whose
 * digests are those of coreutils' sha256sum. */
#include <stdlib.h>
#include <string.h>

#include <almanac/sha256.h>

#include "../check.h"

static const char *hex(const char *s, size_t n)
{
    static char out[65];
    alm_sha256_hex(s, n, out);
    return out;
}

int main(void)
{
    CHECK_STR(hex("abc", 3), "ba7816bf8f01cfea414140de5dae2223"
                             "b00361a396177a9cb410ff61f20015ad");
    const char *two =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK_STR(hex(two, strlen(two)), "248d6a61d20638b8e5c026930c3e6039"
                                     "a33ce45964ff2167f6ecedd419db06c1");
    CHECK_STR(hex("", 0), "e3b0c44298fc1c149afbf4c8996fb924"
                          "27ae41e4649b934ca495991b7852b855");
    char *a = malloc(1000000);
    if (a) {
        memset(a, 'a', 1000000);
        CHECK_STR(hex(a, 1000000), "cdc76e5c9914fb9281a1c7e284d73e67"
                                   "f1809a48a497200e046d39ccc7112cd0");
        /* 55, 56 and 64 bytes: the length fits the block, just does
         * not, and a whole block (printf 'a%.0s' {1..N} | sha256sum). */
        CHECK_STR(hex(a, 55), "9f4390f8d30c2dd92ec9f095b65e2b9a"
                              "e9b0a925a5258e241c9f1e910f734318");
        CHECK_STR(hex(a, 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f"
                              "590ce20f1bde7090ef7970686ec6738a");
        CHECK_STR(hex(a, 64), "ffe054fe7ae0cb6dc65c3af9b61d5209"
                              "f439851db43d0ba5997337df154668eb");
        free(a);
    }
    return check_done();
}
