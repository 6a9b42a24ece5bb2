#!/usr/bin/env bash
# The first strategy timed in a process is as fast as the same strategy timed again: what
# wakes the workers (team creation, first touch of their stacks, clocks, the kernel's code)
# happens before the clock starts. Runs PROGRAM RUNS times with --repeat 3 --json and
# compares the median over processes of the first repeat's time with that of the later
# repeats (min of repeats 2-3). A ratio, never an absolute time: LIMIT is generous because
# the machine may be shared. Prints both figures.
# Usage: first_is_not_slower.sh RUNS LIMIT PROGRAM [ARGS...]
set -u
runs=$1 limit=$2
shift 2
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for i in $(seq 1 "$runs"); do
  "$@" --repeat 3 --json "$dir/run$i.json" >"$dir/stdout" 2>"$dir/stderr" ||
    { echo "FAIL: run $i exited $?"; cat "$dir/stdout" "$dir/stderr"; exit 1; }
done
python3 - "$dir" "$runs" "$limit" <<'PY'
import json, statistics, sys
folder, runs, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
first, later = [], []
for i in range(1, runs + 1):
    record = json.load(open(f"{folder}/run{i}.json"))
    row = record["strategies"][1]  # [0] is the serial baseline
    first.append(row["times"][0])
    later.append(min(row["times"][1:]))
f, l = statistics.median(first), statistics.median(later)
ratio = f / l if l > 0 else float("inf")
print(f"{row['strategy']}: median first {f * 1e6:.1f} us, median later {l * 1e6:.1f} us, "
      f"ratio {ratio:.2f} (limit {limit}) over {runs} processes")
sys.exit(0 if ratio <= limit else 1)
PY
