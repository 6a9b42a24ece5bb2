#!/bin/bash
# ctest slurm.jobs and slurm.jobs.2nodes: runs every job script in jobs/slurm/ for real on
# a throwaway SLURM (jobs/local-slurm.sh) and checks what a student would look at.
#   tests/slurm/run_slurm_tests.sh [--nodes N] [BUILD_DIR]  (default: 1 node; $SCHEDLAB_BUILD or build/release)
# With N > 1 the cluster has N namespace nodes and the jobs that can use several nodes
# (mpi, hybrid, their mpirun variants, compare, the scaling array) run with --nodes=N;
# each must then show N distinct hosts among its ranks.
# Environment: SCHEDLAB_SLURM_TEST_ARGS  runner options for every job (default: a small,
#              quick workload); SCHEDLAB_SLURM_TEST_TIMEOUT  seconds to wait for the jobs
#              (default 300); SCHEDLAB_SLURM_KEEP=1  leave the cluster and work dir up.
# Exit: 0 passed · 1 failed · 77 skipped (no local cluster possible here: not root, not
# Debian/Ubuntu; or this build lacks a runner) — ctest shows 77 as "Skipped".
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
nodes=1
if [[ ${1:-} == --nodes ]]; then
  nodes=${2:?--nodes needs a count}
  shift 2
fi
[[ $nodes =~ ^[1-4]$ ]] || { echo "slurm-test: --nodes '$nodes': use 1 to 4" >&2; exit 2; }
build_arg=${1:-${SCHEDLAB_BUILD:-$root/build/release}}
read -ra runner_args <<<"${SCHEDLAB_SLURM_TEST_ARGS:---tasks 16 --scale 0.02}"
timeout=${SCHEDLAB_SLURM_TEST_TIMEOUT:-300}

say() { printf 'slurm-test: %s\n' "$*"; }
failures=0
fail() {
  printf 'slurm-test: FAIL: %s\n' "$*"
  failures=$((failures + 1))
}

build=$(cd "$build_arg" 2>/dev/null && pwd) || { say "FAIL: build directory '$build_arg' does not exist"; exit 1; }
# A preset that builds only some runners (a sanitizer build of the OpenMP runner, say)
# cannot run the job scripts: skip, visibly.
for name in schedlab-serial schedlab-omp schedlab-mpi schedlab-report; do
  [[ -x $build/bin/$name ]] || { say "SKIPPED: $build/bin/$name is not built here"; exit 77; }
done

# --- the cluster: start it unless one with this many nodes runs already; stop it on every
# way out if we started it
# shellcheck source=tests/slurm/cluster.sh
source "$root/tests/slurm/cluster.sh"
use_cluster "$nodes"

work=$(mktemp -d "${TMPDIR:-/tmp}/schedlab-slurm-test.XXXXXX")
cleanup() {
  local rc=$?
  cd /
  if ((rc != 0)) || ((failures)); then
    say "work directory kept: $work (job logs, results/)"
    tail -n 20 "${SCHEDLAB_SLURM_DIR:-/tmp/schedlab-slurm}"/log/slurm{ctld,d}.log 2>/dev/null || true
  elif [[ -z ${SCHEDLAB_SLURM_KEEP:-} ]]; then
    rm -rf "$work"
  fi
  release_cluster
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$work"

# --- submit: the mpirun variants and a job without a build first (small, they run beside
# the first jobs instead of queueing behind the scaling array), then the whole set through
# submit-all.sh.
export SCHEDLAB_ROOT=$root SCHEDLAB_BUILD=$build
t_submit=$SECONDS
declare -A job=() log=() # name -> job id, name -> the log submit-all.sh named
# The mpirun variants ask for an even spread the way submit-all.sh does: --ntasks-per-node
# = ceil(ranks / nodes) (4 ranks: 2 per node on 2 nodes; hybrid's 2 ranks: 1 per node).
job[mpi-mpirun]=$(SCHEDLAB_LAUNCHER=mpirun sbatch --parsable --job-name=schedlab-mpi-mpirun \
  --nodes="$nodes" --ntasks=4 --ntasks-per-node=$(((4 + nodes - 1) / nodes)) \
  "$root/jobs/slurm/mpi.sbatch" "${runner_args[@]}")
job[hybrid-mpirun]=$(SCHEDLAB_LAUNCHER=mpirun sbatch --parsable --job-name=schedlab-hybrid-mpirun \
  --nodes="$nodes" --ntasks=2 --ntasks-per-node=$(((2 + nodes - 1) / nodes)) \
  "$root/jobs/slurm/hybrid.sbatch" "${runner_args[@]}")
job[missing-build]=$(SCHEDLAB_BUILD=$work/no-such-build sbatch --parsable \
  --job-name=schedlab-missing-build "$root/jobs/slurm/serial.sbatch")
submitted=$("$root/jobs/submit-all.sh" --nodes "$nodes" -- "${runner_args[@]}") || { say "FAIL: jobs/submit-all.sh failed"; exit 1; }
while read -r name id file; do
  job[$name]=$id log[$name]=$file
done <<<"$submitted"
for name in serial openmp mpi hybrid compare scaling scaling-merge report; do
  [[ -n ${job[$name]:-} ]] || { say "FAIL: jobs/submit-all.sh did not submit $name"; exit 1; }
done
for name in "${!job[@]}"; do job[$name]=${job[$name]%%;*}; done
say "submitted ${#job[@]} jobs: $(for n in "${!job[@]}"; do printf '%s=%s ' "$n" "${job[$n]}"; done)"

# --- wait by polling (sbatch --wait notices the end only seconds later). Finished jobs stay
# visible to scontrol for MinJobAge (300 s in local-slurm.sh); there is no accounting.
# job_lines ID: one line per job or array element, "JobState=... StdOut=...", from the
# snapshot of all jobs that `refresh` takes (one scontrol call per poll, not one per job).
snapshot=
refresh() { snapshot=$(scontrol -o show job 2>/dev/null || true); }
job_lines() {
  grep -E "^JobId=$1 |ArrayJobId=$1 " <<<"$snapshot" |
    grep -oE 'JobState=[A-Z_]+|StdOut=[^ ]*' | paste -d' ' - -
}
terminal='COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED|DEADLINE|BOOT_FAIL'
while :; do
  refresh
  pending=0
  for name in "${!job[@]}"; do
    states=$(job_lines "${job[$name]}" | cut -d' ' -f1)
    [[ -n $states ]] && ! grep -qvE "^JobState=($terminal)$" <<<"$states" || pending=$((pending + 1))
  done
  ((pending == 0)) && break
  if ((SECONDS - t_submit > timeout)); then
    fail "$pending jobs still not finished after $timeout s"
    squeue
    exit 1
  fi
  sleep 0.5
done
say "all jobs ended $((SECONDS - t_submit)) s after submission"

# --- check
# expect NAME STATE: every line (array element) of the job is in STATE; prints its outputs.
outputs=()
expect() {
  local name=$1 want=$2 id=${job[$1]} state out
  outputs=()
  while read -r state out; do
    state=${state#JobState=} out=${out#StdOut=}
    outputs+=("$out")
    if [[ $state != "$want" ]]; then
      fail "$name ($id): $state, expected $want; output $out:"
      tail -n 30 "$out" 2>/dev/null | sed 's/^/    /'
    fi
  done < <(job_lines "$id")
  ((${#outputs[@]})) || fail "$name ($id): unknown to scontrol"
}
# passed NAME [COUNT]: each output of NAME says "verification: PASSED" (at least COUNT
# times: one per runner) and never FAILED.
passed() {
  local name=$1 count=${2:-1} out n
  for out in "${outputs[@]}"; do
    n=$(grep -c '^verification: PASSED' "$out" 2>/dev/null || true)
    if ((n < count)) || grep -q 'verification: FAILED' "$out"; then
      fail "$name: $out has $n × 'verification: PASSED' (want $count) or a FAILED"
    fi
  done
}
results_of() { echo "$work/results/${job[$1]}"; }

# spans NAME FILE [JSON]: the ranks of a multi-node run (FILE: the job's `hostname` per rank,
# from record_hosts in common.sh) ran on $nodes distinct hosts, evenly: no two nodes more
# than one rank apart (2 + 2 for 4 ranks on 2 nodes, not 3 + 1). When JSON is given, the
# runner's record must name as many (its "hosts" by rank, each worker's and each task's "host").
spans() {
  local name=$1 file=$2 json=${3:-} n counts
  ((nodes > 1)) || return 0
  if [[ ! -s $file ]]; then
    fail "$name: no host list $file"
    return
  fi
  n=$(sort -u "$file" | wc -l)
  ((n == nodes)) || fail "$name: ranks ran on $n distinct host(s), want $nodes: $(sort -u "$file" | paste -sd' ')"
  counts=$(sort "$file" | uniq -c | awk '{print $1}' | sort -n | paste -sd' ')
  ((${counts##* } - ${counts%% *} <= 1)) ||
    fail "$name: ranks spread unevenly over the nodes: $(sort "$file" | uniq -c | awk '{printf "%s %s×%s", sep, $2, $1; sep=","}') (want at most one rank apart)"
  spread_lines+=("$name: $(sort "$file" | uniq -c | awk '{printf "%s%s ×%s", sep, $2, $1; sep=", "}')")
  [[ -n $json && -s $json ]] || return 0
  n=$(python3 "$root/tests/slurm/json_hosts.py" "$json") || { fail "$name: $json is not valid JSON"; return; }
  if [[ $n == absent ]]; then
    fail "$name: $json names no hosts (want a \"hosts\" list naming $nodes)"
    return
  fi
  ((n == nodes)) || fail "$name: $json names $n distinct host(s), want $nodes"
  # The timeline names each worker's host once a run spans several: "w2 schedlab-n2/cpu0".
  local timeline
  timeline=$("$build/bin/schedlab-report" --timeline "$json" 2>&1) || true
  grep -qE '^w[0-9]+ schedlab-n2/cpu' <<<"$timeline" ||
    fail "$name: schedlab-report --timeline $json labels no worker 'wN schedlab-n2/cpu...'"
}

spread_lines=()
for name in serial openmp mpi hybrid mpi-mpirun hybrid-mpirun; do
  expect "$name" COMPLETED
  passed "$name"
  compgen -G "$(results_of "$name")/*.csv" >/dev/null || fail "$name: no CSV in $(results_of "$name")"
  # Hybrid ranks get 2 CPUs for 2 threads (OMP_PROC_BIND=close, OMP_PLACES=cores): no
  # shortage, so no binding note (it used to appear in every hybrid job).
  if [[ $name == hybrid* ]] && grep -q '^note: rank 0 may use' "${outputs[@]}"; then
    fail "$name: a binding note, though each rank has a CPU per thread: $(grep -h '^note:' "${outputs[@]}" | head -1)"
  fi
done
spans mpi "$(results_of mpi)/hosts-mpi.txt" "$(results_of mpi)/mpi.json"
spans mpi-mpirun "$(results_of mpi-mpirun)/hosts-mpi.txt" "$(results_of mpi-mpirun)/mpi.json"
spans hybrid "$(results_of hybrid)/hosts-hybrid.txt" "$(results_of hybrid)/hybrid.json"
spans hybrid-mpirun "$(results_of hybrid-mpirun)/hosts-hybrid.txt" "$(results_of hybrid-mpirun)/hybrid.json"
# compare runs serial, OpenMP, MPI and hybrid in one allocation (4 workers).
expect compare COMPLETED
passed compare 4
[[ -s $(results_of compare)/compare.csv && -s $(results_of compare)/report.txt ]] ||
  fail "compare: compare.csv or report.txt missing in $(results_of compare)"
spans compare-mpi "$(results_of compare)/hosts-mpi.txt"
spans compare-hybrid "$(results_of compare)/hosts-hybrid.txt"
# compare.csv's hosts column (distinct hosts per row): the parallel MPI rows span every
# node, everything else (serial baselines, OpenMP) runs on one host.
if [[ -s $(results_of compare)/compare.csv ]]; then
  problems=$(python3 - "$(results_of compare)/compare.csv" "$nodes" <<'PY'
import csv, sys
path, nodes = sys.argv[1], int(sys.argv[2])
rows = list(csv.DictReader(open(path, newline="")))
if not rows or "hosts" not in rows[0]:
    print(f"{path} has no hosts column")
for r in rows:
    multi = r["runner"] == "schedlab-mpi" and r["strategy"] != "serial"
    want = str(nodes) if multi else "1"
    if r.get("hosts") != want:
        print(f"{r['runner']} {r['strategy']}: hosts {r.get('hosts')!r}, want {want}")
PY
  ) || problems="cannot read compare.csv"
  [[ -z $problems ]] || fail "compare: $(results_of compare)/compare.csv: $(paste -sd';' <<<"$problems")"
fi

expect scaling COMPLETED
elements=${#outputs[@]}
passed scaling
# Every element with at least as many ranks as nodes spreads over all of them.
for w in 2 4 8; do
  if ((w >= nodes)); then spans "scaling-w$w" "$(results_of scaling)/hosts-w$w.txt"; fi
done
expect scaling-merge COMPLETED
merged=$(results_of scaling)/scaling.csv
if [[ -s $merged ]]; then
  rows=$(($(wc -l <"$merged") - 1))
  ((rows == elements)) || fail "scaling-merge: $merged has $rows rows, expected one per array element ($elements)"
else
  fail "scaling-merge: $merged missing"
fi
[[ -s $(results_of scaling)/scaling.png || -s $(results_of scaling)/scaling.svg ]] ||
  fail "scaling-merge: no scaling.png or scaling.svg in $(results_of scaling)"

expect report COMPLETED
grep -q 'compare.csv' "${outputs[0]}" || fail "report: did not read compare.csv (${outputs[0]})"

# The log each job of submit-all.sh wrote is the one it printed beside the label
# ("openmp 129 schedlab-openmp-129.out"), and its name is schedlab-<label>.
for name in serial openmp mpi hybrid compare scaling scaling-merge report; do
  mapfile -t outputs < <(job_lines "${job[$name]}" | sed -n 's/.*StdOut=//p')
  pattern=${log[$name]:-}
  if [[ -z $pattern ]]; then
    fail "$name: submit-all.sh printed no log file beside '$name ${job[$name]}'"
    continue
  fi
  [[ $pattern == schedlab-$name-${job[$name]}* ]] ||
    fail "$name: log '$pattern' is not named after the label (want schedlab-$name-${job[$name]}...)"
  for out in "${outputs[@]}"; do
    # shellcheck disable=SC2053 # the array's pattern is a glob (schedlab-scaling-130_*.out)
    [[ $out == "$work/"$pattern ]] || fail "$name: SLURM wrote $out, submit-all.sh printed $pattern"
    [[ -s $out ]] || fail "$name: log $out is missing or empty"
  done
done

# sacct works, as on a real cluster (local-slurm.sh starts slurmdbd on MariaDB): the
# mpi job and its steps (the batch script, record_hosts' hostname, the ranks) are there,
# COMPLETED, on the job's nodes. slurmctld hands finished jobs to slurmdbd a moment later.
sacct_fields=JobID,JobName,NodeList,NTasks,State,ExitCode
if [[ $(cat "${SCHEDLAB_SLURM_DIR:-/tmp/schedlab-slurm}/run/accounting" 2>/dev/null) == on ]]; then
  for ((i = 0; i < 40; i++)); do
    acct=$(sacct -n -P -j "${job[mpi]}" -o "$sacct_fields" 2>&1) || true
    grep -q "^${job[mpi]}|schedlab-mpi|.*|COMPLETED|0:0$" <<<"$acct" &&
      grep -q "^${job[mpi]}\.1|schedlab-mpi|.*|4|COMPLETED|0:0$" <<<"$acct" && break
    sleep 0.25
  done
  if grep -q "^${job[mpi]}\.1|schedlab-mpi|.*|4|COMPLETED|0:0$" <<<"$acct"; then
    say "sacct -j ${job[mpi]} -o $sacct_fields:"
    awk '{print "    " $0}' <<<"$acct"
    if ((nodes > 1)); then
      grep -q "^${job[mpi]}\.1|schedlab-mpi|schedlab-n\[1-$nodes\]|" <<<"$acct" ||
        fail "sacct: the mpi job's ranks (step ${job[mpi]}.1) are not on schedlab-n[1-$nodes]: $(paste -sd';' <<<"$acct")"
    fi
  else
    fail "sacct -j ${job[mpi]} does not show the mpi job and its 4-rank step COMPLETED: $(paste -sd';' <<<"$acct")"
  fi
else
  say "the local cluster runs without accounting (slurmdbd or MariaDB missing): sacct not checked"
fi

# A job without a build fails at once and says why.
expect missing-build FAILED
grep -q 'Build' "${outputs[0]}" || fail "missing-build: no 'Build ...' advice in ${outputs[0]}"

if ((failures)); then
  say "$failures check(s) failed"
  # Open MPI 4.1 sometimes crashes while starting in the namespace cluster when one node is
  # heavily oversubscribed (the scaling array's 8 ranks: 7 on one node, 2 CPUs): a segfault
  # in MPI_Init after "A system call failed during shared memory initialization", before
  # schedlab runs a line. Seen about once in a dozen 2-node runs, never when repeated alone
  # (docs/clusters.md). Such a run says nothing about schedlab, so the whole set runs once
  # more - only then, and only once; any other failure fails at once.
  if [[ -z ${SCHEDLAB_SLURM_RETRIED:-} ]] &&
    grep -qs 'shared memory initialization' "$work"/*.out; then
    say "RETRY: Open MPI crashed while starting a job (above); running the whole set once more"
    release_cluster
    cluster_started_here=false
    flock -u "$cluster_lock"
    SCHEDLAB_SLURM_RETRIED=1 "$0" --nodes "$nodes" "$build_arg"
    exit 0  # reached only when the second run passed (set -e)
  fi
  exit 1
fi
((nodes == 1)) || say "rank spread: $(printf '%s; ' "${spread_lines[@]}")"
say "PASSED: ${#job[@]} jobs ($elements array elements) on $nodes node(s), every check; $((SECONDS - t_submit)) s from submission"
