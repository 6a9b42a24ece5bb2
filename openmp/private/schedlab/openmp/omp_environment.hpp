// The OpenMP environment a run depends on: the team size (--threads / OMP_NUM_THREADS),
// OMP_SCHEDULE for schedule(runtime), and thread binding (OMP_PROC_BIND, OMP_PLACES).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace schedlab {

// Upper bound for --threads and OMP_NUM_THREADS: 64 x the logical CPUs. Oversubscribing a
// few times over is a fair experiment; 100000 threads is a typo.
int max_threads_allowed();

// --threads TEXT, or (TEXT empty) OMP_NUM_THREADS as the runtime read it, else all logical
// CPUs. Throws UsageError unless it is a whole number from 1 to max_threads_allowed().
int resolve_threads(std::string_view text);

// Throws UsageError unless `value` is what OMP_SCHEDULE allows:
// [monotonic:|nonmonotonic:]static|dynamic|guided|auto[,chunk] with chunk >= 1.
// libgomp itself would warn and silently fall back to its default, or treat chunk 0 as 1.
void check_omp_schedule(std::string_view value);
// check_omp_schedule() of the OMP_SCHEDULE variable, when it is set.
void check_omp_schedule_env();
// "'dynamic,4'" (quoted, as set) or "unset".
std::string describe_omp_schedule_env();

// What schedule(runtime) will use, from omp_get_schedule(), e.g. "dynamic,1" or
// "monotonic:static" (static with no chunk: one block per thread).
std::string describe_runtime_schedule();

// OMP_PROC_BIND and OMP_PLACES as set ("unset" if not), and what the runtime made of them:
// omp_get_proc_bind (false | true | primary | close | spread) and omp_get_num_places.
std::map<std::string, std::string> binding_in_effect();

}  // namespace schedlab
