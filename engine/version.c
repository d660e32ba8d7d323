/* alm_versions: the libraries and programs Almanac runs with. */
#include <csv.h>
#include <gsl/gsl_version.h>
#include <jansson.h>
#include <nettle/version.h>
#include <stdio.h>
#include <string.h>

#include <almanac/chart.h>
#include <almanac/version.h>
#include <almanac/xlsx.h>

enum alm_status alm_versions(struct alm_buf *out)
{
    char gp[256];
    alm_gp_version(gp, sizeof gp);
    alm_buf_printf(out, "GSL %s\n", gsl_version);
    alm_buf_printf(out, "libcsv %d.%d.%d (built with)\n", CSV_MAJOR, CSV_MINOR,
                   CSV_RELEASE);
    alm_buf_printf(out, "jansson %s\n", jansson_version_str());
    alm_buf_printf(out, "Nettle %d.%d\n", nettle_version_major(),
                   nettle_version_minor());
    alm_buf_printf(out, "libxlsxwriter %s\n", alm_xlsx_version());
    if (strncmp(gp, "gnuplot", 7) == 0)
        alm_buf_printf(out, "%s\n", gp);
    else
        alm_buf_printf(out, "gnuplot %s\n", gp);
    return alm_buf_status(out);
}
