// Which rank owns which task under the static strategies: pure arithmetic, tested without
// MPI. Master-worker's chunk sizes come from the techniques library (techniques/).
#pragma once

#include <cstddef>
#include <vector>

namespace schedlab {

// Tasks [first, first + count) of the list.
struct TaskRange {
  std::size_t first = 0;
  std::size_t count = 0;
};

// Static block: rank r gets one contiguous block; the first (tasks % ranks) ranks get one
// task more, so block sizes differ by at most one. Ranks beyond the task count get none.
TaskRange block_range(std::size_t tasks, int ranks, int rank);
// Static cyclic: chunks of `chunk` tasks dealt round robin, chunk i to rank i % ranks.
std::vector<std::size_t> cyclic_tasks(std::size_t tasks, int ranks, int rank, std::size_t chunk);
// Task ids of a range, in order.
std::vector<std::size_t> task_ids(TaskRange range);

// The rank a task lands on under each static split (the reports name it).
int block_owner(std::size_t task, std::size_t tasks, int ranks);
int cyclic_owner(std::size_t task, int ranks, std::size_t chunk);

}  // namespace schedlab
