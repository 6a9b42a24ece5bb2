#!/usr/bin/env bash
# Checks a scheduling technique, by default the student's (student/student_technique.cpp):
#   1. it builds (with warnings as errors);
#   2. it hands out every task exactly once, no chunk below 1 or above what is left, for
#      every N = 1..2000 with ten values of P, and every P = 1..64 with nine values of N;
#   3. its simulated Tp/L and chunk count beside gss, fac2 and ss on two workloads.
# A bad technique (a chunk of 0, more tasks than left, an exception) is named with the N, P
# and call that broke it; one that never answers is stopped after a time limit, not waited on.
#   jobs/check-technique.sh [TECHNIQUE]      default: student; e.g. tss, gss,4
# Environment: SCHEDLAB_CHECK_PRESET (default ci), SCHEDLAB_CHECK_TIMEOUT (seconds, default 120).
# Exit: 0 ok · 1 the technique failed (build, coverage or simulation) · 2 bad usage.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
technique=${1:-student}
preset=${SCHEDLAB_CHECK_PRESET:-ci}
limit=${SCHEDLAB_CHECK_TIMEOUT:-120}
if (($# > 1)); then
  echo "jobs/check-technique.sh: $# arguments given; allowed: at most one, the technique (e.g. student, gss,4)" >&2
  exit 2
fi
if ! [[ $limit =~ ^[1-9][0-9]*$ ]]; then
  echo "jobs/check-technique.sh: SCHEDLAB_CHECK_TIMEOUT='$limit' is not allowed; give whole seconds >= 1" >&2
  exit 2
fi

cd "$repo"
build=$repo/build/$preset
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "build: preset $preset, target schedlab-technique-check"
if [[ ! -f $build/build.ninja ]] && ! cmake --preset "$preset" >"$log" 2>&1; then
  cat "$log"
  echo "build: FAILED (cmake --preset $preset)"
  exit 1
fi
if ! cmake --build "$build" --target schedlab-technique-check >"$log" 2>&1; then
  grep -E 'error|warning' "$log" | head -20 || cat "$log"
  echo "build: FAILED: fix the errors above (student/student_technique.cpp)"
  exit 1
fi
echo "build: OK"

# The checker's own exit codes pass through (0 ok, 1 failed check, 2 bad technique name);
# `timeout` turns a next_chunk that never returns into a failure instead of a hang.
status=0
timeout --kill-after=5 "$limit" "$build/bin/schedlab-technique-check" --technique "$technique" || status=$?
if ((status == 124 || status == 137)); then
  echo "check: FAILED: '$technique' gave no verdict within $limit s: does next_chunk loop forever?"
  exit 1
fi
exit "$status"
