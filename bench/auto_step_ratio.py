#!/usr/bin/env python3
"""Where an auto row's steps stand against the fixed rows of the same run (docs/performance.md,
"Automatic selection"): for every auto row of every case and round of bench/auto_regret.sh's
records, the median over its steps of (the step's Tp - its decision) / the Tp of the same
step index in the fixed row of the technique it chose. 1 means the auto row ran its chosen
technique as fast as the fixed row did; the spread around 1 is how much of the comparison is
the machine's moment rather than the choice.

    bench/auto_step_ratio.py LABEL=DIR [LABEL=DIR ...]

DIR: an --out folder of bench/auto_regret.sh (DIR/r*/CASE/run.json; a glob such as
'/tmp/il-after-*' is allowed, quoted). Prints per case the median [min..max] over rounds for each
auto row and label, then each label's pooled median, quartiles, median |r - 1| and the share
within 10% of 1. Exit 2 on a bad argument.
"""
import glob
import json
import statistics
import sys
from collections import defaultdict

AUTOS = ["auto:exhaustive", "auto:expert", "auto:simulate", "auto:random"]


def row_ratios(record):
    """(auto row, median ratio over its steps) for each auto row of one run.json."""
    rows = {s["strategy"]: s for s in record["strategies"]}
    for s in record["strategies"]:
        if not s["strategy"].startswith("auto:"):
            continue
        per = []
        for d, step in zip(s.get("decisions", []), s["steps"]):
            fixed = rows.get(d["technique"])
            if fixed is None or d["step"] >= len(fixed["steps"]) or not fixed["steps"][d["step"]]["tp"]:
                continue
            per.append((step["tp"] - d["decision_seconds"]) / fixed["steps"][d["step"]]["tp"])
        if per:
            yield s["strategy"], statistics.median(per)


def main(args):
    if not args or any("=" not in a for a in args):
        print("auto_step_ratio.py: error: expected LABEL=DIR arguments (see --help)", file=sys.stderr)
        return 2
    ratios = defaultdict(list)  # (label, case, auto row) -> one median per round
    labels = []
    for arg in args:
        label, pattern = arg.split("=", 1)
        labels.append(label)
        files = sorted(f for d in glob.glob(pattern) for f in glob.glob(f"{d}/r*/*/run.json"))
        if not files:
            print(f"auto_step_ratio.py: error: {pattern!r}: no r*/CASE/run.json there", file=sys.stderr)
            return 2
        for path in files:
            case = path.split("/")[-2]
            for auto, ratio in row_ratios(json.load(open(path))):
                ratios[(label, case, auto)].append(ratio)
    print("case".ljust(30) + "".join(f"{a[5:]:>22}" for a in AUTOS))
    for case in sorted({k[1] for k in ratios}):
        for label in labels:
            cells = []
            for a in AUTOS:
                v = ratios.get((label, case, a), [])
                cells.append(f"{statistics.median(v):.3f} [{min(v):.2f}..{max(v):.2f}]" if v else "-")
            print(f"{case} {label}".ljust(30) + "".join(f"{c:>22}" for c in cells))
    print("\npooled over cases, auto rows and rounds:")
    for label in labels:
        v = [x for (lab, _, _), xs in ratios.items() if lab == label for x in xs]
        if len(v) < 2:
            continue
        dev = [abs(x - 1) for x in v]
        q = statistics.quantiles(v, n=4)
        within = sum(d <= 0.10 for d in dev) / len(dev)
        print(f"{label}: n={len(v)} median {statistics.median(v):.3f} quartiles {q[0]:.3f}..{q[2]:.3f} "
              f"median |r-1| {statistics.median(dev):.3f} within 10%: {within:.0%}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
