#!/usr/bin/env bash
# A signal in the middle of a run, as SLURM sends it at a time limit or on scancel: SIGTERM
# to every process of the job. (Not to the launcher alone: Open MPI's mpirun passes a
# signal on to the ranks only after about a second, and puts each rank in a process group
# of its own.) The ranks stop between tasks, agree, and rank 0 reports what finished. The
# run must end promptly, non-zero, with "interrupted after k/N tasks" and no abort banner.
# Usage: interrupt_run.sh COMMAND [ARGS...]   (COMMAND must print progress lines)
set -u
output=$(mktemp)
trap 'rm -f "$output"' EXIT
"$@" >"$output" 2>&1 &
launcher=$!
# Every process the launcher started, by parent PID (ranks, or the launcher's proxies).
descendants() {
  local child
  for child in $(pgrep -P "$1"); do
    echo "$child"
    descendants "$child"
  done
}
# Wait for the first progress line of the parallel strategy, then signal the job.
for _ in $(seq 1 600); do
  grep -q 'finished\.\.\.' "$output" && break
  sleep 0.05
done
kill -TERM $(descendants "$launcher") 2>/dev/null
wait "$launcher"
rc=$?
fail() { echo "FAIL: $*"; echo "--- output:"; cat "$output"; exit 1; }
[ "$rc" -ne 0 ] || fail "exit code 0 after SIGTERM"
grep -qE 'interrupted after [0-9]+/[0-9]+ tasks' "$output" || fail "no 'interrupted after k/N tasks' line"
grep -q 'verification: FAILED' "$output" || fail "no 'verification: FAILED'"
if grep -q 'MPI_ABORT' "$output"; then fail "abort banner"; fi
grep -v 'finished\.\.\.' "$output"
echo "ok: exit $rc"
