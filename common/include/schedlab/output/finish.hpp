// The output step of every runner: timelines and completion orders when asked, the table,
// then --csv and --json.
#pragma once

#include <cstdio>

#include "schedlab/comparison.hpp"

namespace schedlab {

// Prints the comparison to `out`, writes --csv and --json, and returns the exit code
// (a failed write of `out` or of a file: 1 with one stderr line).
int finish_run(const Comparison& comparison, std::FILE* out);

}  // namespace schedlab
