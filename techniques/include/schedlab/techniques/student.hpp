// The student's technique: the one function student/student_technique.cpp fills in.
// Registered as `student`; executors and the simulator call it like any other technique.
#pragma once

#include <cstddef>
#include <vector>

namespace schedlab::student {

// Everything handed out so far, for rules that need history (TSS's previous chunk,
// factoring's batch).
struct LoopSoFar {
  std::size_t tasks = 0;            // N: tasks in the whole loop
  int workers = 1;                  // P
  std::vector<std::size_t> chunks;  // sizes already handed out, in order
};

// How many tasks the next chunk holds, for `worker` (0..P-1), with `remaining` >= 1 tasks
// not yet handed out. Must return 1..remaining.
std::size_t next_chunk(std::size_t remaining, int worker, const LoopSoFar& loop);

}  // namespace schedlab::student
