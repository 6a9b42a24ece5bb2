#!/bin/bash
# ctest slurm.cluster.down (fixture cleanup of the slurm tests): stops the local cluster
# the tests left up for each other (SCHEDLAB_SLURM_SHARED=1, tests/slurm/cluster.sh), after
# the last of them, whether they passed or not; a cluster that no test started (one started
# by hand before) is left running. ctest runs it after any selection of slurm tests.
#   tests/slurm/cluster_down.sh
# Exit: 0 stopped or nothing to stop · 1 jobs/local-slurm.sh down failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
say() { printf 'cluster-down: %s\n' "$*"; }
# shellcheck source=tests/slurm/cluster.sh
source "$root/tests/slurm/cluster.sh"

take_cluster_lock
if [[ ! -e $shared_marker ]]; then
  say "no cluster started by the slurm tests is running: nothing to stop"
  exit 0
fi
if [[ -n ${SCHEDLAB_SLURM_KEEP:-} ]]; then
  say "SCHEDLAB_SLURM_KEEP is set: the cluster stays up (jobs/local-slurm.sh down stops it)"
  exit 0
fi
t0=$(date +%s%N)
cluster_ctl down >/dev/null || { say "FAIL: jobs/local-slurm.sh down failed"; exit 1; }
rm -f "$shared_marker"
say "cluster stopped in $((($(date +%s%N) - t0) / 1000000)) ms"
