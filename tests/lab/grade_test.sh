#!/usr/bin/env bash
# jobs/grade.sh as an instructor uses it, on folders the lab's own commands wrote (small
# scale): three students graded in one call with a summary; a copied folder, an edited
# speedup and a time edited in the CSV but not in the JSON are flagged; a missing file and a
# FAILED row are named by their exercise. Lessons at this tiny scale may or may not show, so
# the test pins what the grader reads and flags, not the timings.
# Usage: grade_test.sh SOURCE_DIR BUILD_DIR [RUN_DIR]
# RUN_DIR: what `run_doc_commands.py docs/lab.md ... --keep RUN_DIR` left (ctest: the fixture
# lab.docs.lab_md_commands, so the lab runs once per suite); without it, the commands run here.
set -euo pipefail
src=$1
build=$2
top=$(mktemp -d)
trap 'rm -rf "$top"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
grade() { set +e; "$src/jobs/grade.sh" "$@" >"$top/out" 2>"$top/err"; code=$?; set -e; cat "$top/out" "$top/err"; }
if [[ -n ${3:-} ]]; then
  run=$3
else
  run=$top/run
  python3 "$src/tests/lab/run_doc_commands.py" "$src/docs/lab.md" "$src" "$build" --keep "$run" >"$top/run.log" 2>&1 ||
    { tail -20 "$top/run.log"; fail "the lab's commands did not run"; }
fi
[[ -s $run/lab/student-chunks.txt ]] || fail "lab.md's exercise 9 did not write student-chunks.txt in $run/lab"

# alice: the folder the handout's commands wrote. bob: another student, on another machine
# an hour later (the same records under his host name and timestamps: one real run of the
# lab costs most of this test's time). carol: alice's folder, copied.
cp -r "$run/lab" "$top/alice"
cp -r "$top/alice" "$top/carol"
cp -r "$top/alice" "$top/bob"
python3 - "$top/bob" <<'PY'
import csv, glob, json, os, re, sys
hour = lambda s: re.sub(r"T(\d\d)", lambda m: "T%02d" % ((int(m.group(1)) + 1) % 24), s)
def walk(x, host):
    if isinstance(x, dict):
        return {k: (hour(v) if k == "timestamp" else "bob-pc" if v == host else walk(v, host)) for k, v in x.items()}
    if isinstance(x, list):
        return [walk(v, host) for v in x]
    return "bob-pc" if x == host else x
for path in glob.glob(os.path.join(sys.argv[1], "**", "*.csv"), recursive=True):
    rows = list(csv.reader(open(path)))
    h = rows[0]
    for r in rows[1:]:
        if r != h:
            r[h.index("timestamp")] = hour(r[h.index("timestamp")])
            r[h.index("host")] = "bob-pc"
    csv.writer(open(path, "w"), lineterminator="\n").writerows(rows)
for path in glob.glob(os.path.join(sys.argv[1], "*.json")):
    r = json.load(open(path))
    json.dump(walk(r, r["host"]), open(path, "w"))
open(os.path.join(sys.argv[1], "report.html"), "a").write("<!-- bob's -->\n")
PY

# One call, three folders: a table, a summary CSV in the current directory, every grade.json.
cd "$top"
grade alice bob carol
((code == 1)) || fail "grade.sh exited $code on three folders with a copy (want 1)"
grep -q "^== alice" out && grep -q "^== bob" out && grep -q "^== carol" out || fail "not every folder graded"
[[ -s grade-summary.csv ]] || fail "no grade-summary.csv in the current directory"
python3 - <<'PY' || fail "summary or grade.json not as expected"
import csv, json
rows = {r["student"]: r for r in csv.DictReader(open("grade-summary.csv"))}
assert sorted(rows) == ["alice", "bob", "carol"], rows
assert rows["alice"]["verdict"] == "copied" and rows["alice"]["copied_from"] == "carol", rows["alice"]
assert rows["carol"]["verdict"] == "copied" and rows["carol"]["copied_from"] == "alice", rows["carol"]
assert rows["bob"]["verdict"] in ("pass", "lessons to redo"), rows["bob"]
assert rows["bob"]["tampered"] == "0" and rows["bob"]["missing"] == "", rows["bob"]
for name in ("alice", "bob", "carol"):
    g = json.load(open(f"{name}/grade.json"))
    assert g["student"] == name and g["grader"].startswith("schedlab ") and g["date"].endswith("Z"), g
    assert [e["exercise"] for e in g["exercises"]] == list(range(1, 10)), g["exercises"]
    bad = [e for e in g["exercises"] if e["status"] in ("incomplete", "unreadable", "tampered")]
    assert not bad, f"{name}: an honest folder flagged: {bad}"
    assert all(e["detail"] for e in g["exercises"]), "an exercise without detail"
PY
grep -Eq "^bob +[0-9]/9 " out || fail "no summary row for bob"
grep -q "^copied: records shared with carol" out || fail "the copy is not named"

# One honest folder alone passes every check of integrity, and names its student.
grade --student "Alice A." alice
((code == 0 || code == 1)) || fail "grade.sh exited $code on alice"
grep -q "^grade: [0-9] of 9 exercises ok" out || fail "no grade line"
! grep -Eq "tampered|incomplete|unreadable|copied" out || fail "an honest folder flagged"
python3 -c "import json; assert json.load(open('alice/grade.json'))['student'] == 'Alice A.'" || fail "--student not in grade.json"

# Tampering: speedup edited in omp.csv; a P = 4 time raised in hybrid.csv with its derived
# columns recomputed to match (only hybrid.json, the same run, still holds the real time).
python3 - bob <<'PY'
import csv, os, sys
def edit(path, change):
    rows = list(csv.reader(open(path)))
    h = rows[0]
    change(h, rows)
    csv.writer(open(path, "w"), lineterminator="\n").writerows(rows)
def speedup(h, rows):
    rows[3][h.index("speedup")] = "50"
def slower(h, rows):
    r = next(r for r in rows[1:] if r[h.index("workers")] == "4")
    c = lambda name: h.index(name)
    tp = float(r[c("time_min_s")]) * 3
    s = float(r[c("t1_s")]) / tp
    r[c("time_min_s")] = r[c("time_median_s")] = r[c("time_mean_s")] = f"{tp:.9f}"
    r[c("speedup")], r[c("efficiency")] = f"{s:.6f}", f"{s / 4:.6f}"
    r[c("tp_over_lower_bound")] = f"{tp / float(r[c('lower_bound_s')]):.6f}"
    r[c("karp_flatt")] = f"{(1 / s - 1 / 4) / (1 - 1 / 4):.6f}"
edit(os.path.join(sys.argv[1], "omp.csv"), speedup)
edit(os.path.join(sys.argv[1], "hybrid.csv"), slower)
PY
grade bob
((code == 1)) || fail "grade.sh exited $code on a tampered folder (want 1)"
grep -q "exercise 2 .*tampered .*omp.csv line 4 column speedup: 50" out || fail "edited speedup not flagged"
grep -q "exercise 6 .*tampered .*hybrid.csv line [0-9]* column time_min_s: .*hybrid.json, the same run" out ||
  fail "time edited in hybrid.csv but not hybrid.json not flagged"

# A missing file and a FAILED row are named by their exercise; grade.json lists every missing file.
rm alice/skewed.json alice/own.csv
sed -i '2s/,PASSED,/,FAILED,/' alice/chunks.csv
grade alice
((code == 1)) || fail "grade.sh exited $code on a broken folder (want 1)"
grep -q "exercise 3 .*incomplete .*missing skewed.json" out || fail "missing skewed.json not reported"
grep -q "exercise 4 .*incomplete .*did not PASS" out || fail "FAILED row not reported"
python3 -c "import json; m = json.load(open('alice/grade.json'))['missing']; assert m == ['own.csv', 'skewed.json'], m" ||
  fail "grade.json does not list every missing file"

# Bad usage: one line on stderr, exit 2; the summary never lands in or over a student's file.
grade alice --bogus
((code == 2)) && [[ $(wc -l <err) == 1 ]] || fail "--bogus: exit $code, stderr $(cat err)"
grade --summary alice/summary.csv alice bob
((code == 2)) || fail "a summary inside a student folder was accepted"
grade --summary alice/serial.csv alice bob
((code == 2)) || fail "a summary in a student's folder was accepted"
echo "my notes" >notes.txt
grade --summary notes.txt alice bob
((code == 2)) && [[ $(cat notes.txt) == "my notes" ]] || fail "a file that is not a grade summary was overwritten"
echo "ok: grade.sh graded three folders, flagged the copy and the tampering, named what was broken"
