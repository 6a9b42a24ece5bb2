#!/usr/bin/env bash
# clang-format (config: .clang-format) over schedlab's own C++ sources.
#   jobs/format.sh           check only: list every file that is not formatted, exit 1 if any
#   jobs/format.sh --fix     format them in place
# .ci/run calls the check, so an unformatted tree turns CI red before any test runs.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fix=0
case ${1:-} in
  --fix) fix=1 ;;
  "") ;;
  -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
  *) echo "jobs/format.sh: unknown argument '$1' (expected --fix, or nothing to check)" >&2; exit 2 ;;
esac
if ! command -v clang-format >/dev/null; then
  echo "jobs/format.sh: clang-format is not installed (apt-get install clang-format)" >&2
  exit 2
fi
cd "$repo"
# Tracked and new (not ignored) C++ files; third-party code is never in the tree.
mapfile -t sources < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.hpp' | sort -u)
# (a tracked file deleted in the working tree is not checked)
existing=()
for f in "${sources[@]}"; do [[ -f $f ]] && existing+=("$f"); done
sources=("${existing[@]}")
# Batches of 16 files, one clang-format each, $(nproc) at a time: a process per file cost
# more than the formatting (210 starts; lint.clang_format took 28 s of the ci test phase).
jobs=$(nproc)
if ((fix)); then
  printf '%s\0' "${sources[@]}" | xargs -0 -r -n 16 -P "$jobs" clang-format -i --style=file
  echo "clang-format: formatted ${#sources[@]} files"
  exit 0
fi
# --dry-run --Werror goes on past an unformatted file and names each one in its messages
# ("FILE:LINE:COL: error: code should be clang-formatted"); any other failure is shown as is.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
printf '%s\0' "${sources[@]}" |
  xargs -0 -r -n 16 -P "$jobs" clang-format --style=file --dry-run --Werror >/dev/null 2>"$log" || status=$?
mapfile -t unformatted < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' "$log" | sort -u)
if ((${#unformatted[@]} > 0)); then
  echo "clang-format: ${#unformatted[@]} of ${#sources[@]} files are not formatted:" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  echo "fix with: jobs/format.sh --fix" >&2
  exit 1
fi
if ((status != 0)); then
  echo "jobs/format.sh: clang-format failed (exit $status): $(head -n 1 "$log")" >&2
  exit 1
fi
echo "clang-format: ${#sources[@]} files formatted"
