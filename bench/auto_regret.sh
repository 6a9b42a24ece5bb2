#!/usr/bin/env bash
# Issue 22's targets for auto:simulate (a benchmark, never a ctest timing; docs/performance.md,
# "Automatic selection: regret and decision cost"). On the lab's application workloads
# (mandelbrot, spmv, triad), each with and without a perturbed worker (worker 1 three times
# slower), and mandelbrot with --drift, at P = 2 threads, ONE run per case
# (`--schedule all-fixed`: the 8 portfolio techniques fixed, then the four auto rows, the same
# steps and the same machine), it prints auto:simulate's time, the best fixed (name, time),
# the regret, the median fixed and the decision cost (the selector's seconds over the steps'),
# and the verdicts:
#   regret <= 10% against the best fixed;  faster than the median fixed;  decision <= 2% of the steps.
# Plus one MPI case (mpirun -np 2 ... --strategy all-fixed, mandelbrot perturbed) when
# schedlab-mpi and mpirun are there. A step takes >= ~20 ms at P = 2 at the default sizes.
#   bench/auto_regret.sh [--build DIR] [--repeat R] [--steps S] [--out DIR] [--no-mpi] [--quick]
#     --build DIR  the build whose bin/ holds schedlab-omp (default: jobs/default-build.sh's)
#     --repeat R   the runners' --repeat: each row is the fastest of R runs (default 1)
#     --steps S    time steps per run, at least 2 (default 10)
#     --out DIR    where each case's CSV and JSON go (default: a new temporary folder)
#     --no-mpi     skip the MPI case
#     --quick      tiny sizes and 3 steps: a smoke run of the script (its verdicts mean nothing)
# A case whose targets are missed while the runner flagged the run noisy (other work took CPUs,
# common/src/noise.cpp) is INCONCLUSIVE, not MISSED, as in jobs/lab-check.sh.
# Exit 0: every case met its targets or was INCONCLUSIVE; 1: a case MISSED one or did not run
# or verify; 2: bad options (one line on stderr).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
me=auto_regret.sh
usage_error() { echo "$me: error: $*" >&2; exit 2; }
need_value() { [[ $# -ge 2 && -n $2 ]] || usage_error "$1 needs a value"; }
# shellcheck source=jobs/default-build.sh
. "$repo/jobs/default-build.sh"
build=${SCHEDLAB_BUILD:-$(schedlab_default_build "$repo")}
repeat=1 steps="" out="" mpi=1 quick=0
while (($# > 0)); do
  case $1 in
    --build) need_value "$@"; build=$2; shift 2 ;;
    --repeat) need_value "$@"; repeat=$2; shift 2 ;;
    --steps) need_value "$@"; steps=$2; shift 2 ;;
    --out) need_value "$@"; out=$2; shift 2 ;;
    --no-mpi) mpi=0; shift ;;
    --quick) quick=1; shift ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) usage_error "unknown option '$1' (see --help)" ;;
  esac
done
if ! [[ $repeat =~ ^[1-9][0-9]*$ ]] || ((repeat > 100)); then
  usage_error "--repeat '$repeat': expected a whole number from 1 to 100"
fi
if [[ -z $steps ]]; then
  steps=10
  ((quick)) && steps=3
fi
if ! [[ $steps =~ ^[1-9][0-9]*$ ]] || ((steps < 2 || steps > 1000)); then
  usage_error "--steps '$steps': expected a whole number from 2 to 1000"
fi
[[ -x $build/bin/schedlab-omp ]] ||
  usage_error "--build '$build': no bin/schedlab-omp there (build first, or name the build)"
command -v python3 >/dev/null 2>&1 || { echo "$me: python3 is needed to read the records" >&2; exit 1; }
bin=$build/bin
have_mpi=0
((mpi)) && [[ -x $bin/schedlab-mpi ]] && command -v mpirun >/dev/null && have_mpi=1
out=${out:-$(mktemp -d)}
mkdir -p "$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1  # MACHINE-NOTES.md: root

# Every record is read by jobs/schedlab_records.py, the scripts' one reader (its --help).
records() { python3 "$repo/jobs/schedlab_records.py" "$@"; }

# The cases: NAME and the runner's workload options. Sizes: a step >= ~20 ms at P = 2 here.
slow="--perturb worker=1,slow=3"
if ((quick)); then
  mandelbrot=(--workload mandelbrot --tasks 40 --size 100) spmv=(--workload spmv --tasks 64 --size 100)
  triad=(--workload triad --tasks 16 --size 1024)
else
  mandelbrot=(--workload mandelbrot --tasks 300) spmv=(--workload spmv --tasks 4096)
  triad=(--workload triad --tasks 256)
fi
names=(mandelbrot mandelbrot-slowed mandelbrot-drift spmv spmv-slowed triad triad-slowed)
declare -A options=(
  [mandelbrot]="${mandelbrot[*]}" [mandelbrot-slowed]="${mandelbrot[*]} $slow"
  [mandelbrot-drift]="${mandelbrot[*]} --drift" [spmv]="${spmv[*]}"
  [spmv-slowed]="${spmv[*]} $slow" [triad]="${triad[*]}" [triad-slowed]="${triad[*]} $slow")

# run_case NAME: one all-fixed run into $out/NAME (run.csv, run.json, run.txt).
run_case() {
  local name=$1 d=$out/$1 opts
  rm -rf "$d"; mkdir -p "$d"
  read -r -a opts <<<"${options[${name%-mpi}]}"
  if [[ $name == *-mpi ]]; then
    mpirun -np 2 --bind-to none "$bin/schedlab-mpi" "${opts[@]}" --steps "$steps" --repeat "$repeat" \
      --strategy all-fixed --csv "$d/run.csv" --json "$d/run.json" >"$d/run.txt" 2>&1
  else
    "$bin/schedlab-omp" --threads 2 "${opts[@]}" --steps "$steps" --repeat "$repeat" \
      --schedule all-fixed --csv "$d/run.csv" --json "$d/run.json" >"$d/run.txt" 2>&1
  fi
}

misses=0 inconclusive=0
line() { printf '%-22s %9s  %-16s %9s %8s  %-16s %9s %9s  %s\n' "$@"; }
# judge NAME: reads the case's records and prints its line; counts MISSED and INCONCLUSIVE.
judge() {
  local name=$1 d=$out/$1 row runner=omp
  [[ $name == *-mpi ]] && runner=mpi
  if ! row=$(records fields "$d/run.json" auto:simulate selection.seconds selection.best_fixed \
    selection.best_fixed_seconds selection.regret_pct selection.median_fixed \
    selection.median_fixed_seconds verification); then
    line "$name" - - - - - - - "MISSED: no auto:simulate selection in $d/run.json"
    misses=$((misses + 1)); return
  fi
  local s best best_s regret median median_s verified decision
  read -r s best best_s regret median median_s verified <<<"$row"
  decision=$(records value "$d/run.csv" "$runner" auto:simulate decision_s)
  local shown; read -r -a shown < <(records calc .4f "$s" "$best_s" "$median_s")
  local pct; read -r -a pct < <(records calc .1f "$regret" "100 * $decision / $s")
  local verdicts=() missed=0
  if records holds "$regret <= 10"; then verdicts+=("regret ok"); else verdicts+=("regret MISSED"); missed=1; fi
  if records holds "$s < $median_s"; then verdicts+=("< median ok"); else verdicts+=("< median MISSED"); missed=1; fi
  if records holds "100 * $decision / $s <= 2"; then verdicts+=("decision ok"); else verdicts+=("decision MISSED"); missed=1; fi
  local verdict noise
  noise=$(records recorded-noise "$d")
  if [[ $verified != passed && $verified != PASSED ]]; then
    verdict="MISSED (verification $verified)"; misses=$((misses + 1))
  elif ((missed == 0)); then
    verdict="met"
  elif [[ $noise == noisy:* ]]; then
    verdict="INCONCLUSIVE ($noise)"; inconclusive=$((inconclusive + 1))
  else
    verdict="MISSED"; misses=$((misses + 1))
  fi
  line "$name" "${shown[0]}" "$best" "${shown[1]}" "${pct[0]}%" "$median" "${shown[2]}" "${pct[1]}%" \
    "${verdicts[*]}: $verdict"
}

echo "auto:simulate against the fixed techniques, P = 2, $steps steps, repeat $repeat, on $(nproc) CPUs; files in $out"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
line case "auto[s]" "best fixed" "best[s]" regret "median fixed" "median[s]" decision "verdicts (regret <= 10%, < median, decision <= 2%)"
((have_mpi)) && names+=(mandelbrot-slowed-mpi)
for name in "${names[@]}"; do
  if ! run_case "$name"; then
    line "$name" - - - - - - - "MISSED: the run failed ($(tail -n 1 "$out/$name/run.txt"))"
    misses=$((misses + 1)); continue
  fi
  judge "$name"
done
((have_mpi)) || echo "(no MPI case: --no-mpi, or schedlab-mpi or mpirun missing)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
if ((misses > 0)); then
  echo "auto regret: $misses of ${#names[@]} cases MISSED a target"
  exit 1
fi
if ((inconclusive > 0)); then
  echo "auto regret: no case missed; $inconclusive INCONCLUSIVE (the runner flagged other load): rerun on a quiet machine"
else
  echo "auto regret: every case met the targets"
fi
