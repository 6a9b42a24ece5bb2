// The JSON record: the whole run with per-task traces, written atomically.
#pragma once

#include <string>

#include "schedlab/comparison.hpp"

namespace schedlab {

// Writes the record of `comparison` to `path` (write_file_atomically).
void write_json(const Comparison& comparison, const std::string& path);

// Writes text to path atomically: a temporary file in the same folder, then rename. A
// symlink is written through (the file it points to is replaced; the link stays a link).
// Throws std::runtime_error naming the path when it cannot.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace schedlab
