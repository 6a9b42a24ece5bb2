// libFuzzer target: any command line (one argument per input line) must parse into valid
// settings or a usage error — never a crash or an unexpected exception.
#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "schedlab/errors.hpp"
#include "schedlab/options.hpp"
#include "schedlab/workload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args{"fuzz"};
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  for (std::string line; std::getline(in, line);) args.push_back(line);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());

  CLI::App app{"fuzz", "fuzz"};
  schedlab::CommonOptions options;
  schedlab::add_common_options(app, options);
  if (schedlab::parse_command_line(app, static_cast<int>(argv.size()), argv.data(), false))
    return 0;
  try {
    const schedlab::RunSettings s = schedlab::validate(options);
    // Build small lists only (and no files): the generators must accept what validate accepts.
    if (s.workload.kind != schedlab::WorkloadKind::kFile && s.workload.tasks <= 1000) {
      const auto tasks = schedlab::make_workload(s.workload);
      if (tasks.size() != s.workload.tasks) __builtin_trap();
    }
  } catch (const schedlab::UsageError&) {
  }
  return 0;
}
