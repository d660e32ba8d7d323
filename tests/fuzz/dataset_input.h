/* The input format of the dataset harnesses (fuzz_dataset, fuzz_analysis):
 * the four files of a dataset, in the order of alm_table_files
 * (indicators, observations, sources, targets), separated by NUL bytes.
 * A file the input leaves out gets a small valid default, so that an
 * input of one part fuzzes indicators.csv against sane other files. */
#ifndef ALMANAC_FUZZ_DATASET_INPUT_H
#define ALMANAC_FUZZ_DATASET_INPUT_H

#include <almanac/dataset.h>

#include "fuzz.h"

static const char *const fuzz_default_files[ALM_T_COUNT] = {
    "id,title,unit,kind,frequency\n"
    "share,Share,%,share,A\n"
    "zones,Zones,zones,count,I\n",
    "indicator,period,value,qualifier,status,source,vintage,quote\n"
    "share,2014,7.6,,,nbs,2015-02-26,from 7.6 percent\n"
    "share,2022,13,>,,nbs,,over 13\n"
    "zones,2023-11,178,,,nbs,,178 zones\n",
    "id,title,publisher,date\n"
    "nbs,Communique,NBS,2023-02-28\n",
    "indicator,period,value,comparator,baseline\n"
    "share,2025,17,>=,2014\n"};

/* Parses the input as a dataset named "fuzz" into *out; with report
 * non-NULL every problem goes to it (as `check` does). */
static inline enum alm_status
fuzz_dataset(const uint8_t *data, size_t size,
             const struct alm_problem_sink *report, struct alm_dataset **out,
             struct alm_error *err)
{
    const char *part[ALM_T_COUNT];
    size_t len[ALM_T_COUNT];
    size_t k = fuzz_split(data, size, part, len, ALM_T_COUNT);
    for (size_t i = k; i < ALM_T_COUNT; i++) {
        part[i] = fuzz_default_files[i];
        len[i] = strlen(fuzz_default_files[i]);
    }
    return alm_dataset_parse("fuzz", part, len, report, out, err);
}

#endif
