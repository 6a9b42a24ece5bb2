// The JSON record: the whole run with per-task traces, written atomically.
#pragma once

#include <string>

#include "schedlab/comparison.hpp"
#include "schedlab/output/files.hpp"  // write_file_atomically, which this header declared before

namespace schedlab {

// Writes the record of `comparison` to `path` (write_file_atomically). A signal after
// `stop` was made stops the building, serialising or writing: Interrupted, `path` untouched.
void write_json(const Comparison& comparison, const std::string& path,
                const StopCheck& stop = StopCheck());

}  // namespace schedlab
