#!/usr/bin/env bash
# jobs/noise.sh: starts stress-ng beside a runner, the runner's JSON records it, the stress-ng
# PID is gone afterwards (also when the command fails), bad arguments exit 2 with one line.
#   noise_test.sh REPO BIN_DIR WORK_DIR
set -euo pipefail
repo=$1 bin=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v stress-ng >/dev/null || { echo "stress-ng not installed: skipped"; exit 77; }
"$repo/jobs/noise.sh" --cpu 0 -- "$bin/schedlab-serial" --workload uniform --tasks 4 --scale 0.01 \
  --json "$work/run.json" >/dev/null 2>"$work/stderr"
recorded=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['interference'])" "$work/run.json")
[[ $recorded =~ ^stress-ng\ --cpu\ 1\ --taskset\ 0\ \(pid\ ([0-9]+)\)$ ]] || fail "JSON interference: '$recorded'"
pid=${BASH_REMATCH[1]}
if kill -0 "$pid" 2>/dev/null; then fail "stress-ng pid $pid still runs after noise.sh"; fi
echo "recorded: $recorded; pid $pid gone"
# Without noise.sh the field is null.
"$bin/schedlab-serial" --workload uniform --tasks 2 --scale 0.01 --json "$work/quiet.json" >/dev/null
python3 -c "import json,sys; sys.exit(json.load(open(sys.argv[1]))['interference'] is not None)" "$work/quiet.json" ||
  fail "interference not null without noise.sh"
# A failing command: its status comes back and stress-ng is stopped.
status=0
"$repo/jobs/noise.sh" -- false 2>"$work/fail.err" || status=$?
((status == 1)) || fail "status $status of 'noise.sh -- false' (expected 1)"
pid=$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' "$work/fail.err" | head -1)
[[ -n $pid ]] || fail "no pid in: $(cat "$work/fail.err")"
if kill -0 "$pid" 2>/dev/null; then fail "stress-ng pid $pid still runs after a failed command"; fi
# Bad arguments: exit 2, one line naming the value, nothing started.
for args in "--cpu 999 -- true" "--cpu x -- true" "--bogus -- true" "--cpu 0"; do
  status=0
  # shellcheck disable=SC2086
  "$repo/jobs/noise.sh" $args >/dev/null 2>"$work/bad.err" || status=$?
  ((status == 2)) || fail "noise.sh $args: exit $status (expected 2)"
  (($(wc -l <"$work/bad.err") == 1)) || fail "noise.sh $args: not one line: $(cat "$work/bad.err")"
done
grep -q "'999'" <(cd "$work" && "$repo/jobs/noise.sh" --cpu 999 -- true 2>&1 || true) || fail "--cpu 999 not named"
echo "noise.sh: PASS"
