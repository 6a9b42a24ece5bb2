#!/bin/bash
# ctest slurm.agreement: ranks on different nodes that see different things must agree or
# stop cleanly, on a 2-node local cluster (jobs/local-slurm.sh up --nodes 2):
#  1. mismatched options: rank 0 (schedlab-n1) gets --tasks 8, rank 1 (schedlab-n2) --tasks 6;
#     for static and master-worker the step must exit 2 within 30 s (no hang), name the
#     option, and leave no rank running;
#  2. a workload file on schedlab-n1's node-local disk only ($SCHEDLAB_SLURM_DIR/local is a
#     tmpfs of its own on each node): mpi.sbatch --nodes=2 on it must verify.
#   tests/slurm/agreement_test.sh [BUILD_DIR]
# Exit: 0 passed · 1 failed · 77 skipped (no multi-node local cluster possible here).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${1:-${SCHEDLAB_BUILD:-$root/build/release}}" 2>/dev/null && pwd) ||
  { echo "agreement: FAIL: build directory '${1:-}' does not exist"; exit 1; }
mpi=$build/bin/schedlab-mpi
[[ -x $mpi ]] || { echo "agreement: SKIPPED: $mpi is not built here"; exit 77; }
local_disk=${SCHEDLAB_SLURM_DIR:-/tmp/schedlab-slurm}/local
say() { printf 'agreement: %s\n' "$*"; }

# shellcheck source=tests/slurm/cluster.sh
source "$root/tests/slurm/cluster.sh"
use_cluster 2
work=$(mktemp -d "${TMPDIR:-/tmp}/schedlab-agreement.XXXXXX")
failures=0
fail() { say "FAIL: $*"; failures=$((failures + 1)); }
cleanup() {
  local rc=$?
  "$local_slurm" exec schedlab-n1 rm -f "$local_disk/agreement-tasks.txt" 2>/dev/null || true
  release_cluster
  if ((rc == 0)); then rm -rf "$work"; else say "work directory kept: $work"; fi
}
trap cleanup EXIT
cd "$work"

ranks_left() {
  local node pid
  for node in schedlab-n1 schedlab-n2; do
    for pid in $(ip netns pids "$node" 2>/dev/null); do
      [[ $(cat "/proc/$pid/comm" 2>/dev/null) == schedlab-mpi ]] && echo "$pid"
    done
  done
  return 0
}

# 1. Mismatched options, one rank per node (srun --multi-prog: a command line per rank).
for strategy in static master-worker; do
  cat >"$work/mismatch.conf" <<CONF
0 $mpi --strategy $strategy --workload uniform --tasks 8 --scale 0.01
1 $mpi --strategy $strategy --workload uniform --tasks 6 --scale 0.01
CONF
  rc=0
  timeout 30 srun --mpi=pmix --nodes=2 --ntasks=2 --multi-prog "$work/mismatch.conf" \
    >"$work/mismatch.out" 2>&1 || rc=$?
  if ((rc == 124)); then
    fail "$strategy, --tasks 8 vs 6 on two nodes: still running after 30 s (hang)"
  elif ((rc != 2)); then
    fail "$strategy, --tasks 8 vs 6 on two nodes: exit $rc, want 2"
  elif ! grep -q -- '--tasks' "$work/mismatch.out"; then
    fail "$strategy, --tasks 8 vs 6: exit 2 but no line naming --tasks"
  fi
  ((failures)) && sed 's/^/    /' "$work/mismatch.out" | tail -n 10
  for _ in $(seq 50); do [[ -z $(ranks_left) ]] && break; sleep 0.1; done
  [[ -z $(ranks_left) ]] || fail "$strategy: ranks still running after the mismatch: $(ranks_left | paste -sd' ')"
done

# 2. A workload file on schedlab-n1's node-local disk only.
"$local_slurm" exec schedlab-n1 "printf '%s\n' 3 1 4 1 5 9 2 6 5 3 5 8 >$local_disk/agreement-tasks.txt"
"$local_slurm" exec schedlab-n2 "test ! -e $local_disk/agreement-tasks.txt" ||
  fail "the file written on schedlab-n1's local disk is visible on schedlab-n2: not node-local"
id=$(SCHEDLAB_ROOT=$root SCHEDLAB_BUILD=$build sbatch --parsable --nodes=2 --ntasks=4 \
  --job-name=schedlab-agreement "$root/jobs/slurm/mpi.sbatch" \
  --workload "file:$local_disk/agreement-tasks.txt" --scale 0.01)
id=${id%%;*}
state=
for _ in $(seq 600); do
  state=$(scontrol -o show job "$id" 2>/dev/null | grep -oE 'JobState=[A-Z_]+' | cut -d= -f2)
  [[ $state =~ ^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL)$ ]] && break
  sleep 0.1
done
out=$work/schedlab-agreement-$id.out
[[ $state == COMPLETED ]] || fail "job $id on a file only schedlab-n1 has: $state, want COMPLETED"
if ! grep -q '^verification: PASSED' "$out" || grep -q 'verification: FAILED' "$out"; then
  fail "job $id on a file only schedlab-n1 has: no 'verification: PASSED'"
fi
[[ $(sort -u "$work/results/$id/hosts-mpi.txt" 2>/dev/null | wc -l) == 2 ]] ||
  fail "job $id did not run on 2 hosts"
((failures)) && sed 's/^/    /' "$out" | tail -n 15

((failures == 0)) || exit 1
say "PASSED: mismatched --tasks across nodes exit 2 without hanging (static, master-worker); a node-local file on schedlab-n1 only verifies"
