#!/usr/bin/env bash
# Renders `schedlab-report --html` in headless Chromium, as a student's browser would:
# the DOM must hold the title and the table text, and the screenshot must not be blank.
# Skips visibly (exit 77) where chromium is not installed (jobs/test.sh installs it).
# Usage: html_in_browser.sh BIN_DIR WORK_DIR     (leaves WORK_DIR/report.png to look at)
set -euo pipefail
bin=$1
work=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
  echo "SKIP: chromium is not on PATH (apt-get install chromium, or jobs/test.sh)"
  exit 77
fi
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work"
cd "$work"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# A small lab: exercise 2's increasing list under every schedule (JSON: timelines and
# predictions), a scaling pair of CSV rows, and an oversubscribed P = 4.
"$bin/schedlab-omp" --workload increasing --tasks 8 --scale 0.02 --schedule all --threads 2 --repeat 2 --csv runs.csv --json omp.json >/dev/null
"$bin/schedlab-omp" --workload increasing --tasks 8 --scale 0.02 --schedule dynamic,1 --threads 1 --csv runs.csv >/dev/null
"$bin/schedlab-omp" --workload increasing --tasks 8 --scale 0.02 --schedule dynamic,1 --threads 4 --csv runs.csv >/dev/null
"$bin/schedlab-report" --html report.html --cores 2 runs.csv omp.json || fail "--html exited $?"
[[ -s report.html ]] || fail "report.html is missing or empty"
grep -q '<svg' report.html || fail "report.html has no inline SVG figure"
if grep -Eq '(src|href)="(https?:|file:|[^"#])' report.html; then fail "report.html refers to another file: it must be self-contained"; fi

# Chromium as root needs --no-sandbox; a private profile keeps runs apart.
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile")
timeout 90 "$browser" "${flags[@]}" --dump-dom "file://$work/report.html" >dom.html 2>browser.log ||
  fail "chromium --dump-dom exited $? (see $work/browser.log)"
grep -q '<title>schedlab report: increasing, 8 tasks' dom.html || fail "the rendered page has not the expected title"
# The runners recorded the load at each run's start: the page shows it, never "not recorded".
grep -q 'Load: the 1-minute load average at the start of each run' report.html || fail "report.html does not explain the recorded load"
grep -q 'not recorded' report.html && fail "report.html says the load was not recorded, but the runners recorded it"
for text in "dynamic,1" "static" "verified" "oversubscribed" "Predicted against measured" "Timelines" "CPUs"; do
  grep -q -- "$text" dom.html || fail "the rendered page lacks '$text'"
done
timeout 90 "$browser" "${flags[@]}" --window-size=1150,1500 --screenshot="$work/report.png" "file://$work/report.html" >>browser.log 2>&1 ||
  fail "chromium --screenshot exited $?"
[[ -s report.png ]] || fail "no screenshot"
# Not blank: count distinct colours and dark (text) pixels.
python3 - "$work/report.png" <<'PY' || fail "the screenshot looks blank"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
channels = {2: 3, 6: 4}[ctype]
stride = width * channels
rows, prev, colours, dark = [], bytearray(stride), set(), 0
i = 0
for y in range(height):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - channels] if x >= channels else 0
        b = prev[x]; c = prev[x - channels] if x >= channels else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 4 == 0:
        for x in range(0, stride, channels * 4):
            px = tuple(line[x:x + 3]); colours.add(px)
            dark += sum(px) < 200
print(f"screenshot {width}x{height}: {len(colours)} colours, {dark} dark samples")
sys.exit(0 if len(colours) > 20 and dark > 500 else 1)
PY
echo "ok: report.html rendered by $("$browser" --version 2>/dev/null | head -n 1); screenshot $work/report.png"
