# Checks that Almanac's projections (fit --format csv) agree with a peer's
# (indicator,period,value,lower,upper) to DIGITS significant digits: the
# same rows, and every value and bound within a relative 10^-DIGITS.
# Prints one line; exits 1 on a disagreement.
#
# Usage: Rscript compare.R ALMANAC.csv PEER.csv DIGITS
suppressMessages(library(data.table))
a <- commandArgs(TRUE)
x <- fread(a[1], select = c("indicator", "period", "value", "lower", "upper"),
           colClasses = list(character = "period"))
y <- fread(a[2], colClasses = list(character = "period"))
tol <- 10^-as.numeric(a[3])
m <- merge(x, y, by = c("indicator", "period"), suffixes = c(".a", ".p"))
rel <- function(u, v) abs(u - v) / pmax(abs(v), 1e-300)
worst <- max(rel(m$value.a, m$value.p), rel(m$lower.a, m$lower.p),
             rel(m$upper.a, m$upper.p))
ok <- nrow(m) == nrow(x) && nrow(m) == nrow(y) && worst <= tol
cat(sprintf("%s: %d rows each, %d matched, largest relative difference %.2g (limit %.0e)\n",
            if (ok) "agree" else "DISAGREE", nrow(x), nrow(m), worst, tol))
quit(status = if (ok) 0 else 1)
