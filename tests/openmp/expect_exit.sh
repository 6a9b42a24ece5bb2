#!/usr/bin/env bash
# Runs a command that must exit with CODE (not a crash, not a hang: ctest's timeout) and
# whose output (stdout and stderr together) must match every extended regex given.
# Usage: expect_exit.sh CODE REGEX... -- COMMAND [ARGS...]
set -u
code=$1
shift
patterns=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do patterns+=("$1"); shift; done
shift
command="$*"
output=$("$@" 2>&1)
rc=$?
fail() { echo "FAIL: $*"; echo "--- command: $command"; echo "--- output:"; echo "$output"; exit 1; }
[ "$rc" -eq "$code" ] || fail "exit code $rc, expected $code"
for p in "${patterns[@]}"; do
  grep -qE -- "$p" <<<"$output" || fail "output does not match '$p'"
done
echo "ok: exit $rc, output matches ${#patterns[@]} pattern(s)"
