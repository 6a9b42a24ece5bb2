# shellcheck shell=bash
# Sourced by the tests in tests/slurm/: one local cluster for one test at a time.
#   use_cluster NODES   take the machine-wide lock, then start a NODES-node cluster with
#                       jobs/local-slurm.sh unless one runs already; exits 77 (skip, with
#                       the reason) where none can run here, 1 when it fails to start
#   release_cluster     stop it again if use_cluster started it (call from the EXIT trap)
# Expects: $root (the repository) and a say() function. Sets SLURM_CONF for sinfo/sbatch.
# The lock matters because ctest's RUN_SERIAL only orders the tests of one ctest run: two
# checkouts testing at once would share one /tmp/schedlab-slurm, its ports and node names.

# shellcheck disable=SC2154 # root: set by the test that sources this file
local_slurm=$root/jobs/local-slurm.sh
cluster_started_here=false

# cluster_ctl ARGS...: jobs/local-slurm.sh ARGS without the lock's file descriptor, which
# the daemons it starts would otherwise inherit and hold (and with it the lock) for good.
cluster_ctl() { "$local_slurm" "$@" {cluster_lock}>&-; }

use_cluster() {
  local nodes=$1 rc=0 t0=$SECONDS
  exec {cluster_lock}>"${SCHEDLAB_SLURM_DIR:-/tmp/schedlab-slurm}.lock"
  if ! flock -w 600 "$cluster_lock"; then
    say "FAIL: another test has held the local cluster for 10 minutes"
    exit 1
  fi
  ((SECONDS - t0 < 1)) || say "waited $((SECONDS - t0)) s for another test to release the local cluster"
  t0=$SECONDS
  eval "$("$local_slurm" env)"
  if "$local_slurm" status >/dev/null 2>&1 && (($(sinfo -h -N -o %N | wc -l) == nodes)); then
    return 0
  fi
  cluster_ctl up --nodes "$nodes" || rc=$?
  if ((rc == 77)); then
    say "SKIPPED: no local $nodes-node SLURM cluster on this machine (see the reason above)"
    exit 77
  fi
  ((rc == 0)) || { say "FAIL: jobs/local-slurm.sh up --nodes $nodes exited $rc"; exit 1; }
  cluster_started_here=true
  say "cluster of $nodes node(s) up in $((SECONDS - t0)) s"
}

release_cluster() {
  if $cluster_started_here && [[ -z ${SCHEDLAB_SLURM_KEEP:-} ]]; then
    cluster_ctl down >/dev/null || say "jobs/local-slurm.sh down failed"
  fi
}
