# The checkers every test directory shares (included from tests/CMakeLists.txt).
# EXPECT_RUN CODE PATTERN... -- COMMAND: exit code and output lines (tests/cli/expect_run.sh).
# EXPECT_USAGE TEXT COMMAND: bad input, i.e. exit 2, exactly one stderr line containing TEXT,
# and no output file; it stands in @OUT@ for a fresh path under the test's own directory.
# EXPECT_WARNING TEXT COMMAND: a mistake that still runs: exit 0, exactly one stderr line,
# containing TEXT, and a verified run on stdout.
set(EXPECT_RUN ${CMAKE_CURRENT_LIST_DIR}/cli/expect_run.sh)
set(EXPECT_USAGE ${CMAKE_CURRENT_LIST_DIR}/cli/expect_usage_error.sh)
set(EXPECT_WARNING ${CMAKE_CURRENT_LIST_DIR}/cli/expect_warning.sh)

# Table-driven bad-input tests, with EXPECT_USAGE.

# usage_error_tests(PREFIX <test-name prefix> CASES <list variable>
#                   COMMAND <binary or launcher + binary...> [AFTER <arguments...>])
# Each entry of the list is "name|text the stderr line must contain|arguments"; the test
# <prefix>.<name> runs COMMAND with the case's arguments, then AFTER (the output files the
# run must not create).
function(usage_error_tests)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "PREFIX;CASES" "COMMAND;AFTER")
  foreach(case IN LISTS ${arg_CASES})
    string(REPLACE "|" ";" parts "${case}")
    list(GET parts 0 name)
    list(GET parts 1 expected)
    list(GET parts 2 args)
    separate_arguments(args UNIX_COMMAND "${args}")
    add_test(NAME ${arg_PREFIX}.${name}
      COMMAND ${EXPECT_USAGE} "${expected}" ${arg_COMMAND} ${args} ${arg_AFTER})
  endforeach()
endfunction()

# warning_tests(PREFIX <test-name prefix> CASES <list variable> COMMAND <command...>)
# Each entry is "name|text the one stderr warning line must contain|arguments"; the test
# <prefix>.<name> runs COMMAND with the arguments through EXPECT_WARNING.
function(warning_tests)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "PREFIX;CASES" "COMMAND")
  foreach(case IN LISTS ${arg_CASES})
    string(REPLACE "|" ";" parts "${case}")
    list(GET parts 0 name)
    list(GET parts 1 expected)
    list(GET parts 2 args)
    separate_arguments(args UNIX_COMMAND "${args}")
    add_test(NAME ${arg_PREFIX}.${name} COMMAND ${EXPECT_WARNING} "${expected}" ${arg_COMMAND} ${args})
  endforeach()
endfunction()
