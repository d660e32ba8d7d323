#!/usr/bin/env python3
"""Deterministic benchmark datasets: S series x P annual periods.

    gen.py S OUTDIR [--periods 30]

writes OUTDIR/long.csv (indicator,period,value,source,vintage: the file
`almanac import` and the peers read) and OUTDIR/ds/ (an Almanac dataset
holding the same observations: ids s0000000..., kind level, frequency A,
one source, every row with a vintage). Values are a line plus noise from a
fixed 64-bit LCG, written with 3 decimals, all positive; the same S and P
always give the same bytes."""
import os
import sys


def main():
    args = sys.argv[1:]
    periods = 30
    if "--periods" in args:
        i = args.index("--periods")
        periods = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    nseries, out = int(args[0]), args[1]
    ds = os.path.join(out, "ds")
    os.makedirs(ds, exist_ok=True)
    state = 0x2545F4914F6CDD1D
    mask = (1 << 64) - 1
    first = 2024 - periods
    with open(os.path.join(ds, "indicators.csv"), "w") as ind:
        ind.write("id,title,unit,kind,frequency,scope,notes\n")
        for s in range(nseries):
            ind.write(f"s{s:07d},Series {s},units,level,A,,\n")
    with open(os.path.join(ds, "sources.csv"), "w") as src:
        src.write("id,title,publisher,date,location\n"
                  "gen,Generated series,tests/bench/gen.py,2025-01-31,\n")
    with open(os.path.join(ds, "targets.csv"), "w") as tgt:
        tgt.write("indicator,period,value,comparator,qualifier,baseline,"
                  "announced,source,quote\n")
    with open(os.path.join(out, "long.csv"), "w") as lng, \
            open(os.path.join(ds, "observations.csv"), "w") as obs:
        lng.write("indicator,period,value,source,vintage\n")
        obs.write("indicator,period,value,qualifier,status,source,vintage,"
                  "quote\n")
        for s in range(nseries):
            state = (state * 6364136223846793005 + 1442695040888963407) & mask
            level = 100 + (state >> 40) % 9000
            slope = ((state >> 20) % 2001 - 1000) / 100.0
            rows_l, rows_o = [], []
            for k in range(periods):
                state = (state * 6364136223846793005 +
                         1442695040888963407) & mask
                noise = ((state >> 33) % 20001 - 10000) / 1000.0
                v = level + slope * k + noise
                if v < 0:
                    v = -v
                year = first + k
                rows_l.append(f"s{s:07d},{year},{v:.3f},gen,2025-01-31\n")
                rows_o.append(f"s{s:07d},{year},{v:.3f},,,gen,2025-01-31,\n")
            lng.write("".join(rows_l))
            obs.write("".join(rows_o))


if __name__ == "__main__":
    main()
