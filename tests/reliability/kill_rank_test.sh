#!/usr/bin/env bash
# A worker rank killed with SIGKILL mid-run (the OOM killer, a node failure): the whole job
# must end within 10 s with a non-zero exit, never hang. Open MPI's mpirun notices the dead
# process and tears the job down; this test pins that the runner does nothing to prevent it.
# Usage: kill_rank_test.sh RANK MPIEXEC [ARGS...]
set -u
victim_rank=$1
shift
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*"; echo "--- stdout:"; cat "$scratch/out"; echo "--- stderr:"; cat "$scratch/err"; exit 1; }

setsid "$@" >"$scratch/out" 2>"$scratch/err" &
launcher=$!
# Wait for the run to start, then find the victim by its OMPI_COMM_WORLD_RANK.
for _ in $(seq 100); do grep -q '^workload:' "$scratch/out" && break; sleep 0.05; done
sleep 0.5
victim=""
for pid in $(pgrep -s "$launcher" -f schedlab-mpi); do
  if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$victim_rank"; then
    victim=$pid
  fi
done
[ -n "$victim" ] || { kill -KILL -- "-$launcher"; fail "rank $victim_rank not found"; }
kill -KILL "$victim"
start=$(date +%s%N)
for _ in $(seq 200); do kill -0 "$launcher" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$launcher" 2>/dev/null; then kill -KILL -- "-$launcher"; fail "job still running 10 s after rank $victim_rank was killed"; fi
wait "$launcher"
rc=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$rc" -ne 0 ] || fail "exit code 0 after a rank was killed"
# Processes of the job still running (zombies are dead, only not yet reaped by init).
sleep 0.2
leftover=$(ps -o pid=,stat= -s "$launcher" | awk '$2 !~ /^Z/ {print $1}')
[ -z "$leftover" ] || fail "ranks still alive: $leftover"
grep -q 'verification: PASSED' "$scratch/out" && fail "a run that lost a rank claims verification PASSED"
echo "ok: rank $victim_rank SIGKILLed -> job ended in ${elapsed_ms} ms with exit $rc"
echo "--- what the user sees on stderr:"
cat "$scratch/err"
