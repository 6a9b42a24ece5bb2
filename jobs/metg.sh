#!/usr/bin/env bash
# METG(50%) sweep (Task Bench, SC'20): uniform task lists of 2^k units, k = KMIN..KMAX, under
# each strategy (OpenMP static, dynamic,1, guided, tasks; MPI static, cyclic, master-worker,
# rma). Each runner measures its efficiency against the serial loop of the same list in the same
# run (--csv); schedlab-metg then interpolates METG(50%) per strategy and writes the plot.
#   jobs/metg.sh                       full sweep, k = 2..16, results in results/metg-DATE/
#   jobs/metg.sh --quick --out DIR     k = 4, 8, 12 on short lists: a smoke run (~15 s)
# Options: --out DIR  --bin DIR (default: build the release preset)  --np N (MPI ranks)
#          --threads T (OpenMP)  --kmin K  --kmax K  --kstep S  --repeat R
#          --total-units U (units per list, so every run lasts long enough to time)
#          --mw-chunk C  --mw-prefetch K (master-worker; rma claims the same chunks of C)
#          --mpi-only (skip the OpenMP sweeps)
#          --mpirun-args "ARGS" (extra mpirun arguments, split at spaces: a hostfile, MCA
#            settings; a value with spaces goes in the environment, OMPI_MCA_name=value).
#            Across nodes, see docs/performance.md "Across nodes" and docs/clusters.md.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cores=$(nproc)

out="" bin="" np=$cores threads=$cores kmin=2 kmax=16 kstep=1 repeat=3
total_units=$((1 << 24)) mw_chunk=16 mw_prefetch=2
max_tasks=$((1 << 20)) min_tasks=64 mpi_only=0 mpirun_args=()

usage_error() { echo "metg.sh: error: $*" >&2; exit 2; }
need_value() { [[ $# -ge 2 && -n $2 ]] || usage_error "$1 needs a value"; }
whole() {  # whole NAME VALUE MIN MAX
  [[ $2 =~ ^[0-9]+$ ]] && (($2 >= $3 && $2 <= $4)) ||
    usage_error "$1 '$2': expected a whole number from $3 to $4"
}

while (($# > 0)); do
  case $1 in
    --out) need_value "$@"; out=$2; shift 2 ;;
    --bin) need_value "$@"; bin=$2; shift 2 ;;
    --np) need_value "$@"; np=$2; shift 2 ;;
    --threads) need_value "$@"; threads=$2; shift 2 ;;
    --kmin) need_value "$@"; kmin=$2; shift 2 ;;
    --kmax) need_value "$@"; kmax=$2; shift 2 ;;
    --kstep) need_value "$@"; kstep=$2; shift 2 ;;
    --repeat) need_value "$@"; repeat=$2; shift 2 ;;
    --total-units) need_value "$@"; total_units=$2; shift 2 ;;
    --mw-chunk) need_value "$@"; mw_chunk=$2; shift 2 ;;
    --mw-prefetch) need_value "$@"; mw_prefetch=$2; shift 2 ;;
    --mpi-only) mpi_only=1; shift ;;
    --mpirun-args) need_value "$@"; read -ra mpirun_args <<<"$2"; shift 2 ;;
    --quick) kmin=4 kmax=12 kstep=4 repeat=1 total_units=$((1 << 18)) max_tasks=$((1 << 14))
             shift ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "unknown option '$1' (see --help)" ;;
  esac
done
whole --np "$np" 1 256
whole --threads "$threads" 1 256
whole --kmin "$kmin" 0 40
whole --kmax "$kmax" "$kmin" 40
whole --kstep "$kstep" 1 40
whole --repeat "$repeat" 1 100
whole --total-units "$total_units" 1 $((1 << 40))
whole --mw-chunk "$mw_chunk" 1 "$max_tasks"
whole --mw-prefetch "$mw_prefetch" 1 1000
if [[ -n $bin && ! -x $bin/schedlab-mpi ]]; then
  usage_error "--bin '$bin': no schedlab-mpi there (build first, or leave --bin out)"
fi

if [[ -z $bin ]]; then
  "$repo/jobs/setup.sh" release
  bin=$repo/build/release/bin
fi
exes=(schedlab-mpi schedlab-metg)
((mpi_only)) || exes+=(schedlab-omp)
for exe in "${exes[@]}"; do
  [[ -x $bin/$exe ]] || { echo "metg.sh: $bin/$exe is missing" >&2; exit 1; }
done
out=${out:-$repo/results/metg-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
csv=$out/sweep.csv log=$out/runs.log
rm -f "$csv" "$log"

# Open MPI refuses root without these, and more ranks than cores without oversubscription.
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
((np > cores)) && export OMPI_MCA_rmaps_base_oversubscribe=1

run() {  # run COMMAND...: its table goes to runs.log; a failure stops the sweep
  echo "\$ $*" >>"$log"
  if ! "$@" >>"$log" 2>&1; then
    echo "metg.sh: failed: $* (see $log)" >&2
    exit 1
  fi
}

echo "METG sweep: k = $kmin..$kmax step $kstep (task = 2^k units), $total_units units per list," \
  "$( ((mpi_only)) || echo "OpenMP $threads threads, ")MPI $np ranks, repeat $repeat -> $out"
for ((k = kmin; k <= kmax; k += kstep)); do
  size=$((1 << k))
  tasks=$((total_units / size))
  ((tasks > max_tasks)) && tasks=$max_tasks
  ((tasks < min_tasks)) && tasks=$min_tasks
  list=(--workload uniform --tasks "$tasks" --size "$size" --repeat "$repeat" --csv "$csv")
  printf '  2^%-2d = %6d units x %7d tasks\n' "$k" "$size" "$tasks"
  if ((!mpi_only)); then
    for schedule in static dynamic,1 guided tasks; do
      run "$bin/schedlab-omp" --threads "$threads" --schedule "$schedule" "${list[@]}"
    done
  fi
  mpirun=(mpirun "${mpirun_args[@]}" -np "$np")
  for strategy in static cyclic; do
    run "${mpirun[@]}" "$bin/schedlab-mpi" --strategy "$strategy" "${list[@]}"
  done
  run "${mpirun[@]}" "$bin/schedlab-mpi" --strategy master-worker --master computes \
    --chunk "$mw_chunk" --prefetch "$mw_prefetch" "${list[@]}"
  # rma claims the chunks master-worker sends (tss,C,C = fixed chunks of C): one atomic each.
  run "${mpirun[@]}" "$bin/schedlab-mpi" --strategy "rma,tss,$mw_chunk,$mw_chunk" "${list[@]}"
done

"$bin/schedlab-metg" "$csv" --data "$out/metg.dat" --gnuplot "$out/metg.gp" | tee "$out/metg.txt"
if command -v gnuplot >/dev/null 2>&1; then
  gnuplot "$out/metg.gp" && echo "plot: $out/metg.png"
fi
