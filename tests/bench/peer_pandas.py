#!/usr/bin/python3
"""Peer of `almanac fit --model linear --to 2029 --format csv` in pandas:
the same closed-form grouped least squares and prediction intervals as
peer_datatable.R (see there).

Usage: peer_pandas.py LONG.csv OUT.csv"""
import sys

import numpy as np
import pandas as pd
from scipy.stats import t as student


def main():
    src, out = sys.argv[1:3]
    d = pd.read_csv(src, usecols=["indicator", "period", "value"],
                    dtype={"indicator": "category"})
    d["u"] = d["period"] + 0.5 - 2000
    d["uu"] = d["u"] * d["u"]
    d["uz"] = d["u"] * d["value"]
    d["zz"] = d["value"] * d["value"]
    g = d.groupby("indicator", observed=True, sort=False)
    s = g.agg(n=("u", "size"), su=("u", "sum"), sz=("value", "sum"),
              suu=("uu", "sum"), suz=("uz", "sum"), szz=("zz", "sum"),
              last=("period", "max"))
    del d
    n = s["n"].to_numpy(float)
    ub, zb = s["su"] / n, s["sz"] / n
    sxx = s["suu"] - s["su"] * ub
    sxz = s["suz"] - s["su"] * zb
    syy = s["szz"] - s["sz"] * zb
    b = sxz / sxx
    sigma = np.sqrt(np.maximum(syy - b * sxz, 0) / (n - 2))
    q = student.ppf(0.975, n - 2)
    h = np.maximum(2029 - s["last"].to_numpy(), 0)
    rep = np.repeat(np.arange(len(s)), h)
    step = np.arange(h.sum()) - np.repeat(np.cumsum(h) - h, h) + 1
    period = s["last"].to_numpy()[rep] + step
    du = period + 0.5 - 2000 - ub.to_numpy()[rep]
    value = zb.to_numpy()[rep] + b.to_numpy()[rep] * du
    se = sigma.to_numpy()[rep] * np.sqrt(
        1 + 1 / n[rep] + du * du / sxx.to_numpy()[rep])
    p = pd.DataFrame({"indicator": s.index.to_numpy()[rep], "period": period,
                      "value": value, "lower": value - q[rep] * se,
                      "upper": value + q[rep] * se})
    p.to_csv(out, index=False, float_format="%.17g")


if __name__ == "__main__":
    main()
