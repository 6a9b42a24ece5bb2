// The parts rma and hierarchical share: the chunk table, running a claimed range, and
// gathering shares of any size to rank 0 at the end.
#include "claimed_share.hpp"

#include <stdexcept>

#include "schedlab/interrupt.hpp"
#include "schedlab/mpi/protocol.hpp"
#include "schedlab/mpi/strategies.hpp"

namespace schedlab {

techniques::ChunkTable claimed_chunk_table(const techniques::TechniqueSpec& technique,
                                           std::size_t tasks, const RankContext& ctx) {
  // N and the workers that claim (ranks x threads); no task costs.
  techniques::LoopSetup loop;
  loop.tasks = tasks;
  loop.workers = ctx.workers();
  return techniques::chunk_table(technique, loop);
}

TaskRange tasks_of_chunks(const techniques::ChunkTable& table, std::size_t k, std::size_t n) {
  const std::size_t count = table.count();
  if (k >= count) return TaskRange{table.first.empty() ? 0 : table.first.back(), 0};
  const std::size_t end = k + n < count ? k + n : count;
  return TaskRange{table.first[k], table.first[end] - table.first[k]};
}

bool ClaimedShare::run(const std::vector<Task>& tasks, TaskRange range, const RankContext& ctx,
                       Clock::time_point t0, Progress* progress, const ServeWhileRunning* serve) {
  if (used_ + range.count > ran_.outcomes.size()) {
    throw std::logic_error("claimed run: more tasks claimed than the list has");
  }
  run_tasks_in_rank(tasks, range, ctx, t0, ran_, progress, serve, used_);
  used_ += range.count;
  return !ran_.error && !ran_.interrupted;
}

namespace {

// Rank 0 learns how many outcome records each rank brings; the others wait sleeping.
std::vector<int> gather_byte_counts(int my_bytes, const RankContext& ctx) {
  std::vector<int> bytes(ctx.rank == 0 ? static_cast<std::size_t>(ctx.ranks) : 0);
  MPI_Request request;
  MPI_Igather(&my_bytes, 1, MPI_INT, bytes.data(), 1, MPI_INT, 0, ctx.comm, &request);
  wait_without_spinning(request);
  return bytes;
}

}  // namespace

RunResult finish_claimed_run(const std::vector<Task>& tasks, ClaimedShare& mine,
                             const techniques::ChunkTable& table, const RankContext& ctx,
                             Clock::time_point t0, Progress& progress) {
  const bool root = ctx.rank == 0;
  // Records travel as bytes; the task limit (10 M x 40 B) keeps every count below INT_MAX.
  const int my_bytes = static_cast<int>(mine.used() * sizeof(TaskOutcome));
  const std::vector<int> bytes = gather_byte_counts(my_bytes, ctx);
  std::vector<int> offsets(bytes.size(), 0);
  for (std::size_t r = 1; r < bytes.size(); ++r) offsets[r] = offsets[r - 1] + bytes[r - 1];
  const std::size_t records =
      bytes.empty() ? 0
                    : static_cast<std::size_t>(offsets.back() + bytes.back()) / sizeof(TaskOutcome);
  std::vector<TaskOutcome>& all = mine.gathered();
  if (all.size() < records) throw std::logic_error("claimed run: more outcomes than tasks");
  all.resize(records);  // shrinks only: no allocation inside Tp
  MPI_Request request;
  MPI_Igatherv(mine.outcomes(), my_bytes, MPI_BYTE, all.data(), bytes.data(), offsets.data(),
               MPI_BYTE, 0, ctx.comm, &request);
  wait_without_spinning(request);
  const std::optional<TaskError> failure = agree_on_first_failure(mine.error(), ctx.rank, ctx.comm);
  const bool interrupted =
      agree_on_interrupt(mine.interrupted() ? interrupt_signal() : 0, ctx.comm) != 0;
  // Every result is at rank 0 now; what follows is bookkeeping, outside Tp.
  const double wall_seconds = seconds_between(t0, Clock::now());
  RunResult run = root ? empty_result(tasks.size(), ctx.workers()) : RunResult{};
  run.wall_seconds = wall_seconds;
  run.workers = ctx.workers();
  run.error = failure;
  run.interrupted = interrupted;
  if (root) {
    const std::vector<std::size_t> chunk_of = techniques::chunk_of_task(table);
    for (const TaskOutcome& o : all) {
      if (o.worker < 0) continue;  // claimed, but the rank stopped before it (failure, signal)
      if (o.task >= tasks.size()) throw std::logic_error("claimed run: a task id out of range");
      run.results[o.task] = o.result;
      run.trace[o.task] =
          TaskRecord{o.task, o.worker, o.cpu, o.start, o.end, static_cast<int>(chunk_of[o.task])};
      // Rank 0 counted its own tasks as they finished; the others arrive now.
      if (o.worker / ctx.threads != 0) progress.task_done();
    }
    run.completion_order = completion_order_by_end(run.trace);
  }
  progress.finish();
  return run;
}

}  // namespace schedlab
