/* almanac track: progress of every target. */
#include <getopt.h>
#include <stdlib.h>

#include <almanac/track.h>
#include <almanac/view.h>

#include "cli.h"

static const char usage_text[] =
    "usage: almanac track -d DIR [ID...] [--method eurostat|unsd]\n"
    "                     [--since PERIOD] [--model M] [--level PCT]\n"
    "                     [--as-of DATE] [--format table|csv] [-o FILE]\n\n"
    "Assesses every target (of the IDs given, else of all indicators):\n"
    "achieved, met or missed, else the Eurostat SDG progress status (or\n"
    "UNSD's with --method unsd), the growth still needed, the time distance\n"
    "to the required path, the projection at the target period and the\n"
    "probability of meeting the target. The baseline is the target's own,\n"
    "else --since, else the first observation. --as-of answers 'was it on\n"
    "track as published then?': only figures and targets published by then.\n";

int cmd_track(int argc, char **argv)
{
    enum { O_METHOD = 256, O_SINCE, O_MODEL, O_LEVEL, O_ASOF, O_FORMAT };
    static const struct option opts[] = {
        {"dataset", required_argument, NULL, 'd'},
        {"method", required_argument, NULL, O_METHOD},
        {"since", required_argument, NULL, O_SINCE},
        {"model", required_argument, NULL, O_MODEL},
        {"level", required_argument, NULL, O_LEVEL},
        {"as-of", required_argument, NULL, O_ASOF},
        {"format", required_argument, NULL, O_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *method = "eurostat", *model = "auto",
               *level_text = "95", *as_of_text = NULL, *format = "table",
               *output = NULL;
    struct alm_track_opts to = {
        ALM_TRACK_EUROSTAT, NULL, {ALM_MODEL_AUTO, 0}, 95, 0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case O_METHOD:
            method = optarg;
            break;
        case O_SINCE:
            to.since = optarg;
            break;
        case O_MODEL:
            model = optarg;
            break;
        case O_LEVEL:
            level_text = optarg;
            break;
        case O_ASOF:
            as_of_text = optarg;
            break;
        case O_FORMAT:
            format = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        default:
            return cli_bad_option("track", c, argv);
        }
    }
    struct alm_error err;
    struct alm_dataset *ds = NULL;
    struct alm_track *a = NULL;
    struct alm_buf out = ALM_BUF_INIT;
    size_t *ids = NULL, nids = 0, na = 0;
    enum alm_format f;
    alm_error_clear(&err);
    enum alm_status st = alm_format_parse(format, &f, &err);
    if (st == ALM_OK)
        st = alm_track_method_parse(method, &to.method, &err);
    if (st == ALM_OK)
        st = alm_model_parse(model, &to.model, &err);
    if (st == ALM_OK)
        st = alm_level_parse(level_text, &to.level, &err);
    if (st == ALM_OK)
        st = cli_open(dir, as_of_text, &ds, &to.as_of, &err);
    if (st == ALM_OK && optind < argc)
        st = alm_dataset_pick(ds, argv + optind, (size_t)(argc - optind), &ids,
                              &nids, &err);
    if (st == ALM_OK)
        st = alm_track_all(ds, ids, nids, &to, &a, &na, &err);
    if (st == ALM_OK && alm_view_track(ds, a, na, &to, f, &out) != ALM_OK)
        st = alm_fail(&err, ALM_ENOMEM, "out of memory");
    if (st == ALM_OK)
        st = cli_write_output(output, &out, &err);
    free(a);
    free(ids);
    alm_buf_release(&out);
    alm_dataset_free(ds);
    return cli_exit(st, &err);
}
