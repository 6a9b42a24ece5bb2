# cmake -P: the installed prefix holds every program the lab runs, the job scripts, the lab
# handout and the student template, and the installed job scripts find the installed
# programs by themselves (no SCHEDLAB_BUILD, no checkout). Inputs: PREFIX, PROGRAMS, WORK_DIR.
set(data ${PREFIX}/share/schedlab)
foreach(program IN LISTS PROGRAMS)
  if(NOT EXISTS ${PREFIX}/bin/${program} OR IS_DIRECTORY ${PREFIX}/bin/${program})
    message(FATAL_ERROR "not installed: bin/${program}")
  endif()
endforeach()
foreach(file jobs/default-build.sh jobs/scaling.sh jobs/lab-check.sh jobs/grade.sh
             jobs/metg.sh jobs/submit-all.sh jobs/slurm/common.sh jobs/slurm/openmp.sbatch
             jobs/slurm/mpi.sbatch docs/lab.md student-template/CMakeLists.txt
             student-template/student_technique.cpp)
  if(NOT EXISTS ${data}/${file})
    message(FATAL_ERROR "not installed: share/schedlab/${file}")
  endif()
endforeach()
foreach(script jobs/scaling.sh jobs/lab-check.sh jobs/slurm/openmp.sbatch)
  execute_process(COMMAND test -x ${data}/${script} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "share/schedlab/${script} is installed without its execute bit")
  endif()
endforeach()
foreach(checkout_only setup.sh test.sh demo.sh format.sh lint.sh check-technique.sh)
  if(EXISTS ${data}/jobs/${checkout_only})
    message(FATAL_ERROR "share/schedlab/jobs/${checkout_only} builds or checks a checkout: not for an install")
  endif()
endforeach()

# The SLURM helper, run as a job would (from a submit directory without build/release),
# finds <prefix>/bin; so does the helper that scaling.sh and lab-check.sh use.
file(MAKE_DIRECTORY ${WORK_DIR})
execute_process(
  COMMAND env -u SCHEDLAB_BUILD -u SLURM_SUBMIT_DIR bash -c
          ". '${data}/jobs/slurm/common.sh' && schedlab_find_build schedlab-omp schedlab-mpi && echo \"bin=$SCHEDLAB_BIN\""
  WORKING_DIRECTORY ${WORK_DIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(REAL_PATH ${PREFIX}/bin bin)
if(NOT rc EQUAL 0 OR NOT out MATCHES "bin=${bin}\n")
  message(FATAL_ERROR "installed jobs/slurm/common.sh did not find ${bin} (${rc}):\n${out}\n${err}")
endif()
execute_process(
  COMMAND bash -c ". '${data}/jobs/default-build.sh' && schedlab_default_build '${data}'"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out)
file(REAL_PATH ${PREFIX} prefix)
if(NOT out STREQUAL "${prefix}\n")
  message(FATAL_ERROR "installed jobs/default-build.sh gave '${out}', not ${prefix}")
endif()
message(STATUS "installed: ${PROGRAMS}, the job scripts (they find ${bin}), the student template")
