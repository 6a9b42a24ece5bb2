#!/usr/bin/env bash
# Without gnuplot on PATH the report still prints its tables, says in one line that the
# plots were skipped, and exits 0.
# Usage: without_gnuplot.sh SCHEDLAB_REPORT SCALING_CSV
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$(PATH=/nonexistent "$1" --scaling "$2" --plot-dir "$dir" 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 0 ] || { echo "FAIL: exit $rc"; exit 1; }
[ "$(printf '%s\n' "$out" | grep -c 'plots skipped: gnuplot is not on PATH')" -eq 1 ] || { echo "FAIL: no single 'plots skipped' line"; exit 1; }
printf '%s\n' "$out" | grep -q 'Amdahl fit' || { echo "FAIL: the table is missing"; exit 1; }
echo "ok"
