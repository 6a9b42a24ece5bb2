// The wire side of the protocol in protocol.hpp: packing, MPI_Send/MPI_Isend/MPI_Recv.
#include "schedlab/mpi/protocol.hpp"

#include <climits>
#include <cstring>
#include <stdexcept>

#include "schedlab/interrupt.hpp"

namespace schedlab {
namespace {

// kTagWork payload.
struct WireChunk {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
  std::uint64_t index = 0;
};

// kTagResults / kTagTaskFailed: this header, `outcomes` TaskOutcome records, then the
// failure message's bytes (empty for kTagResults).
struct ReplyHeader {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
  std::uint64_t index = 0;
  std::uint64_t outcomes = 0;
  std::uint64_t failed_task = 0;
  std::int32_t failed = 0;
  std::int32_t interrupt_signal = 0;
};

// share_outcome()'s broadcast.
struct WireOutcome {
  std::uint64_t failed_task = 0;
  std::int32_t failed = 0;
  std::int32_t failed_rank = -1;
  std::int32_t interrupted = 0;
  std::int32_t signal = 0;
};

int byte_count(std::size_t n) {
  if (n > static_cast<std::size_t>(INT32_MAX)) throw std::length_error("MPI message over 2 GiB");
  return static_cast<int>(n);
}

int received_bytes(const MPI_Status& status) {
  int bytes = 0;
  MPI_Get_count(&status, MPI_BYTE, &bytes);
  return bytes;
}

}  // namespace

void send_work(int worker, TaskRange chunk, std::size_t chunk_index, MPI_Comm comm) {
  const WireChunk wire{chunk.first, chunk.count, chunk_index};
  MPI_Send(&wire, sizeof wire, MPI_BYTE, worker, kTagWork, comm);
}

void send_done(int worker, MPI_Comm comm) {
  MPI_Send(nullptr, 0, MPI_BYTE, worker, kTagDone, comm);
}

void send_stop(int worker, MPI_Comm comm) {
  MPI_Send(nullptr, 0, MPI_BYTE, worker, kTagStop, comm);
}

MasterMessage receive_master_message(const MPI_Status& status, MPI_Comm comm) {
  MasterMessage message{status.MPI_TAG, {}};
  WireChunk wire;
  MPI_Recv(&wire, sizeof wire, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, comm,
           MPI_STATUS_IGNORE);
  if (status.MPI_TAG == kTagWork) {
    message.chunk = {static_cast<std::size_t>(wire.first), static_cast<std::size_t>(wire.count)};
    message.chunk_index = static_cast<std::size_t>(wire.index);
  }
  return message;
}

std::vector<std::byte> pack_reply(const ChunkReply& reply) {
  std::vector<std::byte> bytes;
  pack_reply_into(reply, bytes);
  return bytes;
}

void pack_reply_into(const ChunkReply& reply, std::vector<std::byte>& bytes) {
  const ReplyHeader header{reply.chunk.first,
                           reply.chunk.count,
                           reply.chunk_index,
                           reply.outcomes.size(),
                           reply.failed_task.value_or(0),
                           reply.failed_task ? 1 : 0,
                           reply.interrupt_signal};
  const std::size_t records = reply.outcomes.size() * sizeof(TaskOutcome);
  bytes.resize(sizeof header + records + reply.failure_message.size());
  std::memcpy(bytes.data(), &header, sizeof header);
  if (records > 0) std::memcpy(bytes.data() + sizeof header, reply.outcomes.data(), records);
  if (!reply.failure_message.empty()) {
    std::memcpy(bytes.data() + sizeof header + records, reply.failure_message.data(),
                reply.failure_message.size());
  }
}

ChunkReply unpack_reply(const std::vector<std::byte>& bytes) {
  ChunkReply reply;
  unpack_reply_into(bytes, reply);
  return reply;
}

void unpack_reply_into(const std::vector<std::byte>& bytes, ChunkReply& reply) {
  ReplyHeader header;
  if (bytes.size() < sizeof header) throw std::runtime_error("short reply message");
  std::memcpy(&header, bytes.data(), sizeof header);
  const std::size_t records = static_cast<std::size_t>(header.outcomes) * sizeof(TaskOutcome);
  if (bytes.size() < sizeof header + records) throw std::runtime_error("truncated reply message");
  reply.chunk = {static_cast<std::size_t>(header.first), static_cast<std::size_t>(header.count)};
  reply.chunk_index = static_cast<std::size_t>(header.index);
  reply.outcomes.resize(static_cast<std::size_t>(header.outcomes));
  if (records > 0) std::memcpy(reply.outcomes.data(), bytes.data() + sizeof header, records);
  reply.failed_task.reset();
  if (header.failed != 0) reply.failed_task = static_cast<std::size_t>(header.failed_task);
  const auto* text = reinterpret_cast<const char*>(bytes.data() + sizeof header + records);
  reply.failure_message.assign(text, bytes.size() - sizeof header - records);
  reply.interrupt_signal = header.interrupt_signal;
}

void post_reply(const ChunkReply& reply, PendingReply& slot, MPI_Comm comm) {
  complete_reply(slot);
  pack_reply_into(reply, slot.buffer);
  const int tag = reply.failed_task ? kTagTaskFailed : kTagResults;
  MPI_Isend(slot.buffer.data(), byte_count(slot.buffer.size()), MPI_BYTE, 0, tag, comm,
            &slot.request);
}

void complete_reply(PendingReply& slot) { MPI_Wait(&slot.request, MPI_STATUS_IGNORE); }

void receive_reply(const MPI_Status& status, MPI_Comm comm, std::vector<std::byte>& scratch,
                   ChunkReply& reply) {
  scratch.resize(static_cast<std::size_t>(received_bytes(status)));
  MPI_Recv(scratch.data(), byte_count(scratch.size()), MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG,
           comm, MPI_STATUS_IGNORE);
  unpack_reply_into(scratch, reply);
}

void send_failure_text(const std::string& message, MPI_Comm comm) {
  MPI_Send(message.data(), byte_count(message.size()), MPI_CHAR, 0, kTagFailureText, comm);
}

std::string receive_failure_text(int from, MPI_Comm comm) {
  MPI_Status status;
  MPI_Probe(from, kTagFailureText, comm, &status);
  int length = 0;
  MPI_Get_count(&status, MPI_CHAR, &length);
  std::string message(static_cast<std::size_t>(length), '\0');
  MPI_Recv(message.data(), length, MPI_CHAR, from, kTagFailureText, comm, MPI_STATUS_IGNORE);
  return message;
}

std::optional<TaskError> agree_on_first_failure(const std::optional<TaskError>& mine, int rank,
                                                MPI_Comm comm) {
  struct {
    long task;
    int rank;
  } local{mine ? static_cast<long>(mine->task) : LONG_MAX, rank}, first{};
  MPI_Allreduce(&local, &first, 1, MPI_LONG_INT, MPI_MINLOC, comm);
  if (first.task == LONG_MAX) return std::nullopt;
  TaskError error{static_cast<std::size_t>(first.task), first.rank, {}};
  if (rank == first.rank) error.message = mine->message;
  if (first.rank != 0 && rank == first.rank) send_failure_text(error.message, comm);
  if (first.rank != 0 && rank == 0) error.message = receive_failure_text(first.rank, comm);
  return error;
}

void share_outcome(RunResult& run, int rank, MPI_Comm comm) {
  WireOutcome wire;
  if (rank == 0) {
    if (run.error) {
      wire.failed = 1;
      wire.failed_task = run.error->task;
      wire.failed_rank = run.error->rank;
    }
    wire.interrupted = run.interrupted ? 1 : 0;
    wire.signal = interrupt_signal();
  }
  MPI_Bcast(&wire, sizeof wire, MPI_BYTE, 0, comm);
  if (rank == 0) return;
  if (wire.failed != 0) {
    run.error = TaskError{static_cast<std::size_t>(wire.failed_task), wire.failed_rank, {}};
  }
  run.interrupted = wire.interrupted != 0;
  // A worker that was not signalled itself still exits 128 + signal like the others.
  if (wire.signal != 0 && !interrupt_requested()) request_interrupt(wire.signal);
}

}  // namespace schedlab
