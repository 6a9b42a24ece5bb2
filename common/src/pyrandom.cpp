// MT19937 seeded the way CPython seeds it (init_by_array over the 32-bit words of the
// seed), plus the getrandbits/randint/random recipes from CPython's _randommodule.c
// and random.py.
#include "schedlab/pyrandom.hpp"

#include <bit>
#include <stdexcept>
#include <vector>

namespace schedlab {

void PyRandom::init_genrand(std::uint32_t s) {
  mt_[0] = s;
  for (int i = 1; i < kN; ++i) {
    mt_[static_cast<std::size_t>(i)] =
        1812433253U *
            (mt_[static_cast<std::size_t>(i - 1)] ^ (mt_[static_cast<std::size_t>(i - 1)] >> 30)) +
        static_cast<std::uint32_t>(i);
  }
  index_ = kN;
}

PyRandom::PyRandom(std::uint64_t seed) {
  // CPython: key = the 32-bit words of abs(seed), least significant first; [0] for 0.
  std::vector<std::uint32_t> key;
  for (std::uint64_t rest = seed; rest != 0; rest >>= 32) {
    key.push_back(static_cast<std::uint32_t>(rest & 0xFFFFFFFFU));
  }
  if (key.empty()) key.push_back(0);

  init_genrand(19650218U);
  std::size_t i = 1;
  std::size_t j = 0;
  const std::size_t n = kN;
  for (std::size_t k = (n > key.size() ? n : key.size()); k > 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525U)) + key[j] +
             static_cast<std::uint32_t>(j);
    ++i;
    ++j;
    if (i >= n) {
      mt_[0] = mt_[n - 1];
      i = 1;
    }
    if (j >= key.size()) j = 0;
  }
  for (std::size_t k = n - 1; k > 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941U)) -
             static_cast<std::uint32_t>(i);
    ++i;
    if (i >= n) {
      mt_[0] = mt_[n - 1];
      i = 1;
    }
  }
  mt_[0] = 0x80000000U;
  index_ = kN;
}

std::uint32_t PyRandom::next_u32() {
  constexpr std::uint32_t kMatrixA = 0x9908B0DFU;
  constexpr std::uint32_t kUpper = 0x80000000U;
  constexpr std::uint32_t kLower = 0x7FFFFFFFU;
  constexpr std::size_t kM = 397;
  if (index_ >= kN) {
    const std::size_t n = kN;
    for (std::size_t kk = 0; kk < n; ++kk) {
      const std::uint32_t y = (mt_[kk] & kUpper) | (mt_[(kk + 1) % n] & kLower);
      mt_[kk] = mt_[(kk + kM) % n] ^ (y >> 1) ^ ((y & 1U) != 0 ? kMatrixA : 0U);
    }
    index_ = 0;
  }
  std::uint32_t y = mt_[static_cast<std::size_t>(index_++)];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9D2C5680U;
  y ^= (y << 15) & 0xEFC60000U;
  y ^= (y >> 18);
  return y;
}

std::uint64_t PyRandom::getrandbits(int k) {
  if (k < 1 || k > 64) throw std::invalid_argument("getrandbits: k must be 1..64");
  if (k <= 32) return next_u32() >> (32 - k);
  // Words are filled least significant first; the last one keeps its top bits.
  const std::uint64_t low = next_u32();
  const std::uint64_t high = next_u32() >> (64 - k);
  return (high << 32) | low;
}

std::int64_t PyRandom::randint(std::int64_t a, std::int64_t b) {
  if (b < a) throw std::invalid_argument("randint: empty range");
  // random.py: randrange(a, b + 1) -> a + _randbelow(n), rejection sampling with
  // k = n.bit_length() bits.
  const std::uint64_t n = static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a) + 1;
  if (n == 0 || n > (std::uint64_t{1} << 63)) {
    throw std::invalid_argument("randint: range too large");
  }
  const int k = static_cast<int>(std::bit_width(n));
  std::uint64_t r = getrandbits(k);
  while (r >= n) r = getrandbits(k);
  return a + static_cast<std::int64_t>(r);
}

double PyRandom::random() {
  const std::uint32_t a = next_u32() >> 5;
  const std::uint32_t b = next_u32() >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

}  // namespace schedlab
