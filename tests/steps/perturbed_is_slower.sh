#!/usr/bin/env bash
# A run with --perturb worker=W,slow=F: the JSON records it, and worker W's measured busy
# time (its tasks, the slowdown inside them) is at least MIN times the mean of the others'
# in the last strategy, whose schedule gives every worker the same work (static, uniform).
# The busy times are measured: on a loaded machine the others may be slowed as much, so a
# ratio below MIN is reported as inconclusive (exit 77, SKIP) rather than passed or failed.
# Usage: perturbed_is_slower.sh W MIN -- COMMAND [ARGS...]
set -u
worker=$1 min=$2
shift 2
[ "$1" = "--" ] && shift
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$@" --json "$scratch/r.json" >"$scratch/out" 2>&1 || {
  echo "FAIL: the run exited $?"; cat "$scratch/out"; exit 1; }
python3 - "$scratch/r.json" "$worker" "$min" <<'PY'
import json, sys
record, worker, least = json.load(open(sys.argv[1])), int(sys.argv[2]), float(sys.argv[3])
if f"worker={worker},slow=" not in record["perturb"]:
    print("FAIL: the record's perturb is", repr(record["perturb"])); sys.exit(1)
s = record["strategies"][-1]
busy = s["busy"]
others = [b for w, b in enumerate(busy) if w != worker]
ratio = busy[worker] / (sum(others) / len(others))
print(f"{s['strategy']}: busy {['%.4f' % b for b in busy]}: worker {worker} / others = {ratio:.2f} (at least {least})")
if ratio >= least:
    sys.exit(0)
print(f"inconclusive: below {least} (load average {record['load_average']}: the others were slowed too?)")
sys.exit(77)
PY
