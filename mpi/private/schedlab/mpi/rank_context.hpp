// Where one rank stands in an MPI run, and the agreements every rank takes part in. Beside
// the MPI strategies, which all take a RankContext.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <optional>

namespace schedlab {

// Where this rank stands, and what every task it runs needs to know.
struct RankContext {
  MPI_Comm comm = MPI_COMM_WORLD;
  int rank = 0;
  int ranks = 1;
  int threads = 1;                       // OpenMP threads per rank
  std::optional<std::size_t> fail_task;  // --fail-task
  int workers() const { return ranks * threads; }
};

// Every rank learns whether any rank saw SIGINT/SIGTERM: `local_signal` is this rank's
// (0: none); returns the largest, and records it here (interrupt_requested() turns true)
// so that every rank stops the same way. A collective: every rank of `comm` calls it.
int agree_on_interrupt(int local_signal, MPI_Comm comm);

}  // namespace schedlab
