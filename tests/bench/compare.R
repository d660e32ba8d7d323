# Checks that Almanac's projections (fit --format csv) agree with a peer's
# (indicator,period,value,lower,upper) to DIGITS significant digits: the
# same rows, and every value and bound within 10^-DIGITS of the row's
# scale (the largest of |value|, |lower|, |upper|). A bound that nearly
# cancels (value - q se close to 0) has no 9 digits of its own in either
# program; measured against the row it is still held to 9 digits.
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
scale <- pmax(abs(m$value.p), abs(m$lower.p), abs(m$upper.p), 1e-300)
worst <- max(abs(m$value.a - m$value.p) / scale,
             abs(m$lower.a - m$lower.p) / scale,
             abs(m$upper.a - m$upper.p) / scale)
ok <- nrow(m) == nrow(x) && nrow(m) == nrow(y) && worst <= tol
cat(sprintf("%s: %d rows each, %d matched, largest difference %.2g of the row (limit %.0e)\n",
            if (ok) "agree" else "DISAGREE", nrow(x), nrow(m), worst, tol))
quit(status = if (ok) 0 else 1)
