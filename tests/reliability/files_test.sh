#!/usr/bin/env bash
# A run never harms a file: --json/--csv through a symlink write the file it points to (the
# link stays a link); onto a FIFO or a folder the run stops before any work (exit 2, one
# line naming the path) and leaves it as it was; an empty option value is a usage error; a
# failed write of standard output is exit 1 with one stderr line.
# Usage: files_test.sh CASE PROGRAM [ARGS...]
#   CASE: symlink-json | symlink-csv | fifo-json | fifo-csv | folder-json | folder-csv |
#         empty:OPTION (e.g. empty:--tasks) | stdout-full
set -u
case_name=$1
shift
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() {
  echo "FAIL ($case_name): $*"
  echo "--- stdout:"; cat "$dir/stdout" 2>/dev/null
  echo "--- stderr:"; cat "$dir/stderr" 2>/dev/null
  echo "--- files:"; ls -la "$dir/work"
  exit 1
}
mkdir "$dir/work"
work=$dir/work
run() { timeout 60 "$@" >"$dir/stdout" 2>"$dir/stderr"; }
one_stderr_line() {
  local lines
  lines=$(wc -l <"$dir/stderr")
  [ "$lines" -eq 1 ] || fail "stderr has $lines lines, expected exactly 1"
  grep -qF -- "$1" "$dir/stderr" || fail "stderr does not mention '$1'"
}
# Only the names listed may exist in the work folder (nothing left over, nothing created).
only_files() {
  local expected actual
  expected=$(printf '%s\n' "$@" | sort)
  actual=$(ls -A "$work" | sort)
  [ "$actual" = "$expected" ] || fail "work folder holds '$(echo $actual)', expected '$(echo $expected)'"
}

case $case_name in
  symlink-json | symlink-csv)
    kind=${case_name#symlink-}
    echo "old" >"$work/target.$kind"
    ln -s target.$kind "$work/latest.$kind"
    run "$@" --$kind "$work/latest.$kind"
    rc=$?
    [ "$rc" -eq 0 ] || fail "exit code $rc, expected 0"
    [ -L "$work/latest.$kind" ] || fail "latest.$kind is no longer a symlink"
    [ "$(readlink "$work/latest.$kind")" = "target.$kind" ] || fail "the link points elsewhere"
    if [ "$kind" = json ]; then
      head -c 1 "$work/target.json" | grep -q '{' || fail "target.json does not hold the record"
    else
      # Appended: the old line stays, the rows follow.
      head -n 1 "$work/target.csv" | grep -qx old || fail "the CSV lost its earlier content"
      grep -q '^1,' "$work/target.csv" || fail "no CSV row was appended to the target"
    fi
    only_files "target.$kind" "latest.$kind"
    ;;
  fifo-json | fifo-csv)
    kind=${case_name#fifo-}
    mkfifo "$work/pipe"
    run "$@" --$kind "$work/pipe"
    rc=$?
    [ "$rc" -eq 2 ] || fail "exit code $rc, expected 2"
    one_stderr_line "$work/pipe"
    [ -s "$dir/stdout" ] && fail "stdout is not empty: work was done"
    [ -p "$work/pipe" ] || fail "the FIFO is gone or replaced"
    only_files pipe
    ;;
  folder-json | folder-csv)
    kind=${case_name#folder-}
    mkdir "$work/results"
    run "$@" --$kind "$work/results"
    rc=$?
    [ "$rc" -eq 2 ] || fail "exit code $rc, expected 2"
    one_stderr_line "$work/results"
    [ -s "$dir/stdout" ] && fail "stdout is not empty: work was done"
    [ -d "$work/results" ] || fail "the folder is gone"
    [ -z "$(ls -A "$work/results")" ] || fail "something was written into the folder"
    only_files results
    ;;
  empty:*)
    option=${case_name#empty:}
    (cd "$work" && run "$@" "$option" "")
    rc=$?
    [ "$rc" -eq 2 ] || fail "exit code $rc, expected 2"
    one_stderr_line "$option ''"
    [ -s "$dir/stdout" ] && fail "stdout is not empty"
    only_files
    ;;
  stdout-full)
    [ -c /dev/full ] || { echo "SKIP: no /dev/full"; exit 77; }
    timeout 60 "$@" --json "$work/out.json" >/dev/full 2>"$dir/stderr"
    rc=$?
    [ "$rc" -eq 1 ] || fail "exit code $rc, expected 1"
    one_stderr_line "standard output"
    # The record is still written: only the table was lost.
    only_files out.json
    ;;
  *)
    echo "unknown case $case_name"
    exit 2
    ;;
esac
echo "ok ($case_name): $(cat "$dir/stderr" 2>/dev/null | head -n 1)"
