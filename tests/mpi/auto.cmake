# auto:METHOD and all-fixed under MPI (issue 22; mpi/auto_row.cpp): included by
# tests/mpi/CMakeLists.txt, so mpi_test, mpi_launch, EXPECT_RUN, EXPECT_USAGE and `tiny` come
# from there. Every method verifies at np 1-4 with --steps (rank 0 chooses, MPI_Bcast tells
# every rank, plans run per rank), and with one step; all-fixed verifies; bad input is exit 2.
set(auto_list --workload skewed --tasks 14)
set(auto_methods exhaustive expert simulate random)
foreach(np 1 2 3 4)
  mpi_launch(launch ${np})
  foreach(method IN LISTS auto_methods)
    # Under the sanitizers (SCHEDLAB_SHORT_SWEEPS: ~10 s a launch) the diagonal: method k at
    # np k + 1, so each method runs once and every np once.
    list(FIND auto_methods ${method} k)
    math(EXPR diagonal_np "${k} + 1")
    if(SCHEDLAB_SHORT_SWEEPS AND NOT diagonal_np EQUAL np)
      continue()
    endif()
    mpi_test(mpi.auto.${method}.steps.np${np} ${np} ${EXPECT_RUN} 0
             "^auto:${method} +${np} .* ok$" "^verification: PASSED$" --
             ${launch} --strategy auto:${method} ${auto_list} ${tiny} --steps 3)
  endforeach()
endforeach()
mpi_launch(np2 2)
foreach(method expert simulate random)
  mpi_test(mpi.auto.${method}.one_step.np2 2 ${EXPECT_RUN} 0
           "^auto:${method} +2 .* ok$" "^verification: PASSED$" --
           ${np2} --strategy auto:${method} ${auto_list} ${tiny})
endforeach()
mpi_launch(np3 3)
mpi_test(mpi.auto.all_fixed.np3 3 ${EXPECT_RUN} 0 "^static +3 .* ok$" "^binlpt +3 .* ok$"
         "^auto:exhaustive +3 .* ok$" "^auto:random +3 .* ok$" "^verification: PASSED$" --
         ${np3} --strategy all-fixed ${auto_list} ${tiny} --steps 2)
mpi_test(mpi.auto.random.trace_off.np2 2 ${EXPECT_RUN} 0 "^auto:random +2 .* ok$"
         "^verification: PASSED$" -- ${np2} --strategy auto:random ${auto_list} ${tiny} --trace off)
mpi_test(mpi.auto.bad_input.bogus.np2 2 ${EXPECT_USAGE}
         "--strategy 'auto:bogus': auto method 'bogus' is unknown" ${np2} --strategy auto:bogus
         --csv @OUT@.csv)
mpi_test(mpi.auto.bad_input.trace_off.np3 3 ${EXPECT_USAGE}
         "--trace off: --strategy auto:simulate needs each task's measured time" ${np3}
         --strategy auto:simulate --trace off --csv @OUT@.csv)
mpi_test(mpi.auto.bad_input.dedicated.np2 2 ${EXPECT_USAGE}
         "--master dedicated: only with --strategy master-worker or all" ${np2}
         --strategy auto:expert --master dedicated --csv @OUT@.csv)
# A slowed worker on rank 1: rank 0's selector sees it in the gathered trace; still verifies.
mpi_test(mpi.auto.simulate.perturbed.np2 2 ${EXPECT_RUN} 0 "^auto:simulate +2 .* ok$"
         "^verification: PASSED$" -- ${np2} --strategy auto:simulate ${auto_list} ${tiny}
         --steps 4 --perturb worker=1,slow=3)
