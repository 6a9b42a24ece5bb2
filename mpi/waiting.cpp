// Waiting for other ranks without burning a core (see strategies.hpp).
#include <chrono>
#include <thread>

#include "schedlab/mpi/strategies.hpp"

namespace schedlab {

void wait_without_spinning(MPI_Request& request) {
  // First poll for up to kPoll: the other ranks are usually about to arrive (an even split
  // ends together), and Open MPI moves a large message (the results of a gather) only
  // inside MPI calls, so every nap between two calls would stretch it by a nap. After kPoll
  // the others are still computing: nap, giving them the core when ranks outnumber cores.
  constexpr auto kPoll = std::chrono::microseconds(500);
  // 100 us: far below any task worth distributing, and a sleeping rank costs ~nothing.
  constexpr auto kNap = std::chrono::microseconds(100);
  int done = 0;
  MPI_Test(&request, &done, MPI_STATUS_IGNORE);
  const auto poll_until = std::chrono::steady_clock::now() + kPoll;
  while (done == 0 && std::chrono::steady_clock::now() < poll_until) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
  }
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
