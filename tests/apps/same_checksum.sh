#!/usr/bin/env bash
# One application workload, one checksum: runs the reference command (schedlab-serial) and
# then each other command (one argument each, split on spaces), and checks that every table
# row of every run says ok with the reference's checksum and that each run verifies.
# Usage: same_checksum.sh "REFERENCE COMMAND" "COMMAND" ...
set -u
fail() { echo "FAIL: $*"; exit 1; }
output=$(mktemp)
trap 'rm -f "$output"' EXIT
# Table rows: a 16-hex-digit checksum, then the status. Prints "checksum status" per row.
rows() { awk 'NF >= 3 && $(NF-1) ~ /^[0-9a-f]{16}$/ {print $(NF-1), $NF}' "$output"; }
run() {
  # shellcheck disable=SC2086  # the command is words separated by spaces, on purpose
  $1 >"$output" 2>&1
  local rc=$?
  [ "$rc" -eq 0 ] || { cat "$output"; fail "exit $rc: $1"; }
  grep -q '^verification: PASSED$' "$output" || { cat "$output"; fail "not verified: $1"; }
}
run "$1"
reference=$(rows | awk '{print $1; exit}')
[ -n "$reference" ] || { cat "$output"; fail "no checksum from the reference: $1"; }
echo "reference checksum $reference: $1"
shift
for command in "$@"; do
  run "$command"
  count=0
  while read -r sum status; do
    count=$((count + 1))
    [ "$sum" = "$reference" ] && [ "$status" = ok ] ||
      { cat "$output"; fail "row $count: checksum $sum status $status, expected $reference ok: $command"; }
  done < <(rows)
  [ "$count" -ge 2 ] || { cat "$output"; fail "only $count rows: $command"; }
  echo "$count rows, all $reference ok: $command"
done
