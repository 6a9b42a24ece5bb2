// libFuzzer target: the workload-file parser must turn any bytes into either a task list
// or a UsageError — never a crash, a hang or another exception.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "schedlab/errors.hpp"
#include "schedlab/workload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    const auto sizes = schedlab::parse_workload_sizes(in, "fuzz");
    for (const auto s : sizes) {
      if (s < 1 || s > schedlab::kMaxTaskSize) __builtin_trap();  // parser let a bad size through
    }
  } catch (const schedlab::UsageError&) {
    // Expected for bad input.
  }
  return 0;
}
