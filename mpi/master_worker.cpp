// Master-worker: rank 0 hands out chunks of tasks on request and collects the results as
// they come (the notebook's submit() + as_completed()). The messages are in protocol.hpp.
#include <deque>
#include <optional>
#include <stdexcept>

#include "schedlab/mpi/partition.hpp"
#include "schedlab/mpi/protocol.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/mpi/strategies.hpp"

namespace schedlab {
namespace {

// Rank 0: hands out chunks, records replies, and (--master computes) runs chunks itself.
class Master {
 public:
  // Constructed before the start barrier: the record is allocated (and its pages touched)
  // outside Tp.
  Master(const std::vector<Task>& tasks, const RankContext& ctx, const MasterWorkerConfig& config,
         Progress& progress)
      : tasks_(tasks),
        ctx_(ctx),
        config_(config),
        progress_(progress),
        run_(empty_result(tasks.size(), ctx.workers())),
        held_(static_cast<std::size_t>(ctx.ranks), 0),
        released_(static_cast<std::size_t>(ctx.ranks), false) {
    released_[0] = true;  // rank 0 is not a worker of itself
    run_.completion_order.resize(tasks.size());  // every slot touched now, filled in Tp
  }

  RunResult run(Clock::time_point t0) {
    t0_ = t0;
    // The first chunks go out unasked, one per worker per round, so every worker starts
    // at once and holds its next chunk before it needs it.
    for (std::size_t round = 1; round <= config_.prefetch; ++round) {
      for (int w = 1; w < ctx_.ranks; ++w) hand_out(w, round);
    }
    for (int w = 1; w < ctx_.ranks; ++w) release_if_idle(w);

    while (true) {
      if (interrupt_requested()) stop_for_signal();
      serve_arrived();
      if (config_.master_computes && work_left()) {
        run_own_chunk();
        continue;
      }
      if (all_workers_finished()) break;
      // Nothing left to run here: wait for the next reply. Open MPI busy-polls inside
      // MPI_Probe, so a waiting master keeps its core at 100% - a dedicated master costs a
      // whole core, which is why by default rank 0 computes too.
      MPI_Status status;
      MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, ctx_.comm, &status);
      handle_reply(status);
    }
    run_.wall_seconds = seconds_between(t0_, Clock::now());
    run_.completion_order.resize(arrived_);
    run_.interrupted = stopped_by_signal_ && run_.completed() < tasks_.size();
    return std::move(run_);
  }

 private:
  bool work_left() const { return !stopping_ && next_task_ < tasks_.size(); }

  std::size_t chunks_left() const {
    return (tasks_.size() - next_task_ + config_.chunk - 1) / config_.chunk;
  }

  int computing_ranks() const { return ctx_.ranks - (config_.master_computes ? 0 : 1); }

  // Sends worker w chunks until it holds `up_to`. A worker holds more than one chunk only
  // while at least --prefetch chunks per computing rank are left: near the end a prefetched
  // chunk would sit in one worker's queue while another rank idles, so the last chunks go
  // out on request only, to whichever rank is free first (as dynamic hands them out).
  void hand_out(int w, std::size_t up_to) {
    auto& held = held_[static_cast<std::size_t>(w)];
    const std::size_t tail = static_cast<std::size_t>(computing_ranks()) * config_.prefetch;
    while (work_left() && held < up_to && (held == 0 || chunks_left() >= tail)) {
      const TaskRange chunk = next_chunk(next_task_, tasks_.size(), config_.chunk);
      next_task_ += chunk.count;
      send_work(w, chunk, ctx_.comm);
      ++held;
    }
  }

  // A worker that holds nothing when no work is left gets its last message.
  void release_if_idle(int w) {
    const auto i = static_cast<std::size_t>(w);
    if (!work_left() && held_[i] == 0 && !released_[i]) {
      send_done(w, ctx_.comm);
      released_[i] = true;
    }
  }

  // After a failure or a signal: hand out nothing more and tell every worker to stop.
  void stop_everyone() {
    stopping_ = true;
    for (int w = 1; w < ctx_.ranks; ++w) {
      const auto i = static_cast<std::size_t>(w);
      if (!released_[i]) {
        send_stop(w, ctx_.comm);
        released_[i] = true;
      }
    }
  }

  void stop_for_signal() {
    if (stopped_by_signal_) return;
    stopped_by_signal_ = true;
    stop_everyone();
  }

  void fail(const TaskError& error) {
    if (!run_.error) run_.error = error;
    stop_everyone();
  }

  bool all_workers_finished() const {
    for (std::size_t w = 1; w < held_.size(); ++w) {
      if (!released_[w] || held_[w] != 0) return false;
    }
    return true;
  }

  void record(const TaskOutcome& o) {
    run_.results[o.task] = o.result;
    run_.trace[o.task] = TaskRecord{o.task, o.worker, o.cpu, o.start, o.end};
    run_.completion_order[arrived_++] = o.task;
    progress_.task_done();
  }

  // One reply from a worker: record it, then hand that worker its next chunk.
  void handle_reply(const MPI_Status& status) {
    if (status.MPI_TAG != kTagResults && status.MPI_TAG != kTagTaskFailed) {
      throw std::logic_error("master-worker: unexpected message tag " +
                             std::to_string(status.MPI_TAG));
    }
    const int w = status.MPI_SOURCE;
    const ChunkReply reply = receive_reply(status, ctx_.comm);
    --held_[static_cast<std::size_t>(w)];
    for (const TaskOutcome& o : reply.outcomes) record(o);
    if (reply.failed_task) fail(TaskError{*reply.failed_task, w, reply.failure_message});
    if (reply.interrupt_signal != 0) {
      if (!interrupt_requested()) request_interrupt(reply.interrupt_signal);
      stop_for_signal();
    }
    hand_out(w, config_.prefetch);
    release_if_idle(w);
  }

  // Answers every reply that has already arrived, without waiting (MPI_Iprobe).
  void serve_arrived() {
    int arrived = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, ctx_.comm, &arrived, &status);
    while (arrived != 0) {
      handle_reply(status);
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, ctx_.comm, &arrived, &status);
    }
  }

  // The computing master takes a chunk like any worker, but its thread 0 keeps serving:
  // inside its own tasks, every kServeSliceUnits units, it answers the replies that arrived
  // (MPI_Iprobe: ~35 ns when nothing came), and after each task it records it and answers
  // again. A worker whose held chunks ran out would otherwise idle until the master's task
  // ended; prefetch covers the remaining wait of at most one slice.
  void run_own_chunk() {
    const TaskRange chunk = next_chunk(next_task_, tasks_.size(), config_.chunk);
    next_task_ += chunk.count;
    RankRun own = prepare_rank_run(chunk.count);
    const int thread0 = ctx_.rank * ctx_.threads;  // this rank's thread 0, as a worker id
    const ServeWhileRunning serve{[&](const TaskOutcome& mine) {
                                    record(mine);
                                    serve_arrived();
                                    return !stopping_;
                                  },
                                  [&] { serve_arrived(); }, kServeSliceUnits};
    run_tasks_in_rank(tasks_, task_ids(chunk), ctx_, t0_, own, nullptr, &serve);
    // With --threads > 1 the other threads' tasks are recorded now, as the chunk ends.
    for (const TaskOutcome& o : own.finished_in_order()) {
      if (o.worker != thread0) record(o);
    }
    if (own.error) fail(*own.error);
    if (own.interrupted) stop_for_signal();
  }

  const std::vector<Task>& tasks_;
  const RankContext& ctx_;
  const MasterWorkerConfig& config_;
  Progress& progress_;
  Clock::time_point t0_;
  RunResult run_;
  std::size_t arrived_ = 0;        // results recorded so far: the completion order's length
  std::size_t next_task_ = 0;      // first task not handed out yet
  std::vector<std::size_t> held_;  // chunks each worker holds (sent, not answered)
  std::vector<bool> released_;     // the worker got its last message (Done or Stop)
  bool stopping_ = false;          // a failure or a signal: hand out nothing more
  bool stopped_by_signal_ = false;
};

// A worker: holds up to --prefetch chunks, runs them in order, answers each.
void run_worker(const std::vector<Task>& tasks, const RankContext& ctx, Clock::time_point t0) {
  std::deque<TaskRange> held;
  bool released = false;  // Done or Stop arrived: nothing more will come
  bool stopping = false;  // Stop, our own failure or a signal: run nothing more
  PendingReply pending;
  while (true) {
    // Take in what the master sent; wait only when there is nothing to run (or when
    // stopping, for the master's Stop).
    while (!released) {
      MPI_Status status;
      int arrived = 1;
      if (held.empty() || stopping) {
        MPI_Probe(0, MPI_ANY_TAG, ctx.comm, &status);
      } else {
        MPI_Iprobe(0, MPI_ANY_TAG, ctx.comm, &arrived, &status);
      }
      if (arrived == 0) break;
      const MasterMessage message = receive_master_message(status, ctx.comm);
      if (message.tag == kTagWork) {
        held.push_back(message.chunk);
      } else {
        released = true;
        stopping = stopping || message.tag == kTagStop;
      }
    }
    if (stopping) {
      // Rule 1 of the protocol: every chunk gets a reply, an empty one if it never ran.
      for (const TaskRange& chunk : held)
        post_reply(ChunkReply{chunk, {}, {}, {}, 0}, pending, ctx.comm);
      held.clear();
      if (released) break;
      continue;
    }
    if (held.empty()) break;  // Done, and nothing held
    const TaskRange chunk = held.front();
    held.pop_front();
    RankRun ran = prepare_rank_run(chunk.count);
    run_tasks_in_rank(tasks, task_ids(chunk), ctx, t0, ran);
    ChunkReply reply{chunk, ran.finished_in_order(), {}, {}, 0};
    if (ran.error) {
      reply.failed_task = ran.error->task;
      reply.failure_message = ran.error->message;
      stopping = true;
    }
    if (ran.interrupted) {
      reply.interrupt_signal = interrupt_signal();
      stopping = true;
    }
    post_reply(reply, pending, ctx.comm);
  }
  complete_reply(pending);
}

}  // namespace

// Wins whenever task costs differ and are not known in advance: a rank asks for more when
// it is free, so no rank idles while another has a queue. Costs one round trip per chunk,
// hidden by prefetch; --chunk trades that cost against balance at the end.
RunResult run_master_worker(const std::vector<Task>& tasks, const RankContext& ctx,
                            const MasterWorkerConfig& config, Progress& progress) {
  if (!config.master_computes && ctx.ranks < 2) {
    throw std::invalid_argument("a dedicated master needs at least one worker rank");
  }
  std::optional<Master> master;
  if (ctx.rank == 0) master.emplace(tasks, ctx, config, progress);
  MPI_Barrier(ctx.comm);
  const auto t0 = Clock::now();
  RunResult run;
  if (master) {
    run = master->run(t0);
  } else {
    run_worker(tasks, ctx, t0);
    run.workers = ctx.workers();
    run.wall_seconds = seconds_between(t0, Clock::now());
  }
  progress.finish();
  share_outcome(run, ctx.rank, ctx.comm);
  return run;
}

}  // namespace schedlab
