# Backtests R's forecast package on the benchmark's series and sets the
# scores beside Almanac's (the CSV of `almanac backtest --format csv`, one
# file per method, named almanac-METHOD.csv in the folder given).
#   Rscript compare.R DIR HOLD
# Every method is scored on the same held-out points by the same rules:
# MASE = mean |error| over the last HOLD points / mean |diff(fitted)|, and
# the share of those points inside the 95% interval.
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
hold <- as.integer(args[2])
long <- read.csv(file.path(dir, "series.csv"))

score <- function(train, test, f) {
    e <- abs(as.numeric(f$mean) - test)
    lo <- as.numeric(f$lower[, ncol(f$lower)])
    hi <- as.numeric(f$upper[, ncol(f$upper)])
    c(mase = mean(e) / mean(abs(diff(train))),
      coverage = mean(test >= lo & test <= hi))
}
methods <- list(
    "rwf(drift = TRUE)" = function(x) rwf(x, h = hold, drift = TRUE, level = 95),
    "meanf" = function(x) meanf(x, h = hold, level = 95),
    "thetaf" = function(x) thetaf(x, h = hold, level = 95),
    "ets" = function(x) forecast(ets(x), h = hold, level = 95),
    "auto.arima" = function(x) forecast(auto.arima(x), h = hold, level = 95))

rows <- list()
for (id in unique(long$id)) {
    y <- long$y[long$id == id]
    n <- length(y)
    if (n < hold + 4) next
    train <- ts(y[1:(n - hold)], start = 1)
    test <- y[(n - hold + 1):n]
    for (m in names(methods)) {
        s <- tryCatch(score(as.numeric(train), test, methods[[m]](train)),
                      error = function(e) c(mase = NA, coverage = NA))
        rows[[length(rows) + 1]] <- data.frame(id = id, method = m,
                                               mase = s[["mase"]],
                                               coverage = s[["coverage"]])
    }
}
r <- do.call(rbind, rows)

almanac <- list.files(dir, pattern = "^almanac-.*\\.csv$")
for (f in almanac) {
    a <- read.csv(file.path(dir, f), colClasses = c(note = "character"))
    name <- sub("^almanac-(.*)\\.csv$", "\\1", f)
    r <- rbind(r, data.frame(id = a$indicator,
                             method = paste("Almanac", name),
                             mase = a$mase, coverage = a$coverage))
}

# The same series for every automatic method (R's five and Almanac's
# auto): those all of them scored. A single Almanac model that cannot fit
# some of them (loglinear on a zero) is averaged over those it scored, and
# the table says how many.
auto <- c(names(methods), "Almanac auto")
ids <- unique(long$id)
for (m in auto)
    ids <- intersect(ids, r$id[r$method == m & !is.na(r$mase)])
r <- r[r$id %in% ids, ]
tab <- function(sel) {
    do.call(rbind, lapply(unique(r$method), function(m) {
        k <- sel & r$method == m & !is.na(r$mase)
        data.frame(method = m, n = sum(k), mase = mean(r$mase[k]),
                   coverage = mean(r$coverage[k], na.rm = TRUE))
    }))
}
wdi <- grepl("^gdp_", r$id)
all <- tab(rep(TRUE, nrow(r)))
g <- tab(wdi)
d <- tab(!wdi)
cat(sprintf("%d series (%d World Bank log GDP, %d R datasets), the last %d held out\n\n",
            length(ids), sum(grepl("^gdp_", ids)), sum(!grepl("^gdp_", ids)),
            hold))
cat("| method | series | mean MASE | 95% coverage | MASE, log GDP | coverage, log GDP | MASE, R datasets | coverage, R datasets |\n")
cat("|---|---:|---:|---:|---:|---:|---:|---:|\n")
pct <- function(x) if (is.na(x)) "-" else sprintf("%.1f%%", 100 * x)
for (i in seq_len(nrow(all)))
    cat(sprintf("| %s | %d | %.3f | %s | %.3f | %s | %.3f | %s |\n",
                all$method[i], all$n[i], all$mase[i], pct(all$coverage[i]),
                g$mase[i], pct(g$coverage[i]), d$mase[i],
                pct(d$coverage[i])))
# The bound on any rule that picks among auto's candidates: per series,
# the candidate that did best on the held-out points themselves.
cand <- c("linear", "loglinear", "drift", "mean")
oracle <- sapply(ids, function(id) {
    k <- r$id == id & r$method %in% paste("Almanac", cand)
    min(r$mase[k], na.rm = TRUE)
})
cat(sprintf("\nThe best of Almanac's candidates (%s) per series, picked in hindsight: mean MASE %.3f\n",
            paste(cand, collapse = ", "), mean(oracle)))
best <- min(all$mase[all$method %in% c("ets", "auto.arima", "thetaf")])
a <- all[all$method == "Almanac auto", ]
cat(sprintf("Almanac auto: mean MASE %.3f against the best of ets, auto.arima, thetaf %.3f: %s\n",
            a$mase, best, if (a$mase <= best) "goal met" else "goal NOT met"))
cat(sprintf("Almanac auto: 95%% intervals cover %.1f%% of held-out points: %s\n",
            100 * a$coverage,
            if (a$coverage >= 0.90 && a$coverage <= 0.98) "goal met (90-98%)"
            else "goal NOT met (90-98%)"))
