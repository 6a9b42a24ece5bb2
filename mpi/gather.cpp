// The end-of-run gather of static, cyclic, plans, rma and hierarchical (gather.hpp).
#include "schedlab/mpi/gather.hpp"

#include <stdexcept>

namespace schedlab {

GatherLayout plan_gather(std::size_t mine, const RankContext& ctx) {
  const int count = static_cast<int>(mine);
  GatherLayout layout;
  if (ctx.rank == 0) layout.counts.resize(static_cast<std::size_t>(ctx.ranks));
  MPI_Gather(&count, 1, MPI_INT, layout.counts.data(), 1, MPI_INT, 0, ctx.comm);
  layout.offsets.assign(layout.counts.size(), 0);
  for (std::size_t r = 1; r < layout.counts.size(); ++r) {
    layout.offsets[r] = layout.offsets[r - 1] + layout.counts[r - 1];
  }
  if (!layout.counts.empty()) {
    layout.total = static_cast<std::size_t>(layout.offsets.back()) +
                   static_cast<std::size_t>(layout.counts.back());
  }
  return layout;
}

bool results_suffice(const RankContext& ctx) {
  return trace_level() == TraceLevel::kOff && ctx.threads == 1;
}

void gather_outcomes(std::span<const TaskOutcome> mine, const GatherLayout& layout,
                     std::vector<TaskOutcome>& all, const RankContext& ctx) {
  constexpr int kBytes = static_cast<int>(sizeof(TaskOutcome));
  std::vector<int> bytes(layout.counts.size());
  std::vector<int> offsets(layout.offsets.size());
  for (std::size_t r = 0; r < bytes.size(); ++r) {
    bytes[r] = layout.counts[r] * kBytes;
    offsets[r] = layout.offsets[r] * kBytes;
  }
  // The callers allocate `all` before the run (written through: no page faults here),
  // except after a failure or a signal, when speed no longer matters.
  all.resize(layout.total);
  MPI_Gatherv(mine.data(), static_cast<int>(mine.size()) * kBytes, MPI_BYTE, all.data(),
              bytes.data(), offsets.data(), MPI_BYTE, 0, ctx.comm);
}

void gather_results(std::span<const TaskOutcome> mine, const GatherLayout& layout,
                    std::vector<std::uint64_t>& values, const RankContext& ctx) {
  if (values.size() < layout.total) throw std::logic_error("gather_results: buffer too small");
  // One uint64 whose extent is a whole record: element k is mine[k].result. Nothing is
  // copied into a send buffer first.
  MPI_Datatype result_field;
  MPI_Type_create_resized(MPI_UINT64_T, 0, static_cast<MPI_Aint>(sizeof(TaskOutcome)),
                          &result_field);
  MPI_Type_commit(&result_field);
  const void* first = mine.empty() ? nullptr : &mine.front().result;
  MPI_Gatherv(first, static_cast<int>(mine.size()), result_field, values.data(),
              layout.counts.data(), layout.offsets.data(), MPI_UINT64_T, 0, ctx.comm);
  MPI_Type_free(&result_field);
}

void assemble_outcomes(std::span<const TaskOutcome> all, std::span<const std::size_t> chunk_of_task,
                       int threads, RunResult& run, Progress& progress) {
  for (const TaskOutcome& o : all) {
    if (o.worker < 0) continue;  // a slot whose task never ran (failure or signal)
    if (o.task >= run.results.size()) throw std::logic_error("gather: a task id out of range");
    const int chunk = chunk_of_task.empty() ? o.chunk : static_cast<int>(chunk_of_task[o.task]);
    run.results[o.task] = o.result;
    run.trace[o.task] = TaskRecord{o.task, o.worker, o.cpu, o.start, o.end, chunk};
    // Rank 0 counted its own tasks as they finished; the others arrive now.
    if (o.worker / threads != 0) progress.task_done();
  }
}

}  // namespace schedlab
