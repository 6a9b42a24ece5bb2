#!/usr/bin/env bash
# A throwaway single-node SLURM cluster (munged + slurmctld + slurmd) for trying the job
# scripts in jobs/slurm/ without a real cluster, and for the ctest label `slurm`.
#
#   jobs/local-slurm.sh up       install (Debian/Ubuntu, as root) if needed, start, wait for idle
#   jobs/local-slurm.sh down     cancel jobs, stop the daemons by PID
#   jobs/local-slurm.sh status   sinfo + squeue; exit 3 when the cluster is down
#   jobs/local-slurm.sh env      print `export SLURM_CONF=...` (use: eval "$(jobs/local-slurm.sh env)")
#
# Everything (config, state, logs, PID files, munge key) lives in SCHEDLAB_SLURM_DIR
# (default /tmp/schedlab-slurm); nothing under /etc is changed and no system service is
# started. Client commands find this cluster through SLURM_CONF, so run `eval` on `env`
# before calling sbatch/squeue by hand.
#
# Environment: SCHEDLAB_SLURM_DIR, SCHEDLAB_SLURM_CPUS (CPUs the node declares, default
# max(8, cores) so 4-8-way scripts run oversubscribed on a small machine),
# SCHEDLAB_SLURM_PORT (slurmctld port, slurmd uses the next one; default 6817).
#
# Exit codes: 0 ok · 1 a daemon failed to start · 2 bad usage · 3 status: down ·
# 77 this machine cannot run the cluster (not root, not Debian/Ubuntu, install failed) —
# the test harness turns 77 into a visible skip.
set -euo pipefail

readonly dir=${SCHEDLAB_SLURM_DIR:-/tmp/schedlab-slurm}
readonly conf=$dir/etc/slurm.conf
readonly munge_socket=$dir/munge/munge.socket
readonly ctld_port=${SCHEDLAB_SLURM_PORT:-6817}
readonly slurmd_port=$((ctld_port + 1))
readonly partition=schedlab
# slurmd must find itself under this name; the short hostname is what it guesses anyway.
node=$(uname -n)
node=${node%%.*}
readonly node
export SLURM_CONF=$conf
# The daemons live in sbin, which a non-login root shell may lack.
export PATH=$PATH:/usr/sbin:/sbin

say() { printf 'local-slurm: %s\n' "$*"; }
die() { printf 'local-slurm: %s\n' "$1" >&2; exit "${2:-1}"; }
cannot_run() { die "cannot run a local SLURM cluster here: $*" 77; }

# pid_of NAME: the PID in NAME's pid file when that process is alive and still is NAME
# (a stale file whose PID was reused by something else does not count).
pid_of() {
  local name=$1 file=$dir/run/$1.pid pid
  [[ -r $file ]] || return 1
  pid=$(<"$file")
  # /proc rather than kill -0, which a non-root caller gets EPERM from.
  [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == "$name"* ]] || return 1
  printf '%s\n' "$pid"
}

daemons_alive() { pid_of munged >/dev/null && pid_of slurmctld >/dev/null && pid_of slurmd >/dev/null; }

node_state() { sinfo -h -N -n "$node" -o %T 2>/dev/null | head -n 1; }

install_if_missing() {
  local missing=()
  local cmd
  for cmd in munged slurmctld slurmd sbatch; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if ! command -v apt-get >/dev/null || [[ ! -r /etc/debian_version ]]; then
    cannot_run "${missing[*]} missing and this is not Debian/Ubuntu (no apt-get); install SLURM and munge yourself"
  fi
  say "installing slurmctld slurmd slurm-client munge (missing: ${missing[*]})"
  local pkgs=(slurmctld slurmd slurm-client munge) log=$dir/log/apt.log
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q --no-install-recommends "${pkgs[@]}" >"$log" 2>&1; then
    # A fresh container has empty package lists: update once and retry.
    if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${pkgs[@]}"; } >>"$log" 2>&1; then
      tail -n 5 "$log" >&2
      cannot_run "apt-get install failed (log: $log)"
    fi
  fi
}

write_config() {
  local cpus mem_mb
  cpus=${SCHEDLAB_SLURM_CPUS:-$(nproc)}
  ((cpus < 8)) && [[ -z ${SCHEDLAB_SLURM_CPUS:-} ]] && cpus=8
  mem_mb=$(awk '/^MemTotal:/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)

  mkdir -p "$dir"/{etc,state,spool/slurmd,log,run}
  # munged insists: socket directory world-executable, key readable only by its owner.
  mkdir -p "$dir/munge"
  chmod 0755 "$dir/munge"
  if [[ ! -s $dir/munge/munge.key ]]; then
    if command -v mungekey >/dev/null; then
      mungekey --create --keyfile="$dir/munge/munge.key"
    else
      dd if=/dev/urandom of="$dir/munge/munge.key" bs=1 count=1024 status=none
    fi
  fi
  chmod 0600 "$dir/munge/munge.key"

  # Root jobs that call mpirun: Open MPI refuses root unless told twice. TaskProlog lines
  # of the form `export X=Y` land in every task's environment, so the job scripts stay
  # exactly as they would be on a real cluster.
  cat >"$dir/etc/task-prolog.sh" <<'EOF'
#!/bin/sh
echo "export OMPI_ALLOW_RUN_AS_ROOT=1"
echo "export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"
EOF
  chmod 0755 "$dir/etc/task-prolog.sh"
  : >"$dir/etc/plugstack.conf"

  cat >"$conf" <<EOF
# Written by jobs/local-slurm.sh: a throwaway single-node cluster. Do not edit; rerun up.
ClusterName=schedlab
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/slurmd
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
PlugStackConfig=$dir/etc/plugstack.conf
TaskProlog=$dir/etc/task-prolog.sh
# No systemd, no cgroups: track processes by parent PID, do not bind tasks.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# Debian's Open MPI talks PMIx; pmi2 fails with it.
MpiDefault=pmix
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# Start jobs at once instead of after ~3 s; cancel a job whose dependency failed instead
# of leaving it PENDING forever (DependencyNeverSatisfied).
SchedulerParameters=batch_sched_delay=0
DependencyParameters=kill_invalid_depend
# Reject impossible requests at submit time instead of leaving them PENDING forever.
EnforcePartLimits=ALL
ReturnToService=2
# Finished jobs stay visible to scontrol show job (there is no accounting) this long.
MinJobAge=300
KillWait=5
InactiveLimit=0
MailProg=/bin/true
# The node may declare more CPUs than the machine has: it runs oversubscribed.
SlurmdParameters=config_overrides
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=$partition Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
}

start_daemons() {
  munged --key-file="$dir/munge/munge.key" --socket="$munge_socket" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/munged.seed" ||
    die "munged failed to start; see $dir/log/munged.log"
  # -c: clean state. A node once drained (e.g. by an earlier config) would stay drained.
  slurmctld -c -f "$conf" || die "slurmctld failed to start; see $dir/log/slurmctld.log"
  slurmd -f "$conf" -N "$node" || die "slurmd failed to start; see $dir/log/slurmd.log"
}

wait_idle() {
  local deadline=$((SECONDS + 60)) state=
  while ((SECONDS < deadline)); do
    state=$(node_state)
    [[ $state == idle* || $state == mixed* || $state == allocated* ]] && return 0
    sleep 0.2
  done
  die "node $node is '${state:-not registered}' after 60 s; see $dir/log/slurmctld.log and slurmd.log"
}

cmd_up() {
  if daemons_alive && [[ -n $(node_state) ]]; then
    say "already up (node $node: $(node_state)); SLURM_CONF=$conf"
    return 0
  fi
  [[ $(id -u) -eq 0 ]] || cannot_run "needs root (slurmd starts jobs as their user); try: sudo $0 up"
  mkdir -p "$dir/log"
  install_if_missing
  # Half-up (one daemon died): start over cleanly.
  cmd_down >/dev/null
  write_config
  start_daemons
  wait_idle
  say "up: node $node, $(sinfo -h -N -n "$node" -o '%c CPUs'), partition $partition; state in $dir"
  say "for sbatch/squeue in your shell: eval \"\$($0 env)\""
}

any_alive() {
  local pid
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}

# Stop daemons by the PIDs in their pid files: TERM all at once (each takes 1-2 s to wind
# down), wait up to 5 s, then KILL what is left.
stop_daemons() {
  local name pid i names=() pids=()
  for name in "$@"; do
    pid=$(pid_of "$name") || continue
    kill "$pid" 2>/dev/null || true
    names+=("$name") pids+=("$pid")
  done
  for ((i = 0; i < 50; i++)); do
    any_alive "${pids[@]}" || break
    sleep 0.1
  done
  for i in "${!pids[@]}"; do
    kill -0 "${pids[i]}" 2>/dev/null && kill -KILL "${pids[i]}" 2>/dev/null
    rm -f "$dir/run/${names[i]}.pid"
    say "stopped ${names[i]} (pid ${pids[i]})"
  done
}

cmd_down() {
  if [[ $(id -u) -ne 0 ]] && { pid_of munged || pid_of slurmctld || pid_of slurmd; } >/dev/null; then
    cannot_run "needs root to stop the daemons; try: sudo $0 down"
  fi
  # Running jobs' slurmstepd processes outlive slurmd: cancel them while slurmctld listens.
  if pid_of slurmctld >/dev/null; then
    local i
    if [[ -n $(squeue -h -o %i 2>/dev/null) ]]; then
      scancel --partition="$partition" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do
        [[ -z $(squeue -h -t R,CG -o %i 2>/dev/null) ]] && break
        sleep 0.2
      done
    fi
  fi
  stop_daemons slurmd slurmctld munged
  say "down"
}

cmd_status() {
  if ! daemons_alive; then
    say "down (state dir $dir)"
    local name
    for name in munged slurmctld slurmd; do
      pid_of "$name" >/dev/null && say "  but $name is still running: $0 down stops it"
    done
    return 3
  fi
  say "up: munged $(pid_of munged), slurmctld $(pid_of slurmctld), slurmd $(pid_of slurmd); SLURM_CONF=$conf"
  sinfo
  squeue
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) printf 'export SLURM_CONF=%q\n' "$conf" ;;
  *) die "usage: $0 up|down|status|env" 2 ;;
esac
