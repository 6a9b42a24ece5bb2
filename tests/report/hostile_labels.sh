#!/usr/bin/env bash
# Result files are untrusted: a strategy, host or file name may hold a newline and "!cmd"
# (a shell command to gnuplot), backquotes, system(), quotes, a backslash, '@', a NUL, 10 KB
# of text or <script>. Feeds each through every plot path (--timeline svg and png,
# --predict, --scaling, --html, schedlab-metg --gnuplot and gnuplot on its script) and
# checks that no command ran (no PWNED* file appears), that every figure was drawn, and that
# the HTML page holds no markup from a record. The hostile files are made here, in a
# scratch folder. Skips visibly (exit 77) where gnuplot is not installed.
# Usage: hostile_labels.sh SCHEDLAB_REPORT SCHEDLAB_METG REPORT_DATA_DIR BENCH_DATA_DIR
set -u
report=$1
metg=$2
data=$3
bench_data=$4
if ! command -v gnuplot >/dev/null 2>&1; then
  echo "SKIP: gnuplot is not on PATH (apt-get install gnuplot-nox, or jobs/setup.sh)"
  exit 77
fi
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d" || exit 1 # a relative "touch PWNED" (from a file name) lands here too
fail() {
  echo "FAIL: $*"
  exit 1
}
# Text is spliced below as it is: in bash 5.2, '&' in a ${x//a/b} replacement is special.
shopt -u patsub_replacement 2>/dev/null || true

# The labels as JSON string contents (JSON escapes: \n, \", \\, \u0000). The commands are
# short and relative (gnuplot runs in this folder): the timeline cuts a title to ~20
# characters, and a cut "touch PWNED.." still leaves a PWNED file behind.
long=$(printf '%10240s' '' | tr ' ' 'L')
labels=(
  "x\\n!touch PWNED_nl\\n"
  "c\\r!touch PWNED_cr\\r"
  "\`touch PWNED_bq\`"
  "\\\" . system(\\\"touch PWNED_sys\\\") . \\\""
  "'\\n!touch PWNED_q\\n' . system('touch PWNED_q2') . '"
  "back\\\\slash\\\\"
  "@PWNED_macro @ARG0"
  "n\\u0000\\n!touch PWNED_nul"
  "$long\\n!touch PWNED_long\\n"
  "<script>alert(1)</script></svg><script>alert(2)</script> &amp; <img src=x onerror=alert(3)>"
)
# The same label as a CSV field: JSON escapes undone, quotes doubled, the field quoted.
csv_field() {
  local text
  text=$(printf '%b' "${1//\\u0000/}x") # printf %b: \n, \r, \\; a NUL cannot live in argv
  text=${text%x}
  text=${text//\\\"/\"}
  printf '"%s"' "${text//\"/\"\"}"
}

# Runs one step (its output to LOG); first asks whether a command ran, then how it exited.
step() {
  local what=$1 log=$2 rc found
  shift 2
  "$@" >"$log" 2>&1
  rc=$?
  found=$(find "$d" -name 'PWNED*' -print)
  [ -z "$found" ] || fail "label $i: a label ran a command ($what): $found"
  [ "$rc" -eq 0 ] || fail "label $i: $what exited $rc: $(tail -n 2 "$log")"
}
# Each figure present, non-empty; a PNG with its signature.
drawn() {
  local f
  for f in "$@"; do
    [ -s "$f" ] || fail "$f is missing or empty"
    case $f in
      *.png) [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
        fail "$f is not a PNG" ;;
      *.svg) grep -q '</svg>' "$f" || fail "$f has no closing </svg>" ;;
    esac
  done
}
no_markup() {
  # Every '<script', '<img' or '</svg><' a record carried must arrive as text.
  if grep -qi '<script\|<img\|</svg><' "$1"; then
    grep -ni '<script\|<img\|</svg><' "$1" | head -n 3 | cut -c1-200
    fail "$1 holds markup from a record"
  fi
}

json=$(cat "$data/omp-8111.json")
csv=$(cat "$data/scaling.csv")
sweep=$(cat "$bench_data/sweep.csv")
for i in "${!labels[@]}"; do
  label=${labels[$i]}
  out=$d/out$i
  mkdir -p "$out"
  # JSON: the strategy, the host, the command line and a binding value; the file is named
  # after the label as well (quote, backquote, newline: a file name may hold them all).
  record=${json//'"strategy": "static"'/"\"strategy\": \"$label\""}
  record=${record//'"host": "fixture"'/"\"host\": \"$label\""}
  record=${record//'"command": "'/"\"command\": \"$label "}
  record=${record//'"OMP_PLACES": "cores"'/"\"OMP_PLACES\": \"$label\""}
  # (Every other name has no quote, so no quote shields the backquotes from gnuplot.)
  quote=$([ $((i % 2)) -eq 0 ] && echo "it's ")
  name=$(printf "r%s %s\`touch PWNED_name\`\n!touch PWNED_name2\n.json" "$i" "$quote")
  printf '%s\n' "$record" >"$d/$name"

  step --timeline "$out/timeline.log" "$report" --timeline "$d/$name" --plot-dir "$out" --format png,svg
  # gnuplot writes the file name with '?' for its newlines; a glob finds it either way.
  figures=("$out"/r"$i"*.timeline.png "$out"/r"$i"*.timeline.svg)
  drawn "${figures[@]}"
  no_markup "${figures[1]}"

  step --predict "$out/predict.log" "$report" --predict "$d/$name" --workers 1-4 --cores 2 \
    --plot-dir "$out" --format svg
  drawn "$out"/r"$i"*.predict.svg

  # CSV: the strategy field of every dynamic,1 row (a scaling series of its own).
  field=$(csv_field "$label")
  rows=${csv//'"dynamic,1"'/$field}
  printf '%s\n' "$rows" >"$d/scaling$i.csv"
  step --scaling "$out/scaling.log" "$report" --scaling "$d/scaling$i.csv" --cores 2 \
    --plot-dir "$out" --format png,svg
  drawn "$out/scaling$i.scaling.png" "$out/scaling$i.scaling.svg"
  no_markup "$out/scaling$i.scaling.svg"

  # --html: both files in one page (timeline, scaling and prediction figures inline).
  step --html "$out/html.log" "$report" --html "$out/page.html" --cores 2 --format none \
    "$d/$name" "$d/scaling$i.csv"
  drawn "$out/page.html"
  [ "$(grep -c '<svg' "$out/page.html")" -ge 3 ] || fail "label $i: the page lacks its figures"
  grep -q 'left out' "$out/page.html" && fail "label $i: the page left a figure out"
  no_markup "$out/page.html"

  # schedlab-metg: the strategy of a sweep's static rows, the image named with a quote.
  rows=${sweep//',static,'/",$field,"}
  printf '%s\n' "$rows" >"$d/sweep$i.csv"
  step "schedlab-metg --gnuplot" "$out/metg.log" "$metg" "$d/sweep$i.csv" --gnuplot "$out/metg.gp" \
    --png "$out/it's metg.png"
  step "gnuplot metg.gp" "$out/gnuplot.log" gnuplot "$out/metg.gp"
  drawn "$out/it's metg.png"
  echo "ok: label $i (${#label} characters): timeline, predict, scaling, html, metg"
done
echo "no command ran; every figure drawn; no markup from a record in the pages"
