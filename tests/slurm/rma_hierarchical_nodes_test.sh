#!/bin/bash
# ctest slurm.rma_hierarchical: rma and hierarchical across the local cluster's namespace
# nodes (TCP between them, shared memory inside each), np 2-8 over 2-4 nodes, launched with
# `mpirun --hostfile` as tests/slurm/mpirun_hostfile_test.sh does. Each run must place its
# ranks on the expected number of hosts and verify.
#   tests/slurm/rma_hierarchical_nodes_test.sh [BUILD_DIR]
# Exit: 0 passed · 1 failed · 77 skipped (no multi-node local cluster possible here).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${1:-${SCHEDLAB_BUILD:-$root/build/release}}" 2>/dev/null && pwd) ||
  { echo "rma-hierarchical: FAIL: build directory '${1:-}' does not exist"; exit 1; }
[[ -x $build/bin/schedlab-mpi ]] || { echo "rma-hierarchical: SKIPPED: $build/bin/schedlab-mpi is not built here"; exit 77; }
say() { printf 'rma-hierarchical: %s\n' "$*"; }

# shellcheck source=tests/slurm/cluster.sh
source "$root/tests/slurm/cluster.sh"
use_cluster 4
work=$(mktemp -d "${TMPDIR:-/tmp}/schedlab-rma.XXXXXX")
cleanup() {
  local rc=$?
  release_cluster
  if ((rc == 0)); then rm -rf "$work"; else say "work directory kept: $work"; fi
}
trap cleanup EXIT

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# mpirun_on NODES NP CMD...: NP ranks spread round robin over schedlab-n1..nNODES (each
# node gets NP/NODES), TCP and out-of-band wire-up on the bridge's subnet. `--mca osc pt2pt`:
# Open MPI 4.1 picks its osc/rdma component for windows by default, and over TCP (no
# network atomics) MPI_Win_allocate then fails; osc/pt2pt carries one-sided operations as
# messages (docs/mpi.md, "rma across nodes").
mpirun_on() {
  local nodes=$1 np=$2 i
  shift 2
  : >"$work/hosts$nodes"
  for ((i = 1; i <= nodes; i++)); do echo "schedlab-n$i slots=2" >>"$work/hosts$nodes"; done
  # PMIX_MCA_gds=hash: PMIx keeps its job data in each daemon's own memory instead of its
  # shared-memory store (gds ds21), which locks with robust mutexes. A rank aborted once here
  # in a robust mutex ("pthread_mutex_lock_full: Assertion e != ESRCH || !robust", rma,fac2
  # np 6 over 3 namespace nodes, 2026-12-06), outside schedlab's code; the shared store is
  # the likeliest owner (not proven). The hash store is PMIx's plain one: nothing of ours changes.
  # It happened again with the hash store (2026-12-07 00:54, the same case, load average 19): the
  # rank's stack then went through mca_osc_pt2pt.so from ob1/vader progress inside
  # MPI_Comm_split_type (no schedlab frame below that call), so osc/pt2pt's lock is the
  # likelier owner.
  timeout 60 env PMIX_MCA_gds=hash "$local_slurm" exec schedlab-n1 mpirun --hostfile "$work/hosts$nodes" -np "$np" \
    --map-by node --mca plm_rsh_agent "'$local_slurm exec'" --mca btl self,vader,tcp \
    --mca osc pt2pt --mca btl_tcp_if_include 10.213.0.0/24 --mca oob_tcp_if_include 10.213.0.0/24 "$@"
}

failures=0
fail() { say "FAIL: $*"; failures=$((failures + 1)); }
# run_once_more OUT RC: whether a failed run ended as Open MPI 4.1's osc/pt2pt has been seen to
# fail here with no schedlab frame involved (about 1 run in 150 of rma,fac2 at np 6 over 3
# nodes with other load on the 2 vCPUs, 2026-12-07): a rank aborting on glibc's robust-mutex
# assertion (its stack went through mca_osc_pt2pt.so inside MPI_Comm_split_type), or the run
# hanging until `timeout` (exit 124) after the workload line. Such a run is tried once more,
# and says so; a second failure fails the test. (osc/pt2pt is gone from Open MPI 5.)
run_once_more() {
  local out=$1 rc=$2
  grep -q '__pthread_mutex_lock_full: Assertion' "$out" && return 0
  ((rc == 124)) && ! grep -q '^verification:' "$out"
}
t0=$SECONDS
# nodes np rma-technique hierarchical-technique
for run in "2 2 ss gss" "2 4 gss ss" "3 6 fac2 tss" "4 4 tss fac2" "4 8 ss ss"; do
  read -r nodes np rma_technique hierarchical_technique <<<"$run"
  hosts=$(mpirun_on "$nodes" "$np" hostname | sort -u | wc -l) || true
  ((hosts == nodes)) || fail "np $np over $nodes nodes: ranks on $hosts host(s)"
  for strategy in "rma,$rma_technique" "hierarchical,$hierarchical_technique"; do
    out=$work/${strategy//,/_}.np$np.txt
    for attempt in 1 2; do
      rc=0
      mpirun_on "$nodes" "$np" "$build/bin/schedlab-mpi" --strategy "$strategy" \
        --workload nonuniform --tasks $((np * 6)) --scale 0.01 >"$out" 2>&1 || rc=$?
      ((rc != 0 && attempt == 1)) && run_once_more "$out" "$rc" || break
      say "RETRY: $strategy, np $np over $nodes nodes: exit $rc, Open MPI osc/pt2pt's known failure:"
      grep -E 'Assertion|^workload' "$out" | sed 's/^/    /'
    done
    if ((rc != 0)) || ! grep -q '^verification: PASSED' "$out" ||
      ! grep -qE "^$strategy +$np .* ok$" "$out"; then
      fail "$strategy, np $np over $nodes nodes: exit $rc"
      sed 's/^/    /' "$out"
    else
      say "ok: $strategy, np $np over $nodes nodes: $(grep -E "^$strategy " "$out" | awk '{print "Tp " $3 " s, LB " $7}')"
    fi
  done
done
# A failing task on one node stops the other nodes too: exit 1, the task named once.
for strategy in rma hierarchical; do
  out=$work/$strategy.fail.txt
  rc=0
  OMPI_MCA_orte_execute_quiet=1 mpirun_on 2 4 "$build/bin/schedlab-mpi" --strategy "$strategy,fac2" \
    --tasks 40 --scale 0.05 --fail-task 30 >"$out" 2>&1 || rc=$?
  n=$(grep -c "^$strategy,fac2: task 30 failed on rank [0-3]: injected failure" "$out" || true)
  if ((rc != 1 || n != 1)); then
    fail "$strategy --fail-task 30 over 2 nodes: exit $rc (want 1), $n failure line(s) (want 1)"
    sed 's/^/    /' "$out"
  else
    say "ok: $strategy --fail-task over 2 nodes: exit 1, $(grep -E "^$strategy,fac2 " "$out" | awk '{print $NF}')"
  fi
done
((failures == 0)) || exit 1
say "PASSED: rma and hierarchical verify at np 2-8 over 2-4 nodes in $((SECONDS - t0)) s"
