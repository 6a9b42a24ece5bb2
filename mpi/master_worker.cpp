// Master-worker: rank 0 hands out chunks of tasks on request and collects the results as
// they come (the notebook's submit() + as_completed()). A registry technique (techniques/)
// sizes each chunk; the messages are in protocol.hpp.
#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "schedlab/interrupt.hpp"
#include "schedlab/kernel.hpp"
#include "schedlab/mpi/partition.hpp"
#include "schedlab/mpi/protocol.hpp"
#include "schedlab/mpi/strategies.hpp"
#include "schedlab/perturb.hpp"
#include "schedlab/steps.hpp"
#include "schedlab/techniques/technique.hpp"

namespace schedlab {

techniques::TechniqueSpec master_worker_technique(const MasterWorkerConfig& config) {
  if (config.technique) return *config.technique;
  // Fixed chunks of C: tss with its first and last chunk both C decreases by 0.
  return techniques::fixed_chunk_technique(config.chunk);
}

namespace {

// What every technique may know before the loop: N, the workers that ask (the computing
// ranks), each task's size in kernel units as its known cost, and the step: under --steps the
// technique lives on rank 0, the master; it starts step s > 0 from what step s-1 taught it
// (the driver sets the step on every rank).
techniques::LoopSetup loop_of(const std::vector<Task>& tasks, int workers,
                              std::vector<double> weights) {
  techniques::LoopSetup loop = techniques::loop_of_tasks(tasks, workers, current_step());
  if (weights.size() == static_cast<std::size_t>(workers)) loop.weights = std::move(weights);
  return loop;
}

// Every rank's kernel speed (units per second), at rank 0; {} elsewhere or when one rank could
// not measure. Collective: every rank calls it.
std::vector<double> measured_rank_speeds(const RankContext& ctx) {
  double mine = measure_units_per_second();
  std::vector<double> speeds(ctx.rank == 0 ? static_cast<std::size_t>(ctx.ranks) : 0);
  MPI_Gather(&mine, 1, MPI_DOUBLE, speeds.data(), 1, MPI_DOUBLE, 0, ctx.comm);
  for (const double speed : speeds) {
    if (!(speed > 0)) return {};
  }
  return speeds;
}

// Rank 0: hands out chunks, records replies, and (--master computes) runs chunks itself.
// Reply buffers are reused from chunk to chunk, and written through before the start
// barrier up to this many records (12 MB): enough for fac2's first chunk of a million tasks
// at P = 2. A fresh buffer per reply cost a page fault every 4 KiB inside Tp (a million
// 1-unit tasks under fac2: ~25 ms of a 74 ms run, docs/performance.md).
constexpr std::size_t kPrefilledRecords = std::size_t{1} << 18;

// Gives `v` the capacity for n elements and writes them, so that its pages are mapped.
template <class T>
void prefill(std::vector<T>& v, std::size_t n) {
  v.resize(n);
  v.clear();
}

// A reused RankRun made ready for the next chunk: `count` empty slots tagged with the chunk's
// index, no failure, no signal (its capacity kept: nothing is allocated once it is large
// enough).
void start_chunk(RankRun& run, std::size_t count, std::size_t index) {
  run.outcomes.assign(count, TaskOutcome{});
  for (TaskOutcome& o : run.outcomes) o.chunk = static_cast<std::int32_t>(index);
  run.error.reset();
  run.interrupted = false;
}

std::size_t prefilled_records(std::size_t tasks, int computing_ranks) {
  const auto p = static_cast<std::size_t>(std::max(computing_ranks, 1));
  return std::min((tasks + p - 1) / p, kPrefilledRecords);
}

class Master {
 public:
  // Constructed before the start barrier: the record is allocated (and its pages touched)
  // outside Tp.
  Master(const std::vector<Task>& tasks, const RankContext& ctx, const MasterWorkerConfig& config,
         Progress& progress, std::vector<double> rank_speeds)
      : tasks_(tasks),
        ctx_(ctx),
        config_(config),
        progress_(progress),
        run_(empty_result(tasks.size(), ctx.workers())),
        held_(static_cast<std::size_t>(ctx.ranks), 0),
        released_(static_cast<std::size_t>(ctx.ranks), false),
        spec_(master_worker_technique(config)),
        name_(spec_.text()),
        loop_(loop_of(tasks, computing_ranks(), std::move(rank_speeds))),
        technique_(techniques::make_technique(spec_, loop_)),
        adaptive_(spec_.info->adaptive) {
    released_[0] = true;                         // rank 0 is not a worker of itself
    run_.completion_order.resize(tasks.size());  // every slot touched now, filled in Tp
    // At most N chunks: the send times are allocated now, outside Tp.
    if (adaptive_) sent_at_.assign(tasks.size(), 0.0);
    if (!tasks.empty()) {
      mean_units_ = static_cast<double>(total_units(tasks)) / static_cast<double>(tasks.size());
    }
    const std::size_t records = prefilled_records(tasks.size(), computing_ranks());
    prefill(reply_.outcomes, records);
    prefill(reply_bytes_, records * sizeof(TaskOutcome));
    prefill(own_.outcomes, records);
    prefill(own_done_, records);
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
    if (config_.stats != nullptr) config_.stats->chunks += chunks_;
    run_.completion_order.resize(arrived_);
    run_.interrupted = stopped_by_signal_ && run_.completed() < tasks_.size();
    return std::move(run_);
  }

 private:
  bool work_left() const { return !stopping_ && next_task_ < tasks_.size(); }

  // Chunks left if the rest went out at the last chunk's size: for fixed chunks exact, for a
  // decreasing technique (gss, fac2...) an underestimate, so the tail starts a little early.
  std::size_t chunks_left() const {
    return techniques::ceil_div(tasks_.size() - next_task_, last_size_);
  }

  int computing_ranks() const { return ctx_.ranks - (config_.master_computes ? 0 : 1); }
  // The technique numbers the ranks that compute 0..P-1 (a dedicated master is not one).
  int worker_of(int rank) const { return rank - (config_.master_computes ? 0 : 1); }

  // The technique sizes the next chunk for `rank`: one call per chunk, here at the master,
  // so adaptive techniques see every timing in order. A wrong answer (0, more than left,
  // an exception) throws TechniqueError naming N, P, the call; the job then aborts.
  TaskRange take_chunk(int rank) {
    const auto asked = config_.stats != nullptr ? Clock::now() : Clock::time_point{};
    const std::size_t size = techniques::checked_next_chunk(
        *technique_, name_, loop_, tasks_.size() - next_task_, worker_of(rank));
    if (config_.stats != nullptr)
      config_.stats->technique_seconds += seconds_between(asked, Clock::now());
    const TaskRange chunk{next_task_, size};
    next_task_ += size;
    last_size_ = size;
    if (adaptive_) sent_at_[chunks_] = seconds_between(t0_, Clock::now());
    ++chunks_;
    return chunk;
  }

  // Adaptive techniques learn each finished chunk's time: its tasks' span on the rank that
  // ran it, and (awf-d, awf-e) the time since the master handed it out, dispatch included.
  void tell_technique(int rank, std::size_t chunk_index, const std::vector<TaskOutcome>& ran) {
    if (!adaptive_ || ran.empty()) return;
    double first_start = ran.front().start;
    double last_end = ran.front().end;
    double squares = 0;
    for (const TaskOutcome& o : ran) {
      first_start = std::min(first_start, o.start);
      last_end = std::max(last_end, o.end);
      squares += (o.end - o.start) * (o.end - o.start);
    }
    // Per-task squares mean one task at a time: with threads inside a rank they overlap.
    if (ctx_.threads > 1) squares = -1;
    if (trace_level() == TraceLevel::kOff) {
      // No per-task times (--trace off): the chunk's time is the master's view, from
      // sending it to its reply (dispatch included), and the spread of its tasks unknown.
      last_end = seconds_between(t0_, Clock::now());
      first_start = sent_at_[chunk_index];
      squares = -1;
    }
    const auto told = config_.stats != nullptr ? Clock::now() : Clock::time_point{};
    technique_->chunk_finished({worker_of(rank), ran.size(), last_end - first_start,
                                last_end - sent_at_[chunk_index], squares});
    if (config_.stats != nullptr)
      config_.stats->technique_seconds += seconds_between(told, Clock::now());
  }

  // Sends worker w chunks until it holds `up_to`. A worker holds more than one chunk only
  // while at least --prefetch chunks per computing rank are left: near the end a prefetched
  // chunk would sit in one worker's queue while another rank idles, so the last chunks go
  // out on request only, to whichever rank is free first (as dynamic hands them out).
  void hand_out(int w, std::size_t up_to) {
    auto& held = held_[static_cast<std::size_t>(w)];
    const std::size_t tail = static_cast<std::size_t>(computing_ranks()) * config_.prefetch;
    while (work_left() && held < up_to && (held == 0 || chunks_left() >= tail)) {
      const std::size_t index = chunks_;
      const TaskRange chunk = take_chunk(w);
      send_work(w, chunk, index, ctx_.comm);
      // The worker may finish this chunk in about its units' time: serve at least that often.
      serve_every_ = std::clamp<std::uint64_t>(
          static_cast<std::uint64_t>(static_cast<double>(chunk.count) * mean_units_), 1,
          kServeSliceUnits);
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
    run_.trace[o.task] = TaskRecord{o.task, o.worker, o.cpu, o.start, o.end, o.chunk};
    run_.completion_order[arrived_++] = o.task;
    progress_.task_done();
  }

  // One reply from a worker: record it, then hand that worker its next chunk.
  void handle_reply(const MPI_Status& status) {
    if (status.MPI_TAG != kTagResults && status.MPI_TAG != kTagTaskFailed) {
      throw std::logic_error("master-worker: unexpected message tag " +
                             std::to_string(status.MPI_TAG));
    }
    const auto served_from = config_.stats != nullptr ? Clock::now() : Clock::time_point{};
    const int w = status.MPI_SOURCE;
    receive_reply(status, ctx_.comm, reply_bytes_, reply_);
    const ChunkReply& reply = reply_;
    --held_[static_cast<std::size_t>(w)];
    for (const TaskOutcome& o : reply.outcomes) record(o);
    tell_technique(w, reply.chunk_index, reply.outcomes);
    if (reply.failed_task) fail(TaskError{*reply.failed_task, w, reply.failure_message});
    if (reply.interrupt_signal != 0) {
      if (!interrupt_requested()) request_interrupt(reply.interrupt_signal);
      stop_for_signal();
    }
    hand_out(w, config_.prefetch);
    release_if_idle(w);
    if (config_.stats != nullptr) {
      config_.stats->serve_seconds += seconds_between(served_from, Clock::now());
      ++config_.stats->replies;
    }
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
  // (MPI_Iprobe: ~35 ns when nothing came), and between its tasks as often as a worker can
  // finish a chunk (serve_every_ units of its own work, at most kServeSliceUnits). A worker
  // whose held chunks ran out would otherwise idle until the master's task ended; prefetch
  // covers the remaining wait. Probing after every task instead cost a master running
  // 1-unit tasks ~10x their work when the chunks were large (fac2), for nothing.
  void run_own_chunk() {
    const std::size_t index = chunks_;
    const TaskRange chunk = take_chunk(0);
    RankRun& own = own_;  // reused: its slots were written before the start barrier
    start_chunk(own, chunk.count, index);
    const int thread0 = ctx_.rank * ctx_.threads;  // this rank's thread 0, as a worker id
    const ServeWhileRunning serve{[&](const TaskOutcome& mine) {
                                    record(mine);
                                    units_since_served_ += tasks_[mine.task].size;
                                    if (units_since_served_ >= serve_every_) {
                                      units_since_served_ = 0;
                                      serve_arrived();
                                    }
                                    return !stopping_;
                                  },
                                  [&] { serve_arrived(); }, kServeSliceUnits};
    run_tasks_in_rank(tasks_, chunk, ctx_, t0_, own, nullptr, &serve);
    // With --threads > 1 the other threads' tasks are recorded now, as the chunk ends.
    own.finished_in_order(own_done_);
    const std::vector<TaskOutcome>& ran = own_done_;
    for (const TaskOutcome& o : ran) {
      if (o.worker != thread0) record(o);
    }
    tell_technique(0, index, ran);
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
  techniques::TechniqueSpec spec_;
  std::string name_;  // the technique's canonical text, for its error messages
  techniques::LoopSetup loop_;
  std::unique_ptr<techniques::Technique> technique_;
  bool adaptive_ = false;
  std::size_t chunks_ = 0;       // chunks handed out so far: the next chunk's index
  std::size_t last_size_ = 1;    // the last chunk's size (chunks_left)
  std::vector<double> sent_at_;  // adaptive: when each chunk was handed out (since t0)
  double mean_units_ = 1;        // units per task, over the list
  std::uint64_t serve_every_ = kServeSliceUnits;  // own units between two serves
  std::uint64_t units_since_served_ = 0;
  // Reused from reply to reply and chunk to chunk (prefilled before the start barrier).
  std::vector<std::byte> reply_bytes_;
  ChunkReply reply_;
  RankRun own_;
  std::vector<TaskOutcome> own_done_;
};

// A worker's buffers, reused from chunk to chunk and prefilled before the start barrier.
struct WorkerBuffers {
  WorkerBuffers(std::size_t tasks, int computing_ranks) {
    const std::size_t records = prefilled_records(tasks, computing_ranks);
    prefill(ran.outcomes, records);
    prefill(reply.outcomes, records);
    prefill(pending.buffer, records * sizeof(TaskOutcome));
  }
  RankRun ran;
  ChunkReply reply;
  PendingReply pending;
};

// A worker: holds up to --prefetch chunks, runs them in order, answers each.
void run_worker(const std::vector<Task>& tasks, const RankContext& ctx, Clock::time_point t0,
                WorkerBuffers& buffers) {
  struct HeldChunk {
    TaskRange range;
    std::size_t index = 0;
  };
  std::deque<HeldChunk> held;
  bool released = false;  // Done or Stop arrived: nothing more will come
  bool stopping = false;  // Stop, our own failure or a signal: run nothing more
  PendingReply& pending = buffers.pending;
  const bool perturbed = perturbations_set();
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
        // --perturb latency=S: the dispatch reaches this rank S later (busy-waited here).
        if (perturbed) delay_dispatch(ctx.rank, ctx.threads);
        held.push_back({message.chunk, message.chunk_index});
      } else {
        released = true;
        stopping = stopping || message.tag == kTagStop;
      }
    }
    if (stopping) {
      // Rule 1 of the protocol: every chunk gets a reply, an empty one if it never ran.
      for (const HeldChunk& chunk : held)
        post_reply(ChunkReply{chunk.range, {}, {}, {}, 0, chunk.index}, pending, ctx.comm);
      held.clear();
      if (released) break;
      continue;
    }
    if (held.empty()) break;  // Done, and nothing held
    const HeldChunk chunk = held.front();
    held.pop_front();
    RankRun& ran = buffers.ran;  // reused: no allocation per chunk
    start_chunk(ran, chunk.range.count, chunk.index);
    run_tasks_in_rank(tasks, chunk.range, ctx, t0, ran);
    ChunkReply& reply = buffers.reply;
    reply.chunk = chunk.range;
    reply.chunk_index = chunk.index;
    reply.failed_task.reset();
    reply.failure_message.clear();
    reply.interrupt_signal = 0;
    ran.finished_in_order(reply.outcomes);
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
  // A technique that needs weights (wf2), given none, weighs each rank by its speed, measured on
  // the kernel by every rank at once before the start barrier, and gathered to the master.
  std::vector<double> speeds;
  if (master_worker_technique(config).info->needs_weights) speeds = measured_rank_speeds(ctx);
  std::optional<Master> master;
  std::optional<WorkerBuffers> buffers;
  if (ctx.rank == 0) {
    master.emplace(tasks, ctx, config, progress, std::move(speeds));
  } else {
    buffers.emplace(tasks.size(), ctx.ranks - (config.master_computes ? 0 : 1));
  }
  MPI_Barrier(ctx.comm);
  const auto t0 = Clock::now();
  RunResult run;
  if (master) {
    run = master->run(t0);
  } else {
    run_worker(tasks, ctx, t0, *buffers);
    run.workers = ctx.workers();
    run.wall_seconds = seconds_between(t0, Clock::now());
  }
  progress.finish();
  share_outcome(run, ctx.rank, ctx.comm);
  return run;
}

}  // namespace schedlab
