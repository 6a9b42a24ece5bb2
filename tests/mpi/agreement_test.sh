#!/usr/bin/env bash
# Ranks that disagree must stop together, at once, with one line from rank 0 (issue 14):
# each CASE starts schedlab-mpi under mpiexec, often as an MPMD line (`A : B`, one command
# line per rank), always under `timeout`, so that a regression to the old hang fails
# instead of hanging the suite. Also the default --tasks, hosts in the outputs, and when
# the binding note appears.
# Usage: agreement_test.sh CASE MPIEXEC SCHEDLAB_MPI [SCHEDLAB_SERIAL]
set -u
case=$1 mpiexec=$2 mpi=$3 serial=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tiny=(--scale 0.001)
limit=20  # seconds: every case takes well under 2 s; a hang is the failure to catch
out=$work/stdout err=$work/stderr

fail() {
  echo "FAIL ($case): $*"
  echo "--- stdout:"; cat "$out" 2>/dev/null
  echo "--- stderr:"; cat "$err" 2>/dev/null
  exit 1
}
# run CMD...: under timeout, stdout and stderr apart; sets rc.
run() {
  timeout -k 5 "$limit" "$@" >"$out" 2>"$err"
  rc=$?
  ((rc == 124 || rc == 137)) && fail "still running after $limit s (a hang): $*"
  return 0
}
# usage_error TEXT: exit 2, exactly one stderr line containing TEXT, nothing on stdout.
usage_error() {
  ((rc == 2)) || fail "exit $rc, want 2"
  [[ $(wc -l <"$err") == 1 ]] || fail "stderr has $(wc -l <"$err") lines, want exactly 1"
  grep -qF -- "$1" "$err" || fail "stderr does not say '$1'"
  [[ ! -s $out ]] || fail "stdout is not empty"
  echo "ok: exit 2 at once, one line: $(cat "$err")"
}

case $case in
  tasks_mismatch_master_worker | tasks_mismatch_static)
    # It used to hang at 100% CPU (master-worker), or to report "static: interrupted after
    # 6/8 tasks" though no signal was sent.
    strategy=${case#tasks_mismatch_}
    strategy=${strategy//_/-}
    run "$mpiexec" -n 1 "$mpi" --strategy "$strategy" --tasks 8 "${tiny[@]}" : \
      -n 1 "$mpi" --strategy "$strategy" --tasks 6 "${tiny[@]}"
    usage_error "--tasks: rank 1 has '6', rank 0 has '8'"
    ;;
  first_option_named)
    # Two options differ: the first one declared is named, with the lowest rank that differs.
    run "$mpiexec" -n 1 "$mpi" --tasks 8 --seed 1 "${tiny[@]}" : -n 1 "$mpi" --tasks 8 --seed 1 "${tiny[@]}" : \
      -n 1 "$mpi" --tasks 6 --seed 2 "${tiny[@]}" : -n 1 "$mpi" --tasks 6 --seed 2 "${tiny[@]}"
    usage_error "--tasks: rank 2 has '6', rank 0 has '8'"
    ;;
  option_missing_on_a_rank)
    run "$mpiexec" -n 1 "$mpi" --tasks 4 "${tiny[@]}" : -n 1 "$mpi" --tasks 4 --timeline "${tiny[@]}"
    usage_error "--timeline: rank 1 has it (a flag), rank 0 has nothing (the default)"
    ;;
  parse_error_on_a_rank)
    run "$mpiexec" -n 1 "$mpi" --tasks 4 "${tiny[@]}" : -n 1 "$mpi" --tasks 4 --bogus "${tiny[@]}"
    usage_error "rank 1: its command line does not parse"
    ;;
  help_on_a_rank)
    run "$mpiexec" -n 1 "$mpi" --tasks 4 "${tiny[@]}" : -n 1 "$mpi" --help
    usage_error "rank 1: --help or --version on that rank only"
    ;;
  file_on_rank0_only)
    # The same relative path from two working directories: only rank 0's has the file, as
    # a file on rank 0's node-local disk. Rank 0 reads it and broadcasts the list.
    mkdir -p "$work/a" "$work/b"
    printf '%s\n' 3000 1000 4000 1000 5000 >"$work/a/tasks.txt"
    run "$mpiexec" -n 1 -wdir "$work/a" "$mpi" --strategy all --workload file:tasks.txt : \
      -n 1 -wdir "$work/b" "$mpi" --strategy all --workload file:tasks.txt
    ((rc == 0)) || fail "exit $rc, want 0"
    grep -q '^verification: PASSED$' "$out" || fail "no 'verification: PASSED'"
    grep -q 'tasks 5\b\|5 tasks' "$out" || fail "the workload line does not show the file's 5 tasks"
    echo "ok: a file only rank 0 can read verifies on 2 ranks"
    ;;
  default_tasks)
    # One task per CPU of the job: CPUs per rank (affinity, at most SLURM_CPUS_PER_TASK and
    # OMP_NUM_THREADS) x ranks, decided on rank 0.
    run env OMP_NUM_THREADS=1 "$mpiexec" -n 3 "$mpi" --strategy static "${tiny[@]}"
    ((rc == 0)) || fail "exit $rc, want 0"
    grep -q '^tasks: 3 by default = 1 CPU(s) per rank x 3 rank(s)' "$out" ||
      fail "OMP_NUM_THREADS=1, 3 ranks: not 3 tasks by default"
    run env -u OMP_NUM_THREADS SLURM_CPUS_PER_TASK=1 "$mpiexec" -n 2 "$mpi" --strategy static "${tiny[@]}"
    grep -q '^tasks: 2 by default = 1 CPU(s) per rank x 2 rank(s)' "$out" ||
      fail "SLURM_CPUS_PER_TASK=1, 2 ranks: not 2 tasks by default"
    # Without either, the mask decides: rank 0 bound to one core (mpiexec --bind-to core).
    run env -u OMP_NUM_THREADS -u SLURM_CPUS_PER_TASK "$mpiexec" -n 2 --bind-to core "$mpi" --strategy static "${tiny[@]}"
    grep -q '^tasks: 2 by default = 1 CPU(s) per rank x 2 rank(s)' "$out" ||
      fail "bound to a core each, 2 ranks: not 2 tasks by default"
    # An explicit --tasks wins, and no default line is printed.
    run env OMP_NUM_THREADS=1 "$mpiexec" -n 2 "$mpi" --strategy static --tasks 5 "${tiny[@]}"
    grep -q '^tasks:' "$out" && fail "a 'tasks:' default line with --tasks given"
    if [[ -n $serial ]]; then
      run env OMP_NUM_THREADS=1 "$serial" --print-tasks "${tiny[@]}"
      [[ $(wc -l <"$out") == 1 ]] || fail "schedlab-serial with OMP_NUM_THREADS=1: not 1 task by default"
      if command -v taskset >/dev/null; then
        run env -u OMP_NUM_THREADS -u SLURM_CPUS_PER_TASK taskset -c 0 "$serial" --print-tasks "${tiny[@]}"
        [[ $(wc -l <"$out") == 1 ]] || fail "schedlab-serial under taskset -c 0: not 1 task by default"
      fi
    fi
    echo "ok: default --tasks = CPUs per rank x ranks"
    ;;
  hosts)
    # Hosts gathered once per run: the JSON's hosts (by rank), worker_hosts and each trace
    # entry's host, and the CSV's last column (distinct hosts: 1 on one machine).
    run "$mpiexec" -n 2 "$mpi" --strategy all --tasks 6 --threads 2 --json "$work/r.json" --csv "$work/r.csv" "${tiny[@]}"
    ((rc == 0)) || fail "exit $rc, want 0"
    host=$(hostname)
    python3 - "$work/r.json" "$host" <<'PY' || fail "JSON hosts"
import json, sys
r = json.load(open(sys.argv[1])); host = sys.argv[2]
assert r["hosts"] == [host, host], r["hosts"]
for s in r["strategies"]:
    assert s["worker_hosts"] == [host] * s["workers"], (s["strategy"], s["worker_hosts"])
    assert all(t["host"] == host for t in s["trace"]), s["strategy"]
PY
    python3 - "$work/r.csv" <<'PY' || fail "CSV hosts column missing, or not 1 on every row"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows and all(r["hosts"] == "1" for r in rows), [r.get("hosts") for r in rows]
PY
    echo "ok: hosts in the JSON (by rank, by worker, per task) and the CSV"
    ;;
  binding_note)
    # The note reports a real shortage only: threads bound to one core each by
    # OMP_PROC_BIND/OMP_PLACES spread over 2 cores, though the master alone is on one.
    (($(nproc) >= 2)) || { echo "SKIPPED: needs 2 CPUs, this machine has $(nproc)"; exit 77; }
    run env OMP_PROC_BIND=close OMP_PLACES=cores "$mpiexec" -n 1 --bind-to none "$mpi" --threads 2 --tasks 4 "${tiny[@]}"
    ((rc == 0)) || fail "exit $rc, want 0"
    grep -q '^note: rank 0 may use' "$out" && fail "a binding note, though the threads use 2 CPUs"
    # A real shortage: rank 0 bound to one core, 2 threads on it.
    run env -u OMP_PROC_BIND -u OMP_PLACES "$mpiexec" -n 1 --bind-to core "$mpi" --threads 2 --tasks 4 "${tiny[@]}"
    ((rc == 0)) || fail "exit $rc, want 0"
    grep -q '^note: rank 0 may use 1 CPU(s) for 2 threads' "$out" || fail "no binding note on 1 core for 2 threads"
    echo "ok: the binding note only when the threads really share fewer CPUs"
    ;;
  *) echo "agreement_test.sh: unknown case '$case'"; exit 2 ;;
esac
