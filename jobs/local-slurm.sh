#!/usr/bin/env bash
# A throwaway SLURM cluster on this machine (munged + slurmctld + one slurmd per node) for
# trying the job scripts in jobs/slurm/ without a real cluster, and for the ctest label `slurm`.
#
#   jobs/local-slurm.sh up [--nodes K]  install (Debian/Ubuntu, as root) if needed, start, wait for idle
#   jobs/local-slurm.sh down [--purge]  cancel jobs, stop the daemons by PID, remove the nodes' namespaces;
#                                       --purge: also every file up made (config, state, logs,
#                                       munge key, the accounting database with its job history)
#   jobs/local-slurm.sh status          sinfo + squeue; exit 3 when the cluster is down
#   jobs/local-slurm.sh env             print `export SLURM_CONF=...` (use: eval "$(jobs/local-slurm.sh env)")
#   jobs/local-slurm.sh exec NODE CMD   run CMD on NODE (its network and hostname), e.g. as
#                                       Open MPI's rsh agent for `mpirun --hostfile`
#
# K = 1 (default): one node, the machine itself, on 127.0.0.1. K = 2..4: K nodes
# schedlab-n1..schedlab-nK, each a network + UTS + mount namespace (its own hostname, its
# own address 10.213.0.I on the bridge slbr0, host side 10.213.0.254, its own node-local
# disk: a small tmpfs on $SCHEDLAB_SLURM_DIR/local) running its own slurmd; slurmctld and
# munged stay on the machine, and the rest of the file system is shared, as home is. The bridge has no route out and the machine
# does not forward: traffic between nodes stays on slbr0. MPI between nodes takes TCP over
# slbr0 (docs/clusters.md, "The local cluster").
#
# Accounting, as on a real cluster: a MariaDB server (mariadbd, on 127.0.0.1 only) and
# slurmdbd start with the cluster, so `sacct` and `sacctmgr` work; the job history is kept
# across down and up (in $SCHEDLAB_SLURM_DIR/db). Where slurmdbd or MariaDB cannot be
# installed, the cluster comes up without accounting and says so.
#
# Everything (config, state, logs, PID files, munge key, database) lives in SCHEDLAB_SLURM_DIR
# (default /tmp/schedlab-slurm); nothing under /etc is changed and no system service is
# started. Client commands find this cluster through SLURM_CONF, so run `eval` on `env`
# before calling sbatch/squeue by hand.
#
# Environment: SCHEDLAB_SLURM_DIR, SCHEDLAB_SLURM_CPUS (CPUs the node declares, default
# max(8, cores) so 4-8-way scripts run oversubscribed on a small machine),
# SCHEDLAB_SLURM_PORT (slurmctld port; slurmd, slurmdbd and MariaDB use the next three;
# default 6817), SCHEDLAB_SLURM_ACCOUNTING=0 (no slurmdbd and MariaDB: sacct then says
# accounting is disabled, and `up` is a few seconds faster).
#
# Exit codes: 0 ok · 1 a daemon failed to start · 2 bad usage · 3 status: down ·
# 77 this machine cannot run the cluster (not root, not Debian/Ubuntu, install failed, or
# for K > 1: network namespaces cannot be created) — the test harness turns 77 into a
# visible skip.
set -euo pipefail

readonly dir=${SCHEDLAB_SLURM_DIR:-/tmp/schedlab-slurm}
readonly conf=$dir/etc/slurm.conf
readonly munge_socket=$dir/munge/munge.socket
readonly ctld_port=${SCHEDLAB_SLURM_PORT:-6817}
readonly slurmd_port=$((ctld_port + 1))
readonly dbd_port=$((ctld_port + 2)) # slurmdbd (SLURM's default 6819)
readonly db_port=$((ctld_port + 3))  # MariaDB, on 127.0.0.1 only
readonly db_dir=$dir/db              # MariaDB's data directory and socket
readonly db_name=slurm_acct_db
readonly partition=schedlab
# slurmctld must find itself under this name; the short hostname is what it guesses anyway.
# With one node, the slurmd is the machine too.
host=$(uname -n)
host=${host%%.*}
readonly host
# Everything the multi-node set-up creates, named so that nobody mistakes it for theirs.
readonly max_nodes=4
readonly bridge=slbr0
readonly subnet=10.213.0
readonly bridge_addr=$subnet.254
readonly ns_dir=$dir/ns # the nodes' UTS and mount namespaces, bind-mounted on files here
readonly local_disk=$dir/local # on each node its own tmpfs; on the machine an empty directory
node_name() { echo "schedlab-n$1"; }
host_veth() { echo "slveth-n$1"; }
export SLURM_CONF=$conf
# The daemons live in sbin, which a non-login root shell may lack.
export PATH=$PATH:/usr/sbin:/sbin

say() { printf 'local-slurm: %s\n' "$*"; }
die() { printf 'local-slurm: %s\n' "$1" >&2; exit "${2:-1}"; }
cannot_run() { die "cannot run a local SLURM cluster here: $*" 77; }

# pid_of NAME: the PID in NAME's pid file when that process is alive and still is the
# daemon NAME names (munged, slurmctld, slurmd, or slurmd-NODE for a node's slurmd); a
# stale file whose PID was reused by something else does not count.
pid_of() {
  local name=$1 file=$dir/run/$1.pid pid
  [[ -r $file ]] || return 1
  pid=$(<"$file")
  # /proc rather than kill -0, which a non-root caller gets EPERM from.
  [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == "${name%%-*}"* ]] || return 1
  printf '%s\n' "$pid"
}

# The node count of the cluster that was last started (1 when none was).
started_nodes() {
  local k
  k=$(cat "$dir/run/nodes" 2>/dev/null || echo 1)
  [[ $k =~ ^[1-9]$ ]] && echo "$k" || echo 1
}
# The names of the slurmd pid files of a K-node cluster.
slurmd_names() {
  local k=$1 i
  if ((k == 1)); then
    echo slurmd
  else
    for ((i = 1; i <= k; i++)); do echo "slurmd-$(node_name "$i")"; done
  fi
}

# The accounting daemons, when the running cluster has accounting (run/accounting says so).
accounting_names() {
  [[ $(cat "$dir/run/accounting" 2>/dev/null) == on ]] && echo mariadbd slurmdbd
  return 0
}

daemons_alive() {
  local name
  for name in munged $(accounting_names) slurmctld $(slurmd_names "$(started_nodes)"); do
    pid_of "$name" >/dev/null || return 1
  done
}

# How many of the cluster's nodes slurmctld sees as usable (idle, mixed or allocated).
nodes_ready() {
  sinfo -h -N -p "$partition" -o %T 2>/dev/null | grep -cE '^(idle|mixed|allocated)' || true
}

# install_if_missing K: SLURM and munge; for K > 1 also ip (iproute2) and nsenter.
install_if_missing() {
  local k=$1 missing=() cmds=(munged slurmctld slurmd sbatch)
  local cmd
  ((k == 1)) || cmds+=(ip nsenter)
  for cmd in "${cmds[@]}"; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if ! command -v apt-get >/dev/null || [[ ! -r /etc/debian_version ]]; then
    cannot_run "${missing[*]} missing and this is not Debian/Ubuntu (no apt-get); install SLURM and munge yourself"
  fi
  local pkgs=(slurmctld slurmd slurm-client munge) log=$dir/log/apt.log
  ((k == 1)) || pkgs+=(iproute2 util-linux)
  say "installing ${pkgs[*]} (missing: ${missing[*]})"
  apt_install "${pkgs[@]}" || { tail -n 5 "$log" >&2; cannot_run "apt-get install failed (log: $log)"; }
}

# apt_install PACKAGE...: quietly, into $dir/log/apt.log; a fresh container has empty
# package lists, so on failure update once and retry.
apt_install() {
  local log=$dir/log/apt.log
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "$@" >>"$log" 2>&1 && return 0
  { apt-get update -q && apt-get install -y -q --no-install-recommends "$@"; } >>"$log" 2>&1
}

# accounting_wanted: whether this `up` starts slurmdbd + MariaDB (installing them if
# missing). They are optional: where they cannot be installed the cluster runs without
# accounting (sacct: "disabled").
accounting_wanted() {
  [[ ${SCHEDLAB_SLURM_ACCOUNTING:-1} != 0 ]] || return 1
  local cmd missing=()
  for cmd in slurmdbd sacctmgr sacct mariadbd mariadb mariadb-install-db; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
  done
  ((${#missing[@]})) || return 0
  if command -v apt-get >/dev/null; then
    say "installing slurmdbd mariadb-server for accounting (missing: ${missing[*]})"
    apt_install slurmdbd mariadb-server slurm-client && return 0
  fi
  say "no accounting (sacct will say it is disabled): could not install slurmdbd mariadb-server (log: $dir/log/apt.log); SCHEDLAB_SLURM_ACCOUNTING=0 skips trying"
  return 1
}

# write_config K ACCOUNTING: slurm.conf (and slurmdbd.conf when ACCOUNTING is on), munge
# key and task prolog of a K-node cluster.
write_config() {
  local k=$1 accounting=$2 cpus mem_mb i
  cpus=${SCHEDLAB_SLURM_CPUS:-$(nproc)}
  ((cpus < 8)) && [[ -z ${SCHEDLAB_SLURM_CPUS:-} ]] && cpus=8
  # The nodes share the machine's memory; nothing enforces it (no cgroups), but each
  # declares its share so that --mem requests stay honest.
  mem_mb=$(awk -v k="$k" '/^MemTotal:/ {print int($2 / 1024 * 0.9 / k)}' /proc/meminfo)

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
  # A TMPDIR per job, as many sites give (SLURM's job_container/tmpfs or a prolog). Open MPI
  # keeps its session directories under it; with one /tmp for all jobs, two mpiruns
  # starting as a third ends can race on /tmp/ompi.<host>.<uid> ("mkdir: File exists").
  cat >>"$dir/etc/task-prolog.sh" <<EOF
mkdir -p "$dir/tmp/jobs/\$SLURM_JOB_ID" && echo "export TMPDIR=$dir/tmp/jobs/\$SLURM_JOB_ID"
EOF
  if ((k > 1)); then
    # Between namespaces there is no shared-memory path Open MPI may take (each node has its
    # own hostname, so PMIx reports the ranks as remote): pairs on one node use vader, pairs
    # on two nodes TCP, and TCP (messages and Open MPI's own out-of-band wire-up) must use
    # the bridge, the only interface the nodes share.
    cat >>"$dir/etc/task-prolog.sh" <<EOF
echo "export OMPI_MCA_btl=self,vader,tcp"
echo "export OMPI_MCA_btl_tcp_if_include=$subnet.0/24"
echo "export OMPI_MCA_oob_tcp_if_include=$subnet.0/24"
EOF
  fi
  chmod 0755 "$dir/etc/task-prolog.sh"
  : >"$dir/etc/plugstack.conf"

  # One node: the machine on loopback. Several: slurmctld on the bridge's host side, each
  # slurmd in its namespace (SLURM replaces %n with the node's name).
  local ctld_addr=127.0.0.1 slurmd_files=slurmd
  if ((k > 1)); then
    ctld_addr=$bridge_addr slurmd_files=slurmd-%n
  fi
  cat >"$conf" <<EOF
# Written by jobs/local-slurm.sh: a throwaway $k-node cluster. Do not edit; rerun up.
ClusterName=schedlab
SlurmctldHost=$host($ctld_addr)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/$slurmd_files
EOF
  # The nodes share /tmp, where the PMIx plugin makes its per-step directories under the
  # same names on every node: give each node its own TmpFS.
  ((k == 1)) || echo "TmpFS=$dir/tmp/%n" >>"$conf"
  cat >>"$conf" <<EOF
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/$slurmd_files.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/$slurmd_files.log
PlugStackConfig=$dir/etc/plugstack.conf
TaskProlog=$dir/etc/task-prolog.sh
# No systemd, no cgroups: track processes by parent PID, do not bind tasks.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobCompType=jobcomp/none
EOF
  if [[ $accounting == on ]]; then
    # Accounting as on a real cluster: slurmctld sends every job and step to slurmdbd (on
    # the machine, beside slurmctld), which keeps them in MariaDB; sacct asks slurmdbd.
    # jobacct_gather/linux samples each task's CPU time and memory from /proc (no cgroups
    # needed), so sacct shows TotalCPU and MaxRSS too.
    cat >>"$conf" <<EOF
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=$ctld_addr
AccountingStoragePort=$dbd_port
# With slurmdbd this names the munge socket for talking to it (not a password).
AccountingStoragePass=$munge_socket
JobAcctGatherType=jobacct_gather/linux
EOF
    write_dbd_config
  else
    cat >>"$conf" <<EOF
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
EOF
  fi
  cat >>"$conf" <<EOF
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
# Finished jobs stay visible to scontrol show job this long (to sacct: for good).
MinJobAge=300
# How a dead node is noticed (tests/slurm/kill_node_test.sh): slurmctld pings a node it has
# not heard from for SlurmdTimeout/3 s, and marks it DOWN (its jobs NODE_FAIL) once it has
# not answered for SlurmdTimeout s (default 300). A ping to a node whose slurmd died but
# whose kernel still answers (connection refused) is retried once a second for
# MessageTimeout s (default 10) before it counts as failed, so MessageTimeout sets the pace:
# with the earlier SlurmdTimeout=10, KillWait=5 and MessageTimeout's default, slurm.kill_node's
# job ended 31 s after its node's processes were killed, with these 23 s (load average 16;
# docs/performance.md, "Round 4, fifth session"). Every message here stays on this machine,
# so a reply takes milliseconds even on a busy 2-core VM; an admin of a small cluster on a
# fast network may set the same (large or congested clusters need the defaults or more: a
# slurmd that misses two pings would be marked DOWN under load).
SlurmdTimeout=6
MessageTimeout=4
# Seconds between SIGTERM and SIGKILL when a job ends (default 30): the ranks left on the
# surviving node after a node failure are killed this long after the job is cancelled.
KillWait=2
# A task that exits non-zero (an MPI rank whose peer died) ends its whole step at once.
KillOnBadExit=1
# A job that loses a node ends (NODE_FAIL) instead of going back to the queue: a student
# should see the failure, not the same job silently starting over.
JobRequeue=0
InactiveLimit=0
MailProg=/bin/true
# The node may declare more CPUs than the machine has: it runs oversubscribed.
SlurmdParameters=config_overrides
EOF
  local nodes=()
  if ((k == 1)); then
    nodes=("$host")
    echo "NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN" >>"$conf"
  else
    for ((i = 1; i <= k; i++)); do
      nodes+=("$(node_name "$i")")
      echo "NodeName=$(node_name "$i") NodeAddr=$subnet.$i CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN" >>"$conf"
    done
  fi
  echo "PartitionName=$partition Nodes=$(IFS=,; echo "${nodes[*]}") Default=YES MaxTime=INFINITE State=UP" >>"$conf"
}

# --- accounting: MariaDB + slurmdbd, both on the machine

# write_dbd_config: slurmdbd.conf (slurmdbd insists: owned by SlurmUser, mode 0600, as it
# holds the database password, a fresh random one per `up`).
write_dbd_config() {
  local pass
  pass=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  (
    umask 077
    cat >"$dir/etc/slurmdbd.conf" <<EOF
# Written by jobs/local-slurm.sh: accounting of the throwaway cluster. Do not edit; rerun up.
AuthType=auth/munge
AuthInfo=socket=$munge_socket
DbdHost=$host
DbdPort=$dbd_port
SlurmUser=root
LogFile=$dir/log/slurmdbd.log
PidFile=$dir/run/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$db_port
StorageUser=slurm
StoragePass=$pass
StorageLoc=$db_name
EOF
  )
}

# MariaDB's options: its own files only (--no-defaults: not /etc/mysql), and small and
# unsynced, as befits a throwaway database of a few hundred rows (the defaults take
# ~100 MB of disk and longer to start). It runs as root, like every daemon here.
db_options() {
  printf '%s\n' --no-defaults --user=root --datadir="$db_dir/data" --skip-name-resolve \
    --skip-log-bin --innodb-log-file-size=4M --innodb-lock-wait-timeout=900 \
    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-flush-method=nosync
}

# db_start: initialise MariaDB's data directory the first time (~10 s; kept across ups,
# as the munge key is), then start mariadbd in the background, listening on 127.0.0.1
# only; db_ready waits for it.
db_start() {
  local opts
  mapfile -t opts < <(db_options)
  if [[ ! -d $db_dir/data/mysql ]]; then
    rm -rf "$db_dir/data"
    mkdir -p "$db_dir"
    say "creating the accounting database in $db_dir (once; ~10 s)"
    # Root connects through the socket as the machine's root (unix_socket): no password.
    mariadb-install-db "${opts[@]}" --auth-root-authentication-method=socket --skip-test-db \
      >"$dir/log/mariadb-install.log" 2>&1 ||
      die "mariadb-install-db failed; see $dir/log/mariadb-install.log"
  fi
  # setsid + /dev/null: detached like the SLURM daemons, holding no pipe of the caller.
  setsid mariadbd "${opts[@]}" --socket="$db_dir/mysqld.sock" --pid-file="$dir/run/mariadbd.pid" \
    --bind-address=127.0.0.1 --port="$db_port" --log-error="$dir/log/mariadbd.log" \
    </dev/null >/dev/null 2>&1 &
}

db_sql() { mariadb --no-defaults -u root -S "$db_dir/mysqld.sock" -e "$1"; }

# db_ready: wait for mariadbd, then make sure slurmdbd has its database (kept across ups:
# the job history, and slurmdbd need not create its tables again) and a user with this
# up's password.
db_ready() {
  local deadline=$((SECONDS + 60)) pass
  until db_sql 'SELECT 1' >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "MariaDB did not start within 60 s; see $dir/log/mariadbd.log"
    sleep 0.1
  done
  pass=$(sed -n 's/^StoragePass=//p' "$dir/etc/slurmdbd.conf")
  db_sql "CREATE DATABASE IF NOT EXISTS $db_name;
    CREATE OR REPLACE USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$pass';
    GRANT ALL ON $db_name.* TO 'slurm'@'127.0.0.1';" >>"$dir/log/mariadbd.log" 2>&1 ||
    die "could not create the accounting database; see $dir/log/mariadbd.log"
}

# dbd_start: slurmdbd, then this cluster registered with it, before slurmctld starts.
dbd_start() {
  local deadline=$((SECONDS + 60))
  # slurmdbd has no -f: it reads slurmdbd.conf beside $SLURM_CONF.
  slurmdbd 2>>"$dir/log/slurmdbd.log" ||
    die "slurmdbd failed to start; see $dir/log/slurmdbd.log"
  until sacctmgr -i add cluster schedlab >"$dir/log/sacctmgr.log" 2>&1 ||
    grep -q 'already exists' "$dir/log/sacctmgr.log"; do
    ((SECONDS < deadline)) || die "slurmdbd did not answer within 60 s; see $dir/log/slurmdbd.log and sacctmgr.log"
    sleep 0.1
  done
}

# --- the nodes of a multi-node cluster: namespaces on a private bridge

# net_up K: bridge slbr0 (10.213.0.254/24) and, per node I, a network namespace
# schedlab-nI whose eth0 (10.213.0.I) is a veth pair plugged into the bridge, a UTS
# namespace with hostname schedlab-nI and a mount namespace with a tmpfs of its own on
# $local_disk, the last two kept alive as bind mounts on $ns_dir/schedlab-nI.{uts,mnt}.
net_up() {
  local k=$1 i name
  command -v ip >/dev/null || cannot_run "the ip command (iproute2) is missing; install iproute2"
  command -v nsenter >/dev/null || cannot_run "nsenter (util-linux) is missing"
  # Probe first, so that a container without CAP_SYS_ADMIN gets one clear line.
  ip netns add schedlab-probe 2>"$dir/log/netns.err" ||
    cannot_run "network namespaces cannot be created ($(head -n 1 "$dir/log/netns.err")); only --nodes 1 works"
  ip netns del schedlab-probe
  ip link add "$bridge" type bridge
  ip addr add "$bridge_addr/24" dev "$bridge"
  ip link set "$bridge" up
  # Bind mounts of namespaces need a mount point that does not propagate to other mount
  # namespaces (ip netns does the same for /run/netns).
  mkdir -p "$ns_dir" "$local_disk"
  mount --bind "$ns_dir" "$ns_dir"
  mount --make-private "$ns_dir"
  for ((i = 1; i <= k; i++)); do
    name=$(node_name "$i")
    ip netns add "$name"
    ip link add "$(host_veth "$i")" type veth peer name "sl-$name"
    ip link set "sl-$name" netns "$name"
    ip -n "$name" link set "sl-$name" name eth0
    ip -n "$name" addr add "$subnet.$i/24" dev eth0
    ip -n "$name" link set eth0 up
    ip -n "$name" link set lo up
    ip link set "$(host_veth "$i")" master "$bridge" up
    touch "$ns_dir/$name.uts" "$ns_dir/$name.mnt"
    unshare --uts="$ns_dir/$name.uts" hostname "$name"
    # A node-local disk: what a job writes there on one node, the others do not see.
    unshare --mount="$ns_dir/$name.mnt" --propagation private \
      mount -t tmpfs -o size=256m,mode=1777 "local-$name" "$local_disk"
  done
}

# on_node NAME CMD...: CMD inside node NAME's network, UTS and mount namespaces, in the
# current directory. From inside another node (mpirun on schedlab-n1 starting its daemon
# on schedlab-n2) the namespace files are not in view: that node's mount namespace was
# copied before they existed. So it steps into the machine's mount namespace (munged's)
# first, then into the node's.
on_node() {
  local name=$1 hop=() munged
  shift
  munged=$(pid_of munged) && hop=(nsenter --mount="/proc/$munged/ns/mnt" --wd="$PWD" --)
  "${hop[@]}" nsenter --net="/run/netns/$name" --uts="$ns_dir/$name.uts" \
    --mount="$ns_dir/$name.mnt" --wd="$PWD" -- "$@"
}

# net_down: everything net_up may have made, by its name, whatever K was; processes still
# inside a node's network namespace (jobs whose slurmstepd outlived slurmd) are killed first.
net_down() {
  local i name pids
  for ((i = 1; i <= max_nodes; i++)); do
    name=$(node_name "$i")
    if [[ -e /run/netns/$name ]]; then
      pids=$(ip netns pids "$name" 2>/dev/null || true)
      if [[ -n $pids ]]; then
        say "killing what still runs on $name: $(paste -sd' ' <<<"$pids")"
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
      fi
      ip netns del "$name"
    fi
    # Deleting the namespace deleted the veth pair too, but the kernel may take a moment.
    ip link del "$(host_veth "$i")" 2>/dev/null || true
    local kind
    for kind in uts mnt; do
      if mountpoint -q "$ns_dir/$name.$kind" 2>/dev/null; then umount "$ns_dir/$name.$kind"; fi
    done
  done
  [[ -e /run/netns/schedlab-probe ]] && ip netns del schedlab-probe
  ip link show "$bridge" >/dev/null 2>&1 && ip link del "$bridge"
  if mountpoint -q "$ns_dir" 2>/dev/null; then umount "$ns_dir"; fi
  rm -rf "$ns_dir"
  if [[ -d $local_disk ]]; then rmdir "$local_disk" 2>/dev/null || true; fi
}


# start_daemons K ACCOUNTING (MariaDB was started already: db_start)
start_daemons() {
  local k=$1 accounting=$2 i name
  munged --key-file="$dir/munge/munge.key" --socket="$munge_socket" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/munged.seed" ||
    die "munged failed to start; see $dir/log/munged.log"
  if [[ $accounting == on ]]; then
    db_ready
    dbd_start
  fi
  # -c: clean state. A node once drained (e.g. by an earlier config) would stay drained.
  slurmctld -c -f "$conf" || die "slurmctld failed to start; see $dir/log/slurmctld.log"
  if ((k == 1)); then
    slurmd -f "$conf" -N "$host" || die "slurmd failed to start; see $dir/log/slurmd.log"
    return 0
  fi
  for ((i = 1; i <= k; i++)); do mkdir -p "$dir/spool/slurmd-$(node_name "$i")" "$dir/tmp/$(node_name "$i")"; done
  for ((i = 1; i <= k; i++)); do
    name=$(node_name "$i")
    on_node "$name" slurmd -f "$conf" -N "$name" || die "slurmd of $name failed to start; see $dir/log/slurmd-$name.log"
  done
}

# wait_idle K: until all K nodes are usable.
wait_idle() {
  local k=$1 deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    (($(nodes_ready) == k)) && return 0
    sleep 0.2
  done
  sinfo -N >&2 || true
  die "only $(nodes_ready) of $k nodes usable after 60 s; see $dir/log/slurmctld.log and slurmd*.log"
}

cmd_up() {
  local k=1
  while (($#)); do
    case $1 in
      --nodes) [[ $# -ge 2 ]] || die "up --nodes needs a count from 1 to $max_nodes" 2; k=$2; shift ;;
      --nodes=*) k=${1#--nodes=} ;;
      *) die "up: unknown argument '$1' (allowed: --nodes K, K from 1 to $max_nodes)" 2 ;;
    esac
    shift
  done
  if ! [[ $k =~ ^[1-9][0-9]*$ ]] || ((k > max_nodes)); then
    die "--nodes '$k': use a count from 1 to $max_nodes" 2
  fi
  if daemons_alive && (($(started_nodes) == k && $(nodes_ready) == k)); then
    say "already up ($k node(s): $(sinfo -h -N -o %N | paste -sd' ')); SLURM_CONF=$conf"
    return 0
  fi
  [[ $(id -u) -eq 0 ]] || cannot_run "needs root (slurmd starts jobs as their user); try: sudo $0 up"
  mkdir -p "$dir/log" "$dir/run"
  install_if_missing "$k"
  local accounting=off
  accounting_wanted && accounting=on
  # Half-up (one daemon died) or another node count: start over cleanly.
  cmd_down >/dev/null
  echo "$k" >"$dir/run/nodes"
  echo "$accounting" >"$dir/run/accounting"
  mkdir -p "$dir/etc"
  # MariaDB takes longest to start: it starts first and gets ready while the rest is set up.
  [[ $accounting == off ]] || db_start
  ((k == 1)) || net_up "$k"
  write_config "$k" "$accounting"
  start_daemons "$k" "$accounting"
  wait_idle "$k"
  say "up: $k node(s) $(sinfo -h -N -o '%N (%c CPUs)' | paste -sd' '), partition $partition; state in $dir"
  if [[ $accounting == on ]]; then
    say "accounting: slurmdbd (port $dbd_port) on MariaDB (127.0.0.1:$db_port): sacct -j ID"
  else
    say "accounting: off (sacct says it is disabled): scontrol show job ID, for $(sed -n 's/^MinJobAge=//p' "$conf") s after the job"
  fi
  ((k == 1)) || say "nodes are network namespaces on bridge $bridge ($subnet.0/24); a shell on one: $0 exec $(node_name 1) bash"
  say "for sbatch/squeue in your shell: eval \"\$($0 env)\""
}

# running PID: the process exists and has not exited. A daemon that exited stays a zombie
# until its parent reaps it, and the daemons' parent is init (they detach), which in some
# containers reaps only every second or two: `kill -0` would wait that long for each.
running() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) } # the state letter follows the command name in parentheses
  [[ ${stat:0:1} != Z ]]
}

any_alive() {
  local pid
  for pid in "$@"; do running "$pid" && return 0; done
  return 1
}

# Stop daemons by the PIDs in their pid files: TERM all at once (a group takes 0.1-0.9 s to wind
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
    running "${pids[i]}" && kill -KILL "${pids[i]}" 2>/dev/null
    rm -f "$dir/run/${names[i]}.pid"
    say "stopped ${names[i]} (pid ${pids[i]})"
  done
}

cmd_down() {
  local slurmds name
  # Every slurmd pid file there may be, whatever node count was started last.
  mapfile -t slurmds < <(echo slurmd; slurmd_names "$max_nodes")
  if [[ $(id -u) -ne 0 ]]; then
    for name in munged slurmctld slurmdbd mariadbd "${slurmds[@]}"; do
      pid_of "$name" >/dev/null && cannot_run "needs root to stop the daemons; try: sudo $0 down"
    done
    [[ -e /run/netns/$(node_name 1) ]] && cannot_run "needs root to remove the nodes' namespaces; try: sudo $0 down"
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
  stop_daemons "${slurmds[@]}" slurmctld
  # slurmdbd after slurmctld (which hands it what it still holds), MariaDB after slurmdbd.
  stop_daemons slurmdbd
  # munged only authenticates the SLURM daemons' messages: it goes with MariaDB.
  stop_daemons mariadbd munged
  net_down
  rm -rf "$dir/run/nodes" "$dir/run/accounting" "$dir/tmp"
  say "down"
}

# cmd_purge: after down, the files up made, each by its name (never the whole of a
# SCHEDLAB_SLURM_DIR that might hold something else), then the directory if that emptied it.
cmd_purge() {
  local sub
  for sub in etc state spool log run munge db tmp local ns; do
    rm -rf "${dir:?}/$sub"
  done
  rmdir "$dir" 2>/dev/null || true
  say "purged: the configuration, state, logs, munge key and accounting database in $dir"
}

cmd_status() {
  local name
  if ! daemons_alive; then
    say "down (state dir $dir)"
    for name in munged slurmdbd mariadbd slurmctld slurmd $(slurmd_names "$max_nodes"); do
      pid_of "$name" >/dev/null && say "  but $name is still running: $0 down stops it"
    done
    [[ -e /run/netns/$(node_name 1) ]] && say "  but namespace $(node_name 1) exists: $0 down removes it"
    return 3
  fi
  local line
  line="up: $(started_nodes) node(s); munged $(pid_of munged), slurmctld $(pid_of slurmctld)"
  for name in $(accounting_names) $(slurmd_names "$(started_nodes)"); do line+=", $name $(pid_of "$name")"; done
  say "$line; SLURM_CONF=$conf"
  sinfo -N -o '%N %T %c %o'
  squeue
}

cmd_exec() {
  local name=${1:-}
  if ! [[ $name =~ ^schedlab-n[1-9]$ && -e /run/netns/$name ]]; then
    local nodes=() file
    for file in /run/netns/schedlab-n[1-9]; do [[ -e $file ]] && nodes+=("${file##*/}"); done
    die "exec: '${name}' is not a node of the running cluster (nodes: ${nodes[*]:-none})" 2
  fi
  shift
  (($#)) || die "exec $name: no command given" 2
  # Open MPI's rsh launcher hands over the remote command as words of one shell line
  # (like ssh): run it through sh -c, as sshd would.
  on_node "$name" sh -c "$*"
}

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  down)
    case ${2:-} in
      '') cmd_down ;;
      --purge) cmd_down && cmd_purge ;;
      *) die "down: unknown argument '$2' (allowed: --purge)" 2 ;;
    esac
    ;;
  status) cmd_status ;;
  env) printf 'export SLURM_CONF=%q\n' "$conf" ;;
  exec) shift; cmd_exec "$@" ;;
  *) die "usage: $0 up [--nodes K]|down [--purge]|status|env|exec NODE COMMAND" 2 ;;
esac
