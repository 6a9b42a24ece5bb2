#!/usr/bin/env bash
# Runs a --steps run with --json and --csv, then checks the records hold every step: each
# strategy's JSON "steps" array has T entries (tp, load_balance, chunks, checksum), the trace
# names each entry's step, the CSV row's step_* columns hold T values, the perturbation is
# recorded as given, and schedlab-report still reads both files.
# Usage: check_step_record.sh T PERTURB REPORT -- COMMAND [ARGS...]   (PERTURB: "" for none)
set -u
steps=$1 perturb=$2 report=$3
shift 3
[ "$1" = "--" ] && shift
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$@" --json "$scratch/r.json" --csv "$scratch/r.csv" >"$scratch/out" 2>&1 || {
  echo "FAIL: the run exited $?"; cat "$scratch/out"; exit 1; }
python3 - "$scratch/r.json" "$scratch/r.csv" "$steps" "$perturb" <<'PY' || exit 1
import csv, json, sys
record, table, steps, perturb = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3]), sys.argv[4]
def check(ok, what):
    if not ok:
        print("FAIL:", what); sys.exit(1)
check(record["steps"] == steps, f"record steps {record['steps']} != {steps}")
check(record["perturb"] == perturb, f"record perturb {record['perturb']!r} != {perturb!r}")
check(len(record["perturbations"]) == (perturb.count(";") + 1 if perturb else 0), "perturbations")
n = record["workload"]["tasks"]
for s in record["strategies"]:
    check(len(s["steps"]) == steps, f"{s['strategy']}: {len(s['steps'])} steps")
    check(all({"tp", "load_balance", "chunks", "checksum"} <= set(x) for x in s["steps"]), "step fields")
    total = sum(x["tp"] for x in s["steps"])
    check(abs(total - s["time_min"]) <= 1e-9 * max(1, total) + 1e-12, f"{s['strategy']}: steps sum {total} != {s['time_min']}")
    check(sorted({t["step"] for t in s["trace"]}) == list(range(steps)), f"{s['strategy']}: trace steps")
    check(len(s["trace"]) == n * steps, f"{s['strategy']}: {len(s['trace'])} trace entries for {n} x {steps}")
    check(s["verification"] == "PASSED", f"{s['strategy']}: not verified")
rows = list(csv.DictReader(open(table)))
check(len(rows) == len(record["strategies"]), "CSV rows")
for row in rows:
    check(int(row["steps"]) == steps, "CSV steps")
    for col in ("step_times_s", "step_load_balance", "step_chunks"):
        check(len(row[col].split(";")) == steps, f"CSV {col} = {row[col]!r}")
    check(row["perturb"] == perturb, f"CSV perturb {row['perturb']!r}")
print(f"ok: {len(rows)} rows x {steps} steps in the JSON and the CSV")
PY
for f in r.json r.csv; do
  "$report" "$scratch/$f" >"$scratch/report" 2>&1 || { echo "FAIL: schedlab-report $f"; cat "$scratch/report"; exit 1; }
done
echo "ok: schedlab-report reads both"
