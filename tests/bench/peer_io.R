# Peer of import, check, list and export: R data.table reads the long CSV
# (fread) and writes it back (fwrite), the least any of them does.
#
# Usage: Rscript peer_io.R IN.csv OUT.csv
suppressMessages(library(data.table))
setDTthreads(2)
a <- commandArgs(TRUE)
fwrite(fread(a[1]), a[2])
