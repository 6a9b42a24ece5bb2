// Progress lines/bar. One mutex serialises counting and printing, so line k is always
// printed before line k+K; with progress off no lock is taken at all.
#include "schedlab/progress.hpp"

#include <unistd.h>

#include <string>

namespace schedlab {

Progress::Progress(std::size_t total, std::size_t every, std::FILE* out, bool bar)
    : total_(total), every_(every), out_(out), bar_(bar) {}

void Progress::task_done() {
  if (every_ == 0) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
  if (bar_) {
    constexpr std::size_t kWidth = 40;
    const std::size_t filled = total_ == 0 ? kWidth : done_ * kWidth / total_;
    std::fprintf(out_, "\r[%s%s] %zu/%zu", std::string(filled, '#').c_str(),
                 std::string(kWidth - filled, ' ').c_str(), done_, total_);
    std::fflush(out_);
  } else if (done_ % every_ == 0 || done_ == total_) {
    std::fprintf(out_, "%zu/%zu finished...\n", done_, total_);
    std::fflush(out_);
  }
}

void Progress::finish() {
  if (every_ == 0 || !bar_) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }

}  // namespace schedlab
