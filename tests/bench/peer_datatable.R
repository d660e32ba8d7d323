# Peer of `almanac fit --model linear --to 2029 --format csv`: R
# data.table reads the long CSV (fread), fits a straight line to every
# series in closed form (grouped sums, times centred on 2000 so that no
# digit is lost), projects every year after the last one up to 2029 with
# lm's 95% prediction interval (predict.lm: se = sigma sqrt(1 + 1/n +
# (t - mean t)^2 / Sxx), Student's t on n - 2 df) and writes them
# (fwrite). Time is the decimal year of the period's midpoint, as in
# Almanac (2024 -> 2024.5).
#
# Usage: Rscript peer_datatable.R LONG.csv OUT.csv
suppressMessages(library(data.table))
setDTthreads(2)
a <- commandArgs(TRUE)
d <- fread(a[1], select = c("indicator", "period", "value"))
d[, u := period + 0.5 - 2000]
s <- d[, .(n = .N, su = sum(u), sz = sum(value), suu = sum(u * u),
           suz = sum(u * value), szz = sum(value * value),
           last = max(period)), by = indicator]
rm(d)
s[, `:=`(ub = su / n, zb = sz / n)]
s[, `:=`(sxx = suu - su * ub, sxz = suz - su * zb, syy = szz - sz * zb)]
s[, b := sxz / sxx]
s[, sigma := sqrt(pmax(syy - b * sxz, 0) / (n - 2))]
s[, q := qt(0.975, n - 2)]
h <- pmax(2029L - s$last, 0L)
p <- s[rep(seq_len(.N), h)]
p[, period := last + sequence(h)]
p[, du := period + 0.5 - 2000 - ub]
p[, value := zb + b * du]
p[, se := sigma * sqrt(1 + 1 / n + du * du / sxx)]
p[, `:=`(lower = value - q * se, upper = value + q * se)]
fwrite(p[, .(indicator, period, value, lower, upper)], a[2])
