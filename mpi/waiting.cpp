// Waiting for other ranks without burning a core (see strategies.hpp).
#include <chrono>
#include <thread>

#include "schedlab/mpi/strategies.hpp"

namespace schedlab {

void wait_without_spinning(MPI_Request& request) {
  // 100 us: far below any task worth distributing, and a sleeping rank costs ~nothing.
  constexpr auto kNap = std::chrono::microseconds(100);
  int done = 0;
  MPI_Test(&request, &done, MPI_STATUS_IGNORE);
  while (done == 0) {
    std::this_thread::sleep_for(kNap);
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
  }
}

void barrier_without_spinning(MPI_Comm comm) {
  MPI_Request request;
  MPI_Ibarrier(comm, &request);
  wait_without_spinning(request);
}

}  // namespace schedlab
