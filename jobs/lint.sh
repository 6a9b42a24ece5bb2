#!/usr/bin/env bash
# clang-tidy (config: .clang-tidy) over schedlab's own sources, using the compile database
# of a configured preset (default: ci). Exit 0 when clean.
#   jobs/lint.sh [PRESET]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build/${1:-ci}
if [[ ! -f $build/compile_commands.json ]]; then
  echo "jobs/lint.sh: $build/compile_commands.json missing: run jobs/setup.sh ${1:-ci} first" >&2
  exit 2
fi
command -v clang-tidy >/dev/null || { echo "jobs/lint.sh: clang-tidy not installed (apt-get install clang-tidy)" >&2; exit 2; }
cd "$repo"
mapfile -t sources < <(git ls-files 'common/*.cpp' 'serial/*.cpp' 'openmp/*.cpp' 'mpi/*.cpp' 'report/*.cpp' 'bench/*.cpp')
echo "clang-tidy: ${#sources[@]} files"
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
printf '%s\n' "${sources[@]}" | xargs -P "$(nproc)" -n 1 clang-tidy -p "$build" --quiet >"$log" 2>&1 || status=$?
grep -v -E '^[0-9]+ warnings? generated|^Suppressed [0-9]+ warnings|^Use -header-filter' "$log" || true
if ((status != 0)); then
  echo "clang-tidy: findings above" >&2
  exit 1
fi
echo "clang-tidy: clean"
