#!/usr/bin/env bash
# Runs a command that must be rejected as bad input: exit 2, exactly one line on stderr
# naming the problem, nothing on stdout, and no output file written.
# Usage: expect_usage_error.sh EXPECTED_TEXT COMMAND [ARGS...]
# A literal @OUT@ in the arguments becomes a scratch file path that must not exist afterwards.
set -u
expected=$1
shift
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
args=()
for a in "$@"; do args+=("${a//@OUT@/$scratch/out}"); done
"${args[@]}" >"$scratch/stdout" 2>"$scratch/stderr"
rc=$?
fail() { echo "FAIL: $*"; echo "--- command: ${args[*]}"; echo "--- stdout:"; cat "$scratch/stdout"; echo "--- stderr:"; cat "$scratch/stderr"; exit 1; }
[ "$rc" -eq 2 ] || fail "exit code $rc, expected 2"
lines=$(wc -l <"$scratch/stderr")
[ "$lines" -eq 1 ] || fail "stderr has $lines lines, expected exactly 1"
grep -qF -- "$expected" "$scratch/stderr" || fail "stderr does not mention '$expected'"
if [ -s "$scratch/stdout" ]; then fail "stdout is not empty"; fi
if compgen -G "$scratch/out*" >/dev/null; then fail "an output file was written"; fi
echo "ok: exit 2, one line: $(cat "$scratch/stderr")"
