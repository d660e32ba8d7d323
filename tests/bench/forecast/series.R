# The benchmark's series, written as an Almanac dataset (the four CSV files
# of SPEC.md) in the folder given as the first argument, plus series.csv
# (id, kind, t, y) for R's side. Every figure is read from its source, never
# made up:
#   - the World Bank WDI file of GDP in current US$ (../shared/data/formats/
#     worldbank-wdi/), one series per country (aggregates left out: they
#     repeat their members), on the log scale, the last unbroken run of
#     years of at least 20;
#   - the annual series of R's datasets package: LakeHuron, Nile, airmiles,
#     lynx, nhtemp, sunspot.year, discoveries, and ten windows of 100 years
#     of treering spread over its 7,980 (their years relabelled 1901-2000:
#     Almanac's periods start at year 1, and no model here depends on the
#     origin of time). uspop is left out: it is decennial.
invisible(Sys.setlocale("LC_CTYPE", "C.UTF-8")) # the WDI file is UTF-8
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
wdi <- args[2]
dir.create(out, showWarnings = FALSE)

series <- list()
add <- function(id, kind, title, unit, years, y) {
    series[[length(series) + 1]] <<- list(id = id, kind = kind, title = title,
                                          unit = unit, t = years, y = y)
}

gdp <- read.csv(file.path(wdi, "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_9865.csv"),
                skip = 4, check.names = FALSE, fileEncoding = "UTF-8-BOM")
meta <- read.csv(file.path(wdi,
                  "Metadata_Country_API_NY.GDP.MKTP.CD_DS2_en_csv_v2_9865.csv"),
                 check.names = FALSE, fileEncoding = "UTF-8-BOM")
countries <- meta[["Country Code"]][meta$Region != ""]
years <- suppressWarnings(as.integer(names(gdp)))
ycols <- which(!is.na(years))
for (r in seq_len(nrow(gdp))) {
    code <- gdp[["Country Code"]][r]
    if (!(code %in% countries)) next
    v <- as.numeric(unlist(gdp[r, ycols]))
    ok <- which(!is.na(v) & v > 0)
    if (length(ok) < 20) next
    last <- max(ok)
    first <- last
    while (first > 1 && !is.na(v[first - 1]) && v[first - 1] > 0)
        first <- first - 1
    if (last - first + 1 < 20) next
    add(paste0("gdp_", tolower(code)), "value",
        paste("log GDP, current US$:", gdp[["Country Name"]][r]), "log US$",
        years[ycols][first:last], log(v[first:last]))
}

from_ts <- function(id, kind, title, unit, x) {
    add(id, kind, title, unit, as.integer(round(time(x))), as.numeric(x))
}
from_ts("lakehuron", "level", "Level of Lake Huron", "feet", LakeHuron)
from_ts("nile", "level", "Flow of the Nile at Aswan", "1e8 m3", Nile)
from_ts("airmiles", "level", "US airline passenger miles", "miles", airmiles)
from_ts("lynx", "count", "Lynx trappings, Mackenzie River", "lynx", lynx)
from_ts("nhtemp", "value", "Mean annual temperature, New Haven", "F", nhtemp)
from_ts("sunspots", "level", "Yearly sunspot numbers", "sunspots", sunspot.year)
from_ts("discoveries", "count", "Great inventions and discoveries",
        "discoveries", discoveries)
n <- length(treering)
for (k in 0:9) {
    start <- 1 + round(k * (n - 100) / 9)
    add(sprintf("treering_%d", k), "index",
        sprintf("Tree-ring index, years %d to %d of the series", start,
                start + 99), "index", 1901:2000,
        as.numeric(treering[start:(start + 99)]))
}

num <- function(x) sprintf("%.17g", x)
ind <- do.call(rbind, lapply(series, function(s)
    data.frame(id = s$id, title = s$title, unit = s$unit, kind = s$kind,
               frequency = "A")))
write.csv(ind, file.path(out, "indicators.csv"), row.names = FALSE,
          quote = TRUE)
obs <- do.call(rbind, lapply(series, function(s)
    data.frame(indicator = s$id, period = s$t, value = num(s$y),
               qualifier = "", status = "", source = "bench")))
write.csv(obs, file.path(out, "observations.csv"), row.names = FALSE,
          quote = FALSE)
writeLines(c("id,title,publisher,date,location",
             "bench,World Bank WDI and R datasets,various,2024-10-24,"),
           file.path(out, "sources.csv"))
writeLines("indicator,period,value,comparator,qualifier,baseline,announced,source,quote",
           file.path(out, "targets.csv"))
long <- do.call(rbind, lapply(series, function(s)
    data.frame(id = s$id, kind = s$kind, t = s$t, y = num(s$y))))
write.csv(long, file.path(out, "series.csv"), row.names = FALSE, quote = FALSE)
cat(length(series), "series\n", file = stderr())
