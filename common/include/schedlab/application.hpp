// Application workloads (--workload mandelbrot | spmv | triad): real computations whose
// cost per task is what the computation costs, instead of spin(size). One application
// object per process, built from the WorkloadSpec on every process (every MPI rank) before
// any run, like the trace level; execute_task() runs its task when one is set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "schedlab/workload.hpp"

namespace schedlab {

// One application: its data (matrix, arrays, image) lives inside, allocated and touched
// when it is built, so no timed run pays for first touches. A task writes only its own
// outputs (its row, its block), so tasks run concurrently without locks.
class Application {
 public:
  virtual ~Application() = default;
  // The pieces a task's work splits into, in order: pixels of a row (mandelbrot), nonzeros
  // of a row (spmv), doubles of a block (triad).
  virtual std::size_t elements(const Task& task) const = 0;
  // Computes elements [begin, end) of the task into its outputs. Computing [0, a) then
  // [a, n) gives bit for bit what [0, n) gives (the computing master runs tasks in slices).
  virtual void compute(const Task& task, std::size_t begin, std::size_t end) = 0;
  // The task's result: a digest of its outputs, bit-exact.
  virtual std::uint64_t digest(const Task& task) const = 0;
  // Zeroes every output, so that what the next run leaves is that run's own work.
  virtual void clear_outputs() = 0;
};

// Whether `kind` is an application (mandelbrot, spmv, triad) rather than a spin list.
bool is_application(WorkloadKind kind);

// Bytes the application of `spec` allocates on each process (0 for a spin list): counted
// in the memory check before anything is allocated.
std::uint64_t application_bytes(const WorkloadSpec& spec);

// The predicted cost of each task, Task::size: mandelbrot a row's escape iterations in
// total, spmv a row's nonzeros, triad a block's length. Throws UsageError for a bad spec.
std::vector<std::uint64_t> application_task_costs(const WorkloadSpec& spec);

// "units: escape iterations per row (mandelbrot 64x64, at most 1000 iterations a pixel)";
// "" for a spin list.
std::string application_units(const WorkloadSpec& spec);

// Builds the application `spec` names and makes it this process's (a spin list: none).
// Call it once on every process, after the task list is agreed, before any run.
void set_application(const WorkloadSpec& spec);
// The process's application; nullptr runs spin(size).
Application* application();

// The whole task: every element, then the digest (what execute_task() returns).
std::uint64_t run_application_task(Application& app, const Task& task);

// Mandelbrot: rows of a W x W image (W = --tasks) of the square view centred at
// (center_x, center_y), half_width wide on each side; --size is the iteration cap.
// The default is the set's upper half, -2..0.5 x -0.5..2: the rows through the main
// cardioid (the lower half of the image) cost the most, the rows above the set almost
// nothing, so schedule(static) leaves a thread idle even at 2 threads. (The classic
// -2..1 x -1.5..1.5 view is symmetric: its two halves cost the same, and static block
// on 2 threads would look balanced.)
struct MandelbrotView {
  double center_x = -0.75;
  double center_y = 0.75;
  double half_width = 1.25;
};
inline constexpr std::uint64_t kMandelbrotSize = 1000;    // default --size: ~ms a row of 1000
inline constexpr std::size_t kMaxMandelbrotRows = 16384;  // a 1 GiB image of counts
inline constexpr std::uint64_t kMaxMandelbrotIterations = 1u << 30;
// The view mandelbrot computes now: the base view, or the current step's under --drift.
MandelbrotView current_mandelbrot_view();
// Escape iterations of every row of the view (the cost --print-tasks shows).
std::vector<std::uint64_t> mandelbrot_row_costs(const MandelbrotView& view, std::size_t rows,
                                                std::uint64_t max_iterations);
// The iteration counts the workers wrote, row-major, W x W (0: a pixel nobody computed);
// nullptr unless the application is mandelbrot.
std::vector<std::uint32_t>* mandelbrot_image();

inline constexpr std::uint64_t kSpmvSize = 4000;      // default mean nonzeros per row
inline constexpr std::size_t kSpmvColumns = 1 << 20;  // x: 8 MiB of doubles
inline constexpr std::uint64_t kTriadSize = 1 << 16;  // default block: 64 Ki doubles

// Where --image FILE.png puts its cost map: FILE-cost.png ("" unless `image` ends in .png).
std::string cost_map_path(const std::string& image);

// The picture as a PNG file's bytes: iteration counts through a colour map (the set black).
std::string mandelbrot_png(const std::vector<std::uint32_t>& counts, std::size_t width,
                           std::uint64_t max_iterations);
// The cost map as a PNG file's bytes: one pixel row per task, a bar as long as the task's
// time (the longest fills the width), coloured by time; beside the picture, row for row.
std::string cost_map_png(const std::vector<double>& seconds);

}  // namespace schedlab
