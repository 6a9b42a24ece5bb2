// The one piece of process-wide state: a signal handler may only touch a lock-free atomic.
#include "schedlab/interrupt.hpp"

#include <atomic>
#include <csignal>

namespace schedlab {
namespace {
std::atomic<int> g_signal{0};
std::atomic<int> g_count{0};  // signals so far: output stops on one that arrives while it writes
static_assert(std::atomic<int>::is_always_lock_free);
extern "C" void on_signal(int signal) {
  g_signal.store(signal, std::memory_order_relaxed);
  g_count.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupt_requested() { return g_signal.load(std::memory_order_relaxed) != 0; }
int interrupt_signal() { return g_signal.load(std::memory_order_relaxed); }
int interrupt_count() { return g_count.load(std::memory_order_relaxed); }
void request_interrupt(int signal) {
  g_signal.store(signal, std::memory_order_relaxed);
  g_count.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace schedlab
