// Inside common/: each application's factory, called by set_application().
#pragma once

#include <memory>

#include "schedlab/application.hpp"

namespace schedlab {

std::unique_ptr<Application> make_mandelbrot(const WorkloadSpec& spec);
std::unique_ptr<Application> make_spmv(const WorkloadSpec& spec);
std::unique_ptr<Application> make_triad(const WorkloadSpec& spec);

// The row lengths of spmv's matrix (its predicted costs), drawn from --seed alone.
std::vector<std::uint64_t> spmv_row_lengths(const WorkloadSpec& spec);

// A 64-bit generator (splitmix64): fast, deterministic, the same on every rank.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1), 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// The 64-bit finaliser of splitmix64: spreads every input bit over the output.
inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace schedlab
