#!/usr/bin/env bash
# Runs a command, dropping from its stderr what the OpenMP runtime itself prints before
# main() about an OMP_SCHEDULE it dislikes (libgomp: "libgomp: ..."; clang's libomp:
# "OMP: Warning #52 ..." / "OMP: Info #104 ..."), so expect_usage_error.sh sees only
# schedlab's own line.
# Usage: without_runtime_warnings.sh COMMAND [ARGS...]
set -u
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
"$@" 2>"$errors"
rc=$?
grep -v -E -e '^libgomp: ' -e '^OMP: (Warning|Info|Hint) #' -e '^$' "$errors" >&2
exit $rc
