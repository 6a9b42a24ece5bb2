#!/usr/bin/env bash
# SIGINT/SIGTERM (what SLURM sends at a time limit): the runner must stop handing out work,
# print "interrupted after k/N tasks", exit 128+signal within 10 s, and leave a CSV whose
# rows say "interrupted" and a JSON record that parses and says complete: false.
# Usage: interrupt_test.sh SIGNAL COMMAND [ARGS...]    (the command gets --csv/--json added)
set -u
sig=$1
shift
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "FAIL: $*"; echo "--- stdout:"; cat "$scratch/out"; echo "--- stderr:"; cat "$scratch/err"; exit 1; }

setsid "$@" --csv "$scratch/r.csv" --json "$scratch/r.json" >"$scratch/out" 2>"$scratch/err" &
pid=$!
# Wait until the run has started (the workload line is printed before any task runs).
for _ in $(seq 100); do grep -q '^workload:' "$scratch/out" && break; sleep 0.05; done
sleep 0.5
kill "-$sig" -- "-$pid" 2>/dev/null || kill "-$sig" "$pid"
start=$(date +%s)
for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid"; fail "still running 10 s after SIG$sig"; fi
wait "$pid"
rc=$?
expected=$((128 + $(kill -l "$sig")))
[ "$rc" -eq "$expected" ] || fail "exit code $rc, expected $expected (128 + SIG$sig)"
grep -qE 'interrupted after [0-9]+/[0-9]+ tasks' "$scratch/out" || fail "no 'interrupted after k/N tasks' line"
grep -q 'verification: FAILED' "$scratch/out" || fail "an interrupted run must not verify"
[ -f "$scratch/r.csv" ] || fail "no CSV written"
awk -F, 'NR > 1 && $27 == "interrupted" {found = 1} END {exit !found}' "$scratch/r.csv" ||
  fail "no CSV row has status 'interrupted'"
if command -v python3 >/dev/null; then
  python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); sys.exit(0 if r["complete"] is False else 1)' \
    "$scratch/r.json" || fail "JSON record does not parse or does not say complete: false"
fi
ls "$scratch" | grep -q '\.tmp\.' && fail "a temporary file was left behind"
echo "ok: SIG$sig -> exit $rc after $(( $(date +%s) - start )) s; $(grep -oE 'interrupted after [0-9]+/[0-9]+ tasks' "$scratch/out" | head -1)"
