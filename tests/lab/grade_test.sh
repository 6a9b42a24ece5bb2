#!/usr/bin/env bash
# jobs/grade.sh on a real lab folder: the handout's commands run (small scale), then the
# grader must find every exercise's files and verifications, write grade.json, and call a
# missing file and a FAILED row by their exercise. Lessons at this tiny scale may or may
# not show, so the test pins what the grader reads, not the timings.
# Usage: grade_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
python3 "$src/tests/lab/run_doc_commands.py" "$src/docs/lab.md" "$src" "$build" --keep "$top" >"$top.log" 2>&1 ||
  { tail -20 "$top.log"; fail "the lab's commands did not run"; }
rm -f "$top.log"
lab=$top/lab
set +e
"$src/jobs/grade.sh" "$lab" >"$top/grade.out"
code=$?
set -e
cat "$top/grade.out"
((code == 0 || code == 1)) || fail "grade.sh exited $code"
[[ -s $lab/grade.json ]] || fail "no grade.json"
python3 - "$lab/grade.json" <<'PY' || fail "grade.json is not as expected"
import json, sys
g = json.load(open(sys.argv[1]))
assert [e["exercise"] for e in g["exercises"]] == list(range(1, 9)), g
bad = [e for e in g["exercises"] if e["status"] == "incomplete"]
assert not bad, f"files or verification missing in a complete folder: {bad}"
assert all(e["detail"] for e in g["exercises"]), "an exercise without detail"
PY
grep -q "^grade: [0-9] of 8 exercises ok" "$top/grade.out" || fail "no summary line"

# A missing file and a FAILED row are named by their exercise, and the exit is 1.
rm "$lab/skewed.json"
sed -i '2s/,PASSED,/,FAILED,/' "$lab/chunks.csv"
set +e
out=$("$src/jobs/grade.sh" "$lab")
code=$?
set -e
((code == 1)) || fail "grade.sh exited $code on a broken folder (want 1)"
grep -q "exercise 3 .*incomplete .*missing skewed.json" <<<"$out" || fail "missing skewed.json not reported: $out"
grep -q "exercise 4 .*incomplete .*did not PASS" <<<"$out" || fail "FAILED row not reported: $out"
echo "ok: grade.sh read the folder and named what was broken"
