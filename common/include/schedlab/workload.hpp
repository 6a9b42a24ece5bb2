// Task lists: every model runs the same list, built here from the workload options.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedlab {

struct Task {
  std::size_t id = 0;  // position in the input list
  // The task's cost in units: spin(size) for a synthetic list; an application's predicted
  // cost (mandelbrot: the row's escape iterations, spmv: nonzeros, triad: doubles).
  std::uint64_t size = 0;
};

// The task lists --workload offers (file:PATH reads sizes from a file); the last three are
// applications (schedlab/application.hpp): real computations instead of spin.
enum class WorkloadKind {
  kUniform,
  kNonuniform,
  kIncreasing,
  kSkewed,
  kFile,
  kMandelbrot,
  kSpmv,
  kTriad
};
// "uniform", ..., "file": as --workload spells it.
std::string_view to_string(WorkloadKind kind);
// The kind --workload names ("file" included), or nullopt.
std::optional<WorkloadKind> parse_workload_kind(std::string_view name);

// ", seed 3, scale 0.01": what tables add after a record's workload to tell task lists apart:
// the seed where the kind draws from it (nonuniform's sizes, spmv's matrix), the scale where
// it is not 1; "" for neither. `workload` is as a record spells it ("file:PATH" too).
std::string workload_parameters(std::string_view workload, std::uint64_t seed, double scale);

struct WorkloadSpec {
  WorkloadKind kind = WorkloadKind::kUniform;
  std::string path;          // for WorkloadKind::kFile
  std::size_t tasks = 0;     // 0: take the file's count (file workloads only)
  std::uint64_t size = 0;    // base size in units
  std::uint64_t spread = 0;  // nonuniform: size + randint(0, spread)
  std::uint64_t seed = 0;
  double scale = 1.0;  // multiplies every size (rounded, at least 1)
};

inline constexpr std::uint64_t kMaxTaskSize = std::uint64_t{1} << 62;
inline constexpr std::size_t kMaxTasks = 10'000'000;
inline constexpr std::uint64_t kUniformSize = 12'000'000;
inline constexpr std::uint64_t kNonuniformSize = 8'000'000;
inline constexpr std::uint64_t kNonuniformSpread = 8'000'000;

// The kinds accepted by --workload (file:PATH besides).
inline constexpr const char* kWorkloadKinds =
    "uniform, nonuniform, increasing, skewed, file:PATH, mandelbrot, spmv, triad";

// --size when it is not given: kernel units (uniform 12000000, nonuniform 8000000), or the
// application's own (mandelbrot 1000 iterations, spmv 4000 nonzeros a row, triad 65536
// doubles a block).
std::uint64_t default_task_size(WorkloadKind kind);

// Builds the task list. Throws UsageError for a bad spec or file, or when the sizes'
// total would not fit in 64 bits.
std::vector<Task> make_workload(const WorkloadSpec& spec);

// Sizes read from a workload file: one per line, '#' starts a comment.
std::vector<std::uint64_t> read_workload_file(const std::string& path);
// The same from a stream; `source` names it in messages.
std::vector<std::uint64_t> parse_workload_sizes(std::istream& in, const std::string& source);

// The workload as records name it: "nonuniform", "file:tasks.txt".
std::string workload_name(const WorkloadSpec& spec);

std::uint64_t total_units(const std::vector<Task>& tasks);

// "nonuniform, 12 tasks, 8339607..15702707 units (mean 12685076), seed 0"
std::string describe_workload(const WorkloadSpec& spec, const std::vector<Task>& tasks);

}  // namespace schedlab
