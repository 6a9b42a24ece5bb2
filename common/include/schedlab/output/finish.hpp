// The output step of every runner: --csv and --json, then timelines and completion orders
// when asked, and the table (a closed standard output never costs the files).
#pragma once

#include <cstdio>

#include "schedlab/comparison.hpp"

namespace schedlab {

// Writes --csv and --json, prints the comparison to `out`, and returns the exit code (a
// failed write of a file or of `out`: 1 with one stderr line; a signal while the files are
// written: 128 + signal, the files untouched).
int finish_run(const Comparison& comparison, std::FILE* out);

}  // namespace schedlab
