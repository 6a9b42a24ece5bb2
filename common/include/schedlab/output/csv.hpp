// The CSV record: one row per strategy, appended under a lock so that concurrent jobs
// never interleave rows (columns: docs/results-schema.md).
#pragma once

#include <string>
#include <vector>

#include "schedlab/comparison.hpp"
#include "schedlab/output/files.hpp"

namespace schedlab {

// The CSV header (documented in docs/results-schema.md).
std::string csv_header();
// Appends lines to a file under an exclusive lock, writing the header first when the file
// is empty: one block, all or nothing (a failed write is cut back to the size before).
// Waiting for another process's lock says so on stderr after 1 s (as `program`), gives up
// after lock_timeout_seconds() and stops on a signal after `stop` was made (Interrupted).
// Throws std::runtime_error naming the path when it cannot open, lock or write.
void append_csv_rows(const std::string& path, const std::vector<std::string>& rows,
                     const std::string& program = "schedlab", const StopCheck& stop = StopCheck());
// One row per strategy of `comparison`, appended to `path`.
void write_csv(const Comparison& comparison, const std::string& path,
               const StopCheck& stop = StopCheck());

}  // namespace schedlab
