// SIGINT/SIGTERM (what SLURM sends at a time limit): runners stop handing out work,
// report what finished, mark records incomplete and exit 128 + signal.
#pragma once

namespace schedlab {

// Installs handlers for SIGINT and SIGTERM that only record the signal.
void install_interrupt_handlers();
// True once a signal arrived; runners check it between tasks.
bool interrupt_requested();
// The signal that arrived, 0 if none.
int interrupt_signal();
// How many signals arrived so far (a second one, or one during output, raises it).
int interrupt_count();
// For tests and MPI agreement: record a signal as if it had arrived.
void request_interrupt(int signal);

}  // namespace schedlab
