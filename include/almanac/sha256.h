/* SHA-256 (FIPS 180-4), for the digests of the change log, computed by
 * Nettle. Tested against the FIPS 180-4 examples. */
#ifndef ALMANAC_SHA256_H
#define ALMANAC_SHA256_H

#include <stddef.h>

/* Writes the digest of data[0..len) to out as 64 lower-case hexadecimal
 * digits and a NUL. */
void alm_sha256_hex(const void *data, size_t len, char out[65]);

#endif
