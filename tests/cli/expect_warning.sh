#!/usr/bin/env bash
# Runs a command whose mistake still runs: exit 0, exactly one line on stderr (the warning,
# containing EXPECTED_TEXT), and a verified run on stdout.
# Usage: expect_warning.sh EXPECTED_TEXT COMMAND [ARGS...]
set -u
expected=$1
shift
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
command=("$@")
"${command[@]}" >"$scratch/stdout" 2>"$scratch/stderr"
rc=$?
fail() { echo "FAIL: $*"; echo "--- command: ${command[*]}"; echo "--- stdout:"; cat "$scratch/stdout"; echo "--- stderr:"; cat "$scratch/stderr"; exit 1; }
[ "$rc" -eq 0 ] || fail "exit code $rc, expected 0"
lines=$(wc -l <"$scratch/stderr")
[ "$lines" -eq 1 ] || fail "stderr has $lines lines, expected exactly 1 (the warning)"
grep -qF -- "$expected" "$scratch/stderr" || fail "stderr does not mention '$expected'"
grep -q '^verification: PASSED$' "$scratch/stdout" || fail "the run did not verify"
echo "ok: exit 0, one warning: $(cat "$scratch/stderr")"
