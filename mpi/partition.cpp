// Block and cyclic ownership: integer arithmetic only.
#include "schedlab/mpi/partition.hpp"

#include <algorithm>

namespace schedlab {

TaskRange block_range(std::size_t tasks, int ranks, int rank) {
  const auto r = static_cast<std::size_t>(rank);
  const auto p = static_cast<std::size_t>(ranks);
  const std::size_t base = tasks / p;
  const std::size_t extra = tasks % p;
  // Ranks below `extra` carry one task more; everything before rank r is r blocks.
  return {r * base + std::min(r, extra), base + (r < extra ? 1 : 0)};
}

std::vector<std::size_t> cyclic_tasks(std::size_t tasks, int ranks, int rank, std::size_t chunk) {
  std::vector<std::size_t> ids;
  const auto stride = static_cast<std::size_t>(ranks) * chunk;
  for (std::size_t first = static_cast<std::size_t>(rank) * chunk; first < tasks; first += stride) {
    for (std::size_t t = first; t < std::min(first + chunk, tasks); ++t) ids.push_back(t);
  }
  return ids;
}

std::vector<std::size_t> task_ids(TaskRange range) {
  std::vector<std::size_t> ids(range.count);
  for (std::size_t i = 0; i < range.count; ++i) ids[i] = range.first + i;
  return ids;
}

int block_owner(std::size_t task, std::size_t tasks, int ranks) {
  for (int r = 0; r < ranks; ++r) {
    const TaskRange range = block_range(tasks, ranks, r);
    if (task < range.first + range.count) return r;
  }
  return -1;
}

int cyclic_owner(std::size_t task, int ranks, std::size_t chunk) {
  return static_cast<int>((task / chunk) % static_cast<std::size_t>(ranks));
}

}  // namespace schedlab
