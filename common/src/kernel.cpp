// spin(n): a serial dependency chain of multiply/xor-shift steps (the splitmix64 and
// murmur3 finalisers), so the work cannot be vectorised, folded or skipped.
#include "schedlab/kernel.hpp"

#include <chrono>

namespace schedlab {

namespace {
// The end of the last chain this thread ran. A task's chain starts only once it is known
// (below), so two tasks in a row on one thread never overlap in the out-of-order core.
// Without that, a 1-unit task cost ~2 ns against ~6 ns a unit in a long one: the core ran
// the independent chains of consecutive tiny tasks side by side, so "units" were cheaper in
// small tasks, and efficiency against the kernel's rate on large tasks (Task Bench's
// scoring) read above 1. With it, a unit costs the same in a task of 1 or of 2^21 units
// (BM_Spin's time/unit column).
thread_local std::uint64_t t_last_chain_end = 0;
}  // namespace

SpinChain& SpinChain::advance(std::uint64_t units) {
  std::uint64_t x = x_;  // locals, so that the chain lives in registers
  if (i_ == 0) {
    // x ^ (last & 0) is x, but the compiler cannot see the 0 (empty asm), so the CPU must
    // wait for `last` - a store-to-load dependency on the previous chain's end.
    std::uint64_t zero = 0;
    asm volatile("" : "+r"(zero));
    x ^= t_last_chain_end & zero;
  }
  const std::uint64_t end = i_ + units;
  for (std::uint64_t i = i_; i < end; ++i) {
    x = (x ^ (x >> 31)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    x = (x ^ (x >> 33)) * 0xFF51AFD7ED558CCDULL;
    x = (x ^ (x >> 29)) * 0xC4CEB9FE1A85EC53ULL + i;
    // Why: without this empty volatile asm, clang treats spin() as a pure function and
    // merges repeated calls with the same n (a benchmark would then time nothing).
    // It costs nothing: x already lives in a register.
    asm volatile("" : "+r"(x));
  }
  x_ = x;
  i_ = end;
  t_last_chain_end = x;
  return *this;
}

std::uint64_t spin(std::uint64_t n) { return SpinChain{}.advance(n).value(); }

double measure_units_per_second(std::uint64_t units) {
  const auto start = std::chrono::steady_clock::now();
  const std::uint64_t result = spin(units);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The result decides nothing, but using it keeps the compiler from dropping the work.
  if (result == 0 || !(seconds > 0)) return 0.0;
  return static_cast<double>(units) / seconds;
}

}  // namespace schedlab
