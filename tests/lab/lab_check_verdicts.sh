#!/usr/bin/env bash
# jobs/lab-check.sh must be able to fail: a lesson that does not show fails after its one
# retry, and is INCONCLUSIVE (passing) only when the runs of that retry recorded a load
# above the cores at their start. A fake schedlab-serial writes a record whose exercise-1
# lesson does not hold (T1 = 2 x the sum of its tasks), with the load it is told to record.
# Usage: lab_check_verdicts.sh SOURCE_DIR
set -euo pipefail
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$work/build/bin"
for b in schedlab-omp schedlab-report; do printf '#!/bin/sh\nexit 0\n' >"$work/build/bin/$b"; done
cat >"$work/build/bin/schedlab-serial" <<'SH'
#!/usr/bin/env bash
# Writes --json PATH: four 1 s tasks, T1 8 s, and FAKE_LOAD as the load at the start
# ("none": a runner from before the load_average field).
while (($#)); do [[ $1 == --json ]] && out=$2; shift; done
load=${FAKE_LOAD:-0.1}
[[ $load == none ]] && field= || field="\"load_average\": $load,"
echo "{ $field \"serial_task_seconds\": [1, 1, 1, 1], \"strategies\": [{\"time_min\": 8}] }" >"$out"
SH
chmod +x "$work/build/bin/"*
cores=$(nproc)
run() {  # run LOAD: lab-check on exercise 1 alone; prints its output, returns its exit code
  FAKE_LOAD=$1 "$src/jobs/lab-check.sh" --build "$work/build" --workers 2 --only 1 --out "$work/out-$1"
}

set +e
quiet=$(run 0.1); quiet_rc=$?
busy=$(run $((cores * 10))); busy_rc=$?
old=$(run none); old_rc=$?
set -e
echo "$quiet"; echo "$busy"; echo "$old"
((quiet_rc == 1)) || fail "a lesson that did not show on a quiet machine exited $quiet_rc (want 1)"
grep -q "retry  P=2 1 serial time" <<<"$quiet" || fail "no retry before failing"
grep -Eq "^  FAIL +P=2 +1 serial time.*load at start: 0.10 on $cores cores" <<<"$quiet" || fail "no FAIL line naming the load"
grep -q "lab check: FAILED" <<<"$quiet" || fail "no FAILED summary"
((busy_rc == 0)) || fail "under a recorded load above the cores lab-check exited $busy_rc (want 0, INCONCLUSIVE)"
grep -q "INCONCLUSIVE: the run started at load $((cores * 10)).00 on $cores cores" <<<"$busy" || fail "no INCONCLUSIVE line with the recorded load"
((old_rc == 1)) || fail "without a recorded load lab-check exited $old_rc (want 1: no excuse recorded)"
echo "ok: lab-check fails a lesson that did not show, and excuses it only under a recorded load"
