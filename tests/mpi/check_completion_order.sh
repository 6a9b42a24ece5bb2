#!/usr/bin/env bash
# Every strategy's completion order (--show-order) must be a permutation of 0..N-1: each
# task reported exactly once, whatever order the ranks finished in.
# Usage: check_completion_order.sh TASKS COMMAND [ARGS...]   (COMMAND gets --show-order)
set -u
tasks=$1
shift
output=$("$@" --show-order 2>&1)
rc=$?
[ "$rc" -eq 0 ] || { echo "FAIL: exit code $rc"; echo "$output"; exit 1; }
expected=$(seq 0 $((tasks - 1)) | tr '\n' ' ')
checked=0
while IFS= read -r line; do
  name=${line%% completion order:*}
  order=$(echo "${line#*completion order:}" | tr ' ' '\n' | sed '/^$/d' | sort -n | tr '\n' ' ')
  if [ "$order" != "$expected" ]; then
    echo "FAIL: $name: completion order is not a permutation of 0..$((tasks - 1)): $line"
    exit 1
  fi
  echo "ok: $name: ${line#*completion order:}"
  checked=$((checked + 1))
done < <(echo "$output" | grep ' completion order:')
[ "$checked" -ge 2 ] || { echo "FAIL: found $checked completion orders"; echo "$output"; exit 1; }
