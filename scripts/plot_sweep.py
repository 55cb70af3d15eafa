#!/usr/bin/python3
"""Plot KPIs of a chainsim sweep against one or two parameters, with intervals.

Reads sweep_summary.csv (one row per point and KPI: the parameters, kpi, n,
mean, sd, half_width) and writes a PNG with one panel per KPI: the mean
against the parameter on the x axis, with its 95% interval as error bars, and
one line per value of a second parameter when there is one (--by).

  scripts/plot_sweep.py out/serial_sweep/sweep_summary.csv \\
      --kpi network.total_cost --kpi stock.store/widget.fill_rate \\
      --x nodes.store.policy.S --by nodes.warehouse.policy.S --out plot.png

The y axis is labelled with the KPI's unit, read from sweep.json beside the
summary (its "units", from chainsim's KPI definitions; none when sweep.json is
absent). Parameters carry no unit in chainsim's files: the x axis is the path.

Defaults: --x is the first parameter, --by the second (when the sweep has
one), --out is sweep.png beside the summary. Points of a Latin hypercube
(many distinct x values) are drawn as markers without lines. Parameters not on
the x axis or in --by are averaged over (the panel title says so).

Debian packages: python3-matplotlib, python3-pandas.
"""

import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def fail(msg):
    print(f"plot_sweep.py: error: {msg}", file=sys.stderr)
    sys.exit(2)


def parameters(df):
    cols = list(df.columns)
    if "point" not in cols or "kpi" not in cols:
        fail("not a sweep_summary.csv (it needs the columns point and kpi)")
    return cols[cols.index("point") + 1 : cols.index("kpi")]


def kpi_units(summary):
    """The units of the KPI columns, from sweep.json beside the summary ({} when absent)."""
    path = os.path.join(os.path.dirname(summary) or ".", "sweep.json")
    try:
        with open(path) as f:
            units = json.load(f).get("units", {})
    except (OSError, ValueError):
        return {}
    return units if isinstance(units, dict) else {}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("summary", help="sweep_summary.csv")
    ap.add_argument("--kpi", action="append", required=True,
                    help="a KPI column as in sweep.csv, e.g. network.total_cost (repeatable)")
    ap.add_argument("--x", help="the parameter on the x axis (default: the first)")
    ap.add_argument("--by", help="one line per value of this parameter (default: the second, if any)")
    ap.add_argument("--out", help="the PNG to write (default: sweep.png beside the summary)")
    ap.add_argument("--title", help="a title above the panels")
    args = ap.parse_args(argv)

    try:
        df = pd.read_csv(args.summary)
    except (OSError, pd.errors.ParserError) as e:
        fail(f"cannot read {args.summary}: {e}")
    params = parameters(df)
    if not params:
        fail("the sweep has no parameters")
    x = args.x or params[0]
    if x not in params:
        fail(f"--x {x}: not a parameter of the sweep (they are: {', '.join(params)})")
    by = args.by if args.by is not None else next((p for p in params if p != x), None)
    if by is not None and (by not in params or by == x):
        fail(f"--by {by}: not another parameter of the sweep (they are: {', '.join(params)})")
    if not pd.api.types.is_numeric_dtype(df[x]):
        fail(f"--x {x}: the parameter is not numeric")
    missing = [k for k in args.kpi if k not in set(df["kpi"])]
    if missing:
        fail(f"--kpi {missing[0]}: not in {args.summary}")
    others = [p for p in params if p not in (x, by)]
    units = kpi_units(args.summary)

    out = args.out or os.path.join(os.path.dirname(args.summary) or ".", "sweep.png")
    fig, axes = plt.subplots(len(args.kpi), 1, figsize=(7.5, 3.6 * len(args.kpi)), squeeze=False)
    for ax, kpi in zip(axes[:, 0], args.kpi):
        d = df[df["kpi"] == kpi]
        keys = [x] + ([by] if by else [])
        # Average over the parameters not shown (their intervals are pooled as
        # the mean half-width: a summary, not a new interval).
        g = d.groupby(keys, as_index=False).agg(mean=("mean", "mean"), half_width=("half_width", "mean"))
        lhs = g[x].nunique() > 25
        # Many values of --by (a Latin hypercube's continuous parameter): one
        # scatter coloured by it, with a colour bar, not a line and a legend
        # entry per value.
        colour_scale = by is not None and g[by].nunique() > 8 and pd.api.types.is_numeric_dtype(g[by])
        if colour_scale:
            ax.errorbar(g[x], g["mean"], yerr=g["half_width"].fillna(0.0), fmt="none", ecolor="0.75",
                        elinewidth=0.8, capsize=0)
            points = ax.scatter(g[x], g["mean"], c=g[by], cmap="viridis", s=14, zorder=3)
            fig.colorbar(points, ax=ax, label=by)
            groups = []
        else:
            groups = [(None, g)] if by is None else list(g.groupby(by))
        for value, part in groups:
            part = part.sort_values(x)
            label = None if by is None else f"{by} = {value}"
            yerr = part["half_width"].fillna(0.0)
            ax.errorbar(part[x], part["mean"], yerr=yerr, marker="o", markersize=3.5, capsize=3,
                        linestyle="none" if lhs else "-", label=label)
        ax.set_xlabel(x)
        ax.set_ylabel(f"{kpi} ({units[kpi]})" if units.get(kpi) else kpi)
        title = f"{kpi} (mean and 95% interval)"
        if others:
            title += f"; averaged over {', '.join(others)}"
        ax.set_title(title, fontsize=10)
        ax.grid(True, alpha=0.3)
        if by is not None and not colour_scale:
            ax.legend(fontsize=8)
    if args.title:
        fig.suptitle(args.title)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
