#!/usr/bin/env bash
# Local scaling sweep: strong scaling (the same task list on 1..N threads and 1..N ranks)
# and weak scaling (tasks proportional to workers), then the report with its plots.
#   jobs/scaling.sh [options]            results in results/<timestamp>/
# Options (defaults in brackets):
#   --max N               largest worker count [logical CPUs]; above them is oversubscribed
#   --models LIST         omp, mpi or omp,mpi [omp,mpi; a model whose runner is not built is skipped]
#   --workload KIND       any --workload of the runners [nonuniform]
#   --tasks N             strong scaling: tasks in the list [8 x max]
#   --tasks-per-worker K  weak scaling: tasks per worker [4]
#   --scale S             multiplies every task size [0.1]
#   --repeat R            repeats per point; the report uses the fastest [3]
#   --schedule S          schedlab-omp schedule [dynamic,1]
#   --strategy S          schedlab-mpi strategy [master-worker]
#   --kinds LIST          strong, weak or strong,weak [strong,weak]
#   --build DIR           build directory holding bin/ [$SCHEDLAB_BUILD or build/release]
#   --out DIR             results directory [results/<timestamp>]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
me=scaling.sh
usage_error() {
  echo "$me: error: $*" >&2
  exit 2
}
# A decimal whole number from 1 to MAX, checked as text before any arithmetic: bash's
# arithmetic wraps at 2^64 (--max 18446744073709551617 would read as 1). Nine digits at most
# leave the comparison exact.
whole_number() {
  [[ $2 =~ ^[1-9][0-9]{0,8}$ ]] && (($2 <= $3)) ||
    usage_error "$1 '${2//[^[:print:]]/?}': expected a whole number from 1 to $3"
}

cores=$(nproc)
max=$cores
models=omp,mpi
workload=nonuniform
tasks=
per_worker=4
scale=0.1
repeat=3
schedule=dynamic,1
strategy=master-worker
kinds=strong,weak
# shellcheck source=jobs/default-build.sh
. "$repo/jobs/default-build.sh"
build=${SCHEDLAB_BUILD:-$(schedlab_default_build "$repo")}
out=
while (($#)); do
  case $1 in
    --help | -h) ;;
    --max | --models | --workload | --tasks | --tasks-per-worker | --scale | --repeat | --schedule | --strategy | --kinds | --build | --out)
      [[ $# -ge 2 ]] || usage_error "$1: expected a value after it (see --help)" ;;
    *) usage_error "$1: unknown option (see --help)" ;;
  esac
  case $1 in
    --max) whole_number "$1" "$2" 1024; max=$2 ;;
    --models) models=$2 ;;
    --workload) workload=$2 ;;
    --tasks) whole_number "$1" "$2" 10000000; tasks=$2 ;;
    --tasks-per-worker) whole_number "$1" "$2" 10000; per_worker=$2 ;;
    --scale) [[ $2 =~ ^[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$ ]] || usage_error "--scale '$2': expected a number greater than 0"; scale=$2 ;;
    --repeat) whole_number "$1" "$2" 1000; repeat=$2 ;;
    --schedule) schedule=$2 ;;
    --strategy) strategy=$2 ;;
    --kinds) kinds=$2 ;;
    --build) build=$2 ;;
    --out) out=$2 ;;
    --help | -h) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  esac
  shift 2
done
((max <= 1024)) || usage_error "--max $max: expected at most 1024"
for m in ${models//,/ }; do [[ $m == omp || $m == mpi ]] || usage_error "--models '$models': expected omp, mpi or omp,mpi"; done
for k in ${kinds//,/ }; do [[ $k == strong || $k == weak ]] || usage_error "--kinds '$kinds': expected strong, weak or strong,weak"; done
tasks=${tasks:-$((8 * max))}
bin=$build/bin
[[ -x $bin/schedlab-report ]] || usage_error "--build '$build': no bin/schedlab-report there; build first (cmake --preset release && cmake --build --preset release) or give --build DIR"

# Which models can run here.
run_omp=false
run_mpi=false
for m in ${models//,/ }; do
  if [[ $m == omp ]]; then
    if [[ -x $bin/schedlab-omp ]]; then run_omp=true; else echo "note: $bin/schedlab-omp is not built: skipping threads"; fi
  else
    if [[ -x $bin/schedlab-mpi ]] && command -v mpirun >/dev/null; then run_mpi=true; else echo "note: schedlab-mpi or mpirun missing: skipping ranks"; fi
  fi
done
$run_omp || $run_mpi || { echo "$me: nothing to run: neither schedlab-omp nor schedlab-mpi is available in $bin" >&2; exit 1; }

# Worker counts: every count up to 8, then powers of two, and the maximum itself.
counts=()
for ((p = 1; p <= max; p = (p < 8 ? p + 1 : p * 2))); do counts+=("$p"); done
[[ ${counts[-1]} -eq $max ]] || counts+=("$max")

out=${out:-$repo/results/$(date +%Y%m%d-%H%M%S)}
# Every file the sweep writes is checked before any work: the folder can be made and
# written, and no output (which the sweep first removes or truncates) is the --workload file.
mkdir -p "$out" 2>/dev/null && [[ -d $out && -w $out ]] ||
  usage_error "--out '$out': cannot create or write this folder (expected a writable folder)"
same_file() {  # existing files: device and inode (links followed); new ones: the path they make
  if [[ -e $1 && -e $2 ]]; then [[ $(stat -L -c %d:%i -- "$1") == $(stat -L -c %d:%i -- "$2") ]]
  else [[ $(realpath -m -- "$1") == $(realpath -m -- "$2") ]]; fi
}
if [[ $workload == file:* ]]; then
  input=${workload#file:}
  for kind in ${kinds//,/ }; do
    outputs=("$out/$kind.csv" "$out/$kind.scaling.gp" "$out/$kind.scaling.png" "$out/$kind.scaling.svg")
    for model in omp mpi; do
      for p in "${counts[@]}"; do outputs+=("$out/$kind-$model-p$p.json" "$out/$kind-$model-p$p.log"); done
    done
    for o in "${outputs[@]}"; do
      same_file "$input" "$o" && usage_error "--workload 'file:$input' and '$o': the same file (the sweep would overwrite its input; expected the task list outside --out or under another name)"
    done
  done
fi
echo "scaling sweep: workers ${counts[*]} on $cores logical CPUs; results in $out"
if ((max > cores)); then
  echo "WARNING: up to $max workers on $cores cores: oversubscribed. Past $cores workers the"
  echo "         workers take turns on the cores, so expect no more speedup - that is the lesson."
fi

# mpirun as root needs both variables; more ranks than cores needs --oversubscribe, and
# binding each rank to a core cannot work then, so binding is off for those points.
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

# point KIND MODEL P TASKS: one runner invocation, appending to KIND.csv.
point() {
  local kind=$1 model=$2 p=$3 n=$4
  local common=(--workload "$workload" --scale "$scale" --repeat "$repeat"
                --csv "$out/$kind.csv" --json "$out/$kind-$model-p$p.json")
  [[ $workload == file:* ]] || common+=(--tasks "$n")
  if [[ $model == omp ]]; then
    echo "--- $kind: schedlab-omp --schedule $schedule --threads $p ($n tasks)"
    OMP_NUM_THREADS=$p "$bin/schedlab-omp" --schedule "$schedule" --threads "$p" "${common[@]}" >"$out/$kind-$model-p$p.log"
  else
    local mpi=(-np "$p")
    ((p <= cores)) || mpi+=(--oversubscribe --bind-to none)
    echo "--- $kind: mpirun ${mpi[*]} schedlab-mpi --strategy $strategy ($n tasks)"
    OMP_NUM_THREADS=1 mpirun "${mpi[@]}" "$bin/schedlab-mpi" --strategy "$strategy" "${common[@]}" >"$out/$kind-$model-p$p.log"
  fi
  grep -E '^(verification|noisy):' "$out/$kind-$model-p$p.log" || true
}

for kind in ${kinds//,/ }; do
  # Runners append to the CSV: start it afresh, so an old sweep in --out is not mixed in.
  [[ -e $out/$kind.csv ]] && echo "note: replacing $out/$kind.csv"
  rm -f "$out/$kind.csv"
  for p in "${counts[@]}"; do
    n=$tasks
    [[ $kind == weak ]] && n=$((per_worker * p))
    $run_omp && point "$kind" omp "$p" "$n"
    if $run_mpi; then point "$kind" mpi "$p" "$n"; fi
  done
done

# The report: comparison tables, then speedup and efficiency with the fits and the plots.
status=0
for kind in ${kinds//,/ }; do
  printf '\n=== %s scaling: %s\n' "$kind" "$out/$kind.csv"
  "$bin/schedlab-report" "$out/$kind.csv" || status=1
  "$bin/schedlab-report" --scaling "$out/$kind.csv" --plot-dir "$out" || status=1
done
echo "results: $out"
exit $status
