#!/usr/bin/env bash
# lmod_load.sh PREFIX LMOD: `module use PREFIX/share/modulefiles; module load schedlab` with
# the real Lmod (LMOD: its libexec/lmod), then checks what a student's shell gets: the
# installed programs first on PATH, SCHEDLAB_HOME/BUILD/ROOT, find_package's prefix.
set -euo pipefail
prefix=$(cd "$1" && pwd)
lmod=$2
export MODULEPATH=$prefix/share/modulefiles
code=$("$lmod" bash load schedlab) || { echo "lmod: module load schedlab failed" >&2; exit 1; }
eval "$code"
fail() { echo "after module load schedlab: $*" >&2; exit 1; }
[[ $(command -v schedlab-omp) == "$prefix/bin/schedlab-omp" ]] ||
  fail "schedlab-omp is '$(command -v schedlab-omp)', not $prefix/bin/schedlab-omp"
[[ ${SCHEDLAB_HOME:-} == "$prefix/share/schedlab" && -d $SCHEDLAB_HOME/student-template ]] ||
  fail "SCHEDLAB_HOME='${SCHEDLAB_HOME:-}'"
[[ ${SCHEDLAB_BUILD:-} == "$prefix" && ${SCHEDLAB_ROOT:-} == "$prefix/share/schedlab" ]] ||
  fail "SCHEDLAB_BUILD='${SCHEDLAB_BUILD:-}' SCHEDLAB_ROOT='${SCHEDLAB_ROOT:-}'"
[[ :${CMAKE_PREFIX_PATH:-}: == *":$prefix:"* ]] || fail "CMAKE_PREFIX_PATH='${CMAKE_PREFIX_PATH:-}'"
echo "module load schedlab: PATH, SCHEDLAB_HOME, SCHEDLAB_BUILD, SCHEDLAB_ROOT, CMAKE_PREFIX_PATH set"
