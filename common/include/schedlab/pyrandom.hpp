// A bit-for-bit reimplementation of Python's random.Random(seed) for integer seeds,
// so `--workload nonuniform` draws exactly the notebook's task list.
#pragma once

#include <array>
#include <cstdint>

namespace schedlab {

class PyRandom {
 public:
  // Same state as Python's random.Random(seed) for 0 <= seed < 2^64.
  explicit PyRandom(std::uint64_t seed);

  // random.getrandbits(k), 1 <= k <= 64.
  std::uint64_t getrandbits(int k);
  // random.randint(a, b): uniform in [a, b]; b - a must be below 2^63.
  std::int64_t randint(std::int64_t a, std::int64_t b);
  // random.random(): 53-bit float in [0, 1).
  double random();

 private:
  std::uint32_t next_u32();  // genrand_uint32 of MT19937
  void init_genrand(std::uint32_t s);

  static constexpr int kN = 624;
  std::array<std::uint32_t, kN> mt_{};
  int index_ = kN;
};

}  // namespace schedlab
