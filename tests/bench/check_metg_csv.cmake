# Runs schedlab-metg on the three-round fixture with --metg-csv and --rounds-csv and checks the
# files: the columns in order, one row per strategy, the statuses (a bound is never
# "measured"), numeric columns numeric, an empty METG for not-reached.
# Usage: cmake -DMETG=... -DROUNDS=dir -DOUT=dir -P check_metg_csv.cmake
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${METG} ${ROUNDS}/round1.csv ${ROUNDS}/round2.csv ${ROUNDS}/round3.csv
  --peak 1e8,1e8,1e8 --cpu-model "Test CPU, 2 GHz" --metg-csv ${OUT}/metg.csv
  --rounds-csv ${OUT}/metg-rounds.csv OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "schedlab-metg exited ${rc}")
endif()
file(READ ${OUT}/metg.csv csv)
set(expected
  "strategy,metg_us,metg_peak_us,status,rounds,cpu_model,runner,workers,trace,metg_status,"
  "metg_low_us,metg_high_us,metg_peak_low_us,metg_peak_high_us,metg_us_minrep,"
  "metg_status_minrep,metg_peak_us_minrep,status_minrep,peak_units_per_s\n"
  "OpenMP static,0.1139,0.1833,measured,3,\"Test CPU, 2 GHz\",schedlab-omp,2,off,measured,"
  "0.0889,0.1611,0.1810,0.1899,0.0900,bound,0.1275,measured,1e+08\n"
  "\"OpenMP dynamic,1\",0.0769,0.0769,bound,3,\"Test CPU, 2 GHz\",schedlab-omp,2,off,bound,"
  "0.0667,0.1852,0.0667,0.2222,0.0692,bound,0.0692,bound,1e+08\n"
  "MPI static,0.7407,,not-reached,3,\"Test CPU, 2 GHz\",schedlab-mpi,2,off,measured,"
  "0.4104,0.7407,,,0.3553,measured,,not-reached,1e+08\n")
string(CONCAT expected ${expected})
if(NOT csv STREQUAL expected)
  message(FATAL_ERROR "metg.csv is not the expected file:\n${csv}\nexpected:\n${expected}")
endif()
file(STRINGS ${OUT}/metg-rounds.csv rows)
list(LENGTH rows n)
if(NOT n EQUAL 10)
  message(FATAL_ERROR "metg-rounds.csv: ${n} lines, expected a header and 9 rows")
endif()
list(GET rows 5 round2_dynamic)
if(NOT round2_dynamic MATCHES "^2,\"OpenMP dynamic,1\",0\\.0667,0\\.0667,bound,bound,")
  message(FATAL_ERROR "metg-rounds.csv round 2 of dynamic,1: ${round2_dynamic}")
endif()
message(STATUS "metg.csv and metg-rounds.csv as expected")
