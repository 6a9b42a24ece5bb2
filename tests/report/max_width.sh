#!/usr/bin/env bash
# Runs a command and fails unless it succeeds and every line of its output fits WIDTH columns.
# Usage: max_width.sh WIDTH COMMAND [ARGS...]
set -u
width=$1
shift
out=$("$@") || { echo "FAIL: exit $? from: $*"; exit 1; }
echo "$out"
widest=$(printf '%s\n' "$out" | awk '{ if (length($0) > max) max = length($0) } END { print max + 0 }')
[ "$widest" -le "$width" ] || { echo "FAIL: a line is $widest columns wide, more than $width"; exit 1; }
echo "ok: widest line $widest columns"
