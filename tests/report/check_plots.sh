#!/usr/bin/env bash
# Draws the timeline and scaling figures from the fixtures and checks what gnuplot wrote:
# each PNG non-empty and starting with the PNG signature, each SVG well-formed XML.
# Skips visibly (exit 77) where gnuplot is not installed (jobs/setup.sh installs it).
# Usage: check_plots.sh SCHEDLAB_REPORT DATA_DIR
set -u
report=$1
data=$2
if ! command -v gnuplot >/dev/null 2>&1; then
  echo "SKIP: gnuplot is not on PATH (apt-get install gnuplot-nox, or jobs/setup.sh)"
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$report" --timeline "$data/omp-8111.json" --plot-dir "$dir" || fail "--timeline exited $?"
"$report" --scaling "$data/scaling.csv" --plot-dir "$dir" --cores 2 || fail "--scaling exited $?"
"$report" --predict "$data/omp-8111.json" --workers 1-8 --plot-dir "$dir" --cores 2 || fail "--predict exited $?"
# What a reader must see: the P = cores marker, oversubscribed points drawn apart, and the
# measured points plotted after (so above) every model line.
grep -q "P = 2 cores" "$dir/scaling.gp" || fail "scaling.gp has no P = cores marker"
grep -q "oversubscribed (not fitted)" "$dir/scaling.gp" || fail "scaling.gp does not mark oversubscribed points"
grep -q "P = 2 cores" "$dir/omp-8111.predict.gp" || fail "predict.gp has no P = cores marker"
first_figure=$(sed -n '1,/^unset output/p' "$dir/omp-8111.predict.gp")  # the PNG's commands
last_line=$(grep -n "linespoints" <<<"$first_figure" | tail -n 1 | cut -d: -f1)
first_measured=$(grep -n "title 'measured" <<<"$first_figure" | head -n 1 | cut -d: -f1)
((first_measured > last_line)) || fail "predict.gp draws a model line after a measured point"
# Two inputs in one timeline: the figure is named after both.
"$report" --timeline "$data/omp-8111.json" "$data/omp-8111.json" --plot-dir "$dir" --format svg >/dev/null ||
  fail "--timeline of two records exited $?"
[ -s "$dir/omp-8111+omp-8111.timeline.svg" ] || fail "a two-input timeline is not named after both inputs"
for stem in omp-8111.timeline scaling omp-8111.predict; do
  png=$dir/$stem.png
  svg=$dir/$stem.svg
  [ -s "$png" ] || fail "$png is missing or empty"
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$png does not start with the PNG signature"
  [ -s "$svg" ] || fail "$svg is missing or empty"
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, xml.etree.ElementTree as ET; root = ET.parse(sys.argv[1]).getroot(); sys.exit(0 if root.tag.endswith("svg") else 1)' "$svg" ||
      fail "$svg is not well-formed SVG"
  else
    grep -q '</svg>' "$svg" || fail "$svg has no closing </svg>"
  fi
  [ -s "$dir/$stem.gp" ] || fail "$dir/$stem.gp (the script to redraw it) is missing"
  echo "ok: $stem.png ($(stat -c %s "$png") bytes), $stem.svg ($(stat -c %s "$svg") bytes)"
done
