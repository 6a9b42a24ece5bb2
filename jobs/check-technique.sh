#!/usr/bin/env bash
# Checks a scheduling technique, by default the student's (student/student_technique.cpp):
#   1. it builds, into build/release: the binaries docs/lab.md puts on PATH, so that after a
#      passing check `schedlab-omp --schedule student` runs the code just checked;
#   2. it hands out every task exactly once, no chunk below 1 or above what is left, for
#      every N = 1..2000 with ten values of P, and every P = 1..64 with nine values of N;
#   3. its simulated Tp/L and chunk count beside gss, fac2 and ss on two workloads;
#   4. OpenMP: it verifies against the serial loop at 1-4 threads on four workload families,
#      and its measured Tp/L and chunk count stand beside gss, fac2 and ss on two workloads.
#   5. MPI (check_mpi): it verifies against serial as schedlab-mpi --strategy TECHNIQUE
#      at np 1-4, and its measured Tp/L and chunk count at np 2 sit beside gss, fac2 and ss.
# A bad technique (a chunk of 0, more tasks than left, an exception) is named with the N, P
# and call that broke it; one that never answers is stopped after a time limit, not waited on.
#   jobs/check-technique.sh [TECHNIQUE]      default: student; e.g. tss, gss,4
# Ends with one line: "check-technique: PASS ..." or "check-technique: FAIL ...". Measured
# rows the runner flagged noisy (its own `noisy`/`noise` fields) are shown with a warning.
# Environment: SCHEDLAB_CHECK_PRESET (default release), SCHEDLAB_CHECK_TIMEOUT (seconds, default 120),
# SCHEDLAB_CHECK_THREADS (the OpenMP comparison's team, default: the cores, at most 4).
# SCHEDLAB_CHECK_MPI=0 to skip the MPI part (also skipped, with a line, without mpirun).
# Exit: 0 ok · 1 the technique failed (build, coverage, simulation, OpenMP or MPI) · 2 bad usage.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
technique=${1:-student}
preset=${SCHEDLAB_CHECK_PRESET:-release}
limit=${SCHEDLAB_CHECK_TIMEOUT:-120}
if (($# > 1)); then
  echo "jobs/check-technique.sh: $# arguments given; allowed: at most one, the technique (e.g. student, gss,4)" >&2
  exit 2
fi
if ! [[ $limit =~ ^[1-9][0-9]*$ ]]; then
  echo "jobs/check-technique.sh: SCHEDLAB_CHECK_TIMEOUT='$limit' is not allowed; give whole seconds >= 1" >&2
  exit 2
fi

cd "$repo"
build=$repo/build/$preset
log=$(mktemp)
# One verdict line, whatever happened before it (a failed build, a failed run, Ctrl-C).
finish() {
  local rc=$?
  rm -f "$log"
  if ((rc == 0)); then
    echo "check-technique: PASS: '$technique' (build/$preset/bin now runs it: --schedule $technique)"
  else
    echo "check-technique: FAIL: '$technique' (exit $rc; the reason is above)"
  fi
}
trap finish EXIT
# The three programs the check runs, built together: the checker, schedlab-omp and
# schedlab-mpi (without mpirun, only the first two).
targets=(schedlab-technique-check schedlab-omp)
if [[ ${SCHEDLAB_CHECK_MPI:-1} != 0 ]] && command -v mpirun >/dev/null; then
  targets+=(schedlab-mpi)
fi
if [[ ! -f $build/build.ninja ]]; then
  echo "build: build/$preset is not configured yet: the first run configures and builds it," \
    "several minutes on 2 cores (jobs/setup.sh release does the same); later runs take seconds"
  if ! cmake --preset "$preset" >"$log" 2>&1; then
    cat "$log"
    echo "build: FAILED (cmake --preset $preset)"
    exit 1
  fi
else
  echo "build: preset $preset, targets ${targets[*]} (only what changed: seconds after an edit;" \
    "minutes if build/$preset was never built)"
fi
if ! cmake --build "$build" --target "${targets[@]}" >"$log" 2>&1; then
  grep -E 'error|warning' "$log" | head -20 || cat "$log"
  echo "build: FAILED: fix the errors above (student/student_technique.cpp)"
  exit 1
fi
# Warnings in the student's file are shown (the ci preset makes them errors).
grep -A3 'student_technique.cpp.*warning' "$log" | head -20 || true
echo "build: OK"

# measured_table mpi|openmp CSV: the runs' rows as jobs/schedlab_records.py reads them, Tp,
# Tp/L and chunks beside each technique (mpi: and its verification; openmp: a technique that
# is also one of the classics once), then the rows the runner itself flagged noisy (its
# `noisy`/`noise` columns), with a warning: their Tp/L is not the technique's.
measured_table() {
  local mode=$1 rows options=() w s tp tpl chunks verified noise noisy=()
  [[ $mode == openmp ]] && options=(--dedup)
  rows=$(python3 "$repo/jobs/schedlab_records.py" table "$2" "${options[@]}") || return 1
  printf '  %-11s %-12s %9s %6s %7s%s\n' workload technique 'Tp[s]' Tp/L chunks \
    "$([[ $mode == mpi ]] && echo "  verified")"
  while IFS=$'\t' read -r w s tp tpl chunks verified noise; do
    [[ -n $w ]] || continue
    [[ -n $noise ]] && noisy+=("$w $s: $noise")
    if [[ $mode == mpi ]]; then
      printf '  %-11s %-12s %9s %6s %7s  %s%s\n' "$w" "$s" "$tp" "$tpl" "$chunks" "$verified" "${noise:+  noisy}"
    else
      printf '  %-11s %-12s %9s %6s %7s%s\n' "$w" "$s" "$tp" "$tpl" "$chunks" "${noise:+  noisy: $noise}"
    fi
  done <<<"$rows"
  ((${#noisy[@]} > 0)) || return 0
  if [[ $mode == mpi ]]; then
    printf '  noisy: %s\n' "${noisy[@]}"
    echo "  warning: rows marked noisy were slowed by something else (the runner's own noise" \
      "check): rerun on a quiet machine before comparing them"
  else
    echo "  warning: rows marked noisy were slowed by something else (the runner's own noise" \
      "check): their Tp/L is not the technique's; rerun on a quiet machine to compare"
  fi
}

# The technique under MPI master-worker (plans: per rank): every task once, results equal to
# the serial loop's at np 1-4 (oversubscribed), then measured Tp/L and chunks beside the
# classics. Returns 0 ok, 1 failed.
check_mpi() {
  if [[ ${SCHEDLAB_CHECK_MPI:-1} == 0 ]]; then
    echo "mpi: skipped (SCHEDLAB_CHECK_MPI=0)"
    return 0
  fi
  if ! command -v mpirun >/dev/null; then
    echo "mpi: skipped: no mpirun on PATH"
    return 0
  fi
  # Root and more ranks than cores are the machine's business, not the technique's.
  local -x OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  local -x OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_orte_execute_quiet=1
  local np output rc
  for np in 1 2 3 4; do
    rc=0
    output=$(timeout --kill-after=5 "$limit" mpirun -np "$np" "$build/bin/schedlab-mpi" \
      --strategy "$technique" --workload nonuniform --tasks 61 --scale 0.001 2>&1) || rc=$?
    if ((rc != 0)) || ! grep -q '^verification: PASSED$' <<<"$output"; then
      echo "$output" | tail -5
      echo "mpi: FAILED: '$technique' at np $np (exit $rc): not equal to the serial loop"
      return 1
    fi
  done
  echo "mpi: verifies against serial at np 1, 2, 3, 4"
  local csv
  csv=$(mktemp)
  local workload name
  for workload in increasing nonuniform; do
    for name in "$technique" gss fac2 ss; do
      timeout --kill-after=5 "$limit" mpirun -np 2 "$build/bin/schedlab-mpi" --strategy "$name" \
        --workload "$workload" --tasks 400 --scale 0.005 --repeat 3 --csv "$csv" >/dev/null 2>&1 || {
        echo "mpi: FAILED: '$name' on $workload at np 2"
        rm -f "$csv"
        return 1
      }
    done
  done
  # Read by jobs/schedlab_records.py; the chunks column by name (older builds: '-').
  echo "mpi: measured at np 2 (master-worker; 400 tasks, best of 3)"
  measured_table mpi "$csv" || { rm -f "$csv"; return 1; }
 rm -f "$csv"
}

# The checker's own exit codes pass through (0 ok, 1 failed check, 2 bad technique name);
# `timeout` turns a next_chunk that never returns into a failure instead of a hang.
status=0
timeout --kill-after=5 "$limit" "$build/bin/schedlab-technique-check" --technique "$technique" || status=$?
if ((status == 124 || status == 137)); then
  echo "check: FAILED: '$technique' gave no verdict within $limit s: does next_chunk loop forever?"
  exit 1
fi
if ((status != 0)); then exit "$status"; fi

# --- OpenMP: the technique under the self-scheduling executor (openmp/techniques_executor.cpp)
openmp_part() {
  # P = the cores, at most 4: more threads than cores would take turns, and Tp/L would
  # measure the turns, not the technique.
  local cores; cores=$(nproc)
  local omp=$build/bin/schedlab-omp threads=${SCHEDLAB_CHECK_THREADS:-$((cores < 4 ? cores : 4))} csv
  # Each task exactly once and every result in its slot: the run's own verification
  # against the serial loop (exit 0 and 'verification: PASSED'), at 1-4 threads.
  local p kind out
  for p in 1 2 3 4; do
    for kind in uniform nonuniform increasing skewed; do
      if ! out=$(timeout --kill-after=5 "$limit" "$omp" --schedule "$technique" --threads "$p" \
                   --workload "$kind" --tasks 37 --scale 0.0005 2>&1) ||
         ! grep -q '^verification: PASSED$' <<<"$out"; then
        echo "$out" | tail -5
        echo "openmp: FAILED: '$technique' with $p threads on $kind (N=37) does not verify"
        return 1
      fi
    done
  done
  echo "openmp: verifies against serial at 1-4 threads on uniform, nonuniform, increasing, skewed"
  # Measured Tp/L and chunks beside gss, fac2 and ss: 16 tasks per thread, best of 3.
  csv=$(mktemp)
  local w s
  for w in increasing skewed; do
    for s in "$technique" gss fac2 ss; do
      timeout --kill-after=5 "$limit" "$omp" --schedule "$s" --threads "$threads" --workload "$w" \
        --tasks $((16 * threads)) --scale 0.002 --repeat 3 --csv "$csv" >/dev/null ||
        { echo "openmp: FAILED: --schedule $s on $w"; rm -f "$csv"; return 1; }
    done
  done
  echo "openmp, measured, P=$threads, N=16P (best of 3):"
  measured_table openmp "$csv" || { rm -f "$csv"; return 1; }
 rm -f "$csv"
}
openmp_part || exit 1

check_mpi || exit 1
exit 0
