#!/bin/bash
# ctest slurm.mpirun_hostfile: Open MPI's own launcher across the local cluster's namespace
# nodes, without SLURM: `mpirun --hostfile` with `jobs/local-slurm.sh exec` as its rsh
# agent (in place of ssh). Checks that 4 ranks land on 2 hosts and verify, and that the
# nodes really share no memory transport: with TCP taken away the run must fail.
#   tests/slurm/mpirun_hostfile_test.sh [BUILD_DIR]
# Exit: 0 passed · 1 failed · 77 skipped (no multi-node local cluster possible here).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$(cd "${1:-${SCHEDLAB_BUILD:-$root/build/release}}" 2>/dev/null && pwd) ||
  { echo "mpirun-hostfile: FAIL: build directory '${1:-}' does not exist"; exit 1; }
[[ -x $build/bin/schedlab-mpi ]] || { echo "mpirun-hostfile: SKIPPED: $build/bin/schedlab-mpi is not built here"; exit 77; }
say() { printf 'mpirun-hostfile: %s\n' "$*"; }

# shellcheck source=tests/slurm/cluster.sh
source "$root/tests/slurm/cluster.sh"
use_cluster 2
work=$(mktemp -d "${TMPDIR:-/tmp}/schedlab-hostfile.XXXXXX")
cleanup() {
  local rc=$?
  release_cluster
  if ((rc == 0)); then rm -rf "$work"; else say "work directory kept: $work"; fi
}
trap cleanup EXIT

printf 'schedlab-n1 slots=2\nschedlab-n2 slots=2\n' >"$work/hostfile"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# mpirun starts on node 1; for node 2 it calls the agent ("exec schedlab-n2 orted ...") as
# it would call ssh. TCP and Open MPI's out-of-band wire-up on the bridge's subnet.
mpirun_on_nodes() {
  local btl=$1
  shift
  # PMIX_MCA_gds=hash: PMIx's plain store, not its shared-memory one (see
  # rma_hierarchical_nodes_test.sh: a robust mutex, likely its, aborted a rank once here).
  timeout 60 env PMIX_MCA_gds=hash "$local_slurm" exec schedlab-n1 mpirun --hostfile "$work/hostfile" -np 4 \
    --mca plm_rsh_agent "'$local_slurm exec'" --mca btl "$btl" \
    --mca btl_tcp_if_include 10.213.0.0/24 --mca oob_tcp_if_include 10.213.0.0/24 "$@"
}

failures=0
fail() { say "FAIL: $*"; failures=$((failures + 1)); }

hosts=$(mpirun_on_nodes self,vader,tcp hostname | sort | uniq -c | awk '{print $2 " x" $1}' | paste -sd' ') ||
  fail "mpirun hostname across the nodes failed"
[[ $hosts == "schedlab-n1 x2 schedlab-n2 x2" ]] || fail "ranks placed on '$hosts', want 'schedlab-n1 x2 schedlab-n2 x2'"

t0=$SECONDS
rc=0
mpirun_on_nodes self,vader,tcp "$build/bin/schedlab-mpi" --strategy all --tasks 16 --scale 0.02 >"$work/run.txt" 2>&1 || rc=$?
((rc == 0)) || fail "schedlab-mpi over 2 nodes exited $rc"
n=$(grep -c '^verification: PASSED' "$work/run.txt" || true)
if ((n == 0)) || grep -q 'verification: FAILED' "$work/run.txt"; then
  fail "schedlab-mpi over 2 nodes: $n x 'verification: PASSED' or a FAILED"
fi
((failures)) && sed 's/^/    /' "$work/run.txt"

# Without TCP, ranks on different nodes have no way to reach each other.
if mpirun_on_nodes self,vader "$build/bin/schedlab-mpi" --tasks 4 --scale 0.01 >"$work/no-tcp.txt" 2>&1; then
  fail "a run across nodes without the tcp BTL succeeded: the nodes share memory after all"
fi
grep -q 'unable to reach each other' "$work/no-tcp.txt" ||
  { fail "without tcp, expected Open MPI's 'unable to reach each other'"; sed 's/^/    /' "$work/no-tcp.txt" | tail -n 15; }

((failures == 0)) || exit 1
say "PASSED: mpirun --hostfile, ranks on $hosts, verification PASSED in $((SECONDS - t0)) s; without tcp: unreachable, as it must be"
