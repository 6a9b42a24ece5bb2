#!/usr/bin/env bash
# Noise under MPI: the other load is measured for a run of several ranks (the ranks on rank
# 0's node are the run and are not counted as other load), recorded as a number in the JSON
# and the CSV, and never more than the machine's CPUs. Usage: other_load.sh LAUNCH...
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "other_load: $*" >&2; exit 1; }
"$@" --strategy all --tasks 12 --scale 0.02 --json "$dir/r.json" \
  --csv "$dir/r.csv" >"$dir/out" 2>&1 || fail "run failed: $(cat "$dir/out")"
python3 - "$dir/r.json" "$dir/r.csv" "$(nproc)" <<'PY' || fail "see above"
import csv, json, sys
record = json.load(open(sys.argv[1]))
load = record["noise_measure"]["other_load"]
cpus = int(sys.argv[3])
if not isinstance(load, (int, float)):
    sys.exit(f"JSON noise_measure.other_load is {load!r}, expected a number")
if not 0 <= load <= cpus + 0.5:
    sys.exit(f"other_load {load} outside 0..{cpus} CPUs")
rows = list(csv.DictReader(open(sys.argv[2])))
if not rows or any(r["other_load"] == "" for r in rows):
    sys.exit("CSV other_load empty")
print(f"other_load {load:.3f} CPUs over {record['noise_measure']['wall_s']:.3f} s")
PY
