// The process's application (docs/design.md, "Application workloads"): which kinds are
// applications, what each task is predicted to cost, what the data needs, and building it.
#include "schedlab/application.hpp"

#include <fmt/format.h>

#include <limits>

#include "application_impl.hpp"
#include "schedlab/errors.hpp"

namespace schedlab {
namespace {

__extension__ typedef unsigned __int128 Wide;

// Written once before any run starts (single-threaded), read by every task.
std::unique_ptr<Application> g_application;

std::uint64_t saturate(Wide bytes) {
  return bytes > std::numeric_limits<std::uint64_t>::max()
             ? std::numeric_limits<std::uint64_t>::max()
             : static_cast<std::uint64_t>(bytes);
}

void check_mandelbrot(const WorkloadSpec& spec) {
  if (spec.tasks > kMaxMandelbrotRows) {
    throw UsageError(fmt::format(
        "--tasks {}: mandelbrot's image is tasks x tasks pixels; expected at most {} rows",
        spec.tasks, kMaxMandelbrotRows));
  }
  if (spec.size > kMaxMandelbrotIterations) {
    throw UsageError(
        fmt::format("--size {}: mandelbrot's iteration cap; expected a whole number from 1 to {}",
                    spec.size, kMaxMandelbrotIterations));
  }
}

}  // namespace

bool is_application(WorkloadKind kind) {
  return kind == WorkloadKind::kMandelbrot || kind == WorkloadKind::kSpmv ||
         kind == WorkloadKind::kTriad;
}

std::uint64_t application_bytes(const WorkloadSpec& spec) {
  const Wide tasks = spec.tasks;
  switch (spec.kind) {
    case WorkloadKind::kMandelbrot:
      return saturate(tasks * tasks * sizeof(std::uint32_t));
    case WorkloadKind::kSpmv: {
      if (spec.tasks > kMaxTasks) return std::numeric_limits<std::uint64_t>::max();
      Wide nonzeros = 0;
      for (const std::uint64_t length : spmv_row_lengths(spec)) nonzeros += length;
      // row starts and y (16 B a row), a value and a column index (12 B a nonzero), x
      return saturate(tasks * 16 + nonzeros * 12 + Wide{kSpmvColumns} * sizeof(double));
    }
    case WorkloadKind::kTriad:
      return saturate(tasks * spec.size * 3 * sizeof(double));  // a, b and c
    default:
      return 0;
  }
}

std::vector<std::uint64_t> application_task_costs(const WorkloadSpec& spec) {
  switch (spec.kind) {
    case WorkloadKind::kMandelbrot:
      check_mandelbrot(spec);
      return mandelbrot_row_costs(MandelbrotView{}, spec.tasks, spec.size);
    case WorkloadKind::kSpmv:
      return spmv_row_lengths(spec);
    case WorkloadKind::kTriad:
      return std::vector<std::uint64_t>(spec.tasks, spec.size);
    default:
      throw std::logic_error("application_task_costs: not an application workload");
  }
}

std::string application_units(const WorkloadSpec& spec) {
  switch (spec.kind) {
    case WorkloadKind::kMandelbrot:
      return fmt::format("units: escape iterations per row of a {}x{} image, at most {} a pixel",
                         spec.tasks, spec.tasks, spec.size);
    case WorkloadKind::kSpmv:
      return fmt::format("units: nonzeros per row of a {}x{} CSR matrix, seed {}", spec.tasks,
                         kSpmvColumns, spec.seed);
    case WorkloadKind::kTriad:
      return fmt::format("units: doubles per block of a[i] = b[i] + 3 c[i], {} doubles in all",
                         spec.tasks * spec.size);
    default:
      return {};
  }
}

void set_application(const WorkloadSpec& spec) {
  switch (spec.kind) {
    case WorkloadKind::kMandelbrot:
      check_mandelbrot(spec);
      g_application = make_mandelbrot(spec);
      break;
    case WorkloadKind::kSpmv:
      g_application = make_spmv(spec);
      break;
    case WorkloadKind::kTriad:
      g_application = make_triad(spec);
      break;
    default:
      g_application.reset();
      break;
  }
}

std::string cost_map_path(const std::string& image) {
  constexpr std::string_view kPng = ".png";
  if (image.size() <= kPng.size() ||
      image.compare(image.size() - kPng.size(), kPng.size(), kPng) != 0)
    return {};
  return image.substr(0, image.size() - kPng.size()) + "-cost.png";
}

Application* application() { return g_application.get(); }

std::uint64_t run_application_task(Application& app, const Task& task) {
  app.compute(task, 0, app.elements(task));
  return app.digest(task);
}

}  // namespace schedlab
