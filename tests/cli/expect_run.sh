#!/usr/bin/env bash
# Runs a command and checks its exit code and output (stdout and stderr together):
# every PATTERN (an extended regex) must match some line; a PATTERN starting with '!'
# must match none. Open MPI's abort banner is always forbidden (a no-op for non-MPI runs).
# Usage: expect_run.sh EXIT_CODE PATTERN... -- COMMAND [ARGS...]
set -u
expected_rc=$1
shift
patterns=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do patterns+=("$1"); shift; done
shift
command=("$@")
output=$(mktemp)
trap 'rm -f "$output"' EXIT
"${command[@]}" >"$output" 2>&1
rc=$?
fail() { echo "FAIL: $*"; echo "--- command: ${command[*]}"; echo "--- output:"; cat "$output"; exit 1; }
[ "$rc" -eq "$expected_rc" ] || fail "exit code $rc, expected $expected_rc"
for p in "${patterns[@]}" '!MPI_ABORT'; do
  if [ "${p:0:1}" = "!" ]; then
    if grep -qE -- "${p:1}" "$output"; then fail "output matches forbidden '${p:1}'"; fi
  else
    grep -qE -- "$p" "$output" || fail "no line matches '$p'"
  fi
done
cat "$output"
echo "ok: exit $rc, ${#patterns[@]} patterns"
