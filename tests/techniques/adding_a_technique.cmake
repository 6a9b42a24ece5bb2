# techniques.adding_a_technique_is_four_edits (cmake -P): proves docs/techniques.md's
# "Adding a technique". A scratch build of this source tree gets one throwaway technique,
# tests/techniques/probe_technique.cpp, through the one hook, SCHEDLAB_EXTRA_TECHNIQUES; no
# other file is edited. Then every suite must pick the probe up by itself, and the one check
# of step 4 (its docs row) must fail naming it. Every test the suites make for `ss` (a row
# with the probe's flags: table, non-adaptive, monotone, no parameters) must exist for the
# probe too, so a hand-written list of names anywhere (a 5th edit) fails this test.
# In: SOURCE_DIR, SCRATCH_DIR, GENERATOR, CXX_COMPILER, LAUNCHER (may be empty), BUILD_TYPE,
# CXX_FLAGS, CXX_FLAGS_CONFIG (CMAKE_CXX_FLAGS_<BUILD_TYPE>), WARNINGS_AS_ERRORS, UNITY_BUILD
# (SCHEDLAB_UNITY_BUILD: the batches of files, and so their ccache entries,
# are the main build's), PROBE.
cmake_minimum_required(VERSION 3.25)

function(step what)
  string(TIMESTAMP now "%s")
  math(EXPR seconds "${now} - ${START}")
  message(STATUS "[${seconds} s] ${what}")
endfunction()

# Runs a command, stops with its output unless it exits 0; its output goes to OUT.
function(run_ok out)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE output ERROR_VARIABLE output
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${output}")
  endif()
  set(${out} "${output}" PARENT_SCOPE)
endfunction()

string(TIMESTAMP START "%s")
string(REGEX REPLACE ".*:" "" probe "${PROBE}")  # the row's name, as the probe's file gives it

# The main build's compiler, launcher, build type and flags, so that its ccache entries serve
# this build: with CCACHE_BASEDIR, ccache hashes paths under it relative to the build folder,
# and this one is at the main build's depth. Only registry.cpp (the one includer of the
# generated lists) and the probe are compiled (under SCHEDLAB_UNITY_BUILD, the probe's batch:
# the techniques' last, where the probe's file is appended). ccache reads its settings when it compiles: the main build
# made with jobs/setup.sh had CCACHE_BASEDIR=<checkout> and CCACHE_NOHASHDIR=1, so unless this
# test's environment sets its own, the scratch build gets the same. No benchmarks: only the
# build-tree mechanics are under test.
set(configure_args "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
                   "-DSCHEDLAB_WARNINGS_AS_ERRORS=${WARNINGS_AS_ERRORS}"
                   "-DSCHEDLAB_UNITY_BUILD=${UNITY_BUILD}")
if(BUILD_TYPE)
  string(TOUPPER "${BUILD_TYPE}" config)
  list(APPEND configure_args "-DCMAKE_CXX_FLAGS_${config}=${CXX_FLAGS_CONFIG}")
endif()
if(LAUNCHER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER}")
  if(NOT DEFINED ENV{CCACHE_BASEDIR})
    set(ENV{CCACHE_BASEDIR} "${SOURCE_DIR}")
  endif()
  if(NOT DEFINED ENV{CCACHE_NOHASHDIR})
    set(ENV{CCACHE_NOHASHDIR} 1)
  endif()
endif()
step("configure ${SCRATCH_DIR} with SCHEDLAB_EXTRA_TECHNIQUES=${PROBE}")
run_ok(ignored ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${SCRATCH_DIR} -G ${GENERATOR}
       -DCMAKE_CXX_COMPILER=${CXX_COMPILER} ${configure_args} -DSCHEDLAB_BUILD_BENCH=OFF
       "-DSCHEDLAB_EXTRA_TECHNIQUES=${PROBE}")

# The MPI tests are listed from schedlab-technique-check --list at test time, so these three
# targets are all that the suites enumerate from.
step("build schedlab-technique-check, the techniques and OpenMP technique tests")
run_ok(ignored ${CMAKE_COMMAND} --build ${SCRATCH_DIR} -j 2 --target schedlab-technique-check
       schedlab-techniques-tests schedlab-omp-technique-tests)

step("schedlab-technique-check --list")
run_ok(listing ${SCRATCH_DIR}/bin/schedlab-technique-check --list)
if(NOT listing MATCHES "\n${probe} table\nstudent ask\n$")
  message(FATAL_ERROR "--list does not show '${probe} table' just before the student's row:\n"
                      "${listing}")
endif()

step("ctest -N: every test made for ss is made for ${probe}")
run_ok(names ${CMAKE_CTEST_COMMAND} --test-dir ${SCRATCH_DIR} -N)
string(REGEX MATCHALL "Test +#[0-9]+: [^\n]+" lines "${names}")
set(all "")
foreach(line IN LISTS lines)
  # A parameterised GoogleTest's name ends in its parameter: "name  # GetParam() = ..." -> name
  string(REGEX REPLACE "Test +#[0-9]+: ([^ ]+).*" "\\1" name "${line}")
  list(APPEND all "${name}")
endforeach()
set(for_ss "")
foreach(name IN LISTS all)
  if(name MATCHES "(^|[./])ss([./]|$)")
    string(REGEX REPLACE "(^|[./])ss([./]|$)" "\\1${probe}\\2" expected "${name}")
    list(APPEND for_ss "${name}")
    if(NOT expected IN_LIST all)
      message(FATAL_ERROR "ctest lists ${name} but not ${expected}: a suite names its "
                          "techniques by hand instead of asking the registry")
    endif()
  endif()
endforeach()
# The suites the issue names must be among them, or the check above proves nothing.
foreach(pattern "^techniques\\.Registry/EveryTechnique\\..*/ss$" "^omp\\.technique\\..*/ss$"
                "^mpi\\.technique\\.ss\\.verifies$")
  set(found ${for_ss})
  list(FILTER found INCLUDE REGEX "${pattern}")
  if(NOT found)
    message(FATAL_ERROR "no test for ss matches ${pattern} in the scratch build")
  endif()
endforeach()
list(LENGTH for_ss count)
message(STATUS "${count} tests for ss, each also made for ${probe}")

step("run ${probe}'s property tests and its OpenMP test")
run_ok(output ${CMAKE_CTEST_COMMAND} --test-dir ${SCRATCH_DIR} --output-on-failure -j 2
       -R "^(techniques\\.Registry/Every|omp\\.technique\\.Registry/Every).*/${probe}( |$)")
if(NOT output MATCHES "100% tests passed, 0 tests failed out of ([0-9]+)" OR CMAKE_MATCH_1 LESS 3)
  message(FATAL_ERROR "expected at least 3 tests of ${probe} to run and pass:\n${output}")
endif()

# Step 4 of "Adding a technique" is enforced: without its docs row the registry test fails.
step("the docs-row check must fail naming ${probe}")
execute_process(COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${SCRATCH_DIR} --output-on-failure
                -R "^techniques\\.Registry\\.EveryRowHasItsDocsRow"
                OUTPUT_VARIABLE output ERROR_VARIABLE output RESULT_VARIABLE status)
if(status EQUAL 0 OR NOT output MATCHES "${probe}: no row in [^\n]*docs/techniques.md")
  message(FATAL_ERROR "the docs-row check did not fail naming '${probe}':\n${output}")
endif()
step("OK: the probe's file and its list entry reached every suite; only its docs row is missing")
