#!/usr/bin/env bash
# The hand-in page's legends, as a browser lays them out: in headless Chromium, every legend
# label of every figure (gnuplot's SVG puts each entry's text in <g id="gnuplot_plot_N">) is
# measured with getBoundingClientRect(), and no two labels of one figure may overlap. Then
# `--html PAGE FOLDER` reads every record under the folder (scaling/*.csv included).
# Skips visibly (exit 77) without chromium or gnuplot (jobs/test.sh installs both).
# Usage: legend_overlap.sh BIN_DIR WORK_DIR
set -euo pipefail
bin=$1
work=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]] || ! command -v gnuplot >/dev/null; then
  echo "SKIP: chromium or gnuplot is not on PATH (jobs/test.sh installs them)"
  exit 77
fi
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work/lab/scaling"
cd "$work"
# Every schedule at P = 1 and 2 on two task lists: a dozen series with a fit each, so a
# dozen legend entries, some long; and two single-P runs that have none.
for p in 1 2; do
  for w in increasing nonuniform; do
    "$bin/schedlab-omp" --workload $w --tasks 8 --scale 0.005 --schedule all --threads $p \
      --csv lab/scaling/strong.csv >/dev/null
  done
done
"$bin/schedlab-omp" --workload skewed --tasks 8 --scale 0.005 --schedule static --threads 2 \
  --csv lab/omp.csv --json lab/omp.json >/dev/null
"$bin/schedlab-report" --html page.html --cores 2 lab/scaling/strong.csv lab/omp.csv lab/omp.json \
  >/dev/null || fail "--html exited $?"
[[ $(grep -c '<svg' page.html) -ge 2 ]] || fail "page.html has fewer than two figures"

# The check runs inside the page: each figure's legend labels, pairwise.
measure() {
  sed 's|</body>|<script>\
const out = [];\
document.querySelectorAll("svg").forEach((svg, f) => {\
  const boxes = [...svg.querySelectorAll("g[id^=gnuplot_plot_]")].map(g => g.querySelector("text"))\
    .filter(t => t).map(t => [t.textContent, t.getBoundingClientRect()]).filter(([, b]) => b.width > 0);\
  out.push(`figure ${f}: ${boxes.length} labels`);\
  for (let i = 0; i < boxes.length; ++i) for (let j = i + 1; j < boxes.length; ++j) {\
    const [a, p] = boxes[i], [b, q] = boxes[j];\
    if (p.left < q.right - 0.5 \&\& q.left < p.right - 0.5 \&\& p.top < q.bottom - 0.5 \&\& q.top < p.bottom - 0.5)\
      out.push(`OVERLAP figure ${f}: "${a}" and "${b}"`);\
  }\
});\
const pre = document.createElement("pre"); pre.id = "legend-check"; pre.textContent = out.join("\\n");\
document.body.appendChild(pre);\
</script></body>|' "$1" >"$2"
}
measure page.html check.html
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile")
timeout 90 "$browser" "${flags[@]}" --window-size=1150,1500 --dump-dom "file://$work/check.html" \
  >dom.html 2>browser.log || fail "chromium --dump-dom exited $? (see $work/browser.log)"
python3 - dom.html <<'PY' || fail "legend labels overlap (see above)"
import html, re, sys
m = re.search(r'<pre id="legend-check">(.*?)</pre>', open(sys.argv[1]).read(), re.S)
assert m, "the page's check did not run"
lines = html.unescape(m.group(1)).splitlines()
print("\n".join(lines[:20]))
labels = sum(int(re.search(r"(\d+) labels", l).group(1)) for l in lines if " labels" in l)
assert labels >= 12, f"only {labels} legend labels measured: the check saw no legend"
sys.exit(1 if any(l.startswith("OVERLAP") for l in lines) else 0)
PY
# One note for the series without a fit, never one block each.
grep -q 'have no scaling fit' page.html || fail "no note for the series without a fit"
[[ $(grep -c 'not fitted: ' page.html) -eq 0 ]] || fail "page.html repeats 'not fitted' per series"
# The folder form reads the lab's every record, scaling/ included.
"$bin/schedlab-report" --html folder.html --cores 2 lab >/dev/null || fail "--html FOLDER exited $?"
grep -q 'skewed' folder.html && grep -q 'increasing' folder.html ||
  fail "--html lab/ left out a record under the folder"
echo "ok: legend labels do not overlap; --html reads the folder"
