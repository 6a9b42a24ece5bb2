#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds the `ci` preset (warnings are
# errors) and runs every ctest test (units, CLI, OpenMP threads 1-4, MPI np 1-4, SLURM).
#   jobs/test.sh [ctest args...]      e.g. jobs/test.sh -L mpi
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/jobs/setup.sh" ci
cd "$repo"
ctest --preset ci -j "$(nproc)" "$@"
