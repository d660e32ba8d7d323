/* Shared by the fuzz harnesses (tests/fuzz/fuzz_<name>.c).
 *
 * Each harness defines LLVMFuzzerTestOneInput(), the entry point of
 * libFuzzer: it feeds one input to a parser of the library, then checks
 * what must hold for every input the parser accepts (a round trip, a
 * finite number). A broken property calls FUZZ_ASSERT, which aborts, so
 * that libFuzzer (or the replay driver, replay.c) reports the input. The
 * sanitizers catch the rest: out-of-bounds access, use after free, leaks,
 * undefined behaviour.
 *
 * The same harness is built two ways: with clang's -fsanitize=fuzzer for
 * fuzzing (-DALMANAC_FUZZ=ON), and with replay.c's main() in every normal
 * build, which runs the saved corpus and every crash ever found as a
 * regression test under ctest. */
#ifndef ALMANAC_FUZZ_H
#define ALMANAC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the failed condition: a property of the parser is broken. */
#define FUZZ_ASSERT(c)                                                         \
    do {                                                                       \
        if (!(c)) {                                                            \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__,          \
                    __LINE__, #c);                                             \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* Returns a NUL-terminated heap copy of the input (cut at its first NUL,
 * as a C string from argv or a CSV cell would be); caller frees. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Splits the input at NUL bytes (which no CSV file of Almanac may hold, so
 * nothing is lost) into at most n parts: part[i] points into data and has
 * len[i] bytes. Returns how many parts there were; the others are left
 * alone. */
static inline size_t fuzz_split(const uint8_t *data, size_t size,
                                const char **part, size_t *len, size_t n)
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= size && k < n; i++) {
        if (i == size || (data[i] == 0 && k + 1 < n)) {
            part[k] = (const char *)data + start;
            len[k] = i - start;
            k++;
            start = i + 1;
        }
    }
    return k;
}

#endif
