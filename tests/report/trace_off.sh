#!/usr/bin/env bash
# A --trace off run read back: the report says the trace level and shows LB and Tp/L as "-",
# and refuses to draw a timeline or simulate from a record that holds no per-task times.
# Usage: trace_off.sh SCHEDLAB_SERIAL SCHEDLAB_REPORT
set -u
serial=$1 report=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$serial" --trace off --workload skewed --tasks 8 --scale 0.001 --csv "$dir/r.csv" \
  --json "$dir/r.json" >/dev/null || fail "schedlab-serial --trace off failed"
grep -Eq ',off,[0-9.]*,[0-9.]*(,|$)' "$dir/r.csv" || fail "no trace column 'off' in the CSV row"
for input in r.csv r.json; do
  out=$("$report" "$dir/$input" 2>&1) || fail "report $input: exit $?: $out"
  grep -q '^   trace: off (no per-task times: LB and Tp/L not measured)$' <<<"$out" ||
    fail "report $input does not say the trace level: $out"
done
for mode in --timeline --predict; do
  err=$("$report" $mode "$dir/r.json" 2>&1 >/dev/null)
  rc=$?
  [[ $rc -eq 2 ]] || fail "report $mode of a --trace off record: exit $rc, expected 2"
  [[ $(wc -l <<<"$err") -eq 1 && $err == *"recorded with --trace off"*"--trace tasks"* ]] ||
    fail "report $mode: expected one line naming --trace off and --trace tasks, got: $err"
done
echo "ok: trace off said in the report; timeline and predict refused"
