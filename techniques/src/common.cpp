// Helpers every technique shares: the checked call, mean and sigma, parameter fallbacks.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <sstream>

#include "portfolio.hpp"
#include "schedlab/techniques/learning_row.hpp"

namespace schedlab::techniques {

std::size_t checked_next_chunk(Technique& technique, const std::string& name, const LoopSetup& loop,
                               std::size_t remaining, int worker) {
  const auto where = [&] {
    std::ostringstream out;
    out << "technique '" << name << "' with N=" << loop.tasks << ", P=" << loop.workers
        << ": next_chunk(remaining=" << remaining << ", worker=" << worker << ")";
    return out.str();
  };
  std::size_t chunk = 0;
  try {
    chunk = technique.next_chunk(remaining, worker);
  } catch (const std::exception& error) {
    throw TechniqueError(where() + " threw: " + error.what());
  } catch (...) {
    throw TechniqueError(where() + " threw a non-standard exception");
  }
  // A chunk of 0 would never finish the loop; more than left would run tasks twice.
  if (chunk < 1 || chunk > remaining) {
    throw TechniqueError(where() + " returned " + std::to_string(chunk) + "; a chunk must be 1.." +
                         std::to_string(remaining));
  }
  return chunk;
}

MeanSigma mean_sigma(const std::vector<double>& values) {
  if (values.empty()) return {};
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return {mean, std::sqrt(squares / static_cast<double>(values.size()))};
}

namespace {
std::atomic<int> current_learning_row{kNoRow};
}  // namespace

void set_learning_row(int row) { current_learning_row.store(row); }
int learning_row() { return current_learning_row.load(); }

std::string learning_key(const std::string& key) {
  const int row = learning_row();
  if (row == kNoRow) return key;
  return (row == kSimulatedRow ? std::string("simulated") : "row " + std::to_string(row)) + ": " +
         key;
}

namespace detail {

double given_or_measured(const Params& params, std::size_t index, const LoopSetup& loop,
                         bool want_sigma) {
  if (params.given.at(index) || loop.task_costs.empty()) return params[index];
  const MeanSigma stats = mean_sigma(loop.task_costs);
  return want_sigma ? stats.sigma : stats.mean;
}

std::size_t count_param(const Params& params, std::size_t index, std::size_t least) {
  // Clamped before the conversion: a value past kMaxParameter (set by code, not parsed) must
  // not be undefined behaviour.
  const double value = std::min(std::round(params[index]), kMaxParameter);
  return !(value >= static_cast<double>(least)) ? least : static_cast<std::size_t>(value);
}

std::vector<double> normalised_weights(const LoopSetup& loop) {
  const auto p = static_cast<std::size_t>(loop.workers);
  if (loop.weights.empty()) return std::vector<double>(p, 1.0);
  if (loop.weights.size() != p) {
    throw std::invalid_argument("weights: " + std::to_string(loop.weights.size()) + " given for " +
                                std::to_string(p) +
                                " workers; give one positive weight per worker");
  }
  double sum = 0;
  for (double w : loop.weights) {
    if (!(w > 0) || !std::isfinite(w)) {
      throw std::invalid_argument("weights: " + std::to_string(w) +
                                  " is not allowed; each weight must be a positive number");
    }
    sum += w;
  }
  std::vector<double> normalised;
  for (double w : loop.weights) normalised.push_back(w * static_cast<double>(p) / sum);
  return normalised;
}

}  // namespace detail
}  // namespace schedlab::techniques
