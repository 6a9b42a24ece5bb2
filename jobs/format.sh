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
if ((fix)); then
  printf '%s\n' "${sources[@]}" | xargs -r clang-format -i --style=file
  echo "clang-format: formatted ${#sources[@]} files"
  exit 0
fi
unformatted=()
for f in "${sources[@]}"; do
  [[ -f $f ]] || continue
  if ! clang-format --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
    unformatted+=("$f")
  fi
done
if ((${#unformatted[@]} > 0)); then
  echo "clang-format: ${#unformatted[@]} of ${#sources[@]} files are not formatted:" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  echo "fix with: jobs/format.sh --fix" >&2
  exit 1
fi
echo "clang-format: ${#sources[@]} files formatted"
