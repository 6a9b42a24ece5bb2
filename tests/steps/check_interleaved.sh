#!/usr/bin/env bash
# A run of several rows with --steps T runs them step by step interleaved: the progress
# headers the driver prints before each execution ("NAME step S:") come step after step, each
# step naming every row in the table's order; the JSON still lists each row once (after the
# serial baseline), in that order, with its T steps, verified.
# Usage: check_interleaved.sh T -- COMMAND [ARGS...]   (COMMAND without --progress and --json)
set -u
steps=$1
shift 1
[ "$1" = "--" ] && shift
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$@" --progress 1000000 --json "$scratch/r.json" >"$scratch/out" 2>&1 || {
  echo "FAIL: the run exited $?"; cat "$scratch/out"; exit 1; }
python3 - "$scratch/out" "$scratch/r.json" "$steps" <<'PY'
import json, re, sys
out, record, steps = open(sys.argv[1]).read().splitlines(), json.load(open(sys.argv[2])), int(sys.argv[3])
def check(ok, what):
    if not ok:
        print("FAIL:", what); sys.exit(1)
heads = [m.groups() for m in (re.match(r"^(\S+) step (\d+):$", line) for line in out) if m]
rows = [s["strategy"] for s in record["strategies"][1:]]  # [0]: the serial baseline
check(len(rows) > 1, f"one row only: {rows}")
expected = [(name, str(step)) for step in range(steps) for name in rows]
check(heads == expected, f"order {heads[:len(rows) + 2]}... != step by step {expected[:len(rows) + 2]}...")
for s in record["strategies"]:
    check(len(s["steps"]) == steps, f"{s['strategy']}: {len(s['steps'])} steps")
    check(s["verification"] == "PASSED", f"{s['strategy']}: not verified")
check(any(line == "verification: PASSED" for line in out), "no 'verification: PASSED' line")
print(f"ok: {len(rows)} rows x {steps} steps, step by step, each row verified")
PY
