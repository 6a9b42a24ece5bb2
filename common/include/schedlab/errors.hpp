// The two error kinds every runner distinguishes: bad input (exit 2) and a failed task
// (exit 1, re-raised after the parallel region like the notebook's f.result()).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace schedlab {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // verification failed or a task failed
inline constexpr int kExitUsage = 2;   // bad options or input

// Bad input: the message names the value and what is allowed, on one line.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by a task; carries the task id so the report can name it.
class TaskFailure : public std::runtime_error {
 public:
  TaskFailure(std::size_t task, const std::string& message)
      : std::runtime_error(message), task_(task) {}
  std::size_t task() const { return task_; }

 private:
  std::size_t task_;
};

}  // namespace schedlab
