/* The search order for the shipped data files: see datadir.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"

#include "internal.h"

#ifndef ALMANAC_INSTALL_DATADIR
#define ALMANAC_INSTALL_DATADIR "/usr/local/share/almanac"
#endif

/* Whether dir/probe is readable; the candidate is written to out if so. */
static int try_dir(const char *dir, const char *probe, char *out, size_t size)
{
    char path[PATH_MAX + 64];
    int n = snprintf(path, sizeof path, "%s/%s", dir, probe);
    if (n < 0 || (size_t)n >= sizeof path || access(path, R_OK) != 0)
        return 0;
    alm__copy(out, size, dir);
    return 1;
}

void alm__data_dir(const char *env, const char *sub, const char *probe,
                   const char *src_dir, char *out, size_t size)
{
    const char *e = getenv(env);
    if (e && *e) {
        alm__copy(out, size, e);
        return;
    }
    char dir[PATH_MAX + 32];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0'; /* PREFIX/bin */
            slash = strrchr(exe, '/');
            if (slash) {
                *slash = '\0'; /* PREFIX */
                int k =
                    snprintf(dir, sizeof dir, "%s/share/almanac/%s", exe, sub);
                if (k > 0 && (size_t)k < sizeof dir &&
                    try_dir(dir, probe, out, size))
                    return;
            }
        }
    }
    /* A program run from its build tree uses its own source tree before an
     * installed copy, which may be of another version. */
    if (try_dir(src_dir, probe, out, size))
        return;
    int k = snprintf(dir, sizeof dir, "%s/%s", ALMANAC_INSTALL_DATADIR, sub);
    if (k > 0 && (size_t)k < sizeof dir && try_dir(dir, probe, out, size))
        return;
    alm__copy(out, size, src_dir);
}
