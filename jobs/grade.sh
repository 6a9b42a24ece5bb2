#!/usr/bin/env bash
# Checks a student's lab folder (where docs/lab.md's commands were run): every exercise's
# files are there, every run PASSED verification, each lesson's inequality holds, and the
# runs were not all noisy. Prints one line per exercise and writes DIR/grade.json.
#   jobs/grade.sh DIR [--json FILE]
# Status per exercise: ok, lesson not shown, all noisy (rerun on a quiet machine), incomplete
# (a file missing or a run that did not PASS).
# Exit 0: every exercise ok; 1: one is missing or does not show its lesson; 2: bad usage.
set -euo pipefail
me=grade.sh
usage_error() { echo "$me: error: $*" >&2; exit 2; }
(($# >= 1)) || usage_error "expected the lab folder, e.g. jobs/grade.sh lab"
dir=$1; shift
[[ -d $dir ]] || usage_error "'$dir': no such folder (expected the folder where the lab's commands ran)"
json=$dir/grade.json
while (($#)); do
  case $1 in
    --json) [[ $# -ge 2 ]] || usage_error "--json: expected a file"; json=$2; shift 2 ;;
    *) usage_error "$1: unknown option (expected --json FILE)" ;;
  esac
done
command -v python3 >/dev/null || { echo "$me: python3 is needed to read the results" >&2; exit 1; }
exec python3 - "$dir" "$json" <<'PY'
import csv, json, os, statistics, sys

folder, out = sys.argv[1], sys.argv[2]
results = []

def path(name):
    return os.path.join(folder, name)

def csv_rows(name):
    with open(path(name)) as f:
        return list(csv.DictReader(f))

def json_rows(name):
    r = json.load(open(path(name)))
    rows = []
    for s in r["strategies"]:
        m = s["metrics"]
        rows.append({"strategy": s["strategy"], "workers": s["workers"],
                     "time_min_s": s["time_min"], "verification": s["verification"],
                     "speedup": m["speedup"], "efficiency": m["efficiency"],
                     "tp_over_lower_bound": m["tp_over_lower_bound"],
                     "workload": r["workload"]["kind"],
                     # the runner's own flag (absent in records from before it)
                     "noisy": {True: "1", False: "0"}.get(s.get("noisy"), "")})
    return r, rows

def noisy(row):
    # The runner's flag where it wrote one (E > 1, Tp/L < 1, or its serial T1 spread over
    # 10%); older files: judge E and Tp/L from the row.
    if row.get("noisy") in ("0", "1"):
        return row["noisy"] == "1"
    if row["strategy"] == "serial":
        return False
    return float(row["efficiency"]) > 1 or 0 < float(row["tp_over_lower_bound"]) < 1

def best(rows, strategy, workload=None):
    match = [r for r in rows if r["strategy"] == strategy and (workload is None or r["workload"] == workload)]
    if not match:
        raise LookupError(f"no {strategy} row" + (f" on {workload}" if workload else ""))
    return min(match, key=lambda r: float(r["time_min_s"]))

def exercise(number, title, files, lesson):
    entry = {"exercise": number, "title": title, "files": files, "status": "ok", "detail": ""}
    missing = [f for f in files if not os.path.exists(path(f))]
    try:
        if missing:
            raise LookupError("missing " + ", ".join(missing))
        rows = []
        for f in files:
            rows += json_rows(f)[1] if f.endswith(".json") else csv_rows(f)
        failed = [r for r in rows if r["verification"] != "PASSED"]
        if failed:
            raise LookupError(f"{len(failed)} rows did not PASS verification")
        parallel = [r for r in rows if r["strategy"] != "serial"]
        entry["noisy_rows"] = sum(noisy(r) for r in parallel)
        ok, detail = lesson(rows)
        entry["detail"] = detail
        if parallel and entry["noisy_rows"] == len(parallel):
            entry["status"] = "all noisy"
            entry["detail"] = ("every parallel row is noisy (E > 1, Tp/L < 1, or the serial T1 "
                               "spread over 10%): run again on a quiet machine; " + detail)
        elif not ok:
            entry["status"] = "lesson not shown"
    except (LookupError, KeyError, ValueError, json.JSONDecodeError) as e:
        entry["status"] = "incomplete"
        entry["detail"] = str(e)
    results.append(entry)

def ex1(rows):
    r, _ = json_rows("serial.json")
    t = r["serial_task_seconds"]
    ratio = r["strategies"][0]["time_min"] / sum(t)
    return 0.8 < ratio < 1.25, f"T1 / sum of task times = {ratio:.2f} (want about 1)"

def ex2(rows):
    # Tp/L divides by serial times; on a busy machine it drifts, and the load balance of
    # the same run (from its trace alone) is the fallback evidence of the same lesson.
    s, d = best(rows, "static", "increasing"), best(rows, "dynamic,1", "increasing")
    a, b = float(s["tp_over_lower_bound"]), float(d["tp_over_lower_bound"])
    la, lb = float(s["load_balance"]), float(d["load_balance"])
    return (a >= 1.2 * b or la <= 0.8 * lb,
            f"increasing: Tp/L static {a:.2f}, dynamic,1 {b:.2f}; LB {la:.2f}, {lb:.2f} "
            "(want static Tp/L >= 1.2 x dynamic, or LB <= 0.8 x)")

def ex3(rows):
    # Tp against the longest task as it ran in the same trace: Tp/L without the drift of
    # a serial phase measured at another moment.
    r, _ = json_rows("skewed.json")
    s = next((x for x in r["strategies"] if x["strategy"] == "dynamic,1"), None)
    if s is None:
        raise LookupError("no dynamic,1 in skewed.json")
    longest = max(t["end"] - t["start"] for t in s["trace"])
    ratio, sp, p = s["metrics"]["tp"] / longest, s["metrics"]["speedup"], s["workers"]
    return ratio < 1.3 and sp < 0.8 * p, (f"dynamic,1 Tp / longest task {ratio:.2f}, speedup {sp:.2f} "
                                          f"on P = {p} (want about 1, speedup < P)")

def ex4(rows):
    s, d1 = best(rows, "static", "uniform"), best(rows, "dynamic,1", "uniform")
    a, b = float(s["time_min_s"]), float(d1["time_min_s"])
    return b >= 1.1 * a, f"uniform: min[s] static {a:.4g}, dynamic,1 {b:.4g} (want dynamic,1 >= 1.1 x static)"

def ex5(rows):
    c, d = best(rows, "master-worker,1"), best(rows, "master-worker-dedicated,1")
    a, b = float(c["time_min_s"]), float(d["time_min_s"])
    return b > a, f"min[s] computes {a:.4g}, dedicated {b:.4g} (want dedicated slower)"

def ex6(rows):
    ps = sorted({int(r["workers"]) for r in rows if r["strategy"] != "serial"})
    if len(ps) < 2:
        raise LookupError("hybrid.csv needs both runs (threads 1 and 2)")
    low = min((float(r["time_min_s"]) for r in rows if int(r["workers"]) == ps[0] and r["strategy"] != "serial"))
    high = min((float(r["time_min_s"]) for r in rows if int(r["workers"]) == ps[-1] and r["strategy"] != "serial"))
    return high > 0.85 * low, f"min[s] P = {ps[0]}: {low:.4g}, P = {ps[-1]}: {high:.4g} (want no real win from oversubscription)"

def ex7(rows):
    ps = {int(r["workers"]) for r in rows}
    return len(ps) >= 3, f"worker counts {sorted(ps)} (want 1 .. 2C)"

def ex8(rows):
    ok = os.path.exists(path("report.html"))
    return ok, "report.html " + ("present" if ok else "missing (the hand-in page: schedlab-report --html report.html ...)")

exercise(1, "serial time", ["serial.csv", "serial.json"], ex1)
exercise(2, "static or dynamic", ["omp.csv", "omp-increasing.json"], lambda rows: ex2(csv_rows("omp.csv")))
exercise(3, "one huge task", ["skewed.json"], ex3)
exercise(4, "chunk size and overhead", ["chunks.csv"], ex4)
exercise(5, "dedicated master", ["mpi.json"], ex5)
exercise(6, "hybrid and oversubscription", ["hybrid.csv", "hybrid.json"], lambda rows: ex6(csv_rows("hybrid.csv")))
exercise(7, "scaling", ["scaling/strong.csv", "scaling/weak.csv"], lambda rows: ex7(csv_rows("scaling/strong.csv")))
exercise(8, "predicted vs measured, hand-in", ["omp-increasing.json", "mpi.json"], ex8)

for e in results:
    noise = f", {e['noisy_rows']} noisy rows" if e.get("noisy_rows") else ""
    print(f"exercise {e['exercise']} {e['title']:<32} {e['status']:<17} {e['detail']}{noise}")
passed = sum(e["status"] == "ok" for e in results)
summary = {"folder": os.path.abspath(folder), "exercises": results, "ok": passed, "of": len(results)}
with open(out, "w") as f:
    json.dump(summary, f, indent=2)
print(f"grade: {passed} of {len(results)} exercises ok; written {out}")
sys.exit(0 if passed == len(results) else 1)
PY
