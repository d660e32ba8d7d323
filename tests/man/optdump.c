/* The options a command hands getopt_long, for tests/man/man.sh: linked
 * into a copy of the program with -Wl,--wrap=getopt_long, so that the
 * first call of getopt_long (in cli_parse(), with the command's whole
 * table) prints every long option, one a line ("--name", "--name=" when
 * it takes a value), then every short one ("-d="), and exits. Nothing in
 * the program is changed for the test: it is the table getopt sees. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The name is the linker's (--wrap=getopt_long), hence reserved. */
int __wrap_getopt_long(/* NOLINT(bugprone-reserved-identifier) */
                       int argc, char *const argv[], const char *shorts,
                       const struct option *longs, int *index);

int __wrap_getopt_long(/* NOLINT(bugprone-reserved-identifier) */
                       int argc, char *const argv[], const char *shorts,
                       const struct option *longs, int *index)
{
    (void)argc;
    (void)argv;
    (void)index;
    for (const struct option *o = longs; o && o->name; o++)
        printf("--%s%s\n", o->name, o->has_arg == required_argument ? "=" : "");
    for (const char *p = shorts; *p; p++)
        if (*p != ':')
            printf("-%c%s\n", *p, p[1] == ':' ? "=" : "");
    fflush(stdout);
    exit(0);
}
