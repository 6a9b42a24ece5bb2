// What a person reads on standard output: the workload line, the comparison table, one
// line per failed row and the verification line.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "schedlab/comparison.hpp"

namespace schedlab {

// "workload: uniform, 4 tasks, ... | ranks 1 x threads 2 | repeat 3"
std::string workload_line(const RunInfo& info, const std::vector<Task>& tasks);
// The setup line of --steps, --drift and --perturb ("steps: 5, drift | perturb: worker=1,
// slow=3"); "" when the run has one step and no perturbation.
std::string steps_line(const RunSettings& settings);
void print_table(std::FILE* out, const std::vector<StrategyRow>& rows);
// --steps T > 1: each row's per-step Tp, LB and chunks, one line each, after the table.
void print_steps(std::FILE* out, const std::vector<StrategyRow>& rows);
// "task 3 failed: ..." / "task 3 failed on rank 1: ..." / "interrupted after k/N tasks".
std::string failure_line(const StrategyRow& row, std::size_t task_count);
// "load average at start: 0.42 on 2 CPUs" (the 1-minute average, /proc/loadavg).
std::string load_line(const RunInfo& info);
// Table, failure lines, verification line, the load line, one "noisy: ..." line per noisy row.
void print_comparison(std::FILE* out, const Comparison& comparison);
// --print-tasks: one size per line.
void print_tasks(std::FILE* out, const std::vector<Task>& tasks);

}  // namespace schedlab
