#!/usr/bin/env bash
# Installs what schedlab needs (Debian/Ubuntu, as root) and builds a CMake preset.
# Used by demo.sh and test.sh; safe to run again (fast when everything is there).
#   jobs/setup.sh [PRESET]        default preset: release
set -euo pipefail

preset=${1:-release}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian/Ubuntu package names for every dependency (find_package in CMakeLists.txt).
packages=(
  cmake ninja-build g++ pkg-config
  openmpi-bin libopenmpi-dev         # MPI::MPI_CXX and mpirun
  libcli11-dev                       # options
  nlohmann-json3-dev                 # JSON records
  libfmt-dev                         # formatting
  libpng-dev                         # the mandelbrot picture (--image)
  libgtest-dev                       # unit tests
  libbenchmark-dev                   # Google Benchmark
  gnuplot-nox                        # timeline and scaling plots
  stress-ng                          # jobs/noise.sh: real interference for the lab
  python3                            # test vectors, pandas snippet, notebook reference
  ccache                             # compiler cache (below)
)

# Extra packages for some presets (test.sh --sanitize adds clang and its runtimes).
read -r -a extra <<<"${SCHEDLAB_EXTRA_PACKAGES:-}"
packages+=("${extra[@]}")

missing=()
for p in "${packages[@]}"; do
  [[ $p == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "schedlab: missing packages and no apt-get here. Install the equivalents of:" >&2
    echo "  ${missing[*]}" >&2
    echo "On a cluster, load modules instead, e.g.: module load cmake gcc openmpi" >&2
    exit 1
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "schedlab: missing packages. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo "On a cluster, load modules instead, e.g.: module load cmake gcc openmpi" >&2
    exit 1
  fi
  echo "schedlab: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ccache, unless the caller chose a launcher: CMake takes CMAKE_CXX_COMPILER_LAUNCHER from the
# environment when it first configures a build tree. CCACHE_BASEDIR (paths under the checkout
# are hashed relative to the build folder) and CCACHE_NOHASHDIR let a second build tree at the
# same depth, such as the scratch build of techniques.adding_a_technique_is_four_edits
# (build/ci-probe), reuse this build's objects; ccache reads them when it compiles, so they
# stay exported for the build. A caller's own settings are kept; CCACHE_DISABLE=1 turns it off.
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER-ccache}
  export CCACHE_BASEDIR=${CCACHE_BASEDIR-$repo} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR-1}
fi

cd "$repo"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
