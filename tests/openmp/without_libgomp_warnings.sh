#!/usr/bin/env bash
# Runs a command, dropping from its stderr what libgomp itself prints before main() about an
# OMP_SCHEDULE it cannot parse, so expect_usage_error.sh sees only schedlab's own line.
# Usage: without_libgomp_warnings.sh COMMAND [ARGS...]
set -u
errors=$(mktemp)
trap 'rm -f "$errors"' EXIT
"$@" 2>"$errors"
rc=$?
grep -v -e '^libgomp: ' -e '^$' "$errors" >&2
exit $rc
