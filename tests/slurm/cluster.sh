# shellcheck shell=bash
# Sourced by the tests in tests/slurm/: one local cluster, one test at a time.
#   use_cluster NODES   take the machine-wide lock, then start a NODES-node cluster with
#                       jobs/local-slurm.sh unless one runs already with NODES usable nodes;
#                       exits 77 (skip, with the reason) where none can run here, 1 when it
#                       fails to start
#   release_cluster     stop it again if use_cluster started it (call from the EXIT trap);
#                       with SCHEDLAB_SLURM_SHARED=1 leave it up for the next test
# Expects: $root (the repository) and a say() function. Sets SLURM_CONF for sinfo/sbatch.
# The lock matters because ctest's RESOURCE_LOCK only orders the tests of one ctest run: two
# checkouts testing at once would share one /tmp/schedlab-slurm, its ports and node names.
#
# Under ctest the tests share one cluster (SCHEDLAB_SLURM_SHARED=1, tests/slurm/
# CMakeLists.txt): starting and stopping one costs ~6 + ~9 s on a busy 2-core machine, so
# each test leaves it up and the fixture test slurm.cluster.down (cluster_down.sh) stops it
# after the last. A test still starts whatever it needs (another node count, a node that
# slurm.kill_node killed, a cluster another checkout stopped), so each one runs alone too.

# shellcheck disable=SC2154 # root: set by the test that sources this file
local_slurm=$root/jobs/local-slurm.sh
cluster_started_here=false
# Beside the lock: says that a test started the running cluster for the fixture to stop
# (a cluster someone started by hand before the tests is left running).
shared_marker=${SCHEDLAB_SLURM_DIR:-/tmp/schedlab-slurm}.ctest

# cluster_ctl ARGS...: jobs/local-slurm.sh ARGS without the lock's file descriptor, which
# the daemons it starts would otherwise inherit and hold (and with it the lock) for good.
cluster_ctl() { "$local_slurm" "$@" {cluster_lock}>&-; }

# take_cluster_lock: wait up to 10 minutes for the machine-wide lock.
take_cluster_lock() {
  local t0=$SECONDS
  exec {cluster_lock}>"${SCHEDLAB_SLURM_DIR:-/tmp/schedlab-slurm}.lock"
  if ! flock -w 600 "$cluster_lock"; then
    say "FAIL: another test has held the local cluster for 10 minutes"
    exit 1
  fi
  ((SECONDS - t0 < 1)) || say "waited $((SECONDS - t0)) s for another test to release the local cluster"
}

# cluster_whole NODES: the cluster runs (every daemon alive) and slurmctld sees exactly
# NODES nodes, all usable (not DOWN after slurm.kill_node, say).
cluster_whole() {
  local nodes=$1 states
  "$local_slurm" status >/dev/null 2>&1 || return 1
  states=$(sinfo -h -N -o %T 2>/dev/null) || return 1
  (($(wc -l <<<"$states") == nodes)) && ! grep -qvE '^(idle|mixed|allocated)$' <<<"$states"
}

use_cluster() {
  local nodes=$1 rc=0 t0
  take_cluster_lock
  t0=$SECONDS
  eval "$("$local_slurm" env)"
  cluster_whole "$nodes" && return 0
  cluster_ctl up --nodes "$nodes" || rc=$?
  if ((rc == 77)); then
    say "SKIPPED: no local $nodes-node SLURM cluster on this machine (see the reason above)"
    exit 77
  fi
  ((rc == 0)) || { say "FAIL: jobs/local-slurm.sh up --nodes $nodes exited $rc"; exit 1; }
  cluster_started_here=true
  [[ -z ${SCHEDLAB_SLURM_SHARED:-} ]] || : >"$shared_marker"
  say "cluster of $nodes node(s) up in $((SECONDS - t0)) s"
}

release_cluster() {
  [[ -z ${SCHEDLAB_SLURM_SHARED:-} ]] || return 0
  if $cluster_started_here && [[ -z ${SCHEDLAB_SLURM_KEEP:-} ]]; then
    cluster_ctl down >/dev/null || say "jobs/local-slurm.sh down failed"
  fi
}
