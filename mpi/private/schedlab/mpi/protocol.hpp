// The one place that owns the MPI message protocol: tags, message layouts, and the
// functions that send and receive each message. static.cpp and master_worker.cpp decide
// WHEN to talk; this file decides WHAT goes over the wire.
//
// Master-worker (rank 0 is the master, every other rank a worker; K = --prefetch; the
// chunk sizes come from the registry technique the master runs, docs/mpi.md):
//
//   master (rank 0)                                   worker (rank w)
//   kTagWork {first, count, chunk index} x K  ──────▶  holds up to K chunks (prefetch)
//                                                     runs the first one
//   ◀───────────── kTagResults {chunk, outcomes}      one reply per chunk; it doubles as the
//   kTagWork {next chunk}    ─────────────────────▶   request for the next chunk, so the worker
//                                  ...                 runs its held chunk during the round trip
//   ◀───────────── kTagTaskFailed {chunk, outcomes, failed task, message}
//   kTagStop (to every worker) ───────────────────▶  held chunks are answered with empty
//                                                     kTagResults, nothing more runs
//   kTagDone ─────────────────────────────────────▶  no work left and w holds none: w returns
//
// Rules that make it hang-free:
//   1. every chunk sent gets exactly one reply (results, possibly empty, or a failure);
//   2. every worker gets exactly one last message, kTagDone or kTagStop; Done is sent only
//      when the worker holds no chunk, Stop at any time;
//   3. the master returns only when every worker got its last message and answered every
//      chunk, so no message is left unreceived.
// MPI never reorders two messages between the same pair of ranks on one communicator, so a
// worker receives every chunk sent before kTagStop before it sees kTagStop.
//
// Master-worker ends with share_outcome(): rank 0's verdict broadcast to all ranks.
// Static strategies, rma and hierarchical end with collectives only (gather.hpp: a napping
// barrier, MPI_Allreduce to agree on a failure or a signal, MPI_Gather of the counts and
// MPI_Gatherv of the whole TaskOutcome records, or with --trace off of the results alone
// and rma's and hierarchical's claimed ranges) plus kTagFailureText: the failing rank's
// message to rank 0.
//
// Records travel as raw bytes (MPI_BYTE): this assumes every node has the same byte order
// and struct layout, which holds on a cluster of one architecture built with one compiler.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "schedlab/mpi/partition.hpp"
#include "schedlab/run.hpp"

namespace schedlab {

// Master -> worker.
inline constexpr int kTagWork = 1;  // a chunk of tasks to run: {first, count, index}
inline constexpr int kTagDone = 2;  // no work left and you hold none: return
inline constexpr int kTagStop = 3;  // a task failed or a signal arrived: answer held chunks empty
// Worker -> master.
inline constexpr int kTagResults = 4;     // a chunk's outcomes (fewer than its count when stopped)
inline constexpr int kTagTaskFailed = 5;  // a chunk ended by a failing task: outcomes + message
// Static strategies: the failing rank -> rank 0.
inline constexpr int kTagFailureText = 6;

// hierarchical (mpi/hierarchical.cpp), on the node communicator (one per node) and on the node
// masters' communicator: each communicator has its own tag space, so these cannot meet the
// master-worker messages above although the numbers repeat.
inline constexpr int kTagAsk = 1;       // rank -> its node master: {stop}
inline constexpr int kTagChunk = 2;     // node master -> rank: {first task, count}
inline constexpr int kTagAskBatch = 3;  // node master -> global master: {stop, chunks wanted}
inline constexpr int kTagBatch = 4;     // global master -> node master: {first chunk, end chunk}
inline constexpr int kTagStopNode = 5;  // global master -> node master: a task failed (no data)

// One executed task as it travels: the result and the trace record together.
struct TaskOutcome {
  std::uint64_t task = 0;
  std::uint64_t result = 0;
  std::int32_t worker = -1;  // global worker id: rank * threads + OpenMP thread
  std::int32_t cpu = -1;
  double start = 0;  // seconds since the run's start barrier, on the rank's own clock
  double end = 0;
  std::int32_t chunk = -1;   // the chunk (dispatch order) that carried it: TaskRecord::chunk
  std::int32_t padding = 0;  // explicit, so the record has no uninitialised bytes on the wire
};
static_assert(std::is_trivially_copyable_v<TaskOutcome>);

// The worker's one reply to a chunk.
struct ChunkReply {
  TaskRange chunk;
  std::vector<TaskOutcome> outcomes;       // in completion order
  std::optional<std::size_t> failed_task;  // set: sent as kTagTaskFailed
  std::string failure_message;
  int interrupt_signal = 0;     // the worker saw SIGINT/SIGTERM and stopped early
  std::size_t chunk_index = 0;  // dispatch order, as kTagWork numbered it
};

// What the worker's MPI_Probe/MPI_Iprobe announced from the master.
struct MasterMessage {
  int tag = 0;
  TaskRange chunk;              // kTagWork only
  std::size_t chunk_index = 0;  // kTagWork only: dispatch order
};

// A reply in flight: MPI_Isend keeps the worker computing while the master is busy with
// its own task (a large reply would otherwise block in MPI_Send until the master receives).
struct PendingReply {
  std::vector<std::byte> buffer;
  MPI_Request request = MPI_REQUEST_NULL;
};

void send_work(int worker, TaskRange chunk, std::size_t chunk_index, MPI_Comm comm);
void send_done(int worker, MPI_Comm comm);
void send_stop(int worker, MPI_Comm comm);
MasterMessage receive_master_message(const MPI_Status& status, MPI_Comm comm);

// Waits for the previous reply in `slot` to leave, then posts this one.
// The slot's buffer is reused: once it has held the largest reply, posting allocates nothing.
void post_reply(const ChunkReply& reply, PendingReply& slot, MPI_Comm comm);
void complete_reply(PendingReply& slot);
// Receives the reply `status` announced into `reply`, through `scratch`: both keep their
// capacity from one reply to the next, so the master allocates nothing per reply.
void receive_reply(const MPI_Status& status, MPI_Comm comm, std::vector<std::byte>& scratch,
                   ChunkReply& reply);

void send_failure_text(const std::string& message, MPI_Comm comm);
std::string receive_failure_text(int from, MPI_Comm comm);

// At the end of a run where every rank ran its own share (static, plans, rma,
// hierarchical): all ranks agree on the lowest failing task id and its rank
// (MPI_Allreduce MINLOC), and rank 0 gets that rank's message. Returns the failure at every
// rank (the message at rank 0 and the failing rank only). Collective.
std::optional<TaskError> agree_on_first_failure(const std::optional<TaskError>& mine, int rank,
                                                MPI_Comm comm);

// Rank 0's verdict on a run (failed task and rank, interrupt signal), broadcast: every rank
// leaves a strategy knowing the same, so all take the same next step and exit code.
void share_outcome(RunResult& run, int rank, MPI_Comm comm);

// Byte packing of a ChunkReply (exposed for the unit tests).
std::vector<std::byte> pack_reply(const ChunkReply& reply);
ChunkReply unpack_reply(const std::vector<std::byte>& bytes);
// The same into existing objects (their capacity is kept).
void pack_reply_into(const ChunkReply& reply, std::vector<std::byte>& bytes);
void unpack_reply_into(const std::vector<std::byte>& bytes, ChunkReply& reply);

}  // namespace schedlab
