#!/usr/bin/env python3
"""The summary of bench/auto_regret.sh (docs/performance.md, "Automatic selection: regret and
decision cost"): per case, the median over the rounds with [min..max], auto / median's median
with its distribution-free 95% interval, and the verdict of each of issue 22's targets by a
sign test over the rounds, which are independent runs:

  regret <= 10% against the best fixed; faster than the median fixed (auto / median < 1);
  the decision <= 2% of the steps.

A target is met when so many rounds met it that chance (each round on either side of the
bound with probability 1/2) gives as many in at most 2.5% of runs (6 of 6, 7 of 7, 8 of 9,
10 of 12); MISSED when so many rounds missed it; UNRESOLVED otherwise: these rounds cannot
tell. Under 6 rounds no count is that rare, and each target is judged on the median round.
A sign test, not a t interval on the mean: a burst of other load makes a round 20-40% slower
now and then, and one such round would widen a mean's interval past every bound.

    bench/auto_regret_summary.py OUT CASE...

OUT: the --out folder of bench/auto_regret.sh, with rounds.tsv (a line per case and round:
name, round, auto s, best fixed, best s, regret %, median fixed, median s, auto / median,
decision %, verification, noise, and auto's steps faster than the median fixed row's of the
steps paired; or name, round, failed) and OUT/rROUND/CASE/run.csv. Writes
OUT/rounds.tsv.verdict: "MISSED INCONCLUSIVE UNRESOLVED CASES SHORT" (SHORT 1: under 6
rounds). Exit 0 when it judged every case, 2 on a bad argument or an unreadable rounds.tsv.
"""
import math
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "jobs"))
import schedlab_records  # noqa: E402  the scripts' one reader of records


def enough(n):
    """Sign test: the fewest of n rounds that must meet a target for chance (each round on
    either side of the bound with probability 1/2) to give as many in at most 2.5% of runs;
    n + 1 when no count is that rare (fewer than 6 rounds)."""
    for c in range(n + 1):
        if sum(math.comb(n, j) for j in range(c, n + 1)) <= 0.025 * 2 ** n:
            return c
    return n + 1


def median_interval(xs):
    """The median and its distribution-free 95% interval (the order statistics the sign test
    gives: 3rd..10th of 12, min..max of 6); (median, None, None) under 6 rounds."""
    xs = sorted(xs)
    c = enough(len(xs))
    if c > len(xs):
        return statistics.median(xs), None, None
    return statistics.median(xs), xs[len(xs) - c], xs[c - 1]


def best_fixed(out, name, good):
    """The fixed row with the lowest median ratio to the median fixed over the rounds (chosen
    after the fact, an optimistic reference) and that median's interval, from each round's
    CSV; None if a CSV cannot be read. Whether even it lies below 1 says if these rounds
    could tell a good choice from the median."""
    ratios = {}
    for r in good:
        try:
            table = schedlab_records.read_csv(os.path.join(out, "r" + r[1], name, "run.csv"))
        except (OSError, schedlab_records.RecordError):
            return None
        for row in table:
            strategy = row.get("strategy", "")
            if strategy != "serial" and not strategy.startswith("auto:"):
                ratios.setdefault(strategy, []).append(
                    schedlab_records.number(row, "time_min_s") / float(r[7]))
    full = {k: v for k, v in ratios.items() if len(v) == len(good)}
    if not full:
        return None
    best = min(full, key=lambda k: statistics.median(full[k]))
    return (best,) + median_interval(full[best])


def steps_against_median(good):
    """'auto faster than the median fixed row in K of N steps ...' summed over the rounds that
    paired their steps (the rows run interleaved: step k of each met the machine's same
    moments); None when none did. Steps of one run are not independent, so this says how
    close the two are, not a test: near half, they tie within the steps' noise."""
    paired = [r for r in good if len(r) == 14 and r[13].isdigit() and int(r[13]) > 0]
    if not paired:
        return None
    faster = sum(int(r[12]) for r in paired)
    steps = sum(int(r[13]) for r in paired)
    return (f"step by step auto was faster than the median fixed row in {faster} of {steps} "
            f"steps ({100 * faster / steps:.0f}%)")


def spread(xs, fmt):
    """'median [min..max]'."""
    return f"{fmt.format(statistics.median(xs))} [{fmt.format(min(xs))}..{fmt.format(max(xs))}]"


def with_interval(m, lo, hi, fmt):
    """'median (lo..hi)', or the median alone."""
    return fmt.format(m) + (f" ({fmt.format(lo)}..{fmt.format(hi)})" if lo is not None else "")


# Each target: its label, whether a round's value meets it, the bound as printed, the format.
TARGETS = (("regret", 5, lambda x: x <= 10, "10%", "{:.1f}%"),
           ("< median", 8, lambda x: x < 1, "1", "{:.3f}"),
           ("decision", 9, lambda x: x <= 2, "2%", "{:.2f}%"))


def judge(xs, ok, bound, fmt, label):
    """(word, note or None) for one target over the rounds' values xs."""
    n, need = len(xs), enough(len(xs))
    met = sum(1 for x in xs if ok(x))
    if need > n:  # too few rounds for the test: the median round's verdict
        if ok(statistics.median(xs)):
            return f"{label} ok", None
        return f"{label} MISSED", f"{label}: {met} of {n} rounds met it"
    if met >= need:
        return f"{label} ok", None
    interval = with_interval(*median_interval(xs), fmt)
    if n - met >= need:
        return f"{label} MISSED", f"{label}: {met} of {n} rounds met it, the median's 95% interval {interval}"
    return (f"{label} UNRESOLVED", f"{label}: {met} of {n} rounds met it ({need} needed); the "
            f"median's 95% interval {interval} holds {bound}")


def summarize(out, names):
    """Prints the table; returns (missed, inconclusive, unresolved, short)."""
    with open(os.path.join(out, "rounds.tsv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    print("== per case: the median over the rounds [min..max] and auto / median's 95% interval of")
    print("   the median; a target is met when so many rounds met it that chance gives as many in")
    print("   at most 2.5% of runs (a sign test: 6 of 6, 10 of 12), MISSED when so many missed it,")
    print("   UNRESOLVED otherwise (these rounds cannot tell: more rounds, or a quieter machine);")
    print("   under 6 rounds no count is that rare, and each target is judged on the median round")
    print(f"{'case':<22} {'auto[s]':>8} {'best fixed':<8} {'best[s]':>8} {'regret [min..max]':>24} "
          f"{'auto/median [min..max]':>24} {'auto/median (95%)':>22} "
          f"{'decision % [min..max]':>22}  verdicts")
    missed = inconclusive = unresolved = 0
    short = False
    for name in names:
        mine = [r for r in rows if r[0] == name]
        good = [r for r in mine if len(r) in (12, 14) and r[10].lower() in ("passed", "ok")]
        if not good or len(good) < len(mine):
            print(f"{name:<22} - - - - regret - < median - decision -: MISSED "
                  f"({len(mine) - len(good)} of {len(mine)} rounds did not run or verify)")
            missed += 1
            continue
        short = short or enough(len(good)) > len(good)
        values = lambda k: [float(r[k]) for r in good]  # noqa: E731  column k of each round
        words, notes = [], []
        for label, column, ok, bound, fmt in TARGETS:
            word, note = judge(values(column), ok, bound, fmt, label)
            words.append(word)
            if note:
                notes.append(note)
        ratio = values(8)
        if not words[1].endswith(" ok"):
            fixed = best_fixed(out, name, good)
            if fixed:
                notes.append(f"the fixed row with the lowest median over these rounds, {fixed[0]}, "
                             f"is at {with_interval(*fixed[1:], '{:.3f}')} of the median fixed")
            if steps := steps_against_median(good):
                notes.append(steps)
        # Rounds in which the runner saw other work take CPUs: that can hit some rows and not
        # others. A flag for E > 1 alone (spmv's parallel rows beat the serial row's bandwidth)
        # is about the serial baseline, which every row shares, not about this comparison.
        noisy = sum(1 for r in good if r[11].startswith("noisy") and "other load" in r[11])
        if not notes:
            verdict = "met"
        elif 2 * noisy >= len(good):
            verdict = f"INCONCLUSIVE ({noisy} of {len(good)} rounds flagged for other load)"
            inconclusive += 1
        elif any(w.endswith("MISSED") for w in words):
            verdict = "MISSED"
            missed += 1
        else:
            verdict = "UNRESOLVED"
            unresolved += 1
        best = statistics.mode(r[3] for r in good)
        note = f" ({'; '.join(notes)})" if notes else ""
        print(f"{name:<22} {statistics.median(values(2)):8.4f} {best:<8} "
              f"{statistics.median(values(4)):8.4f} {spread(values(5), '{:.1f}%'):>24} "
              f"{spread(ratio, '{:.3f}'):>24} "
              f"{with_interval(*median_interval(ratio), '{:.3f}'):>22} "
              f"{spread(values(9), '{:.2f}'):>22}  {' '.join(words)}: {verdict}{note}")
    return missed, inconclusive, unresolved, short


def main(argv):
    if len(argv) < 3 or not os.path.isdir(argv[1]):
        print("auto_regret_summary.py: usage: auto_regret_summary.py OUT CASE... (OUT: "
              "bench/auto_regret.sh's --out folder)", file=sys.stderr)
        return 2
    out, names = argv[1], argv[2:]
    try:
        missed, inconclusive, unresolved, short = summarize(out, names)
    except (OSError, ValueError, IndexError) as e:
        print(f"auto_regret_summary.py: {os.path.join(out, 'rounds.tsv')}: {e}", file=sys.stderr)
        return 2
    with open(os.path.join(out, "rounds.tsv.verdict"), "w", encoding="utf-8") as f:
        f.write(f"{missed} {inconclusive} {unresolved} {len(names)} {int(short)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
