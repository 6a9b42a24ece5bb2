#!/usr/bin/env bash
# The techniques table of docs/techniques.md: every technique of the registry on three
# workloads (mandelbrot, spmv, the synthetic nonuniform list), with and without a slow worker
# (--perturb worker=1,slow=3), at P = 2 (schedlab-omp --threads 2). Each cell: the measured
# Tp/L and, in brackets, the simulator's Tp/L for the same record (schedlab-report --predict,
# which replays the perturbation). L = max(sum t / 2, max t) over the record's serial task
# times: the unperturbed machine's bound, so a perturbed cell shows what the slow worker cost.
# Prints markdown on stdout; progress on stderr.
# Usage: jobs/technique-table.sh [--quick] [--bin DIR]
#   --quick  tiny task lists (seconds, for the test: the shape of the table, not its figures)
#   --bin    where schedlab-omp and schedlab-report are (default build/ci/bin)
set -euo pipefail
bin=build/ci/bin
quick=false
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) quick=true; shift ;;
    --bin) bin=${2:?--bin needs a folder}; shift 2 ;;
    *) echo "technique-table.sh: unknown argument '$1': expected --quick or --bin DIR" >&2; exit 2 ;;
  esac
done
for tool in schedlab-omp schedlab-report; do
  [[ -x $bin/$tool ]] || { echo "technique-table.sh: no $bin/$tool: build it first" >&2; exit 2; }
done
command -v jq >/dev/null || { echo "technique-table.sh: jq is needed" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# workload name, then its options (small: the whole table in about 2-3 minutes on 2 vCPUs).
if $quick; then
  workloads=("mandelbrot --tasks 16 --size 50" "spmv --tasks 16 --size 50"
             "nonuniform --tasks 8 --size 2000 --spread 2000")  # (spread: 8e6 by default)
else
  workloads=("mandelbrot --tasks 192 --size 2000" "spmv --tasks 192 --size 40000"
             "nonuniform --tasks 48 --size 300000")  # + randint(0, 8e6): --spread's default
fi
perturbs=("" "worker=1,slow=3")
columns=()
for w in "${workloads[@]}"; do
  for p in "${perturbs[@]}"; do
    name=${w%% *}
    key="$name${p:+ $p}"
    rec="$dir/$(tr ' =,' '___' <<<"$key").json"
    echo "technique-table: $key" >&2
    # shellcheck disable=SC2086  # the workload's options are words
    OMP_NUM_THREADS=2 "$bin/schedlab-omp" --threads 2 --workload $w --schedule techniques \
      ${p:+--perturb "$p"} --json "$rec" >"$dir/run.txt" 2>&1 ||
      { echo "technique-table.sh: schedlab-omp failed on $key:" >&2; cat "$dir/run.txt" >&2; exit 1; }
    # strategy -> predicted seconds ("-": no model), from the predicted-vs-measured rows.
    "$bin/schedlab-report" --predict "$rec" --workers 2 --format none |
      awk '/^predicted vs measured/ { on = 1; next } on && NF == 6 && $2 == "2" { print $1, $5 }' \
        >"$rec.predicted"
    jq -r '([(.serial_task_seconds | add) / 2, (.serial_task_seconds | max)] | max) as $l |
           .strategies[] | select(.strategy != "serial") | [.strategy, .time_min, $l] | @tsv' \
      "$rec" >"$rec.measured"
    columns+=("$key|$rec")
  done
done
echo "| technique |$(for c in "${columns[@]}"; do printf ' %s |' "${c%%|*}"; done)"
echo "|---|$(for _ in "${columns[@]}"; do printf -- '---|'; done)"
# The rows, in one awk over every column's files (a few processes per cell cost more than the
# runs of --quick): measured "technique TAB Tp TAB L", predicted "technique seconds".
files=() records=""
for c in "${columns[@]}"; do files+=("${c#*|}.measured" "${c#*|}.predicted"); records+="${c#*|}"$'\n'; done
awk -v columns="${#columns[@]}" -v records="$records" '
  BEGIN { split(records, rec, "\n"); for (c = 1; c <= columns; ++c) column_of[rec[c]] = c }
  FILENAME != file { file = FILENAME; base = file; sub(/\.(measured|predicted)$/, "", base); col = column_of[base] }
  file ~ /\.measured$/ {
    split($0, f, "\t")
    tp[col, f[1]] = f[2]; bound[col, f[1]] = f[3]
    if (col == 1) order[++rows] = f[1]
    next
  }
  { predicted[col, $1] = $2 }
  END {
    for (r = 1; r <= rows; ++r) {
      t = order[r]; line = "| " t " |"
      for (c = 1; c <= columns; ++c) {
        if (!((c, t) in tp)) cell = "-"
        else if (bound[c, t] <= 0) cell = "-"
        else if (!((c, t) in predicted) || predicted[c, t] == "-") cell = sprintf("%.2f (no model)", tp[c, t] / bound[c, t])
        else cell = sprintf("%.2f (%.2f)", tp[c, t] / bound[c, t], predicted[c, t] / bound[c, t])
        line = line " " cell " |"
      }
      print line
    }
  }' "${files[@]}"
