// Private: the functions that return the registry's rows (each technique file defines its
// own) and the helpers the rules share. Adding a technique: docs/techniques.md.
#pragma once

#include <algorithm>
#include <cstddef>

#include "schedlab/techniques/registry.hpp"

namespace schedlab::techniques::detail {

// The student's own row, always last. The other rows' <name>_info() are declared only where
// registry() calls them (registry.cpp), so a new row recompiles that file, not every technique.
TechniqueInfo student_info();

// A parameter the user gave, else the mean/sigma of the known task costs, else its default.
double given_or_measured(const Params& params, std::size_t index, const LoopSetup& loop,
                         bool want_sigma);

// A parameter that counts tasks (k, first chunk...): rounded, at least `least`.
std::size_t count_param(const Params& params, std::size_t index, std::size_t least);

// A rounded-down chunk from a formula: 0 for NaN or below 0 (the caller's max(k, .) then
// applies), capped far above any loop instead of overflowing size_t.
inline std::size_t to_count(double x) {
  if (!(x >= 0)) return 0;
  return static_cast<std::size_t>(std::min(x, 1e18));
}

// Workers' weights normalised to sum P; all 1 when none are given. Throws
// std::invalid_argument for the wrong length or a weight <= 0.
std::vector<double> normalised_weights(const LoopSetup& loop);

// A technique that hands out the same chunk size until the loop runs out.
class FixedChunk final : public Technique {
 public:
  explicit FixedChunk(std::size_t chunk) : chunk_(std::max<std::size_t>(chunk, 1)) {}
  std::size_t next_chunk(std::size_t remaining, int) override {
    return std::min(chunk_, remaining);
  }

 private:
  std::size_t chunk_;
};

}  // namespace schedlab::techniques::detail
