# cmake -P: configures and builds the out-of-tree consumer against the installed prefix (the
# install.prefix fixture) with find_package(schedlab), runs it, and checks that it agrees
# with schedlab-serial on the same task list (same checksum).
# Inputs: PREFIX, CONSUMER_DIR, WORK_DIR, GENERATOR, CXX, CXX_FLAGS, SERIAL.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()
# The public API is installed (docs/design.md, "Public API"): kernel, workloads, run records,
# the techniques registry, the reader; the modules' own headers are not.
foreach(header schedlab/kernel.hpp schedlab/workload.hpp schedlab/run.hpp
               schedlab/task_body.hpp schedlab/techniques/registry.hpp
               schedlab/techniques/student.hpp schedlab/report/reader.hpp)
  if(NOT EXISTS ${PREFIX}/include/${header})
    message(FATAL_ERROR "not installed: include/${header}")
  endif()
endforeach()
foreach(private schedlab/driver.hpp schedlab/openmp schedlab/mpi schedlab/serial
                schedlab/report/tables.hpp schedlab/report/simulate.hpp)
  if(EXISTS ${PREFIX}/include/${private})
    message(FATAL_ERROR "installed, but private to its module: include/${private}")
  endif()
endforeach()
# Every installed header compiles on its own: none includes a private one.
file(GLOB_RECURSE installed RELATIVE ${PREFIX}/include ${PREFIX}/include/schedlab/*.hpp)
file(MAKE_DIRECTORY ${WORK_DIR}/headers)
set(includes "")
foreach(header IN LISTS installed)
  string(APPEND includes "#include \"${header}\"\n")
endforeach()
file(WRITE ${WORK_DIR}/headers/all.cpp "${includes}int main() { return 0; }\n")
separate_arguments(flags UNIX_COMMAND "${CXX_FLAGS}")
run_step("every installed header" ${CXX} ${flags} -std=c++20 -fsyntax-only
         -I${PREFIX}/include ${WORK_DIR}/headers/all.cpp)
run_step("configure" ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
         -DCMAKE_CXX_COMPILER=${CXX} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
         -DCMAKE_PREFIX_PATH=${PREFIX})
run_step("build" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run_step("run" ${WORK_DIR}/build/consumer)
string(REGEX MATCH "checksum ([0-9a-f]+)" found "${step_output}")
set(mine ${CMAKE_MATCH_1})
run_step("schedlab-serial" ${SERIAL} --workload nonuniform --tasks 6 --size 1000 --spread 1000)
if(NOT step_output MATCHES "${mine}  ok")
  message(FATAL_ERROR "consumer checksum ${mine} not in schedlab-serial's table:\n${step_output}")
endif()
message(STATUS "installed, found, built and agreed: checksum ${mine}")
file(REMOVE_RECURSE ${WORK_DIR})
