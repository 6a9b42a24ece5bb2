#!/usr/bin/env bash
# METG(50%) sweep (Task Bench, SC'20): uniform task lists of 2^k units, k = KMAX down to KMIN,
# under each strategy. Each runner measures its efficiency against the serial loop of the same
# list in the same run (--csv); schedlab-metg scores every point both ways, schedlab's
# (T1/(P*Tp)) and Task Bench's (units/(P*Tp*peak), the peak of the bare kernel measured with
# `schedlab-metg --measure-peak` at the start of each round), and writes metg.csv (one row per
# strategy: strategy,metg_us,metg_peak_us,status,rounds,cpu_model,...) and the plot.
#   jobs/metg.sh                       full sweep, k = 16..0, one round, in results/metg-DATE/
#   jobs/metg.sh --rounds 3            three interleaved rounds: the median over them
#   jobs/metg.sh --quick --out DIR     k = 12, 8, 4 on short lists: a smoke run (~20 s)
# Options: --out DIR  --bin DIR (default: build the release preset)  --np N (MPI ranks)
#          --threads T (OpenMP)  --kmin K (default 0)  --kmax K  --kstep S  --repeat R
#          --rounds R (round 1 of every size and strategy, then round 2, ...; default 1)
#          --trace tasks|off (every runner's --trace; default off: no per-task clock reads)
#          --total-units U (units per list, so every run lasts long enough to time)
#          --mw-chunk C  --mw-prefetch K (master-worker,C; fac2 takes K; rma,tss claims chunks of C)
#          --strategies LIST (comma-separated, default all): omp-static, omp-dynamic1,
#            omp-guided, omp-tasks, mpi-static, mpi-cyclic, mpi-mw (master-worker,C),
#            mpi-rma (rma,tss,C,C), mpi-rma-fac2 (rma,fac2), mpi-fac2 (master-worker, fac2)
#          --peak-units U --peak-repeat R (the peak measurement: spin(U) on P threads, best of R)
#          --mpi-only (skip the OpenMP sweeps)
#          --mpirun-args "ARGS" (extra mpirun arguments, split at spaces: a hostfile, MCA
#            settings; a value with spaces goes in the environment, OMPI_MCA_name=value).
#            Across nodes, see docs/performance.md "Across nodes" and docs/clusters.md.
# A strategy stops going smaller in a round once its Task Bench efficiency has been below 50%
# at two consecutive sizes after having been at or above it (its METG is then measured).
# Output in DIR: round-R.csv (the runners' rows), peaks.txt, metg.txt (the table), metg.csv,
# metg-rounds.csv (per round), metg.dat, metg.gp (and metg.png with gnuplot), runs.log.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cores=$(nproc)

out="" bin="" np=$cores threads=$cores kmin=0 kmax=16 kstep=1 repeat=3 rounds=1 trace=off
total_units=$((1 << 24)) mw_chunk=16 mw_prefetch=2 peak_units=$((1 << 24)) peak_repeat=5
max_tasks=$((1 << 20)) min_tasks=64 mpi_only=0 mpirun_args=() trace_given=0
all_strategies=omp-static,omp-dynamic1,omp-guided,omp-tasks,mpi-static,mpi-cyclic,mpi-mw,mpi-rma,mpi-rma-fac2,mpi-fac2
strategies=$all_strategies

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
    --rounds) need_value "$@"; rounds=$2; shift 2 ;;
    --trace) need_value "$@"; trace=$2; trace_given=1; shift 2 ;;
    --total-units) need_value "$@"; total_units=$2; shift 2 ;;
    --mw-chunk) need_value "$@"; mw_chunk=$2; shift 2 ;;
    --mw-prefetch) need_value "$@"; mw_prefetch=$2; shift 2 ;;
    --strategies) need_value "$@"; strategies=$2; shift 2 ;;
    --peak-units) need_value "$@"; peak_units=$2; shift 2 ;;
    --peak-repeat) need_value "$@"; peak_repeat=$2; shift 2 ;;
    --mpi-only) mpi_only=1; shift ;;
    --mpirun-args) need_value "$@"; read -ra mpirun_args <<<"$2"; shift 2 ;;
    --quick) kmin=4 kmax=12 kstep=4 repeat=1 total_units=$((1 << 18)) max_tasks=$((1 << 14))
             peak_units=$((1 << 20)) peak_repeat=3
             shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) usage_error "unknown option '$1' (see --help)" ;;
  esac
done
whole --np "$np" 1 256
whole --threads "$threads" 1 256
whole --kmin "$kmin" 0 40
whole --kmax "$kmax" "$kmin" 40
whole --kstep "$kstep" 1 40
whole --repeat "$repeat" 1 100
whole --rounds "$rounds" 1 100
whole --total-units "$total_units" 1 $((1 << 40))
whole --mw-chunk "$mw_chunk" 1 "$max_tasks"
whole --mw-prefetch "$mw_prefetch" 1 1000
whole --peak-units "$peak_units" 1 $((1 << 40))
whole --peak-repeat "$peak_repeat" 1 1000
[[ $trace == tasks || $trace == off ]] || usage_error "--trace '$trace': expected tasks or off"
declare -A selected=()
IFS=, read -ra wanted <<<"$strategies"
((${#wanted[@]} > 0)) || usage_error "--strategies '$strategies': expected names from $all_strategies"
for s in "${wanted[@]}"; do
  [[ ,$all_strategies, == *,"$s",* ]] ||
    usage_error "--strategies '$s': expected names from $all_strategies"
  selected[$s]=1
done
if ((mpi_only)); then
  for s in "${!selected[@]}"; do [[ $s == omp-* ]] && unset "selected[$s]"; done
  ((${#selected[@]} > 0)) || usage_error "--mpi-only: --strategies '$strategies' names no MPI one"
fi
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
# Runners from before --trace have only the full per-task trace: say so, and refuse an
# explicit --trace they cannot honour.
trace_args=(--trace "$trace")
if ! "$bin/schedlab-mpi" --help 2>/dev/null | grep -q -- '--trace'; then
  ((trace_given)) && usage_error "--trace $trace: the runners in '$bin' have no --trace option"
  trace_args=() trace=tasks
  echo "metg.sh: note: the runners in $bin have no --trace option: full per-task trace" >&2
fi
out=${out:-$repo/results/metg-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
log=$out/runs.log
rm -f "$log" "$out"/round-*.csv "$out/peaks.txt"

# Open MPI refuses root without these, and more ranks than cores without oversubscription.
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
((np > cores)) && export OMPI_MCA_rmaps_base_oversubscribe=1
# More workers than cores: they take turns, so schedlab's efficiency cannot pass cores/P and
# the sweep measures the OS's time slicing, not the schedule. It still runs (a smoke test).
for workers in "$np" "$threads"; do
  if ((workers > cores)); then
    echo "metg.sh: warning: P = $workers on $cores cores: workers take turns, so efficiency" \
      "cannot pass $cores/$workers and the METG says nothing about the schedule;" \
      "use --np and --threads of at most $cores" >&2
    break
  fi
done

run() {  # run COMMAND...: its table goes to runs.log; a failure stops the sweep
  echo "\$ $*" >>"$log"
  if ! "$@" >>"$log" 2>&1; then
    echo "metg.sh: failed: $* (see $log)" >&2
    exit 1
  fi
}

# Task Bench's efficiency of the last row of a runner CSV: units / (P * Tp_mean * peak), the
# row read by jobs/schedlab_records.py (Tp_mean: time_mean_s, or time_min_s where empty), the
# division in awk (one Python start a point fewer: --quick's sweep is 30 points).
# Empty when python3 is missing (the sweep then never stops early).
have_python=0
command -v python3 >/dev/null 2>&1 && have_python=1
last_efficiency() {  # last_efficiency CSV PEAK
  ((have_python)) || return 0
  local records=$repo/jobs/schedlab_records.py units workers tp
  read -r units workers tp < <(python3 "$records" last "$1" total_units workers 'time_mean_s|time_min_s') ||
    { echo "metg.sh: cannot read the last row of $1 (see above)" >&2; exit 1; }
  awk -v u="$units" -v w="$workers" -v t="$tp" -v peak="$2" -v csv="$1" 'BEGIN {
    if (!(u > 0 && w > 0 && t > 0 && peak > 0)) {
      printf "metg.sh: the last row of %s: units %s, workers %s, Tp %s, peak %s: expected numbers > 0\n",
        csv, u, w, t, peak > "/dev/stderr"
      exit 1
    }
    printf "%.17g\n", u / (w * t * peak) }'
}

# The strategies as runner command lines, in sweep order.
mpirun=(mpirun "${mpirun_args[@]}" -np "$np")
declare -A command=(
  [omp-static]="$bin/schedlab-omp --threads $threads --schedule static"
  [omp-dynamic1]="$bin/schedlab-omp --threads $threads --schedule dynamic,1"
  [omp-guided]="$bin/schedlab-omp --threads $threads --schedule guided"
  [omp-tasks]="$bin/schedlab-omp --threads $threads --schedule tasks"
  [mpi-static]="${mpirun[*]} $bin/schedlab-mpi --strategy static"
  [mpi-cyclic]="${mpirun[*]} $bin/schedlab-mpi --strategy cyclic"
  [mpi-mw]="${mpirun[*]} $bin/schedlab-mpi --strategy master-worker --master computes --chunk $mw_chunk --prefetch $mw_prefetch"
  # rma claims the chunks master-worker sends (tss,C,C = fixed chunks of C): one atomic each.
  [mpi-rma]="${mpirun[*]} $bin/schedlab-mpi --strategy rma,tss,$mw_chunk,$mw_chunk"
  [mpi-rma-fac2]="${mpirun[*]} $bin/schedlab-mpi --strategy rma,fac2"
  # A registry technique under schedlab-mpi runs master-worker (computing master).
  [mpi-fac2]="${mpirun[*]} $bin/schedlab-mpi --strategy fac2 --prefetch $mw_prefetch"
)
order=()
for s in ${all_strategies//,/ }; do [[ -n ${selected[$s]:-} ]] && order+=("$s"); done
# The peak is measured with the workers the runs have: OpenMP's threads (MPI's ranks when
# only MPI runs; with np != threads the MPI rows are scored with the same peak).
peak_workers=$threads
((mpi_only)) && peak_workers=$np

echo "METG sweep: k = $kmax..$kmin step $kstep (task = 2^k units), $total_units units per list," \
  "$( ((mpi_only)) || echo "OpenMP $threads threads, ")MPI $np ranks, repeat $repeat," \
  "$rounds round(s), trace $trace -> $out"
csvs=() peaks=()
for ((r = 1; r <= rounds; r++)); do
  csv=$out/round-$r.csv
  line=$("$bin/schedlab-metg" --measure-peak --workers "$peak_workers" --units "$peak_units" \
    --repeat "$peak_repeat")
  peak=$(awk '/^peak:/ { print $2 }' <<<"$line")
  [[ -n $peak ]] || { echo "metg.sh: no peak in '$line'" >&2; exit 1; }
  echo "round $r $line" >>"$out/peaks.txt"
  echo "round $r of $rounds: $line"
  csvs+=("$csv") peaks+=("$peak")
  declare -A above=() below=() stopped=()
  for ((k = kmax; k >= kmin; k -= kstep)); do
    size=$((1 << k))
    tasks=$((total_units / size))
    ((tasks > max_tasks)) && tasks=$max_tasks
    ((tasks < min_tasks)) && tasks=$min_tasks
    list=(--workload uniform --tasks "$tasks" --size "$size" --repeat "$repeat" --csv "$csv")
    printf '  2^%-2d = %6d units x %7d tasks\n' "$k" "$size" "$tasks"
    for s in "${order[@]}"; do
      [[ -n ${stopped[$s]:-} ]] && continue
      read -ra cmd <<<"${command[$s]}"
      run "${cmd[@]}" "${list[@]}" "${trace_args[@]}"
      e=$(last_efficiency "$csv" "$peak")
      [[ -n $e ]] || continue
      if awk -v e="$e" 'BEGIN { exit !(e >= 0.5) }'; then
        above[$s]=1 below[$s]=0
      elif [[ -n ${above[$s]:-} ]]; then
        below[$s]=$((${below[$s]:-0} + 1))
        if ((below[$s] >= 2)); then
          stopped[$s]=1
          echo "    $s: below 50% (Task Bench) at two sizes in a row: no smaller sizes this round"
        fi
      fi
    done
  done
  unset above below stopped
done

peak_list=$(IFS=,; echo "${peaks[*]}")
"$bin/schedlab-metg" "${csvs[@]}" --peak "$peak_list" --metg-csv "$out/metg.csv" \
  --rounds-csv "$out/metg-rounds.csv" --data "$out/metg.dat" --gnuplot "$out/metg.gp" |
  tee "$out/metg.txt"
echo "metg.csv: $out/metg.csv"
if command -v gnuplot >/dev/null 2>&1; then
  gnuplot "$out/metg.gp" && echo "plot: $out/metg.png"
fi
