# cmake -P: exercise 9 on a course install. Copies share/schedlab/student-template out of the
# prefix into a folder of its own, writes a technique into it (fixed chunks of 7), builds it
# against the prefix alone (no source tree: CMAKE_PREFIX_PATH is the prefix, the package
# registry is off), and checks that its runners hand out the student's chunks and that its
# checker passes it; the installed schedlab-omp keeps the starter rule (ss).
# Inputs: PREFIX, WORK_DIR, GENERATOR, CXX, CXX_FLAGS.
function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()
function(expect what pattern)
  if(NOT step_output MATCHES "${pattern}")
    message(FATAL_ERROR "${what}: expected '${pattern}' in:\n${step_output}")
  endif()
  message(STATUS "${what}: ${CMAKE_MATCH_0}")
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(COPY ${PREFIX}/share/schedlab/student-template/ DESTINATION ${WORK_DIR}/mine)
set(source ${WORK_DIR}/mine/student_technique.cpp)
file(READ ${source} text)
string(REPLACE "  return 1;" "  return remaining < 7 ? remaining : 7;" mine "${text}")
if(mine STREQUAL text)
  message(FATAL_ERROR "the template's starter has no 'return 1;' to replace:\n${text}")
endif()
file(WRITE ${source} "${mine}")

run_step("configure" ${CMAKE_COMMAND} -S ${WORK_DIR}/mine -B ${WORK_DIR}/mine/build -G ${GENERATOR}
         -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
         -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
run_step("build" ${CMAKE_COMMAND} --build ${WORK_DIR}/mine/build)
set(bin ${WORK_DIR}/mine/build/bin)
run_step("student schedlab-omp" ${bin}/schedlab-omp --schedule student --threads 4 --tasks 30
         --print-chunks)
expect("student's schedlab-omp --print-chunks" "(^|\n)7 7 7 7 2\n")
run_step("student schedlab-technique-check" ${bin}/schedlab-technique-check --technique student
         --max-tasks 200)
expect("student's schedlab-technique-check" "coverage: OK: 'student'")
run_step("installed schedlab-omp" ${PREFIX}/bin/schedlab-omp --schedule student --threads 4
         --tasks 5 --print-chunks)
expect("installed schedlab-omp (the starter)" "(^|\n)1 1 1 1 1\n")
find_program(MPIRUN NAMES mpirun)
if(MPIRUN)
  set(ENV{OMPI_ALLOW_RUN_AS_ROOT} 1)
  set(ENV{OMPI_ALLOW_RUN_AS_ROOT_CONFIRM} 1)
  set(ENV{OMPI_MCA_rmaps_base_oversubscribe} 1)
  run_step("student schedlab-mpi" ${MPIRUN} -np 2 ${bin}/schedlab-mpi --strategy student
           --tasks 30 --print-chunks)
  expect("student's schedlab-mpi --print-chunks" "(^|\n)7 7 7 7 2\n")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
