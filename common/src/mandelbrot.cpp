// --workload mandelbrot: task y computes row y of the escape-time image. A row's cost is
// the iterations its pixels take, so the rows through the set cost the most: on the default
// view the lower half's, and schedule(static) leaves the thread of the upper rows idle.
#include <algorithm>
#include <cstring>

#include "application_impl.hpp"
#include "schedlab/application.hpp"

namespace schedlab {
namespace {

// Iterations until |z| > 2 (at most `max`), z -> z^2 + c from z = 0. Plain double
// arithmetic in one function that every runner calls: the same instructions, so the same
// bits everywhere (the project is built without -ffast-math).
std::uint32_t escape_count(double cx, double cy, std::uint32_t max) {
  double x = 0.0;
  double y = 0.0;
  std::uint32_t n = 0;
  while (n < max && x * x + y * y <= 4.0) {
    const double next_x = x * x - y * y + cx;
    y = 2.0 * x * y + cy;
    x = next_x;
    ++n;
  }
  return n;  // >= 1 for max >= 1, so 0 can mean "not computed"
}

// The point at the centre of pixel (column, row) of a width x width view.
double pixel_x(const MandelbrotView& v, std::size_t width, std::size_t column) {
  const double pixel = 2.0 * v.half_width / static_cast<double>(width);
  return v.center_x - v.half_width + (static_cast<double>(column) + 0.5) * pixel;
}
double pixel_y(const MandelbrotView& v, std::size_t width, std::size_t row) {
  const double pixel = 2.0 * v.half_width / static_cast<double>(width);
  return v.center_y + v.half_width - (static_cast<double>(row) + 0.5) * pixel;
}

class Mandelbrot final : public Application {
 public:
  Mandelbrot(std::size_t width, std::uint64_t max_iterations)
      : width_(width),
        max_(static_cast<std::uint32_t>(max_iterations)),
        image_(width * width, 0) {}  // assigned, hence touched, before any run

  std::size_t elements(const Task& /*task*/) const override { return width_; }

  void compute(const Task& task, std::size_t begin, std::size_t end) override {
    const MandelbrotView view = current_mandelbrot_view();
    const double cy = pixel_y(view, width_, task.id);
    std::uint32_t* row = image_.data() + task.id * width_;
    for (std::size_t column = begin; column < end; ++column) {
      row[column] = escape_count(pixel_x(view, width_, column), cy, max_);
    }
  }

  std::uint64_t digest(const Task& task) const override {
    const std::uint32_t* row = image_.data() + task.id * width_;
    // FNV-1a over the row's counts, seeded with the row: in a view centred on the real
    // axis rows y and H-1-y hold the same counts, and a row computed into the other's
    // place must still change the checksum.
    std::uint64_t h = 0xCBF29CE484222325ULL ^ mix64(task.id);
    for (std::size_t column = 0; column < width_; ++column) {
      h ^= row[column];
      h *= 0x100000001B3ULL;
    }
    return h;
  }

  void clear_outputs() override { std::fill(image_.begin(), image_.end(), 0U); }

  std::vector<std::uint32_t>& image() { return image_; }

 private:
  std::size_t width_;
  std::uint32_t max_;
  std::vector<std::uint32_t> image_;  // row-major iteration counts
};

}  // namespace

std::vector<std::uint64_t> mandelbrot_row_costs(const MandelbrotView& view, std::size_t rows,
                                                std::uint64_t max_iterations) {
  std::vector<std::uint64_t> costs(rows, 0);
  const auto max = static_cast<std::uint32_t>(max_iterations);
  for (std::size_t row = 0; row < rows; ++row) {
    const double cy = pixel_y(view, rows, row);
    for (std::size_t column = 0; column < rows; ++column) {
      costs[row] += escape_count(pixel_x(view, rows, column), cy, max);
    }
  }
  return costs;
}

std::unique_ptr<Application> make_mandelbrot(const WorkloadSpec& spec) {
  return std::make_unique<Mandelbrot>(spec.tasks, spec.size);
}

std::vector<std::uint32_t>* mandelbrot_image() {
  auto* app = dynamic_cast<Mandelbrot*>(application());
  return app == nullptr ? nullptr : &app->image();
}

}  // namespace schedlab
