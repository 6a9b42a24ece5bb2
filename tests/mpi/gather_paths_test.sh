#!/usr/bin/env bash
# The two end-of-run gathers of a strategy without a master (mpi/gather.cpp) give rank 0 the
# same run: --trace tasks moves whole records, --trace off only each rank's results (and, for
# rma and hierarchical, its claimed ranges), from which rank 0 rebuilds the records. The same
# list runs both ways; each row's checksum (order-sensitive: a result put back at the wrong
# task changes it), completed count, distinct chunks, verification and status must agree.
# With --trace off every task ends at 0, so the completion order is the task order.
# Usage: gather_paths_test.sh TASKS COMMAND [ARGS...]   (COMMAND gets --trace and --json)
set -u
tasks=$1
shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for trace in tasks off; do
  if ! "$@" --trace "$trace" --json "$dir/$trace.json" >"$dir/$trace.out" 2>&1; then
    echo "FAIL: --trace $trace exited non-zero"
    cat "$dir/$trace.out"
    exit 1
  fi
done
python3 - "$dir/tasks.json" "$dir/off.json" "$tasks" <<'PY'
import json, sys
whole, results_only = (json.load(open(path)) for path in sys.argv[1:3])
tasks = int(sys.argv[3])
assert whole["trace_level"] == "tasks" and results_only["trace_level"] == "off"
failures = []
rows = list(zip(whole["strategies"], results_only["strategies"]))
if len(rows) < 2:  # the serial baseline and the strategy
    failures.append(f"{len(rows)} rows")
for a, b in rows:
    name = a["strategy"]
    for key in ("strategy", "checksum", "completed", "chunks", "verification", "status"):
        if a[key] != b[key]:
            failures.append(f"{name}: {key} {a[key]!r} (records) != {b[key]!r} (results only)")
    if b["completed"] != tasks or b["verification"] != "PASSED":
        failures.append(f"{name}: completed {b['completed']} of {tasks}, {b['verification']}")
    if b["completion_order"] != list(range(tasks)):
        failures.append(f"{name}: --trace off completion order {b['completion_order'][:8]}...")
    if sorted(a["completion_order"]) != list(range(tasks)):
        failures.append(f"{name}: --trace tasks completion order is not a permutation")
    print(f"{name}: checksum {b['checksum']}, {b['chunks']} chunks, both ways")
for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
PY
