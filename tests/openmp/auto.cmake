# auto:METHOD and all-fixed (issue 22): the auto row as a library (auto_test.cpp), and
# schedlab-omp runs: every method verifies at 1-4 threads with --steps and with one step,
# all-fixed verifies, bad input is exit 2 and one line.
add_executable(schedlab-omp-auto-tests auto_test.cpp)
target_link_libraries(schedlab-omp-auto-tests PRIVATE schedlab_omp GTest::gtest_main
  schedlab_warnings)
gtest_discover_tests(schedlab-omp-auto-tests TEST_PREFIX "omp.auto.unit." DISCOVERY_TIMEOUT 30
  PROPERTIES LABELS openmp)

set(AUTO_SMALL --workload skewed --tasks 12 --scale 0.002)
foreach(method exhaustive expert simulate random)
  foreach(threads 1 2 3 4)
    add_test(NAME omp.auto.${method}.steps.threads_${threads}
      COMMAND ${OMP} --schedule auto:${method} --threads ${threads} ${AUTO_SMALL} --steps 4)
    set_tests_properties(omp.auto.${method}.steps.threads_${threads} PROPERTIES LABELS openmp
      PASS_REGULAR_EXPRESSION "\nauto:${method} +${threads} .* ok\n.*verification: PASSED")
  endforeach()
  add_test(NAME omp.auto.${method}.one_step
    COMMAND ${OMP} --schedule auto:${method} --threads 2 ${AUTO_SMALL})
  set_tests_properties(omp.auto.${method}.one_step PROPERTIES LABELS openmp
    PASS_REGULAR_EXPRESSION "\nauto:${method} +2 .* ok\n.*verification: PASSED")
endforeach()
add_test(NAME omp.auto.all_fixed.verifies
  COMMAND ${OMP} --schedule all-fixed --threads 2 ${AUTO_SMALL} --steps 3)
set_tests_properties(omp.auto.all_fixed.verifies PROPERTIES LABELS openmp
  PASS_REGULAR_EXPRESSION "\nstatic +2 .*\nbinlpt +2 .*\nauto:exhaustive +2 .*\nauto:random +2 .* ok\n.*verification: PASSED")
add_test(NAME omp.auto.random.trace_off
  COMMAND ${OMP} --schedule auto:random --threads 2 ${AUTO_SMALL} --steps 2 --trace off)
set_tests_properties(omp.auto.random.trace_off PROPERTIES LABELS openmp
  PASS_REGULAR_EXPRESSION "verification: PASSED")
set(auto_cases
  "bogus|--schedule 'auto:bogus': auto method 'bogus' is unknown|--schedule auto:bogus"
  "trace_off|--trace off: --schedule auto:simulate needs each task's measured time|--schedule auto:simulate --trace off"
  "print_chunks|--schedule 'auto:expert' chooses its technique step by step|--schedule auto:expert --print-chunks"
  "typo|did you mean auto:simulate?|--schedule auto-simulate")
usage_error_tests(PREFIX omp.auto.usage CASES auto_cases COMMAND ${OMP} ${AUTO_SMALL})
# A slowed worker: the selector's speeds and the perturbation together still verify.
add_test(NAME omp.auto.simulate.perturbed
  COMMAND ${OMP} --schedule auto:simulate --threads 2 ${AUTO_SMALL} --steps 4
          --perturb worker=1,slow=3)
set_tests_properties(omp.auto.simulate.perturbed PROPERTIES LABELS openmp
  PASS_REGULAR_EXPRESSION "\nauto:simulate +2 .* ok\n.*verification: PASSED")
# simulate's decision budget (kDecisionShare): 4000 near-empty tasks, so step 0's simulations
# (16 of 4000 tasks) are a large share of the step, 8-60% even when other load stretches the
# step to ~15 ms: the next steps keep the technique without simulating and say so.
add_test(NAME omp.auto.simulate.decision_budget
  COMMAND ${OMP} --schedule auto:simulate --threads 2 --workload skewed --tasks 4000
          --scale 0.000001 --steps 4)
set_tests_properties(omp.auto.simulate.decision_budget PROPERTIES LABELS openmp
  PASS_REGULAR_EXPRESSION "step 1: [a-z0-9-]+ — kept without simulating \\(1 of [1-4]\\): simulating took [0-9.]+% of a step.*verification: PASSED")
