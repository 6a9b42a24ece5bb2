// The one interrupt agreement of the MPI runs (between strategies, and after a static run).
#include "schedlab/interrupt.hpp"
#include "schedlab/mpi/rank_context.hpp"

namespace schedlab {

int agree_on_interrupt(int local_signal, MPI_Comm comm) {
  int signal = local_signal;
  MPI_Allreduce(MPI_IN_PLACE, &signal, 1, MPI_INT, MPI_MAX, comm);
  if (signal != 0 && !interrupt_requested()) request_interrupt(signal);
  return signal;
}

}  // namespace schedlab
