/* almanac about: the dataset's title and description (about.csv), shown
 * or changed after init. */
#include <getopt.h>
#include <stdio.h>

#include <almanac/dataset.h>
#include <almanac/view.h>

#include "cli.h"

/* usage_text, --help: written from man/almanac-about.1.txt. */
#include "usage/about.h"

static const struct cli_spec spec = {
    .shared = CLI_DATASET, .name = "about", .usage = usage_text};

int cmd_about(int argc, char **argv)
{
    const char *title = NULL, *description = NULL;
    const struct cli_opt own[] = {CLI_TEXT("title", &title),
                                  CLI_TEXT("description", &description),
                                  CLI_END};
    struct cli cl;
    if (cli_parse(&cl, &spec, own, argc, argv) != ALM_OK)
        return cl.stop;
    const char *dir = cli_dataset_dir(cl.dir);
    enum alm_status st;
    if (title || description) {
        st = alm_dataset_set_about(dir, title, description, &cl.err);
        if (st == ALM_OK)
            printf("changed the %s of %s\n",
                   title && description ? "title and description"
                   : title              ? "title"
                                        : "description",
                   dir);
        return cli_finish(&cl, st, NULL);
    }
    struct alm_dataset *ds = NULL;
    st = alm_dataset_open(dir, NULL, &ds, &cl.err);
    if (st == ALM_OK && ds->title)
        alm_buf_printf(&cl.out, "title: %s\n%s%s%s", ds->title,
                       ds->description[0] ? "description: " : "",
                       ds->description, ds->description[0] ? "\n" : "");
    else if (st == ALM_OK)
        alm_buf_printf(&cl.out,
                       "no title: give one with 'almanac about -d %s "
                       "--title TEXT'\n",
                       dir);
    /* Texts from a file may hold what a terminal would run. */
    if (st == ALM_OK)
        st = alm_text_escape_controls(&cl.out, 0);
    alm_dataset_free(ds);
    return cli_finish(&cl, st, &cl.out);
}
