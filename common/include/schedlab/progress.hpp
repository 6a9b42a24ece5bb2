// `--progress K`: the notebook's "3/12 finished..." lines, printed as tasks complete,
// from whichever thread or rank completed them, never interleaved.
#pragma once

#include <cstddef>
#include <cstdio>
#include <mutex>

namespace schedlab {

class Progress {
 public:
  // every == 0 turns progress off (task_done() is then a no-op without locking).
  // On a terminal (bar == true) a live bar replaces the lines.
  Progress(std::size_t total, std::size_t every, std::FILE* out, bool bar);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool enabled() const { return every_ != 0; }
  // Thread-safe; call once per completed task.
  void task_done();
  // Ends a live bar with a newline.
  void finish();

 private:
  std::size_t total_;
  std::size_t every_;
  std::FILE* out_;
  bool bar_;
  std::size_t done_ = 0;
  std::mutex mutex_;
};

// True when progress should be drawn as a bar: stdout is a terminal.
bool stdout_is_terminal();

}  // namespace schedlab
