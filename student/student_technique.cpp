// YOUR scheduling technique. Fill in next_chunk below; the rest of schedlab (OpenMP, MPI
// master-worker, the simulator, jobs/check-technique.sh) calls it as `--schedule student`.
//
// The question it answers: a worker has finished its chunk and asks for more. `remaining`
// tasks (>= 1) have not been handed out yet. How many of them should the next chunk hold?
//   - too small: many chunks, and every chunk costs a dispatch (an atomic, or a message);
//   - too large: one worker is still busy with a big chunk while the others sit idle.
// Rules to try (docs/techniques.md has their formulas and rounding):
//   - guided (gss): ceil(remaining / P);
//   - trapezoid (tss): first chunk ceil(N / (2P)), each next one delta smaller, down to 1;
//   - factoring (fac2): in batches of P equal chunks of ceil(R / (2P)), R taken at the start
//     of each batch.
// Contract: return at least 1 and at most `remaining`; jobs/check-technique.sh checks it for
// many N and P (a 0 would never finish the loop; more than remaining would run tasks twice).
// On a course install (the student template) run build/bin/schedlab-technique-check instead.
#include <cstddef>

#include "schedlab/techniques/student.hpp"

namespace schedlab::student {

std::size_t next_chunk(std::size_t remaining, int worker, const LoopSoFar& loop) {
  (void)remaining;  // used by every real rule; the starter rule below ignores them
  (void)worker;     // the asking worker, 0..P-1 (weighted rules give fast workers more)
  (void)loop;       // loop.tasks (N), loop.workers (P), loop.chunks (sizes handed out so far)

  // Starter rule: self-scheduling, one task per chunk. Correct but slow when tasks are short
  // (one dispatch per task). Replace this with TSS or factoring.
  return 1;
}

}  // namespace schedlab::student
