// Workload generators: pure functions from a WorkloadSpec to a task list.
#include "schedlab/workload.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>

#include "schedlab/application.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/options.hpp"
#include "schedlab/parse.hpp"
#include "schedlab/pyrandom.hpp"

namespace schedlab {
namespace {

// 128-bit arithmetic (a GCC/Clang extension) keeps size products and totals exact.
__extension__ typedef unsigned __int128 Wide;

std::vector<std::uint64_t> uniform(const WorkloadSpec& s) {
  return std::vector<std::uint64_t>(s.tasks, s.size);
}

// The notebook's list: 8_000_000 + rng.randint(0, 8_000_000) with rng = Random(seed).
std::vector<std::uint64_t> nonuniform(const WorkloadSpec& s) {
  PyRandom rng(s.seed);
  std::vector<std::uint64_t> sizes(s.tasks);
  for (auto& size : sizes) {
    size = s.size + static_cast<std::uint64_t>(rng.randint(0, static_cast<std::int64_t>(s.spread)));
  }
  return sizes;
}

// A linear ramp with the same mean as uniform: task i gets size * 2(i+1)/(N+1).
// Static block hands the heaviest block to the last thread: its worst case.
std::vector<std::uint64_t> increasing(const WorkloadSpec& s) {
  std::vector<std::uint64_t> sizes(s.tasks);
  for (std::size_t i = 0; i < s.tasks; ++i) {
    const auto scaled = static_cast<Wide>(s.size) * 2 * (i + 1) / (s.tasks + 1);
    sizes[i] = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(scaled));
  }
  return sizes;
}

// One heavy task (4 x size) in every eight, all at the front of the list, among light ones
// (size / 4): static block gives them all to the first worker.
std::vector<std::uint64_t> skewed(const WorkloadSpec& s) {
  const std::size_t heavy = (s.tasks + 7) / 8;
  const auto heavy_size = static_cast<Wide>(s.size) * 4;
  if (heavy_size > kMaxTaskSize) {
    throw UsageError(fmt::format("--size {}: skewed heavy tasks (4 x size) exceed {} units", s.size,
                                 describe_limit(kMaxTaskSize)));
  }
  std::vector<std::uint64_t> sizes(s.tasks, std::max<std::uint64_t>(1, s.size / 4));
  std::fill_n(sizes.begin(), heavy, static_cast<std::uint64_t>(heavy_size));
  return sizes;
}

}  // namespace

std::vector<std::uint64_t> read_workload_file(const std::string& path) {
  // A device (/dev/zero), a folder or a file past the limit is refused before it is read.
  check_input_file("--workload file:" + path, path, kMaxInputFileBytes);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UsageError(
        fmt::format("--workload file:{}: cannot open the file (expected a readable "
                    "file with one task size per line)",
                    path));
  }
  return parse_workload_sizes(in, "--workload file:" + path);
}

namespace {

// One line (without its newline) into `line`; false at the end of the input. A line longer
// than kMaxInputLineBytes, or an input longer than kMaxInputFileBytes (a pipe), is refused
// as it is read, so a file with no newline never grows a string of gigabytes.
bool read_line(std::streambuf& in, std::string& line, std::uint64_t& bytes, std::size_t line_no,
               const std::string& source) {
  line.clear();
  int c = in.sbumpc();
  if (c == std::char_traits<char>::eof()) return false;
  for (; c != std::char_traits<char>::eof() && c != '\n'; c = in.sbumpc()) {
    if (line.size() == kMaxInputLineBytes) {
      throw UsageError(fmt::format("{} line {}: longer than the limit of {} bytes", source, line_no,
                                   describe_limit(kMaxInputLineBytes)));
    }
    line.push_back(static_cast<char>(c));
  }
  bytes += line.size() + 1;
  if (bytes > kMaxInputFileBytes + 1) {
    throw UsageError(fmt::format("{}: more than the limit of {} bytes", source,
                                 describe_limit(kMaxInputFileBytes)));
  }
  return true;
}

}  // namespace

std::vector<std::uint64_t> parse_workload_sizes(std::istream& in, const std::string& source) {
  std::vector<std::uint64_t> sizes;
  std::string line;
  std::size_t line_no = 0;
  std::uint64_t bytes = 0;
  std::streambuf* buffer = in.rdbuf();
  while (buffer != nullptr && read_line(*buffer, line, bytes, line_no + 1, source)) {
    ++line_no;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const auto last = line.find_last_not_of(" \t\r");
    const std::string text = line.substr(first, last - first + 1);
    if (sizes.size() == kMaxTasks) {
      throw UsageError(fmt::format("{}: more than {} tasks (the limit)", source, kMaxTasks));
    }
    try {
      sizes.push_back(parse_uint(source, text, 1, kMaxTaskSize));
    } catch (const UsageError&) {
      // Quote at most 40 printable characters: the file may be binary.
      std::string shown;
      for (char c : text.substr(0, 40)) shown += (c >= 32 && c < 127) ? c : '?';
      throw UsageError(fmt::format(
          "{} line {}: '{}' is not a task size (expected a whole number from 1 to {} per line, "
          "'#' for comments)",
          source, line_no, shown, describe_limit(kMaxTaskSize)));
    }
  }
  if (sizes.empty()) {
    throw UsageError(
        fmt::format("{}: no task sizes found (expected one whole number per line)", source));
  }
  return sizes;
}

std::string_view to_string(WorkloadKind kind) {
  switch (kind) {
    case WorkloadKind::kUniform:
      return "uniform";
    case WorkloadKind::kNonuniform:
      return "nonuniform";
    case WorkloadKind::kIncreasing:
      return "increasing";
    case WorkloadKind::kSkewed:
      return "skewed";
    case WorkloadKind::kFile:
      return "file";
    case WorkloadKind::kMandelbrot:
      return "mandelbrot";
    case WorkloadKind::kSpmv:
      return "spmv";
    case WorkloadKind::kTriad:
      return "triad";
  }
  return "unknown";
}

std::string workload_parameters(std::string_view workload, std::uint64_t seed, double scale) {
  std::string text;
  const std::optional<WorkloadKind> kind = parse_workload_kind(workload);
  if (kind == WorkloadKind::kNonuniform || kind == WorkloadKind::kSpmv)
    text += fmt::format(", seed {}", seed);
  if (scale != 1.0) text += fmt::format(", scale {}", scale);
  return text;
}

std::optional<WorkloadKind> parse_workload_kind(std::string_view name) {
  for (const WorkloadKind kind :
       {WorkloadKind::kUniform, WorkloadKind::kNonuniform, WorkloadKind::kIncreasing,
        WorkloadKind::kSkewed, WorkloadKind::kFile, WorkloadKind::kMandelbrot, WorkloadKind::kSpmv,
        WorkloadKind::kTriad}) {
    if (to_string(kind) == name) return kind;
  }
  return std::nullopt;
}

std::uint64_t default_task_size(WorkloadKind kind) {
  switch (kind) {
    case WorkloadKind::kNonuniform:
      return kNonuniformSize;
    case WorkloadKind::kMandelbrot:
      return kMandelbrotSize;
    case WorkloadKind::kSpmv:
      return kSpmvSize;
    case WorkloadKind::kTriad:
      return kTriadSize;
    default:
      return kUniformSize;
  }
}

std::string workload_name(const WorkloadSpec& spec) {
  return spec.kind == WorkloadKind::kFile ? "file:" + spec.path : std::string(to_string(spec.kind));
}

std::vector<Task> make_workload(const WorkloadSpec& spec) {
  if (spec.kind != WorkloadKind::kFile && (spec.tasks < 1 || spec.tasks > kMaxTasks)) {
    throw UsageError(
        fmt::format("--tasks {}: expected a whole number from 1 to {}", spec.tasks, kMaxTasks));
  }
  // An application's costs are what its computation costs: scaling them would be a lie.
  if (is_application(spec.kind) && spec.scale != 1.0) {
    throw UsageError(fmt::format(
        "--scale {}: not allowed with --workload {} (the computation sets the task costs; "
        "change --size or --tasks)",
        spec.scale, to_string(spec.kind)));
  }
  std::vector<std::uint64_t> sizes;
  switch (spec.kind) {
    case WorkloadKind::kUniform:
      sizes = uniform(spec);
      break;
    case WorkloadKind::kNonuniform:
      sizes = nonuniform(spec);
      break;
    case WorkloadKind::kIncreasing:
      sizes = increasing(spec);
      break;
    case WorkloadKind::kSkewed:
      sizes = skewed(spec);
      break;
    case WorkloadKind::kFile:
      sizes = read_workload_file(spec.path);
      break;
    case WorkloadKind::kMandelbrot:
    case WorkloadKind::kSpmv:
    case WorkloadKind::kTriad:
      sizes = application_task_costs(spec);
      break;
  }
  // The list read from a file is known only now; a generated one was checked with the options.
  if (spec.kind == WorkloadKind::kFile) {
    check_memory(fmt::format("{}: {} tasks", workload_name(spec), sizes.size()),
                 run_memory_estimate(sizes.size(), false));
  }

  std::vector<Task> tasks(sizes.size());
  Wide total = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const long double scaled = std::round(static_cast<long double>(sizes[i]) * spec.scale);
    if (scaled > static_cast<long double>(kMaxTaskSize)) {
      throw UsageError(fmt::format("--scale {}: task {} would have {:.0Lf} units (the limit is {})",
                                   spec.scale, i, scaled, describe_limit(kMaxTaskSize)));
    }
    tasks[i] = Task{i, std::max<std::uint64_t>(1, static_cast<std::uint64_t>(scaled))};
    total += tasks[i].size;
  }
  if (total > std::numeric_limits<std::uint64_t>::max()) {
    throw UsageError(fmt::format(
        "workload {}: the task sizes add up to more than 2^64-1 units (reduce --tasks, --size or "
        "--scale)",
        to_string(spec.kind)));
  }
  return tasks;
}

std::uint64_t total_units(const std::vector<Task>& tasks) {
  std::uint64_t total = 0;
  for (const auto& t : tasks) total += t.size;
  return total;
}

std::string describe_workload(const WorkloadSpec& spec, const std::vector<Task>& tasks) {
  const auto [lo, hi] = std::minmax_element(
      tasks.begin(), tasks.end(), [](const Task& a, const Task& b) { return a.size < b.size; });
  std::string line = fmt::format("{}, {} tasks, ", workload_name(spec), tasks.size());
  if (lo->size == hi->size) {
    line += fmt::format("{} units each", lo->size);
  } else {
    line += fmt::format("{}..{} units (mean {})", lo->size, hi->size,
                        total_units(tasks) / tasks.size());
  }
  if (spec.kind == WorkloadKind::kNonuniform) line += fmt::format(", seed {}", spec.seed);
  if (is_application(spec.kind)) line += ", " + application_units(spec);
  if (spec.scale != 1.0) line += fmt::format(", scale {}", spec.scale);
  return line;
}

}  // namespace schedlab
