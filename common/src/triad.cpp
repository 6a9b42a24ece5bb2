// --workload triad: STREAM's triad a[i] = b[i] + s * c[i], task k = block k of --size
// doubles. Every task is the same size and the loop is bound by memory bandwidth: what
// more threads buy when they share one memory bus.
#include <algorithm>
#include <cstring>

#include "application_impl.hpp"
#include "schedlab/application.hpp"

namespace schedlab {
namespace {

constexpr double kScalar = 3.0;  // STREAM's s

class Triad final : public Application {
 public:
  explicit Triad(const WorkloadSpec& spec)
      : block_(static_cast<std::size_t>(spec.size)),
        a_(spec.tasks * block_, 0.0),
        b_(a_.size()),
        c_(a_.size()) {
    for (std::size_t i = 0; i < a_.size(); ++i) {
      b_[i] = 1.0 + static_cast<double>(i % 1024) / 1024.0;
      c_[i] = 2.0 - static_cast<double>(i % 4096) / 4096.0;
    }
  }

  std::size_t elements(const Task& /*task*/) const override { return block_; }

  void compute(const Task& task, std::size_t begin, std::size_t end) override {
    const std::size_t base = task.id * block_;
    for (std::size_t i = base + begin; i < base + end; ++i) a_[i] = b_[i] + kScalar * c_[i];
  }

  // A sum of (bits ^ position): vectorisable, so the digest costs little beside the triad,
  // and an element in the wrong place changes it.
  std::uint64_t digest(const Task& task) const override {
    const std::size_t base = task.id * block_;
    std::uint64_t sum = 0;
    for (std::size_t i = base; i < base + block_; ++i) {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &a_[i], sizeof bits);
      sum += bits ^ i;
    }
    return mix64(sum);
  }

  void clear_outputs() override { std::fill(a_.begin(), a_.end(), 0.0); }

 private:
  std::size_t block_;
  std::vector<double> a_, b_, c_;
};

}  // namespace

std::unique_ptr<Application> make_triad(const WorkloadSpec& spec) {
  return std::make_unique<Triad>(spec);
}

}  // namespace schedlab
