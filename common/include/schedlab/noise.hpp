// Noise, called out rather than hidden: the load average a run met at its start, and the
// rows whose timing no schedule can explain (docs/results-schema.md, "Noise").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schedlab/comparison.hpp"

namespace schedlab {

// The 1-minute load average from /proc/loadavg (std::nullopt where it cannot be read:
// not Linux, or /proc not mounted). Read once, at the start of a run.
std::optional<double> read_load_average(const char* path = "/proc/loadavg");

// Why `row` cannot be trusted, empty when nothing was seen: "E > 1" or "Tp/L < 1" (no
// schedule can do either: the serial baseline was slowed by something else), or
// "T1 varies 12%" (the serial baseline of this run spread more than 10% over its repeats,
// median against fastest). Only rows that completed are judged.
std::vector<std::string> noise_reasons(const StrategyRow& row, const StrategyRow& serial);

// "E > 1; T1 varies 12%" (the form of the CSV's `noise` column).
std::string join_reasons(const std::vector<std::string>& reasons, const char* separator = "; ");

}  // namespace schedlab
