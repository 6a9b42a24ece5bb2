// Whose learning an adaptive technique keeps from one time step to the next (--steps). The
// driver runs a run's rows step by step interleaved (step 0 of every row, then step 1 ...),
// so what af, maf, awf-b..e and awf learned and binlpt,keep=1's plan are kept per row: the
// driver names the row before each of its steps, on every process, and the per-process
// stores (techniques/src/step_store.hpp, awf_ts.cpp) key what they keep by it. The
// simulator keeps what its simulated techniques learn apart (kSimulatedRow), so an auto
// row simulating af never overwrites what a row's af learned.
#pragma once

#include <string>

namespace schedlab::techniques {

inline constexpr int kNoRow = -1;         // no run's row named (tests, tools): one store
inline constexpr int kSimulatedRow = -2;  // inside simulate()

// Set by one thread (the driver, the simulator), read by whichever thread makes or ends a
// technique.
void set_learning_row(int row);
int learning_row();

// `key` as the current row keeps it (unchanged for kNoRow).
std::string learning_key(const std::string& key);

// Names a row for its lifetime and restores the previous one after.
class LearningRowScope {
 public:
  explicit LearningRowScope(int row) : previous_(learning_row()) { set_learning_row(row); }
  ~LearningRowScope() { set_learning_row(previous_); }
  LearningRowScope(const LearningRowScope&) = delete;
  LearningRowScope& operator=(const LearningRowScope&) = delete;

 private:
  int previous_;
};

}  // namespace schedlab::techniques
