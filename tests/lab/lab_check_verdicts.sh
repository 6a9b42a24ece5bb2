#!/usr/bin/env bash
# jobs/lab-check.sh must be able to fail: a lesson that does not show fails after its one
# retry, and is INCONCLUSIVE (passing) only when the runner flagged a run of that retry noisy
# (its own rules; a high 1-minute load average alone excuses nothing). A fake
# schedlab-serial writes a record whose exercise-1 lesson does not hold (T1 = 2 x the sum of
# its tasks), with the noise it is told to record.
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
# Writes --json PATH: four 1 s tasks, T1 8 s, and FAKE_NOISE: quiet (0.02 CPUs of other
# load, not flagged, though the 1-minute average says 20), busy (flagged by the runner), or
# none (a runner from before the noise fields).
while (($#)); do [[ $1 == --json ]] && out=$2; shift; done
case ${FAKE_NOISE:-quiet} in
  quiet) field='"load_average": 20, "noise_measure": {"other_load": 0.02},' flag='"noisy": false,' ;;
  busy) field='"noise_measure": {"other_load": 1.9},'
        flag='"noisy": true, "noise": ["other load 1.90 CPUs > 0.10 allowed"],' ;;
  none) field= flag= ;;
esac
echo "{ $field \"serial_task_seconds\": [1, 1, 1, 1], \"strategies\": [{ $flag \"time_min\": 8}] }" >"$out"
SH
chmod +x "$work/build/bin/"*
cores=$(nproc)
run() {  # run NOISE: lab-check on exercise 1 alone; prints its output, returns its exit code
  FAKE_NOISE=$1 "$src/jobs/lab-check.sh" --build "$work/build" --workers 2 --only 1 --out "$work/out-$1"
}

set +e
quiet=$(run quiet); quiet_rc=$?
busy=$(run busy); busy_rc=$?
old=$(run none); old_rc=$?
set -e
echo "$quiet"; echo "$busy"; echo "$old"
((quiet_rc == 1)) || fail "a lesson that did not show on a quiet machine exited $quiet_rc (want 1)"
grep -q "retry  P=2 1 serial time" <<<"$quiet" || fail "no retry before failing"
grep -Eq "^  FAIL +P=2 +1 serial time.*during the run: other load 0.02 CPUs on $cores cores" <<<"$quiet" || fail "no FAIL line naming the other load"
grep -q "lab check: FAILED" <<<"$quiet" || fail "no FAILED summary"
((busy_rc == 0)) || fail "a run the runner flagged noisy: lab-check exited $busy_rc (want 0, INCONCLUSIVE)"
grep -q "INCONCLUSIVE: the runner flagged the run (noisy: other load 1.90 CPUs > 0.10 allowed)" <<<"$busy" || fail "no INCONCLUSIVE line with the runner's reason"
((old_rc == 1)) || fail "without recorded noise lab-check exited $old_rc (want 1: no excuse recorded)"
echo "ok: lab-check fails a lesson that did not show, and excuses it only when the runner flagged the run"
