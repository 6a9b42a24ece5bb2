# rma and hierarchical (mpi/rma.cpp, mpi/hierarchical.cpp): included by tests/mpi/CMakeLists.txt,
# so mpi_test, mpi_launch, EXPECT_RUN, EXPECT_USAGE, `workloads` and `tiny` come from there.
# Across namespace nodes: tests/slurm/rma_hierarchical_nodes_test.sh (label slurm).

# Every workload family x np 1-4, each strategy on its own launch; the technique changes with
# np so that every kTable technique runs somewhere (rma: ss gss fac2 tss; hierarchical: mfsc
# ss tap fsc). np 3 and 4 are oversubscribed on a 2-core machine: claims then compete with
# computing ranks for the cores, which is what must not hang.
set(rma_techniques "ss" "gss" "fac2" "tss")
set(hierarchical_techniques "mfsc" "ss" "tap" "fsc")
foreach(np 1 2 3 4)
  mpi_launch(launch ${np})
  math(EXPR i "${np} - 1")
  list(GET rma_techniques ${i} rma_technique)
  list(GET hierarchical_techniques ${i} hierarchical_technique)
  foreach(entry IN LISTS workloads)
    list(FIND workloads "${entry}" family)
    sweep_pair(keep ${np} ${family})  # every pair, or the diagonal (SCHEDLAB_SHORT_SWEEPS)
    if(NOT keep)
      continue()
    endif()
    string(REPLACE "|" ";" parts "${entry}")
    list(GET parts 0 workload)
    list(GET parts 1 args)
    separate_arguments(args UNIX_COMMAND "${args}")
    foreach(strategy rma hierarchical)
      set(technique ${${strategy}_technique})
      mpi_test(mpi.${strategy}.${workload}.np${np} ${np} ${EXPECT_RUN} 0
               "^${strategy},${technique} +${np} .* ok$" "^verification: PASSED$" --
               ${launch} --strategy ${strategy},${technique} ${args} ${tiny})
    endforeach()
  endforeach()
endforeach()

mpi_launch(np2 2)
mpi_launch(np3 3)
foreach(strategy rma hierarchical)
  # Without a technique: ss. Hybrid: a rank claims one chunk per thread; P = 4.
  mpi_test(mpi.${strategy}.hybrid.np2x2 2 ${EXPECT_RUN} 0 "ranks 2 x threads 2"
           "^${strategy},ss +4 .* ok$" "^verification: PASSED$" --
           ${np2} --threads 2 --strategy ${strategy} --workload nonuniform --tasks 12 ${tiny})
  set_property(TEST mpi.${strategy}.hybrid.np2x2 APPEND PROPERTY ENVIRONMENT
               OMPI_MCA_hwloc_base_binding_policy=none)
  # More ranks than chunks: gss on 3 tasks and 4 ranks leaves ranks with nothing to claim.
  mpi_launch(np4 4)
  mpi_test(mpi.${strategy}.more_ranks_than_tasks.np4 4 ${EXPECT_RUN} 0
           "^${strategy},gss +4 .* ok$" "^verification: PASSED$" --
           ${np4} --strategy ${strategy},gss --tasks 3 ${tiny})
  # Each task reported once in the completion order.
  mpi_test(mpi.order.${strategy}.permutation 3
           ${CMAKE_CURRENT_SOURCE_DIR}/check_completion_order.sh 13
           ${np3} --strategy ${strategy},fac2 --workload nonuniform --tasks 13 ${tiny})
  # A failing task stops every rank (rma: the counter is set past the end; hierarchical: the
  # node master and rank 0 hand out nothing more); one line, exit 1 everywhere.
  foreach(np 1 2 4)
    mpi_launch(launch ${np})
    mpi_test(mpi.fail_task.${strategy}.np${np} ${np} ${EXPECT_RUN} 1
             "^${strategy},ss: task 5 failed on rank [0-3]: injected failure \\(--fail-task\\)$"
             "^verification: FAILED$" -- ${launch} --strategy ${strategy} --tasks 8
             --fail-task 5 ${tiny})
  endforeach()
  # SIGTERM to every process of the job mid-run: exit 143, "interrupted after k/N tasks".
  mpi_test(mpi.interrupt.${strategy}.np2 2 ${CMAKE_CURRENT_SOURCE_DIR}/interrupt_run.sh
           ${np2} --strategy ${strategy} --tasks 16 --scale 0.7 --progress 1)
endforeach()

# Bad techniques: one line naming the value and what is allowed, exit 2, nothing written.
set(rma_bad_inputs
  "rma_adaptive|2|allowed: ss, fsc, mfsc, gss, tss, fac2, tap|--strategy rma,awf-b"
  "rma_plan|3|--strategy rma,static: rma needs chunks fixed by N and P alone|--strategy rma,static"
  "hierarchical_unknown|2|--strategy hierarchical,nope: technique 'nope' is unknown|--strategy hierarchical,nope"
  "rma_empty|1|--strategy rma,: technique '' is unknown|--strategy rma,")
foreach(case IN LISTS rma_bad_inputs)
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 np)
  list(GET parts 2 expected)
  list(GET parts 3 args)
  separate_arguments(args UNIX_COMMAND "${args}")
  mpi_launch(launch ${np})
  mpi_test(mpi.bad_input.${name}.np${np} ${np}
           ${EXPECT_USAGE} "${expected}" ${launch} ${args} --csv @OUT@.csv --json @OUT@.json)
endforeach()

# The dispatch-cost harness (bench/mpi_rma_dispatch.cpp), short, every run verified.
if(TARGET schedlab-bench-mpi-claims)
  foreach(np 1 2)
    mpi_test(bench.mpi_claims.np${np} ${np} ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${np}
             $<TARGET_FILE:schedlab-bench-mpi-claims> --tasks 2048 --repeat 2)
    set_tests_properties(bench.mpi_claims.np${np} PROPERTIES PASS_REGULAR_EXPRESSION
      "${np} ranks, 2048 tasks.*master-worker +1 .*rma +1 .*hierarchical +16 .*verification: PASSED")
  endforeach()
  mpi_test(bench.mpi_claims.bad_input.chunks 1 ${EXPECT_USAGE} "--chunks '0'"
           $<TARGET_FILE:schedlab-bench-mpi-claims> --chunks 4,0)
endif()

# Units without MPI_Init: the --strategy spelling, the technique check, claims to tasks.
add_executable(schedlab-mpi-claims-unit-tests claims_test.cpp)
target_include_directories(schedlab-mpi-claims-unit-tests PRIVATE ${PROJECT_SOURCE_DIR}/mpi)
target_link_libraries(schedlab-mpi-claims-unit-tests PRIVATE schedlab_mpi GTest::gtest_main
  schedlab_warnings)
gtest_discover_tests(schedlab-mpi-claims-unit-tests TEST_PREFIX "mpi.unit." DISCOVERY_TIMEOUT 30
  PROPERTIES LABELS mpi)
