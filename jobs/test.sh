#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds the `ci` preset (warnings are
# errors) and runs every ctest test (units, CLI, OpenMP threads 1-4, MPI np 1-4, SLURM).
#   jobs/test.sh                 the suite
#   jobs/test.sh --sanitize      the suite, then again under ASan+UBSan (with short libFuzzer
#                                runs) and under TSan with libomp's Archer (OpenMP tests)
#   jobs/test.sh --quick         leave out the tests labelled slow (>= ~10 s each: SLURM
#                                clusters, the lab handout, installs; see tests/CMakeLists.txt)
#   jobs/test.sh -- ARGS...      extra ctest arguments, e.g. jobs/test.sh -- -L mpi
# The sanitizer presets run each code path, not each technique x np (SCHEDLAB_SHORT_SWEEPS:
# the np x family diagonal, a sample of the shared bad-input cases
# under mpirun; MPI tests for the first registry row of each dispatch kind) and leave out the
# labels no sanitizer can check (CMakePresets.json: slurm, lint, install, notebook, tooling,
# lab; tsan also mpi and fuzz). Under ASan, LeakSanitizer checks the MPI ranks of a sample
# only (label leaks, leak_checked() in tests/CMakeLists.txt); the tsan build has no MPI at
# all (SCHEDLAB_BUILD_MPI=OFF). At the end it prints each phase's wall seconds
# (docs/performance.md, "Test suite time").
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
sanitize=0
ctest_args=()
quick_args=()
while (($#)); do
  case $1 in
    --sanitize) sanitize=1 ;;
    --quick) quick_args=(-LE slow) ;;
    --) shift; ctest_args=("$@"); break ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "jobs/test.sh: unknown argument '$1' (expected --sanitize, --quick, or -- followed by ctest arguments)" >&2; exit 2 ;;
  esac
  shift
done

# python3-pandas: the results-schema doc's pandas snippet is tested with it; chromium:
# the --html page is rendered and screenshotted headless (tests/lab/html_in_browser.sh);
# clang-format: lint.clang_format checks the tree is formatted (jobs/format.sh); lua5.4 and
# lmod: install.modulefile.* run the installed Lmod modulefile; python3-matplotlib,
# jupyter-nbconvert, python3-ipykernel: notebook.executes runs notebooks/schedlab.ipynb;
# slurmctld, slurmd, slurm-client, munge, iproute2, util-linux: the slurm tests' throwaway
# cluster (jobs/local-slurm.sh would install them inside the first test, under RUN_SERIAL).
# With --sanitize, clang and its runtimes too: one apt-get for everything.
extra="python3-pandas chromium clang-format lua5.4 lmod python3-matplotlib jupyter-nbconvert"
extra+=" python3-ipykernel python3-pil slurmctld slurmd slurm-client munge iproute2 util-linux"
sanitizer_packages="clang libomp-dev libclang-rt-dev python3-pandas"
((sanitize)) && extra+=" $sanitizer_packages"
# phase NAME COMMAND...: runs it and notes its wall seconds for the summary at the end.
timings=()
phase() {
  local name=$1 t0=$SECONDS
  shift
  "$@"
  timings+=("$name $((SECONDS - t0)) s")
}
trap '((${#timings[@]})) && echo "jobs/test.sh: wall time: $(printf "%s; " "${timings[@]}")"' EXIT
phase "install+build ci" env SCHEDLAB_EXTRA_PACKAGES="$extra" "$repo/jobs/setup.sh" ci
cd "$repo"
phase "tests ci" ctest --preset ci -j "$(nproc)" "${quick_args[@]}" "${ctest_args[@]}"

if ((sanitize)); then
  # No ccache for the sanitizer builds: on a fresh machine it only adds its cold-cache cost
  # (~17% CPU); its purpose here is the ci build's objects for the techniques proof test.
  phase "build asan" env CCACHE_DISABLE=1 SCHEDLAB_EXTRA_PACKAGES="$sanitizer_packages" "$repo/jobs/setup.sh" asan
  phase "tests asan" ctest --preset asan -j "$(nproc)" "${quick_args[@]}" "${ctest_args[@]}"
  phase "build tsan" env CCACHE_DISABLE=1 SCHEDLAB_EXTRA_PACKAGES="$sanitizer_packages" "$repo/jobs/setup.sh" tsan
  # Archer (libomp's OMPT tool) tells TSan about OpenMP's synchronisation: no false positives.
  archer=$(find /usr/lib/llvm-*/lib -name libarcher.so 2>/dev/null | sort -V | tail -n 1)
  if [[ -z $archer ]]; then
    echo "jobs/test.sh: libarcher.so not found (package libomp-dev); TSan would report false positives" >&2
    exit 1
  fi
  phase "tests tsan" env OMP_TOOL_LIBRARIES="$archer" \
    ctest --preset tsan -j "$(nproc)" "${quick_args[@]}" "${ctest_args[@]}"
fi
