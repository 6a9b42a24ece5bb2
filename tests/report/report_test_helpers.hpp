// Helpers several report test files use, defined once: under the ci preset the test program
// is a unity build (one translation unit), where two copies would be a redefinition.
#pragma once

#include <string>

#include "schedlab/errors.hpp"
#include "schedlab/report/reader.hpp"

namespace schedlab_test {

// A file of tests/report/data.
inline std::string data(const std::string& name) {
  return std::string(SCHEDLAB_REPORT_DATA) + "/" + name;
}

// The UsageError message of reading `text` as a JSON record, or "" when it loads.
inline std::string json_error(const std::string& text) {
  try {
    schedlab::report::parse_json_text(text, "hostile.json");
  } catch (const schedlab::UsageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace schedlab_test
