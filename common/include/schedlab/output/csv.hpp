// The CSV record: one row per strategy, appended under a lock so that concurrent jobs
// never interleave rows (columns: docs/results-schema.md).
#pragma once

#include <string>
#include <vector>

#include "schedlab/comparison.hpp"

namespace schedlab {

// The CSV header (documented in docs/results-schema.md).
std::string csv_header();
// Appends lines to a file under an exclusive lock, writing the header first when the file
// is empty. Throws std::runtime_error naming the path when it cannot open, lock or write.
void append_csv_rows(const std::string& path, const std::vector<std::string>& rows);
// One row per strategy of `comparison`, appended to `path`.
void write_csv(const Comparison& comparison, const std::string& path);

}  // namespace schedlab
