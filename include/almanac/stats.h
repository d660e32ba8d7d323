/* Operation counts, for tests that guard the cost of commands.
 *
 * The library counts the steps whose number decides how a command scales:
 * probes of its id hash tables, comparisons made while sorting, rows
 * visited while selecting a series. A test runs a command on datasets of
 * two sizes and compares the counts: a step that turned quadratic shows
 * as a count growing with the square of the size, whatever the machine's
 * speed. The counter is process-wide and not thread-safe; it is meant for
 * tests, which run one command at a time. */
#ifndef ALMANAC_STATS_H
#define ALMANAC_STATS_H

/* Returns the number of counted operations since the last reset. */
unsigned long long alm_stats_ops(void);

/* Sets the operation count back to zero. */
void alm_stats_reset(void);

#endif
