# Bad input across every runner: each case must exit 2 with exactly one stderr line naming
# the value (under MPI: one line from all ranks together), and write no output file.
# Included from tests/reliability/CMakeLists.txt.
set(DATA ${PROJECT_SOURCE_DIR}/tests/data)

# name | text the stderr line must contain | arguments
set(common_cases
  "tasks_empty|--tasks: 1 required|--tasks="
  "tasks_overflow|--tasks '18446744073709551616'|--tasks 18446744073709551616"
  "tasks_hex|--tasks '0x10'|--tasks 0x10"
  "size_zero|--size '0'|--size 0"
  "spread_text|--spread 'many'|--spread many"
  "scale_inf|--scale '1e400'|--scale 1e400"
  "scale_text|--scale 'half'|--scale half"
  "seed_too_big|--seed '18446744073709551616'|--seed 18446744073709551616"
  "repeat_huge|--repeat '1000000'|--repeat 1000000"
  "progress_negative|--progress '-1'|--progress -1"
  "workload_empty|--workload: 1 required|--workload="
  # Devices are refused before they are read (issue 20): /dev/zero would never end.
  "workload_dev_null|--workload file:/dev/null: is a device|--workload file:/dev/null"
  "workload_dev_zero|--workload file:/dev/zero: is a device|--workload file:/dev/zero"
  "workload_binary|line 3|--workload file:${DATA}/binary.bin"
  "workload_huge_number|line 2|--workload file:${DATA}/huge-number.txt"
  "workload_negative|line 2: '-5'|--workload file:${DATA}/negative.txt"
  "workload_directory|file:/tmp|--workload file:/tmp"
  "tasks_with_file|not allowed with --workload file|--tasks 3 --workload file:${DATA}/three.txt"
  "unknown_option|--frobnicate|--frobnicate"
  "missing_value|--tasks|--tasks"
  "csv_equals_json|two different files|--csv @OUT@.x --json @OUT@.x"
  "csv_missing_dir|/does/not/exist|--csv /does/not/exist/runs.csv"
  "json_missing_dir|/does/not/exist|--json /does/not/exist/run.json"
  # Mistakes a student makes, answered with what to write instead: a typo of a workload, a
  # number in exponent form, a missing folder. (No ';' in a case: it would split the list.)
  "workload_typo|--workload 'nonuniforn': did you mean nonuniform?|--workload nonuniforn"
  "tasks_exponent|write it out: 1000000|--tasks 1e6"
  "csv_folder_advice|create it first: mkdir -p no-such-folder|--csv no-such-folder/runs.csv")

function(schedlab_bad_input_tests prefix)
  # ARGN: the command prefix (launcher + binary); cases come from common_cases (or
  # ${prefix}_common_cases where set) and ${prefix}_cases.
  set(shared common_cases)
  if(DEFINED ${prefix}_common_cases)
    set(shared ${prefix}_common_cases)
  endif()
  foreach(case IN LISTS ${shared} ${prefix}_cases)
    string(REPLACE "|" ";" parts "${case}")
    list(GET parts 0 name)
    list(GET parts 1 expected)
    list(GET parts 2 args)
    separate_arguments(args UNIX_COMMAND "${args}")
    # Output files come first (so a value-less option at the end stays value-less), and only
    # where the case does not name its own: none may be written.
    set(outputs --csv @OUT@.csv --json @OUT@.json)
    if(args MATCHES "--csv|--json")
      set(outputs)
    endif()
    add_test(NAME reliability.bad_input.${prefix}.${name}
      COMMAND ${EXPECT_USAGE} "${expected}" ${ARGN} ${outputs} ${args})
    set_tests_properties(reliability.bad_input.${prefix}.${name} PROPERTIES TIMEOUT 30)
  endforeach()
endfunction()

set(serial_cases
  "threads_is_parallel|schedlab-serial runs one worker and takes no --threads|--threads 2")
schedlab_bad_input_tests(serial $<TARGET_FILE:schedlab-serial>)

set(omp_cases
  "threads_zero|--threads '0'|--threads 0"
  "threads_negative|--threads '-2'|--threads -2"
  "threads_huge|--threads '100000'|--threads 100000"
  "schedule_unknown|foo|--schedule foo"
  "schedule_chunk_zero|dynamic,0|--schedule dynamic,0"
  "schedule_chunk_negative|static,-1|--schedule static,-1"
  "schedule_chunk_text|dynamic,abc|--schedule dynamic,abc"
  # A parameter past 2^31-1 is refused, never converted into some other chunk (issue 20).
  "schedule_gss_huge|parameter k = '1e300' is larger than the limit of 2147483647|--schedule gss,1e300"
  "schedule_tss_huge|parameter first = '1e300' is larger than the limit of 2147483647|--schedule tss,1e300,1e300"
  "fail_task_beyond|--fail-task 4|--tasks 4 --fail-task 4"
  # schedlab-mpi's options given to schedlab-omp, a chunk in its own argument, typos.
  "strategy_is_mpis|schedlab-omp takes --schedule (static, static,C|--strategy dynamic"
  "strategy_is_mpis_named|--strategy is schedlab-mpi's|--strategy=dynamic"
  "chunk_is_mpis|schedlab-omp takes the chunk inside --schedule, e.g. --schedule dynamic,4|--chunk 4"
  "schedule_chunk_apart|the chunk goes after a comma, in the same argument: --schedule dynamic,4|--schedule dynamic 4"
  "schedule_typo|--schedule 'dynamc,4': did you mean dynamic,4?|--schedule dynamc,4"
  "option_typo|--thread: no such option, did you mean --threads?|--thread 2")
schedlab_bad_input_tests(omp $<TARGET_FILE:schedlab-omp>)
add_test(NAME reliability.bad_input.omp.runtime_bad_env
  COMMAND ${EXPECT_USAGE} "OMP_SCHEDULE" env OMP_SCHEDULE=dynamic,0
          ${PROJECT_SOURCE_DIR}/tests/openmp/without_runtime_warnings.sh $<TARGET_FILE:schedlab-omp> --schedule runtime --csv @OUT@.csv)

# OMP_NUM_THREADS that libgomp cannot read: libgomp says so in a line of its own (which
# schedlab cannot silence), then schedlab refuses the run instead of timing every CPU.
add_test(NAME reliability.bad_input.omp.num_threads_env_garbage
  COMMAND ${EXPECT_RUN} 2 "^schedlab-omp: error: OMP_NUM_THREADS 'two': expected a whole number of threads"
          "!^workload:" -- env OMP_NUM_THREADS=two $<TARGET_FILE:schedlab-omp> --tasks 2 --scale 0.001)
# 0 likewise: libgomp ignores it and takes every CPU (issue 20).
add_test(NAME reliability.bad_input.omp.num_threads_env_zero
  COMMAND ${EXPECT_RUN} 2 "^schedlab-omp: error: OMP_NUM_THREADS '0': expected a whole number of threads from 1"
          "!^workload:" -- env OMP_NUM_THREADS=0 $<TARGET_FILE:schedlab-omp> --tasks 2 --scale 0.001)
# With --threads too: the runtime still reads the variable (LLVM's libomp aborts on it).
add_test(NAME reliability.bad_input.omp.num_threads_env_refused_with_threads
  COMMAND ${EXPECT_RUN} 2 "^schedlab-omp: error: OMP_NUM_THREADS 'two': expected a whole number of threads"
          "!^workload:" -- env OMP_NUM_THREADS=two $<TARGET_FILE:schedlab-omp> --threads 2 --tasks 2 --scale 0.001)

if(TARGET schedlab-mpi)  # SCHEDLAB_BUILD_MPI=OFF (the tsan preset): no MPI tests
  set(mpi_cases
    "strategy_unknown|nope|--strategy nope"
    "master_unknown|nope|--master nope"
    "chunk_zero|--chunk '0'|--chunk 0"
    "strategy_rma_gss_huge|parameter k = '1e300' is larger than the limit of 2147483647|--strategy rma,gss,1e300"
    "prefetch_zero|--prefetch '0'|--prefetch 0"
    "threads_zero|--threads '0'|--threads 0"
    "fail_task_beyond|--fail-task 4|--tasks 4 --fail-task 4"
    # schedlab-omp's option given to schedlab-mpi, mpirun's -np after the program, a chunk in
    # its own argument, a typo.
    "schedule_is_omps|schedlab-mpi takes --strategy (static, cyclic|--schedule dynamic"
    "np_is_mpiruns|-np is mpirun's option, not schedlab-mpi's: write it before the program, mpirun -np 4|-np 4"
    "cyclic_chunk_apart|the chunk goes after a comma, in the same argument: --strategy cyclic,4|--strategy cyclic 4"
    "option_typo|--stratgy: no such option, did you mean --strategy?|--stratgy static")
  # SCHEDLAB_SHORT_SWEEPS (the sanitizer presets, where an np 3 launch costs ~10 s): the
  # shared cases' parsing is the common library's, sanitized in the serial and omp cases above,
  # and the ranks agree on every refusal the same way, so schedlab-mpi keeps one shared case per
  # kind of check (CLI11, the workload file, the outputs) besides its own; the ci preset runs
  # them all.
  if(SCHEDLAB_SHORT_SWEEPS)
    set(mpi_common_cases ${common_cases})
    list(FILTER mpi_common_cases INCLUDE REGEX
         "^(missing_value|workload_dev_null|csv_equals_json|csv_missing_dir)[|]")
  endif()
  # Every rank validates; exactly one line must reach stderr from np 3 ranks together.
  # (orte_execute_quiet silences mpirun's own "process returned a non-zero exit code" banner,
  # which is mpirun's, not schedlab's; README "When things go wrong" shows it.)
  schedlab_bad_input_tests(mpi ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} 3 ${MPIEXEC_PREFLAGS}
    $<TARGET_FILE:schedlab-mpi> ${MPIEXEC_POSTFLAGS})
  add_test(NAME reliability.bad_input.mpi.dedicated_alone
    COMMAND ${EXPECT_USAGE} "dedicated" ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} 1
            $<TARGET_FILE:schedlab-mpi> --strategy master-worker --master dedicated)
  get_property(mpi_bad_tests DIRECTORY PROPERTY TESTS)
  list(FILTER mpi_bad_tests INCLUDE REGEX "^reliability\\.bad_input\\.mpi\\.")
  set_tests_properties(${mpi_bad_tests} PROPERTIES LABELS mpi PROCESSORS 2 ENVIRONMENT
    "${SCHEDLAB_MPI_TEST_ENV}")
endif()

# Mistakes that still run: one warning line on stderr says what was probably meant, and the
# run goes on (exit 0). "name|text of the warning|arguments".
set(omp_warning_cases
  "idle_threads|schedlab-omp: warning: 4 threads for 2 tasks: 2 of them will have nothing to do|--threads 4 --tasks 2 --scale 0.001 --schedule static")
warning_tests(PREFIX reliability.warning.omp CASES omp_warning_cases
  COMMAND $<TARGET_FILE:schedlab-omp>)
if(TARGET schedlab-mpi)  # SCHEDLAB_BUILD_MPI=OFF (the tsan preset): no MPI tests
  # schedlab-mpi without mpirun is an MPI singleton: it runs as one rank, and says so.
  set(mpi_singleton_cases
    "singleton|schedlab-mpi: warning: started without mpirun: running as 1 rank|--tasks 2 --scale 0.001 --strategy static")
  warning_tests(PREFIX reliability.warning.mpi CASES mpi_singleton_cases
    COMMAND $<TARGET_FILE:schedlab-mpi>)
  set(mpi_warning_cases
    "idle_ranks|schedlab-mpi: warning: 6 ranks for 4 tasks: 2 of them will have nothing to do|--tasks 4 --scale 0.001 --strategy static")
  warning_tests(PREFIX reliability.warning.mpi CASES mpi_warning_cases
    COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} 6 ${MPIEXEC_PREFLAGS}
            $<TARGET_FILE:schedlab-mpi> ${MPIEXEC_POSTFLAGS})
  # Started by mpirun, even with one rank, there is nothing to warn about.
  add_test(NAME reliability.warning.mpi.none_under_mpirun
    COMMAND ${EXPECT_RUN} 0 "!warning" "^verification: PASSED$"
            -- ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} 1 $<TARGET_FILE:schedlab-mpi>
               --tasks 2 --scale 0.001 --strategy static)
  set_tests_properties(reliability.warning.mpi.singleton reliability.warning.mpi.idle_ranks
    reliability.warning.mpi.none_under_mpirun PROPERTIES LABELS mpi PROCESSORS 2 TIMEOUT 60
    ENVIRONMENT
    "${SCHEDLAB_MPI_TEST_ENV}")
  # LeakSanitizer under asan (tests/CMakeLists.txt): MPI started without mpirun.
  leak_checked(reliability.warning.mpi.singleton)
endif()

# Hostile inputs (issue 20), made by tests/cli/with_hostile_file.sh at test time: a workload
# file of one endless line or past the size limit, a value holding a newline (the message
# shows it escaped, on one line), a task list that cannot fit in memory (ulimit -v: the same
# on every machine), refused before any work with exit 2 and one line.
set(HOSTILE ${PROJECT_SOURCE_DIR}/tests/cli/with_hostile_file.sh)
set(SERIAL $<TARGET_FILE:schedlab-serial>)
add_test(NAME reliability.bad_input.serial.workload_long_line
  COMMAND ${HOSTILE} long_line ${DATA} ${EXPECT_USAGE} "line 1: longer than the limit of 2^16 bytes"
          ${SERIAL} --csv @OUT@.csv --workload file:@FILE@)
add_test(NAME reliability.bad_input.serial.workload_too_large
  COMMAND ${HOSTILE} huge_sparse ${DATA} ${EXPECT_USAGE} "314572800 bytes, more than the limit of 2^28 bytes"
          ${SERIAL} --csv @OUT@.csv --workload file:@FILE@)
add_test(NAME reliability.bad_input.serial.newline_in_value
  COMMAND ${HOSTILE} none ${DATA} ${EXPECT_USAGE} "--workload 'uni\\nform'"
          ${SERIAL} --csv @OUT@.csv --workload uni@NL@form)
add_test(NAME reliability.bad_input.omp.newline_in_schedule
  COMMAND ${HOSTILE} none ${DATA} ${EXPECT_USAGE} "gss\\n4"
          $<TARGET_FILE:schedlab-omp> --csv @OUT@.csv --schedule gss@NL@4)
# ulimit -v cannot hold a sanitizer build: ASan and TSan reserve terabytes of shadow address
# space at start-up, so the program would die before main(). The memory refusals are tested
# in the ci preset (CMAKE_CXX_FLAGS carries no -fsanitize there).
if(NOT CMAKE_CXX_FLAGS MATCHES "-fsanitize=")
  add_test(NAME reliability.memory.serial.refused_up_front
    COMMAND sh -c "ulimit -v 1000000 && exec \"$@\"" sh ${EXPECT_USAGE}
            "--tasks 10000000: needs about 1.28 GB of memory, more than the"
            ${SERIAL} --tasks 10000000 --size 1 --csv @OUT@.csv)
  add_test(NAME reliability.memory.serial.refused_with_json
    COMMAND sh -c "ulimit -v 4000000 && exec \"$@\"" sh ${EXPECT_USAGE}
            "--tasks 10000000: needs about 20.48 GB of memory, more than the"
            ${SERIAL} --tasks 10000000 --size 1 --json @OUT@.json)
  # Every strategy keeps its results and traces to the end: schedlab-omp's default schedules
  # on 10^6 tasks are counted together and refused before any work (was: a std::bad_alloc
  # after minutes).
  add_test(NAME reliability.memory.omp.every_strategy_counted
    COMMAND sh -c "ulimit -v 500000 && exec \"$@\"" sh ${EXPECT_USAGE}
            "--tasks 1000000 with 9 strategies: needs about"
            $<TARGET_FILE:schedlab-omp> --threads 2 --tasks 1000000 --size 1 --schedule all --csv @OUT@.csv)
endif()
