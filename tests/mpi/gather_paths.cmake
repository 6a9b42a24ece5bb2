# The end-of-run gather of the strategies without a master, both ways (mpi/gather.cpp):
# included by tests/mpi/CMakeLists.txt (mpi_test, mpi_launch, EXPECT_RUN, `tiny` from there).
# Whole records (--trace tasks, a failure, a signal) and the results only (--trace off: rma
# and hierarchical also send their claimed ranges) must give rank 0 the same run. Nonuniform
# sizes, so that every task's result differs and a result put back at the wrong task changes
# the checksum. rma and hierarchical at np 1-4 (3 and 4 oversubscribed), static and cyclic
# at np 3; under SCHEDLAB_SHORT_SWEEPS (a launch costs ~10 s) np 2 only.
set(gather_nps 1 2 3 4)
if(SCHEDLAB_SHORT_SWEEPS)
  set(gather_nps 2)
endif()
foreach(np IN LISTS gather_nps)
  mpi_launch(launch ${np})
  foreach(strategy rma,fac2 hierarchical,gss)
    string(REGEX REPLACE ",.*" "" family ${strategy})
    mpi_test(mpi.${family}.gather_paths.np${np} ${np}
             ${CMAKE_CURRENT_SOURCE_DIR}/gather_paths_test.sh 41 ${launch} --strategy ${strategy}
             --workload nonuniform --tasks 41 ${tiny})
  endforeach()
endforeach()
mpi_launch(np3 3)
foreach(strategy static cyclic,3)
  string(REGEX REPLACE ",.*" "" family ${strategy})
  mpi_test(mpi.${family}.gather_paths.np3 3 ${CMAKE_CURRENT_SOURCE_DIR}/gather_paths_test.sh 41
           ${np3} --strategy ${strategy} --workload nonuniform --tasks 41 ${tiny})
endforeach()

# With --trace off, a failure or a signal still moves the whole records (which tasks ran):
# the same line and exit code as with the trace (rma_hierarchical.cmake).
mpi_launch(np2 2)
foreach(strategy rma hierarchical)
  mpi_test(mpi.fail_task.${strategy}.trace_off.np2 2 ${EXPECT_RUN} 1
           "^${strategy},ss: task 5 failed on rank [01]: injected failure \\(--fail-task\\)$"
           "^verification: FAILED$" -- ${np2} --strategy ${strategy} --tasks 8 --fail-task 5
           --trace off ${tiny})
  mpi_test(mpi.interrupt.${strategy}.trace_off.np2 2 ${CMAKE_CURRENT_SOURCE_DIR}/interrupt_run.sh
           ${np2} --strategy ${strategy} --tasks 16 --scale 0.7 --progress 1 --trace off)
endforeach()
