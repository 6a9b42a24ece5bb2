// hierarchical: two levels of masters. Rank 0, the global master, hands batches of chunks
// to one master per node (MPI_Comm_split_type shared); each node master hands chunks to the
// ranks of its node. A request then crosses the network once per batch, not once per chunk,
// and no single rank answers every rank of the job.
//
//   rank r of a node          node master (node rank 0)          global master (rank 0)
//   kTagAsk {stop} ─────────▶ from its queue of chunks
//   ◀──────── kTagChunk {first task, count}  (count 0: you are done)
//                             queue low: kTagAskBatch {stop, wanted} ──▶ next chunks
//                             ◀─────── kTagBatch {first chunk, end}  (empty: no more)
//
// Rules that make it hang-free: every ask gets exactly one answer; a rank asks again until
// it gets count 0, and a node master asks until it gets an empty batch; an ask with the
// stop flag (a failure or a signal) is always answered with count 0 / an empty batch, and
// from then on that node (or, at rank 0, every node) gets nothing more; rank 0 also sends
// kTagStopNode to every node master it has not yet given an empty batch.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <utility>

#include "claimed_share.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/mpi/protocol.hpp"
#include "schedlab/mpi/strategies.hpp"
#include "schedlab/perturb.hpp"

namespace schedlab {
namespace {

// The tags (kTagAsk, kTagChunk, kTagAskBatch, kTagBatch, kTagStopNode): protocol.hpp.

// A node asks for batches of at least this many claims per rank of the node, as soon as its
// queue is below that: one batch being handed out while the next travels. The global
// master may give more (take_batch); near the end batches shrink to this.
constexpr std::size_t kBatchRounds = 4;

// How often a node master looks for messages from the other nodes while it has work.
constexpr std::chrono::microseconds kNetworkProbe{25};

// The two communicators, made before the start barrier (collectives, not dispatch cost).
struct NodeComms {
  MPI_Comm node = MPI_COMM_NULL;     // the ranks that share this node's memory
  MPI_Comm masters = MPI_COMM_NULL;  // node rank 0 of every node (MPI_COMM_NULL elsewhere)
  int node_rank = 0;
  int node_size = 1;
  int masters_size = 1;

  explicit NodeComms(const RankContext& ctx) {
    // The ranks of one shared-memory node, keyed by world rank: world rank 0 is node rank 0
    // of its node, so the global master is also its node's master.
    MPI_Comm_split_type(ctx.comm, MPI_COMM_TYPE_SHARED, ctx.rank, MPI_INFO_NULL, &node);
    MPI_Comm_rank(node, &node_rank);
    MPI_Comm_size(node, &node_size);
    MPI_Comm_split(ctx.comm, node_rank == 0 ? 0 : MPI_UNDEFINED, ctx.rank, &masters);
    if (masters != MPI_COMM_NULL) MPI_Comm_size(masters, &masters_size);
  }
  NodeComms(const NodeComms&) = delete;
  NodeComms& operator=(const NodeComms&) = delete;
  ~NodeComms() {
    if (masters != MPI_COMM_NULL) MPI_Comm_free(&masters);
    MPI_Comm_free(&node);
  }
};

// Asks a rank keeps at its node master: one answer to run now, one on its way (as
// master-worker's --prefetch 2), so the round trip overlaps a chunk instead of following it,
// and a node master that loses its core for a moment does not stall its ranks at once.
constexpr int kAsksInFlight = 2;

// A rank that is not its node's master: ask, run, ask again, until told it is done. It
// sends one new ask for every chunk it receives, so kAsksInFlight stay outstanding; after
// the first count 0 it asks no more and collects the answers still owed (all count 0).
void run_node_rank(const std::vector<Task>& tasks, const RankContext& ctx, const NodeComms& comms,
                   Clock::time_point t0, Progress& progress, ClaimedShare& mine) {
  auto ask = [&comms](bool stop) {
    const std::int64_t flag = stop ? 1 : 0;
    MPI_Send(&flag, 1, MPI_INT64_T, 0, kTagAsk, comms.node);
  };
  bool stop = false;
  int outstanding = kAsksInFlight;
  for (int i = 0; i < kAsksInFlight; ++i) ask(false);
  bool done = false;
  const bool perturbed = perturbations_set();  // --perturb latency=S: per chunk received
  while (outstanding > 0) {
    // Waits for an answer (Open MPI busy-polls here; the node master answers between
    // its own tasks and inside them every ~25 us).
    std::int64_t chunk[2] = {0, 0};
    MPI_Recv(chunk, 2, MPI_INT64_T, 0, kTagChunk, comms.node, MPI_STATUS_IGNORE);
    --outstanding;
    // Count 0: no work left, or the node is stopping; every later answer is 0 too.
    if (chunk[1] == 0) done = true;
    if (done) continue;
    if (perturbed) delay_dispatch(ctx.rank, ctx.threads);  // the node master's dispatch
    ++outstanding;  // one new ask per chunk received, sent below in either branch
    if (!stop && interrupt_requested()) {
      mine.set_interrupted();
      stop = true;
    }
    if (stop) {  // a chunk that arrived after we stopped is not run; tell the node master
      ask(true);
      continue;
    }
    ask(false);
    const TaskRange range{static_cast<std::size_t>(chunk[0]), static_cast<std::size_t>(chunk[1])};
    if (!mine.run(tasks, range, ctx, t0, &progress)) stop = true;
  }
}

// Node rank 0: serves its node from a queue of chunks fed by the global master, and runs
// chunks itself between answers. On world rank 0 it is the global master as well.
class NodeMaster {
 public:
  NodeMaster(const std::vector<Task>& tasks, const RankContext& ctx, const NodeComms& comms,
             const techniques::ChunkTable& table, Progress& progress, ClaimedShare& mine)
      : tasks_(tasks),
        ctx_(ctx),
        comms_(comms),
        table_(table),
        progress_(progress),
        mine_(mine),
        global_(ctx.rank == 0),
        per_claim_(static_cast<std::size_t>(ctx.threads)),
        parked_(static_cast<std::size_t>(comms.node_size), 0),
        owed_(static_cast<std::size_t>(comms.node_size), kAsksInFlight),
        master_done_(static_cast<std::size_t>(comms.masters_size), false) {}

  void run(Clock::time_point t0) {
    const ServeWhileRunning serve{[this](const TaskOutcome&) {
                                    serve_all();
                                    return !stopping_;
                                  },
                                  [this] { serve_all(); }, kServeSliceUnits};
    while (true) {
      if (interrupt_requested() && !stopping_) {
        mine_.set_interrupted();
        stop_node();
      }
      serve_all();
      if (!stopping_ && queued_ > 0) {
        if (!mine_.run(tasks_, take_claim(), ctx_, t0, &progress_, &serve)) stop_node();
        continue;
      }
      if (finished()) return;
      // Nothing to run here: keep answering (Open MPI would busy-poll in a blocking probe
      // too, and this rank waits on two communicators at once).
    }
  }

 private:
  // Chunks one round of claims takes: one per thread of each rank of the node.
  std::size_t low_water() const { return static_cast<std::size_t>(comms_.node_size) * per_claim_; }

  // The next claim from the front batch: up to --threads chunks, contiguous tasks.
  TaskRange take_claim() {
    auto& [k, end] = queue_.front();
    const std::size_t n = std::min(per_claim_, end - k);
    const TaskRange range = tasks_of_chunks(table_, k, n);
    k += n;
    queued_ -= n;
    if (k == end) queue_.pop_front();
    return range;
  }

  // Global master only: the next batch for a node that wants at least `wanted` chunks
  // (none once stopping). Batches are factored across nodes as fac2 factors chunks across
  // workers: half the chunks left, shared by the nodes, so early batches are large (one
  // network round trip buys many chunks) and the last ones small (nodes end together).
  std::pair<std::size_t, std::size_t> take_batch(std::size_t wanted) {
    if (global_stopping_) return {next_chunk_, next_chunk_};
    const std::size_t left = table_.count() - next_chunk_;
    const auto nodes = static_cast<std::size_t>(comms_.masters_size);
    const std::size_t factored = (left + 2 * nodes - 1) / (2 * nodes);
    const std::size_t first = next_chunk_;
    next_chunk_ = first + std::min(left, std::max(wanted, factored));
    return {first, next_chunk_};
  }

  void add_batch(std::pair<std::size_t, std::size_t> batch) {
    if (batch.first == batch.second) {
      exhausted_ = true;
    } else if (!stopping_) {
      queue_.push_back(batch);
      queued_ += batch.second - batch.first;
    }
  }

  // A failure or a signal on this node: hand out nothing more, and tell the global master
  // (at rank 0 that stops every node's next batch).
  void stop_node() {
    stopping_ = true;
    queue_.clear();
    queued_ = 0;
    if (!global_) return;
    global_stopping_ = true;
    // Every node still running hears it now, not at its next ask (its batch may be large).
    // Only nodes not yet given their empty batch: those will receive this before that
    // batch (MPI keeps the order of two messages between one pair on one communicator).
    for (int m = 1; m < comms_.masters_size; ++m) {
      if (!master_done_[static_cast<std::size_t>(m)]) {
        MPI_Send(nullptr, 0, MPI_BYTE, m, kTagStopNode, comms_.masters);
      }
    }
  }

  // Asks for the next batch while the queue runs low (or, stopping, to be told "no more").
  void refill() {
    if (exhausted_ || batch_asked_) return;
    const std::size_t wanted = kBatchRounds * low_water();
    if (!stopping_ && queued_ >= wanted) return;
    if (global_) {
      add_batch(stopping_ ? std::pair{next_chunk_, next_chunk_} : take_batch(wanted));
      return;
    }
    const std::int64_t ask[2] = {stopping_ ? 1 : 0, static_cast<std::int64_t>(wanted)};
    MPI_Send(ask, 2, MPI_INT64_T, 0, kTagAskBatch, comms_.masters);
    batch_asked_ = true;
  }

  // Answers rank w of the node now if it can: a claim, or count 0 when it is done.
  bool answer(int w) {
    std::int64_t chunk[2] = {0, 0};
    if (!stopping_ && queued_ > 0) {
      const TaskRange range = take_claim();
      chunk[0] = static_cast<std::int64_t>(range.first);
      chunk[1] = static_cast<std::int64_t>(range.count);
    } else if (!stopping_ && !exhausted_) {
      return false;  // a batch is on its way: answer when it arrives
    }
    // A chunk brings one more ask from w; a count 0 brings none. w is done when no ask is
    // owed any more (see run_node_rank).
    if (chunk[1] == 0 && --owed_[static_cast<std::size_t>(w)] == 0) ++ranks_done_;
    MPI_Send(chunk, 2, MPI_INT64_T, w, kTagChunk, comms_.node);
    return true;
  }

  void serve_all() {
    int arrived = 0;
    MPI_Status status;
    // Probe only where an answer can come from: each MPI_Iprobe also drives every transport
    // (with TCP in use, a poll of its sockets), and this runs after every task.
    // The node's ranks (MPI_Iprobe: nothing arrived costs ~35 ns on shared memory).
    if (ranks_done_ < comms_.node_size - 1) {
      MPI_Iprobe(MPI_ANY_SOURCE, kTagAsk, comms_.node, &arrived, &status);
    }
    while (arrived != 0) {
      std::int64_t stop = 0;
      MPI_Recv(&stop, 1, MPI_INT64_T, status.MPI_SOURCE, kTagAsk, comms_.node, MPI_STATUS_IGNORE);
      if (stop != 0 && !stopping_) stop_node();
      ++parked_[static_cast<std::size_t>(status.MPI_SOURCE)];
      MPI_Iprobe(MPI_ANY_SOURCE, kTagAsk, comms_.node, &arrived, &status);
    }
    // The masters' communicator crosses the network: probed at most every kNetworkProbe,
    // so that tiny tasks do not pay a network poll each. A batch is many chunks, so a
    // node master waits that much longer for it at most once per batch.
    const auto now = Clock::now();
    const bool probe_network = now - last_network_probe_ >= kNetworkProbe || queued_ == 0;
    if (probe_network) last_network_probe_ = now;
    if (global_) {
      if (probe_network && masters_done_ < comms_.masters_size - 1) serve_node_masters();
    } else if (!exhausted_ && probe_network) {
      // Any tag: a Stop sent before our empty batch must be taken before it.
      MPI_Iprobe(0, MPI_ANY_TAG, comms_.masters, &arrived, &status);
      if (arrived != 0 && status.MPI_TAG == kTagStopNode) {
        MPI_Recv(nullptr, 0, MPI_BYTE, 0, kTagStopNode, comms_.masters, MPI_STATUS_IGNORE);
        if (!stopping_) stop_node();
      } else if (arrived != 0) {
        std::int64_t batch[2] = {0, 0};
        MPI_Recv(batch, 2, MPI_INT64_T, 0, kTagBatch, comms_.masters, MPI_STATUS_IGNORE);
        batch_asked_ = false;
        add_batch({static_cast<std::size_t>(batch[0]), static_cast<std::size_t>(batch[1])});
      }
    }
    refill();
    for (std::size_t w = 1; w < parked_.size(); ++w) {
      while (parked_[w] > 0 && answer(static_cast<int>(w))) --parked_[w];
    }
  }

  // Global master: one batch per ask from another node's master.
  void serve_node_masters() {
    int arrived = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagAskBatch, comms_.masters, &arrived, &status);
    while (arrived != 0) {
      std::int64_t ask[2] = {0, 0};
      MPI_Recv(ask, 2, MPI_INT64_T, status.MPI_SOURCE, kTagAskBatch, comms_.masters,
               MPI_STATUS_IGNORE);
      if (ask[0] != 0 && !stopping_) stop_node();  // one node failed: every node stops
      const auto batch = take_batch(static_cast<std::size_t>(ask[1]));
      const std::int64_t reply[2] = {static_cast<std::int64_t>(batch.first),
                                     static_cast<std::int64_t>(batch.second)};
      MPI_Send(reply, 2, MPI_INT64_T, status.MPI_SOURCE, kTagBatch, comms_.masters);
      if (batch.first == batch.second) {  // that node asks no more
        master_done_[static_cast<std::size_t>(status.MPI_SOURCE)] = true;
        ++masters_done_;
      }
      MPI_Iprobe(MPI_ANY_SOURCE, kTagAskBatch, comms_.masters, &arrived, &status);
    }
  }

  bool finished() const {
    const bool node_done = exhausted_ && !batch_asked_ && ranks_done_ == comms_.node_size - 1;
    return node_done && (!global_ || masters_done_ == comms_.masters_size - 1);
  }

  const std::vector<Task>& tasks_;
  const RankContext& ctx_;
  const NodeComms& comms_;
  const techniques::ChunkTable& table_;
  Progress& progress_;
  ClaimedShare& mine_;
  const bool global_;
  const std::size_t per_claim_;  // chunks per claim: one per thread of a rank
  // Batches of chunks [first, end) not handed out yet, and how many chunks they hold.
  std::deque<std::pair<std::size_t, std::size_t>> queue_;
  std::size_t queued_ = 0;
  std::vector<int> parked_;   // asks of node rank w waiting for an answer
  std::vector<int> owed_;     // asks node rank w will still send or has not had answered
  int ranks_done_ = 0;        // node ranks owed nothing any more
  bool exhausted_ = false;    // no batch will come any more
  bool batch_asked_ = false;  // an ask to the global master is unanswered
  bool stopping_ = false;     // a failure or a signal on this node (or, at rank 0, anywhere)
  // Global master only.
  std::size_t next_chunk_ = 0;     // first chunk of the table not handed out
  bool global_stopping_ = false;   // hand out no more batches to any node
  int masters_done_ = 0;           // other node masters given an empty batch
  std::vector<bool> master_done_;  // by rank in the masters' communicator
  Clock::time_point last_network_probe_{};
};

}  // namespace

// Wins across many nodes: one master would answer every rank of the job; here rank 0
// answers one ask per node per batch, and each node master only its own node's ranks over
// shared memory. Costs a second hop for a node's first chunks, and a node's batch may sit
// in its queue near the end while another node idles.
RunResult run_hierarchical(const std::vector<Task>& tasks, const RankContext& ctx,
                           const techniques::TechniqueSpec& technique, Progress& progress) {
  const techniques::ChunkTable table = claimed_chunk_table(technique, tasks.size(), ctx);
  const NodeComms comms(ctx);
  ClaimedShare mine(tasks.size(), table.count(), ctx);
  MPI_Barrier(ctx.comm);
  const auto t0 = Clock::now();
  if (comms.node_rank == 0) {
    NodeMaster(tasks, ctx, comms, table, progress, mine).run(t0);
  } else {
    run_node_rank(tasks, ctx, comms, t0, progress, mine);
  }
  return finish_claimed_run(tasks, mine, table, ctx, t0, progress);
}

}  // namespace schedlab
