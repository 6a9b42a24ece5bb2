#!/usr/bin/env bash
# Measures every figure of docs/performance.md and checks the speed targets of this machine
# (benchmarks, never ctest tests): kernel and schedule benchmarks, MPI dispatch cost, the
# METG sweep (jobs/metg.sh), efficiency on long uniform tasks, dynamic on the nonuniform
# list vs its lower bound, and the Python reference side by side. Takes ~10 minutes.
#   bench/targets.sh [--bin DIR] [--out DIR] [--skip-metg]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="" out="" skip_metg=false
while (($# > 0)); do
  case $1 in
    --bin) bin=${2:?--bin needs a value}; shift 2 ;;
    --out) out=${2:?--out needs a value}; shift 2 ;;
    --skip-metg) skip_metg=true; shift ;;
    -h|--help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "targets.sh: error: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -z $bin ]]; then
  "$repo/jobs/setup.sh" release
  bin=$repo/build/release/bin
fi
for exe in schedlab-bench schedlab-bench-mpi schedlab-omp schedlab-mpi schedlab-metg; do
  [[ -x $bin/$exe ]] || { echo "targets.sh: $bin/$exe is missing" >&2; exit 1; }
done
out=${out:-$repo/results/targets-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
np=2 threads=2
verdicts=()

# check NAME VALUE OP LIMIT: one line of the summary (OP is <= or >=). A VALUE "<b" is a
# bound (METG below the smallest size measured): met when b is, else undetermined.
check() {
  local ok
  ok=$(python3 -c "import sys; b = sys.argv[1].startswith('<'); v = float(sys.argv[1].lstrip('<'))
l = float(sys.argv[3]); met = v <= l if sys.argv[2] == '<=' else v >= l
print('met' if met else 'undetermined (bound only)' if b else 'MISSED')" "$2" "$3" "$4")
  verdicts+=("$(printf '%-58s %10s  (target %s %s)  %s' "$1" "$2" "$3" "$4" "$ok")")
}

# column CSV STRATEGY COLUMN: a field of a runner's --csv row (python3: fields may be quoted).
column() {
  python3 -c "import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r['strategy'] == sys.argv[2]]
print(rows[-1][sys.argv[3]])" "$1" "$2" "$3"
}

banner() { printf '\n=== %s\n' "$*" | tee -a "$out/summary.txt"; }
{
  echo "schedlab performance targets, $(date -u +%Y-%m-%dT%H:%MZ), host $(hostname)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) logical CPUs"
  echo "compiler: $(c++ --version | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/summary.txt"

banner "Google Benchmark: kernel and OpenMP schedules ($threads threads)"
OMP_NUM_THREADS=$threads "$bin/schedlab-bench" --benchmark_min_time=0.5 \
  --benchmark_out="$out/bench.json" --benchmark_out_format=json | tee "$out/bench.txt"

# The core-to-core latency: what every shared counter (dynamic, guided) pays per grab. On a
# VM it moves with the host's placement of the vCPUs, so it is measured next to the figures
# that depend on it and quoted with them.
transfer_ns() {
  # Parsed after the run: a parser started alongside would take a core from the two threads.
  OMP_NUM_THREADS=2 "$bin/schedlab-bench" --benchmark_filter=BM_CacheLineTransfer \
    --benchmark_min_time=0.2 --benchmark_out="$out/transfer.json" >/dev/null 2>&1
  python3 -c "import json, sys
runs = json.load(open(sys.argv[1]))['benchmarks']
print(f\"{runs[0]['one_way_ns']:.0f}\" if runs and 'one_way_ns' in runs[0] else 'n/a')" \
    "$out/transfer.json"
}
transfer_bench=$(transfer_ns)
echo "core-to-core cache-line transfer (one way): $transfer_bench ns" | tee -a "$out/summary.txt"

banner "MPI master-worker dispatch cost (np $np)"
mpirun -np $np "$bin/schedlab-bench-mpi" --repeat 7 | tee "$out/dispatch.txt"

banner "Uniform tasks of >= 50 ms (8 x 8,200,000 units), repeat 3"
"$bin/schedlab-omp" --threads $threads --schedule static --workload uniform --tasks 8 \
  --size 8200000 --repeat 3 --csv "$out/uniform-omp.csv" | tee "$out/uniform-omp.txt"
"$bin/schedlab-omp" --threads $threads --schedule dynamic,1 --workload uniform --tasks 8 \
  --size 8200000 --repeat 3 --csv "$out/uniform-omp.csv" | tee -a "$out/uniform-omp.txt"
mpirun -np $np "$bin/schedlab-mpi" --strategy static --workload uniform --tasks 8 \
  --size 8200000 --repeat 3 --csv "$out/uniform-mpi.csv" | tee "$out/uniform-mpi.txt"
mpirun -np $np "$bin/schedlab-mpi" --strategy master-worker --chunk 1 --workload uniform \
  --tasks 8 --size 8200000 --repeat 3 --csv "$out/uniform-mpi.csv" | tee -a "$out/uniform-mpi.txt"
check "OpenMP static, uniform 50 ms tasks: efficiency" \
  "$(column "$out/uniform-omp.csv" static efficiency)" ">=" 0.97
check "OpenMP dynamic,1, uniform 50 ms tasks: efficiency" \
  "$(column "$out/uniform-omp.csv" dynamic,1 efficiency)" ">=" 0.97
check "MPI static (np $np), uniform 50 ms tasks: efficiency" \
  "$(column "$out/uniform-mpi.csv" static efficiency)" ">=" 0.95
check "MPI master-worker,1 (np $np), uniform 50 ms tasks: efficiency" \
  "$(column "$out/uniform-mpi.csv" master-worker,1 efficiency)" ">=" 0.95

banner "Nonuniform, 64 tasks, 2 workers: dynamic vs the lower bound, repeat 3"
"$bin/schedlab-omp" --threads $threads --schedule dynamic,1 --workload nonuniform --tasks 64 \
  --repeat 3 --csv "$out/nonuniform.csv" | tee "$out/nonuniform.txt"
mpirun -np $np "$bin/schedlab-mpi" --strategy master-worker --chunk 1 --workload nonuniform \
  --tasks 64 --repeat 3 --csv "$out/nonuniform.csv" | tee -a "$out/nonuniform.txt"
check "OpenMP dynamic,1, nonuniform 64 tasks: Tp / lower bound" \
  "$(column "$out/nonuniform.csv" dynamic,1 tp_over_lower_bound)" "<=" 1.03
check "MPI master-worker,1 (np $np), nonuniform 64 tasks: Tp / L" \
  "$(column "$out/nonuniform.csv" master-worker,1 tp_over_lower_bound)" "<=" 1.03

banner "The notebook's approach in Python, and schedlab's per-task overhead in the same run"
python3 "$repo/bench/python_reference.py" --scale 0.25 --schedlab "$bin" | tee "$out/python.txt"

transfer_metg=n/a
if ! $skip_metg; then
  banner "METG sweep (jobs/metg.sh)"
  transfer_metg=$(transfer_ns)
  echo "core-to-core cache-line transfer (one way), before the sweep: $transfer_metg ns" |
    tee -a "$out/summary.txt"
  "$repo/jobs/metg.sh" --bin "$bin" --np $np --threads $threads --out "$out/metg" |
    tee "$out/metg.txt"
  # The same plot as text, for docs/performance.md.
  if command -v gnuplot >/dev/null 2>&1; then
    sed -e 's/^set terminal .*/set terminal dumb size 110,34/' -e 's/^set output .*/set output/' \
      "$out/metg/metg.gp" | gnuplot >"$out/metg/metg-text.txt" 2>/dev/null || true
  fi
  # The METG column is the table's last field: a number, "< bound" or "not reached".
  metg() {
    awk -v name="$1" 'index($0, name) == 1 && !done { v = $NF; if ($(NF-1) == "<") v = "<" v;
                      if ($NF == "reached") v = "inf"; print v; done = 1 }' "$out/metg/metg.txt"
  }
  # Rows start with the strategy's name; master-worker's carries its chunk ("...,16").
  for row in "OpenMP dynamic,1 |0.3" "OpenMP static |0.3" "MPI master-worker,|1.0" \
             "MPI static |0.5"; do
    name=${row%|*} limit=${row#*|}
    value=$(metg "$name")
    # "< b" (efficiency >= 50% down to the smallest size) meets a target when b does.
    check "${name%[ ,]}: METG(50%) in us" "$value" "<=" "$limit"
  done
fi

banner "Targets (benchmarks on this machine; see docs/performance.md)"
printf '%s\n' "${verdicts[@]}" | tee -a "$out/summary.txt"
echo "core-to-core cache-line transfer: $transfer_bench ns at the start, $transfer_metg ns before" \
  "the METG sweep (dynamic and guided pay about one per chunk)" | tee -a "$out/summary.txt"
