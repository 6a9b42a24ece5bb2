// The MPI session as an RAII object: the C++ counterpart of the notebook's
// `if __name__ == "__main__":` guard. MPI_Init_thread on construction, MPI_Finalize on every
// way out of main, so a usage error or a failed task still ends the job cleanly.
#pragma once

#include <mpi.h>

#include <stdexcept>

namespace schedlab {

class MpiSession {
 public:
  // FUNNELED: OpenMP threads may run inside a rank, but only the thread that called this
  // (thread 0 of every parallel region the main thread opens) makes MPI calls.
  MpiSession(int& argc, char**& argv, int required = MPI_THREAD_FUNNELED) {
    MPI_Init_thread(&argc, &argv, required, &provided_);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiSession() { MPI_Finalize(); }
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  int provided() const { return provided_; }
  MPI_Comm comm() const { return MPI_COMM_WORLD; }

 private:
  int provided_ = MPI_THREAD_SINGLE;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace schedlab
