#!/bin/bash
# ctest slurm.kill_node: a node dies mid-job. On a 2-node local cluster, an MPI job runs
# 2 ranks on each node; then every process of node 2 (its slurmd, slurmstepd and ranks) is
# SIGKILLed, as a power loss would. The job must end, not COMPLETED, within 60 s, and no
# rank may be left running on any node.
#   tests/slurm/kill_node_test.sh [BUILD_DIR]
# Exit: 0 passed · 1 failed · 77 skipped (no multi-node local cluster possible here).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${1:-${SCHEDLAB_BUILD:-$root/build/release}}" 2>/dev/null && pwd) ||
  { echo "kill-node: FAIL: build directory '${1:-}' does not exist"; exit 1; }
[[ -x $build/bin/schedlab-mpi ]] || { echo "kill-node: SKIPPED: $build/bin/schedlab-mpi is not built here"; exit 77; }
readonly victim=schedlab-n2 limit_s=60
say() { printf 'kill-node: %s\n' "$*"; }

# shellcheck source=tests/slurm/cluster.sh
source "$root/tests/slurm/cluster.sh"
use_cluster 2
work=$(mktemp -d "${TMPDIR:-/tmp}/schedlab-kill-node.XXXXXX")
cleanup() {
  local rc=$?
  [[ -n ${id:-} ]] && scancel "$id" 2>/dev/null
  release_cluster
  # A cluster that was running before: give it its node back (up restarts what is missing).
  # Shared between the ctest tests, the next one's use_cluster does that (or starts the node
  # count it needs instead), and slurm.cluster.down stops it after the last.
  if [[ -z ${SCHEDLAB_SLURM_SHARED:-} ]] && ! $cluster_started_here; then
    cluster_ctl up --nodes 2 >/dev/null || say "could not restart the cluster"
  fi
  if ((rc == 0)); then rm -rf "$work"; else say "work directory kept: $work"; fi
}
trap cleanup EXIT
cd "$work"

# ranks_on NODE: PIDs of schedlab-mpi processes inside NODE's network namespace.
ranks_on() {
  local pid
  for pid in $(ip netns pids "$1" 2>/dev/null); do
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == schedlab-mpi ]] && echo "$pid"
  done
  return 0
}

# ~6 ms tasks, 4 ranks: about a minute of work, far more than the test waits.
id=$(SCHEDLAB_ROOT=$root SCHEDLAB_BUILD=$build sbatch --parsable --nodes=2 --ntasks=4 \
  --job-name=schedlab-kill-node "$root/jobs/slurm/mpi.sbatch" \
  --strategy master-worker --workload uniform --tasks 40000 --scale 0.08)
id=${id%%;*}
deadline=$((SECONDS + 60))
until [[ -n $(ranks_on "$victim") ]] && grep -q '^workload:' "schedlab-kill-node-$id.out" 2>/dev/null; do
  ((SECONDS < deadline)) || { say "FAIL: job $id never ran ranks on $victim"; cat "schedlab-kill-node-$id.out" 2>/dev/null; exit 1; }
  sleep 0.2
done
sleep 1
say "job $id runs ranks on schedlab-n1 ($(ranks_on schedlab-n1 | wc -l)) and $victim ($(ranks_on "$victim" | wc -l)); killing every process of $victim"
t0=$(date +%s%N)
# Twice: a process may fork while the first round is under way.
for _ in 1 2; do
  # shellcheck disable=SC2046
  kill -KILL $(ip netns pids "$victim") 2>/dev/null || true
  sleep 0.1
done

terminal='COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED|DEADLINE|BOOT_FAIL'
state=
while :; do
  state=$(scontrol -o show job "$id" 2>/dev/null | grep -oE 'JobState=[A-Z_]+' | cut -d= -f2)
  [[ $state =~ ^($terminal)$ ]] && break
  if (($(date +%s%N) - t0 > limit_s * 1000000000)); then
    say "FAIL: job $id still $state $limit_s s after $victim was killed"
    exit 1
  fi
  sleep 0.2
done
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
exit_code=$(scontrol -o show job "$id" | grep -oE ' ExitCode=[0-9:]+' | cut -d= -f2)
out=schedlab-kill-node-$id.out
failures=0
fail() { say "FAIL: $*"; failures=$((failures + 1)); }
[[ $state != COMPLETED ]] || fail "job $id COMPLETED after losing a node"
grep -q 'verification: PASSED' "$out" && fail "a run that lost a node claims verification PASSED"
# slurmstepd on schedlab-n1 may need a moment after the job's end to reap the ranks.
for _ in $(seq 50); do
  left=$(ranks_on schedlab-n1; ranks_on "$victim")
  [[ -z $left ]] && break
  sleep 0.1
done
[[ -z $left ]] || fail "ranks still running: $(paste -sd' ' <<<"$left")"
say "--- the job's output (last lines):"
tail -n 8 "$out" | sed 's/^/    /'
((failures == 0)) || exit 1
say "PASSED: $victim killed -> job $id $state (exit $exit_code) after $elapsed_ms ms, no rank left"
