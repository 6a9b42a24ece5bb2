// spin(n): a serial dependency chain of multiply/xor-shift steps (the splitmix64 and
// murmur3 finalisers), so the work cannot be vectorised, folded or skipped.
#include "schedlab/kernel.hpp"

#include <chrono>

namespace schedlab {

SpinChain& SpinChain::advance(std::uint64_t units) {
  std::uint64_t x = x_;  // locals, so that the chain lives in registers
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
