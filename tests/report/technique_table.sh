#!/usr/bin/env bash
# jobs/technique-table.sh --quick: a markdown table with one row per registry technique (the
# list schedlab-omp --help gives), each with a cell per workload x perturbation holding the
# measured Tp/L and the predicted one, "x.xx (y.yy)".
# Usage: technique_table.sh SOURCE_DIR BIN_DIR
set -u
src=$1 bin=$2
fail() { echo "FAIL: $*"; exit 1; }
names=$("$bin/schedlab-omp" --help | tr -d '\n' | sed -n 's/.*fac2): \([^;]*\);.*/\1/p' | tr -d ' ')
[[ -n $names ]] || fail "no technique list in schedlab-omp --help"
table=$("$src/jobs/technique-table.sh" --quick --bin "$bin" 2>/dev/null) || fail "the script failed: $table"
[[ $(head -1 <<<"$table") == "| technique | mandelbrot | mandelbrot worker=1,slow=3 | spmv | spmv worker=1,slow=3 | nonuniform | nonuniform worker=1,slow=3 |" ]] ||
  fail "unexpected header: $(head -1 <<<"$table")"
rows=$(tail -n +3 <<<"$table")
IFS=, read -ra expected <<<"$names"
[[ $(wc -l <<<"$rows") -eq ${#expected[@]} ]] ||
  fail "$(wc -l <<<"$rows") rows for ${#expected[@]} techniques: $table"
cell='[0-9]+\.[0-9]{2} \(([0-9]+\.[0-9]{2}|no model)\)'
for t in "${expected[@]}"; do
  grep -Eq "^\| $t \|( $cell \|){6}$" <<<"$rows" || fail "no full row for $t: $table"
done
echo "ok: ${#expected[@]} techniques, one row each, six measured (predicted) cells"
