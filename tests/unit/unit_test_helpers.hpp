// Helpers several unit test files use, defined once: under the ci preset the test program is
// a unity build (one translation unit), where two copies would be a redefinition.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "schedlab/workload.hpp"

namespace schedlab_test {

// NAME.PID in the temporary folder: one path per test process.
inline std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (name + "." + std::to_string(::getpid())))
      .string();
}

// The task sizes, in list order.
inline std::vector<std::uint64_t> sizes_of(const std::vector<schedlab::Task>& tasks) {
  std::vector<std::uint64_t> sizes;
  for (const schedlab::Task& t : tasks) sizes.push_back(t.size);
  return sizes;
}

}  // namespace schedlab_test
