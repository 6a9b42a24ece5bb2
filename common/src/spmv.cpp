// --workload spmv: y = A x for a sparse matrix in CSR form, task i = row i. Row lengths
// follow a power law (a few rows hold many of the nonzeros), so the tasks are irregular, and
// each nonzero streams its value and column index from memory and gathers x at a random
// column: memory-bound, unlike spin.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "application_impl.hpp"
#include "schedlab/application.hpp"

namespace schedlab {
namespace {

// Pareto with shape 1.5: mean = 3 x the minimum length, heavy tail (capped at the columns).
constexpr double kShape = 1.5;

class Spmv final : public Application {
 public:
  explicit Spmv(const WorkloadSpec& spec) {
    const std::vector<std::uint64_t> lengths = spmv_row_lengths(spec);
    row_start_.assign(lengths.size() + 1, 0);
    for (std::size_t i = 0; i < lengths.size(); ++i) row_start_[i + 1] = row_start_[i] + lengths[i];
    columns_.resize(row_start_.back());
    values_.resize(row_start_.back());
    SplitMix64 rng(spec.seed ^ 0x5350'4D56ULL);  // "SPMV": apart from the lengths' stream
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      const auto first = columns_.begin() + static_cast<std::ptrdiff_t>(row_start_[i]);
      const auto last = columns_.begin() + static_cast<std::ptrdiff_t>(row_start_[i + 1]);
      for (auto c = first; c != last; ++c)
        *c = static_cast<std::uint32_t>(rng.next() % kSpmvColumns);
      std::sort(first, last);  // CSR order: each row's columns ascending
    }
    for (double& v : values_) v = 2.0 * rng.uniform() - 1.0;
    x_.resize(kSpmvColumns);
    for (double& v : x_) v = rng.uniform();
    y_.assign(lengths.size(), 0.0);
  }

  std::size_t elements(const Task& task) const override {
    return static_cast<std::size_t>(row_start_[task.id + 1] - row_start_[task.id]);
  }

  // The partial sum lives in y between slices: the same additions in the same order.
  void compute(const Task& task, std::size_t begin, std::size_t end) override {
    const std::uint64_t first = row_start_[task.id];
    double sum = begin == 0 ? 0.0 : y_[task.id];
    for (std::uint64_t k = first + begin; k < first + end; ++k) sum += values_[k] * x_[columns_[k]];
    y_[task.id] = sum;
  }

  std::uint64_t digest(const Task& task) const override {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &y_[task.id], sizeof bits);
    return mix64(bits ^ task.id);
  }

  void clear_outputs() override { std::fill(y_.begin(), y_.end(), 0.0); }

 private:
  std::vector<std::uint64_t> row_start_;  // CSR: row i is [row_start_[i], row_start_[i+1])
  std::vector<std::uint32_t> columns_;
  std::vector<double> values_;
  std::vector<double> x_;
  std::vector<double> y_;
};

}  // namespace

std::vector<std::uint64_t> spmv_row_lengths(const WorkloadSpec& spec) {
  SplitMix64 rng(spec.seed);
  const double minimum = static_cast<double>(spec.size) * (kShape - 1.0) / kShape;
  std::vector<std::uint64_t> lengths(spec.tasks);
  for (auto& length : lengths) {
    const double draw = minimum / std::pow(1.0 - rng.uniform(), 1.0 / kShape);
    length = static_cast<std::uint64_t>(
        std::clamp(std::round(draw), 1.0, static_cast<double>(kSpmvColumns)));
  }
  return lengths;
}

std::unique_ptr<Application> make_spmv(const WorkloadSpec& spec) {
  return std::make_unique<Spmv>(spec);
}

}  // namespace schedlab
