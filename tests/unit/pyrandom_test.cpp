// PyRandom must reproduce Python's random.Random(seed) bit for bit.
#include "schedlab/pyrandom.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace {

struct Vector {
  std::uint64_t seed;
  std::array<std::uint64_t, 6> bits;  // getrandbits(k) for k = 1, 7, 32, 33, 48, 64
  std::array<std::int64_t, 4> ints;   // randint(0,8e6), (0,2^40), (-5,5), (0,2^62)
  double random;
};

// Generated with python3 (3.11), in this order on one generator per seed:
//   import random
//   for s in [0, 1, 42, 2**32+5, 123456789012345, 2**64-1]:
//       r = random.Random(s)
//       bits = [r.getrandbits(k) for k in (1, 7, 32, 33, 48, 64)]
//       ints = [r.randint(0, 8_000_000), r.randint(0, 2**40), r.randint(-5, 5),
//               r.randint(0, 2**62)]
//       print(s, bits, ints, r.random())
constexpr Vector kVectors[] = {
    {0ULL,
     {1ULL, 49ULL, 3255389356ULL, 3823568514ULL, 72877178957620ULL, 9431353882395063546ULL},
     {4076256LL, 788025983492LL, 4LL, 2599495322613281050LL},
     0.1397457849666789},
    {1ULL,
     {0ULL, 72ULL, 3639700191ULL, 7740669488ULL, 71794944361681ULL, 9139164268605729673ULL},
     {6383415LL, 1037017667747LL, 5LL, 865701881190521133LL},
     0.48785665652414756},
    {42ULL,
     {1ULL, 14ULL, 107420369ULL, 3184935163ULL, 62827833408400ULL, 13585496030504862185ULL},
     {859791LL, 70531617177LL, -5LL, 2016579388887034202LL},
     0.2326608933907396},
    {4294967301ULL,
     {0ULL, 62ULL, 1213270837ULL, 8117169770ULL, 4088101593189ULL, 11580414858807844413ULL},
     {1437129LL, 536073183864LL, 0LL, 1818197768298789051LL},
     0.9676871784229131},
    {123456789012345ULL,
     {1ULL, 28ULL, 1255537387ULL, 1761982086ULL, 147728754489207ULL, 2124201484457824185ULL},
     {5202065LL, 419528762942LL, 2LL, 2500880922752812937LL},
     0.5815285420697294},
    {18446744073709551615ULL,
     {0ULL, 31ULL, 1452108352ULL, 2657516307ULL, 173140680415826ULL, 16963090519847801214ULL},
     {7556557LL, 119153246635LL, -2LL, 4458721442496696091LL},
     0.26212828813457745},
};

TEST(PyRandom, MatchesPythonVectorsForManySeeds) {
  constexpr int kBits[] = {1, 7, 32, 33, 48, 64};
  for (const auto& v : kVectors) {
    schedlab::PyRandom rng(v.seed);
    for (std::size_t i = 0; i < v.bits.size(); ++i) {
      EXPECT_EQ(rng.getrandbits(kBits[i]), v.bits[i]) << "seed " << v.seed << " k " << kBits[i];
    }
    EXPECT_EQ(rng.randint(0, 8'000'000), v.ints[0]) << "seed " << v.seed;
    EXPECT_EQ(rng.randint(0, std::int64_t{1} << 40), v.ints[1]) << "seed " << v.seed;
    EXPECT_EQ(rng.randint(-5, 5), v.ints[2]) << "seed " << v.seed;
    EXPECT_EQ(rng.randint(0, std::int64_t{1} << 62), v.ints[3]) << "seed " << v.seed;
    EXPECT_DOUBLE_EQ(rng.random(), v.random) << "seed " << v.seed;
  }
}

TEST(PyRandom, MatchesPythonSeed0NotebookList) {
  // python3 -c "import random; r=random.Random(0);
  //   print([8_000_000 + r.randint(0, 8_000_000) for _ in range(12)])"
  constexpr std::int64_t kNotebook[] = {15083523, 11231671, 14358182, 15467907, 11528010, 8339607,
                                        10171951, 12288883, 12076256, 11396833, 15702707, 14574979};
  schedlab::PyRandom rng(0);
  for (const auto expected : kNotebook) EXPECT_EQ(8'000'000 + rng.randint(0, 8'000'000), expected);
}

TEST(PyRandom, RejectsBadArguments) {
  schedlab::PyRandom rng(0);
  EXPECT_THROW(rng.getrandbits(0), std::invalid_argument);
  EXPECT_THROW(rng.getrandbits(65), std::invalid_argument);
  EXPECT_THROW(rng.randint(3, 2), std::invalid_argument);
}

}  // namespace
