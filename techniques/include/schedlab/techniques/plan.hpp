// What executors read: a precomputed chunk table (claim chunk k with one fetch_add), a
// per-worker plan for the offline techniques, and each task's chunk index.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace schedlab::techniques {

struct TechniqueSpec;
struct LoopSetup;

// Contiguous chunks in dispatch order: chunk k holds tasks [first[k], first[k+1]).
// An OpenMP executor claims k = next.fetch_add(1) and stops when k >= count().
struct ChunkTable {
  std::vector<std::size_t> first;  // count() + 1 entries, first[0] = 0, last = N
  std::size_t count() const { return first.empty() ? 0 : first.size() - 1; }
  std::size_t size(std::size_t k) const { return first[k + 1] - first[k]; }
  std::vector<std::size_t> sizes() const;
};

// One chunk of a plan: its worker and its tasks, in the order the worker runs them
// (contiguous for static and binlpt, any tasks for lpt).
struct PlanChunk {
  int worker = 0;
  std::vector<std::size_t> tasks;
};

// An offline plan: chunks in plan order; by_worker[w] lists w's chunk indices in run order.
struct Plan {
  std::vector<PlanChunk> chunks;
  std::vector<std::vector<std::size_t>> by_worker;
  std::vector<std::size_t> sizes() const;
};

// Fills by_worker from the chunks' workers (helper for plan builders).
void index_by_worker(Plan& plan, int workers);

// Chunk sizes in dispatch order, what --print-chunks prints:
//   kTable: the table; kPlan: the plan's chunks in plan order;
//   kAsk, not adaptive (wf2, student): as if workers ask in turn 0, 1, ..., P-1, 0, ...
// Throws std::invalid_argument for adaptive techniques (their sizes depend on timings), and
// TechniqueError when the technique answers wrongly.
std::vector<std::size_t> chunk_sizes(const TechniqueSpec& spec, const LoopSetup& loop);

// The table of a kTable technique (throws std::invalid_argument for the others).
ChunkTable chunk_table(const TechniqueSpec& spec, const LoopSetup& loop);

// The plan of a kPlan technique (throws std::invalid_argument for the others).
Plan make_plan(const TechniqueSpec& spec, const LoopSetup& loop);

// Each task's chunk index, for a table and for a plan (N entries).
std::vector<std::size_t> chunk_of_task(const ChunkTable& table);
std::vector<std::size_t> chunk_of_task(const Plan& plan, std::size_t tasks);

// The check jobs/check-technique.sh runs: for N in `ns` and P in `ps`, the technique's
// chunks (workers asking in turn) cover every task exactly once, none below 1 or above
// what is left; adaptive ones are fed equal chunk times. Returns "" or the first problem,
// naming N, P and the call.
std::string check_coverage(const TechniqueSpec& spec, const std::vector<std::size_t>& ns,
                           const std::vector<int>& ps);

}  // namespace schedlab::techniques
