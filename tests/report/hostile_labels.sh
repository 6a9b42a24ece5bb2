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

# The labels as JSON string contents (JSON escapes: \n, \", \\, \u0000).
long=$(printf '%10240s' '' | tr ' ' 'L')
labels=(
  "x\\n!touch $d/PWNED_newline\\n"
  "cr\\r!touch $d/PWNED_cr\\r"
  "\`touch $d/PWNED_backquote\`"
  "\\\" . system(\\\"touch $d/PWNED_system\\\") . \\\""
  "' . system('touch $d/PWNED_quote') . '\\n!touch $d/PWNED_quote_newline\\n'"
  "back\\\\slash\\\\"
  "@PWNED_macro @ARG0"
  "nul\\u0000\\n!touch $d/PWNED_nul\\n"
  "$long\\n!touch $d/PWNED_long\\n"
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

canaries() {
  local found
  found=$(find "$d" -name 'PWNED*' -print)
  [ -z "$found" ] || fail "a label ran a command ($1): $found"
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
  name=$(printf "r$i it's \`touch PWNED_name\`\n!touch PWNED_name2\n.json")
  printf '%s\n' "$record" >"$d/$name"
  case $i in 0) printf '%s\n' "$record" | head -c 300 | sed 's/^/  /' ;; esac

  "$report" --timeline "$d/$name" --plot-dir "$out" --format png,svg >"$out/timeline.log" 2>&1 ||
    fail "label $i: --timeline exited $?: $(tail -n 2 "$out/timeline.log")"
  canaries "label $i, --timeline"
  drawn "$out"/r$i*.timeline.png "$out"/r$i*.timeline.svg
  no_markup "$(ls "$out"/r$i*.timeline.svg)"

  "$report" --predict "$d/$name" --workers 1-4 --cores 2 --plot-dir "$out" --format svg \
    >"$out/predict.log" 2>&1 || fail "label $i: --predict exited $?: $(tail -n 2 "$out/predict.log")"
  canaries "label $i, --predict"
  drawn "$out"/r$i*.predict.svg

  # CSV: the strategy field of every dynamic,1 row (a scaling series of its own).
  field=$(csv_field "$label")
  rows=${csv//'"dynamic,1"'/$field}
  printf '%s\n' "$rows" >"$d/scaling$i.csv"
  "$report" --scaling "$d/scaling$i.csv" --cores 2 --plot-dir "$out" --format png,svg \
    >"$out/scaling.log" 2>&1 || fail "label $i: --scaling exited $?: $(tail -n 2 "$out/scaling.log")"
  canaries "label $i, --scaling"
  drawn "$out/scaling$i.scaling.png" "$out/scaling$i.scaling.svg"
  no_markup "$out/scaling$i.scaling.svg"

  # --html: both files in one page (timeline, scaling and prediction figures inline).
  "$report" --html "$out/page.html" --cores 2 --format none "$d/$name" "$d/scaling$i.csv" \
    >"$out/html.log" 2>&1 || fail "label $i: --html exited $?: $(tail -n 2 "$out/html.log")"
  canaries "label $i, --html"
  drawn "$out/page.html"
  [ "$(grep -c '<svg' "$out/page.html")" -ge 3 ] || fail "label $i: the page lacks its figures"
  grep -q 'left out' "$out/page.html" && fail "label $i: the page left a figure out"
  no_markup "$out/page.html"

  # schedlab-metg: the strategy of a sweep's static rows, the image named with a quote.
  rows=${sweep//',static,'/",$field,"}
  printf '%s\n' "$rows" >"$d/sweep$i.csv"
  "$metg" "$d/sweep$i.csv" --gnuplot "$out/metg.gp" --png "$out/it's metg.png" >"$out/metg.log" 2>&1 ||
    fail "label $i: schedlab-metg exited $?: $(tail -n 2 "$out/metg.log")"
  gnuplot "$out/metg.gp" >"$out/gnuplot.log" 2>&1 ||
    fail "label $i: gnuplot on metg.gp exited $?: $(tail -n 2 "$out/gnuplot.log")"
  canaries "label $i, schedlab-metg --gnuplot"
  drawn "$out/it's metg.png"
  echo "ok: label $i (${#label} characters): timeline, predict, scaling, html, metg"
done
echo "no command ran; every figure drawn; no markup from a record in the pages"
