#!/usr/bin/env bash
# Checks the speed targets of this machine (benchmarks, never ctest tests; see
# docs/performance.md) in interleaved rounds, each target under Task Bench's scoring and the
# median of the rounds.
# Each round: BM_CacheLineTransfer (one-way ns), one round of the METG sweep (jobs/metg.sh:
# only the strategies the targets need), the Python reference (submit() per task) with
# schedlab's whole Tp/N per task on 1-unit tasks. Then, once: Google Benchmark's kernel and
# schedule figures, the MPI dispatch cost, and the secondary checks (uniform 50 ms tasks,
# nonuniform vs the lower bound). About 6 minutes at 3 rounds on 2 cores (10 at 5): run it
# on an idle machine.
#   bench/targets.sh [--bin DIR] [--out DIR] [--rounds R] [--trace tasks|off] [--quick]
#   bench/targets.sh --judge DIR   score a finished run's DIR again (nothing is run)
#     --rounds R   rounds (default 3; the targets are judged on >= 3)
#     --trace L    the runners' --trace level in the sweep and the Tp/N runs (default off)
#     --skip-secondary   no Google Benchmark figures, dispatch cost or secondary checks
#     --quick      a smoke run of the script (short sweep, 1 round unless --rounds): no figures
#     --judge DIR  only the verdicts, from DIR's metg-rounds.csv, metg.csv and round-R/ files
# Targets (2 workers; "met" when the median is a measured value within the limit, "met
# (bound)" when a bound METG proves an inequality, shown with that bound; never an equality):
#   OpenMP static METG_peak <= 0.6 x OpenMP dynamic,1 METG_peak (ratio per round)
#   OpenMP dynamic,1 METG_peak <= 2.5 x BM_CacheLineTransfer one-way latency (same round)
#   best dynamic MPI METG_peak <= 1.5 x MPI static METG_peak (the winner is named)
#   MPI static METG_peak <= 0.6 x MPI master-worker,16 METG_peak, and <= 0.1 us
#   Python submit() per task >= 1000 x schedlab-omp dynamic,1 whole Tp/N, and >= 300 x
#   schedlab-mpi master-worker,1 whole Tp/N
# Writes DIR/summary.txt, DIR/metg.csv (the sweep's rows over all rounds), DIR/metg-rounds.csv,
# DIR/round-R/ (each round's files). Exit 0 whether or not the targets are met; 1 when
# something failed to run; 2 on bad options.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="" out="" rounds="" trace="" quick=0 secondary=1 judge=""

usage_error() { echo "targets.sh: error: $*" >&2; exit 2; }
need_value() { [[ $# -ge 2 && -n $2 ]] || usage_error "$1 needs a value"; }
while (($# > 0)); do
  case $1 in
    --bin) need_value "$@"; bin=$2; shift 2 ;;
    --out) need_value "$@"; out=$2; shift 2 ;;
    --rounds) need_value "$@"; rounds=$2; shift 2 ;;
    --trace) need_value "$@"; trace=$2; shift 2 ;;
    --quick) quick=1 secondary=0; shift ;;
    --skip-secondary) secondary=0; shift ;;
    --judge) need_value "$@"; judge=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) usage_error "unknown option '$1' (see --help)" ;;
  esac
done
if [[ -z $rounds ]]; then
  rounds=3
  ((quick)) && rounds=1
fi
if ! [[ $rounds =~ ^[0-9]+$ ]] || ((rounds < 1 || rounds > 100)); then
  usage_error "--rounds '$rounds': expected a whole number from 1 to 100"
fi
[[ -z $trace || $trace == tasks || $trace == off ]] ||
  usage_error "--trace '$trace': expected tasks or off"
if [[ -n $bin && ! -x $bin/schedlab-omp ]]; then
  usage_error "--bin '$bin': no schedlab-omp there (build first, or leave --bin out)"
fi
command -v python3 >/dev/null 2>&1 || { echo "targets.sh: python3 is needed" >&2; exit 1; }
if [[ -n $judge ]]; then
  [[ -f $judge/metg-rounds.csv && -f $judge/metg.csv ]] ||
    usage_error "--judge '$judge': no metg-rounds.csv and metg.csv there (a targets.sh --out folder)"
fi

# Per target: the value of each round, the median, the spread, and the verdict. A round's value
# is measured when every METG in it is; with a bound METG it is only a limit (see
# median_range). The target is met when the median is a measured value - the same wherever the
# limits' true values lie - and meets the limit, or "met (bound)" when the whole range the
# median can lie in meets an inequality.
judge_targets() {  # judge_targets DIR ROUNDS: the verdict table on stdout
  python3 - "$1" "$2" <<'PY'
import csv, json, math, os, statistics, sys

out, rounds = sys.argv[1], int(sys.argv[2])
metg = {}  # (round, strategy) -> (metg_peak_us or None, status)
with open(os.path.join(out, "metg-rounds.csv"), newline="") as f:
    for row in csv.DictReader(f):
        value = float(row["metg_peak_us"]) if row["metg_peak_us"] else None
        metg[(int(row["round"]), row["strategy"])] = (value, row["status"])
with open(os.path.join(out, "metg.csv"), newline="") as f:
    overall = list(csv.DictReader(f))


def transfer(r):
    try:
        return float(open(os.path.join(out, f"round-{r}", "transfer_ns.txt")).read())
    except (OSError, ValueError):
        return float("nan")


def python(r):
    try:
        return json.load(open(os.path.join(out, f"round-{r}", "python.json")))
    except (OSError, ValueError):
        return {}


def get(r, strategy):
    return metg.get((r, strategy), (None, "absent"))


# Best dynamic MPI: every MPI row but static and cyclic; the smallest median METG_peak among
# the measured ones (else among all that have a number), named in the output.
dynamic = [row for row in overall if row["runner"] == "schedlab-mpi"
           and row["strategy"] != "MPI static" and not row["strategy"].startswith("MPI cyclic")]
ranked = sorted((row for row in dynamic if row["metg_peak_us"]),
                key=lambda row: (row["status"] != "measured", float(row["metg_peak_us"])))
best = ranked[0]["strategy"] if ranked else None
candidates = ", ".join(f'{row["strategy"]} {row["metg_peak_us"] or "-"} ({row["status"]})'
                       for row in dynamic) or "none in the sweep"


def ratio_of_metgs(num, den, scale=1.0):
    """Per round: num's METG_peak / den's (den may be a number: the transfer latency).
    A bound METG is an upper limit (the true METG is smaller), so a ratio with a bound on top
    is an upper limit too ("bound"), one with a bound below a lower limit ("above")."""
    values = []
    for r in range(1, rounds + 1):
        a, sa = get(r, num) if num else (None, "absent")
        if callable(den):
            b, sb = den(r), "measured"
        else:
            b, sb = get(r, den)
        kinds = {("measured", "measured"): "measured", ("bound", "measured"): "bound",
                 ("measured", "bound"): "above"}
        if a is None or b is None or not b > 0 or math.isnan(b) or (sa, sb) not in kinds:
            values.append((None, f"{sa}/{sb}"))
        else:
            values.append((a * scale / b, kinds[(sa, sb)]))
    return values


def median_range(values):
    """(low, high): the range the median of the rounds lies in, or None when a round has no
    number. A "bound" round's true value lies below its number, an "above" round's above it:
    the median is exactly known (low == high, a measured round's value) when it is the same
    with every such round at either end of its range."""
    if any(v is None for v, _ in values):
        return None
    low = [0.0 if s == "bound" else v for v, s in values]
    high = [math.inf if s == "above" else v for v, s in values]
    return statistics.median(low), statistics.median(high)


def metg_of(strategy):
    """Per round: the strategy's METG_peak in us ("bound": the true METG lies below it)."""
    values = []
    for r in range(1, rounds + 1):
        a, sa = get(r, strategy)
        values.append((a, sa) if a is not None and sa in ("measured", "bound") else (None, sa))
    return values


def pool_ratio(name):
    values = []
    for r in range(1, rounds + 1):
        p = python(r)
        whole = p.get("schedlab_whole_tp_over_n_s", {}).get(name)
        submit = p.get("submit_s_per_task")
        values.append((submit / whole, "measured") if whole and submit else (None, "absent"))
    return values


targets = [
    ("OpenMP static / OpenMP dynamic,1 (METG_peak)", "<=", 0.6,
     ratio_of_metgs("OpenMP static", "OpenMP dynamic,1")),
    ("OpenMP dynamic,1 METG_peak / one-way transfer", "<=", 2.5,
     ratio_of_metgs("OpenMP dynamic,1", transfer, scale=1000.0)),
    (f"best dynamic MPI ({best or 'none'}) / MPI static", "<=", 1.5,
     ratio_of_metgs(best, "MPI static")),
    ("MPI static / MPI master-worker,16 (METG_peak)", "<=", 0.6,
     ratio_of_metgs("MPI static", "MPI master-worker,16")),
    ("MPI static METG_peak (us)", "<=", 0.1, metg_of("MPI static")),
    ("Python submit() / schedlab-omp dynamic,1 Tp/N", ">=", 1000.0,
     pool_ratio("schedlab-omp dynamic,1")),
    ("Python submit() / schedlab-mpi master-worker,1 Tp/N", ">=", 300.0,
     pool_ratio("schedlab-mpi master-worker,1")),
]


def cell(value, status):
    if value is None:
        return status
    text = f"{value:,.3g}" if value < 1000 else f"{value:,.0f}"
    return text if status == "measured" else f"{text} ({status})"


print(f"{'target':<52} {'limit':>9}  " + "  ".join(f"{'round ' + str(r):>12}"
      for r in range(1, rounds + 1)) + f"  {'median':>9}  {'spread':>20}  verdict")
def verdict_of(op, limit, span):
    """(verdict, median text, counts as met) from the median's range. Measured: met or MISSED.
    A bound decides an inequality when the whole range is on one side of the limit ("met
    (bound)", "MISSED (bound)"); it never decides an equality, nor a limit inside the range."""
    low, high = span
    holds = {"<=": lambda v: v <= limit, ">=": lambda v: v >= limit, "==": lambda v: v == limit}
    if low == high:
        return ("met", True) if holds[op](low) else ("MISSED", False), cell(low, "measured")
    text = f"<= {high:,.3g}" if low == 0.0 else f">= {low:,.3g}" if high == math.inf else \
        f"{low:,.3g} .. {high:,.3g}"
    if op != "==" and holds[op](low) and holds[op](high):
        return (f"met (bound: median {text})", True), text
    if op != "==" and not holds[op](low) and not holds[op](high):
        return (f"MISSED (bound: median {text})", False), text
    return (f"not measured (the bound, median {text}, cannot prove it): not met", False), text


met = by_bound = 0
for name, op, limit, values in targets:
    numbers = [v for v, _ in values if v is not None]
    span = median_range(values) if len(values) == rounds else None
    spread = f"{min(numbers):,.3g} .. {max(numbers):,.3g}" if numbers else "-"
    if span is None:
        verdict = "not measured (a round has no value): not met"
        median = statistics.median(numbers) if numbers else None
        median_text = f"({median:,.3g})" if median is not None else "-"
    else:
        (verdict, counts), median_text = verdict_of(op, limit, span)
        met += counts
        by_bound += counts and verdict != "met"
    print(f"{name:<52} {op + ' ' + format(limit, 'g'):>9}  " +
          "  ".join(f"{cell(v, s):>12}" for v, s in values) +
          f"  {median_text:>9}  {spread:>20}  {verdict}")

print("inputs per round (METG_peak in us, transfer in ns, Python submit() and schedlab Tp/N "
      "in us):")
for r in range(1, rounds + 1):
    p = python(r)
    whole = p.get("schedlab_whole_tp_over_n_s", {})
    parts = [f"{s} {cell(*get(r, s)) if get(r, s)[0] is not None else get(r, s)[1]}"
             for s in ("OpenMP static", "OpenMP dynamic,1", "MPI static", best) if s]
    parts.append(f"transfer {transfer(r):.0f}")
    if p:
        parts.append(f"submit() {p['submit_s_per_task'] * 1e6:.1f}")
        parts += [f"{k} {v * 1e6:.3f}" for k, v in whole.items()]
    print(f"  round {r}: " + "; ".join(parts))
print(f"dynamic MPI candidates (median METG_peak us, status): {candidates}")
if rounds < 3:
    print(f"note: {rounds} round(s); the targets are judged on at least 3")
bounds = f" ({by_bound} by a bound)" if by_bound else ""
print(("all targets met" if met == len(targets) else f"{met} of {len(targets)} targets met") +
      bounds)
PY
}
if [[ -n $judge ]]; then
  rounds=$(python3 -c "import csv, sys
print(max((int(r['round']) for r in csv.DictReader(open(sys.argv[1]))), default=0))" \
    "$judge/metg-rounds.csv")
  judge_targets "$judge" "$rounds"
  exit 0
fi

trap 'echo "targets.sh: failed: $BASH_COMMAND (line $LINENO)" >&2; exit 1' ERR
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
# The runners' --trace: default off (the cheap level for METG); runners from before the
# option have only the full trace.
trace_opt=()
if "$bin/schedlab-omp" --help 2>/dev/null | grep -q -- '--trace'; then
  trace=${trace:-off}
  trace_opt=(--trace "$trace")
elif [[ -n $trace ]]; then
  usage_error "--trace $trace: the runners in '$bin' have no --trace option"
else
  trace=tasks
fi

# The sweep for the targets: only the strategies they need, shorter lists, repeat 3.
targets_strategies=omp-static,omp-dynamic1,mpi-static,mpi-mw,mpi-rma,mpi-rma-fac2,mpi-fac2
sweep=(--np "$np" --threads "$threads" --rounds 1 --repeat 3 --total-units $((1 << 22))
       --strategies "$targets_strategies")
python_args=(--overhead-only)
if ((quick)); then
  quick_strategies=omp-static,omp-dynamic1,mpi-static,mpi-mw,mpi-fac2
  sweep=(--np "$np" --threads "$threads" --rounds 1 --repeat 1 --total-units $((1 << 18))
         --kmin 0 --kmax 8 --kstep 4 --peak-units $((1 << 20)) --peak-repeat 3
         --strategies "$quick_strategies")
  python_args+=(--overhead-tasks 500 --repeat 1 --schedlab-tasks 20000)
fi

banner() { printf '\n=== %s\n' "$*" | tee -a "$out/summary.txt"; }
{
  echo "schedlab performance targets, $(date -u +%Y-%m-%dT%H:%MZ), host $(hostname)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) logical CPUs"
  echo "compiler: $(c++ --version | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rounds: $rounds (interleaved); P = $np ranks / $threads threads; runners' trace: $trace"
  echo "commit: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
} | tee "$out/summary.txt"

# The core-to-core latency: what every shared counter (dynamic, guided) pays per grab. On a
# VM it moves with the host's placement of the vCPUs, so it is measured in every round.
transfer_ns() {  # transfer_ns JSON: prints the one-way ns
  # Parsed after the run: a parser started alongside would take a core from the two threads.
  OMP_NUM_THREADS=2 "$bin/schedlab-bench" --benchmark_filter=BM_CacheLineTransfer \
    --benchmark_min_time=0.2 --benchmark_out="$1" >/dev/null 2>&1
  python3 -c "import json, sys
runs = json.load(open(sys.argv[1]))['benchmarks']
print(f\"{runs[0]['one_way_ns']:.1f}\" if runs and 'one_way_ns' in runs[0] else 'nan')" "$1"
}

csvs=() peaks=()
for ((r = 1; r <= rounds; r++)); do
  dir=$out/round-$r
  mkdir -p "$dir"
  banner "Round $r of $rounds (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  t=$(transfer_ns "$dir/transfer.json")
  echo "$t" >"$dir/transfer_ns.txt"
  echo "core-to-core cache-line transfer (one way): $t ns" | tee -a "$out/summary.txt"
  "$repo/jobs/metg.sh" --bin "$bin" "${sweep[@]}" "${trace_opt[@]}" --out "$dir/metg" \
    >"$dir/metg.txt" 2>&1 || { cat "$dir/metg.txt" >&2; false; }
  grep -m1 '^round 1 of 1: peak' "$dir/metg.txt" | sed 's/^round 1 of 1: //' |
    tee -a "$out/summary.txt"
  csvs+=("$dir/metg/round-1.csv")
  peaks+=("$(awk '/^round 1 peak:/ { print $4 }' "$dir/metg/peaks.txt")")
  python3 "$repo/bench/python_reference.py" "${python_args[@]}" --workers $np \
    --schedlab "$bin" ${trace_opt[@]+--trace "$trace"} --json "$dir/python.json" |
    tee "$dir/python.txt" | grep -E 'submit\(\)|whole Tp/N' | tee -a "$out/summary.txt"
done

banner "METG over the $rounds round(s) (Task Bench's scoring beside schedlab's)"
"$bin/schedlab-metg" "${csvs[@]}" --peak "$(IFS=,; echo "${peaks[*]}")" \
  --metg-csv "$out/metg.csv" --rounds-csv "$out/metg-rounds.csv" --data "$out/metg.dat" \
  --gnuplot "$out/metg.gp" | tee -a "$out/summary.txt"
if command -v gnuplot >/dev/null 2>&1; then
  gnuplot "$out/metg.gp" 2>/dev/null || true
fi

secondary_lines=()
if ((secondary)); then
  banner "Google Benchmark: kernel and OpenMP schedules ($threads threads), once"
  OMP_NUM_THREADS=$threads "$bin/schedlab-bench" --benchmark_min_time=0.5 \
    --benchmark_out="$out/bench.json" --benchmark_out_format=json >"$out/bench.txt" 2>&1
  grep -E '^BM_(Spin/|CacheLine)' "$out/bench.txt" | tee -a "$out/summary.txt" || true

  banner "MPI master-worker dispatch cost (np $np), once"
  mpirun -np $np "$bin/schedlab-bench-mpi" --repeat 7 | tee "$out/dispatch.txt"

  # column CSV STRATEGY COLUMN: a field of a runner's --csv row (fields may be quoted).
  column() {
    python3 -c "import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r['strategy'] == sys.argv[2]]
print(rows[-1][sys.argv[3]])" "$1" "$2" "$3"
  }
  # check NAME VALUE OP LIMIT: one line of the secondary checks.
  check() {
    local ok
    ok=$(python3 -c "import sys; v, l = float(sys.argv[1]), float(sys.argv[3])
print('met' if (v <= l if sys.argv[2] == '<=' else v >= l) else 'MISSED')" "$2" "$3" "$4")
    secondary_lines+=("$(printf '%-58s %10s  (target %s %s)  %s' "$1" "$2" "$3" "$4" "$ok")")
  }
  banner "Secondary: uniform tasks of >= 50 ms (8 x 8,200,000 units), repeat 3, once"
  u=(--workload uniform --tasks 8 --size 8200000 --repeat 3)
  "$bin/schedlab-omp" --threads $threads --schedule static "${u[@]}" --csv "$out/uniform-omp.csv" |
    tee "$out/uniform-omp.txt"
  "$bin/schedlab-omp" --threads $threads --schedule dynamic,1 "${u[@]}" \
    --csv "$out/uniform-omp.csv" | tee -a "$out/uniform-omp.txt"
  mpirun -np $np "$bin/schedlab-mpi" --strategy static "${u[@]}" --csv "$out/uniform-mpi.csv" |
    tee "$out/uniform-mpi.txt"
  mpirun -np $np "$bin/schedlab-mpi" --strategy master-worker --chunk 1 "${u[@]}" \
    --csv "$out/uniform-mpi.csv" | tee -a "$out/uniform-mpi.txt"
  check "OpenMP static, uniform 50 ms tasks: efficiency" \
    "$(column "$out/uniform-omp.csv" static efficiency)" ">=" 0.97
  check "OpenMP dynamic,1, uniform 50 ms tasks: efficiency" \
    "$(column "$out/uniform-omp.csv" dynamic,1 efficiency)" ">=" 0.97
  check "MPI static (np $np), uniform 50 ms tasks: efficiency" \
    "$(column "$out/uniform-mpi.csv" static efficiency)" ">=" 0.95
  check "MPI master-worker,1 (np $np), uniform 50 ms tasks: efficiency" \
    "$(column "$out/uniform-mpi.csv" master-worker,1 efficiency)" ">=" 0.95

  banner "Secondary: nonuniform, 64 tasks, 2 workers: dynamic vs the lower bound, once"
  "$bin/schedlab-omp" --threads $threads --schedule dynamic,1 --workload nonuniform --tasks 64 \
    --repeat 3 --csv "$out/nonuniform.csv" | tee "$out/nonuniform.txt"
  mpirun -np $np "$bin/schedlab-mpi" --strategy master-worker --chunk 1 --workload nonuniform \
    --tasks 64 --repeat 3 --csv "$out/nonuniform.csv" | tee -a "$out/nonuniform.txt"
  check "OpenMP dynamic,1, nonuniform 64 tasks: Tp / lower bound" \
    "$(column "$out/nonuniform.csv" dynamic,1 tp_over_lower_bound)" "<=" 1.03
  check "MPI master-worker,1 (np $np), nonuniform 64 tasks: Tp / L" \
    "$(column "$out/nonuniform.csv" master-worker,1 tp_over_lower_bound)" "<=" 1.03
fi

banner "Targets (Task Bench's scoring, median of $rounds round(s); see docs/performance.md)"
judge_targets "$out" "$rounds" | tee -a "$out/summary.txt"
if ((${#secondary_lines[@]} > 0)); then
  banner "Secondary checks (run once; not counted above)"
  printf '%s\n' "${secondary_lines[@]}" | tee -a "$out/summary.txt"
fi
echo "summary: $out/summary.txt; metg.csv: $out/metg.csv"
