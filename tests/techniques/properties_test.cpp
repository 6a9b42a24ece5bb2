// Properties every registered technique keeps, over N = 1..2000 and P = 1..64 (sampled, see
// below): each task handed out exactly once, every chunk >= 1,
// sizes adding up to N, and non-increasing sizes where the technique promises it.
#include <gtest/gtest.h>

#include <numeric>

#include "schedlab/techniques/plan.hpp"
#include "schedlab/techniques/registry.hpp"

namespace tq = schedlab::techniques;

namespace {

// The sampling keeps a Debug/ASan run short (plans build per-task lists, so they get fewer):
// every N up to 1000 (plans: 250) with one P, every 37th N up to 2000 (plans: 151st) and the
// edges with a few more P, every P with a few N around powers of two.
std::vector<std::size_t> every_n(bool plan) {
  std::vector<std::size_t> ns(plan ? 250 : 1000);
  std::iota(ns.begin(), ns.end(), std::size_t{1});
  return ns;
}
std::vector<std::size_t> spread_n(bool plan) {
  std::vector<std::size_t> ns = {1, 2, 3, 4, 5, 63, 64, 65, 1999, 2000};
  for (std::size_t n = 6; n < 2000; n += plan ? 151 : 37) ns.push_back(n);
  return ns;
}
std::vector<int> every_p() {
  std::vector<int> ps(64);
  std::iota(ps.begin(), ps.end(), 1);
  return ps;
}
const std::vector<int> kOneP = {3};
const std::vector<int> kSomeP = {1, 2, 64};
std::vector<std::size_t> some_n(bool plan) {
  if (plan) return {1, 2, 63, 65, 997};
  return {1, 2, 63, 64, 65, 100, 2000};
}

class EveryTechnique : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryTechnique, HandsOutEveryTaskExactlyOnceInChunksOfAtLeastOne) {
  const tq::TechniqueSpec spec = tq::parse_technique(GetParam());
  const bool plan = spec.info->dispatch == tq::Dispatch::kPlan;
  EXPECT_EQ(tq::check_coverage(spec, every_n(plan), kOneP), "");
  EXPECT_EQ(tq::check_coverage(spec, spread_n(plan), kSomeP), "");
  EXPECT_EQ(tq::check_coverage(spec, some_n(plan), every_p()), "");
}

// Adaptive techniques have no sizes before running (their coverage is checked above).
class EveryNonAdaptive : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryNonAdaptive, SizesAddUpToNAndShrinkWherePromised) {
  const tq::TechniqueSpec spec = tq::parse_technique(GetParam());
  const auto check = [&](std::size_t n, int p) {
    const std::vector<std::size_t> sizes = tq::chunk_sizes(spec, {n, p, {}, {}});
    ASSERT_EQ(std::accumulate(sizes.begin(), sizes.end(), std::size_t{0}), n)
        << "N=" << n << " P=" << p;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      ASSERT_GE(sizes[i], 1u) << "N=" << n << " P=" << p << " chunk " << i;
      if (spec.info->monotone && i > 0) {
        ASSERT_LE(sizes[i], sizes[i - 1]) << "N=" << n << " P=" << p << " chunk " << i;
      }
    }
  };
  const bool plan = spec.info->dispatch == tq::Dispatch::kPlan;
  for (std::size_t n : every_n(plan)) {
    for (int p : kOneP) check(n, p);
  }
  for (std::size_t n : spread_n(plan)) {
    for (int p : kSomeP) check(n, p);
  }
  for (int p : every_p()) {
    for (std::size_t n : some_n(plan)) check(n, p);
  }
}

std::vector<std::string> all_names(bool adaptive_too = true) {
  std::vector<std::string> names;
  // Parameters change the rule: check a few non-default ones too.
  std::vector<std::string> candidates = {"gss,4",    "fac2,3",  "tss,40,5", "tap,2,3",
                                         "binlpt,7", "awf-b,2", "af,2"};
  for (const tq::TechniqueInfo& row : tq::registry()) candidates.push_back(row.name);
  for (const std::string& name : candidates) {
    if (adaptive_too || !tq::parse_technique(name).info->adaptive) names.push_back(name);
  }
  return names;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Registry, EveryTechnique, ::testing::ValuesIn(all_names()), test_name);
INSTANTIATE_TEST_SUITE_P(Registry, EveryNonAdaptive, ::testing::ValuesIn(all_names(false)),
                         test_name);

// A technique as a student might get it wrong: the check names N, P and the call.
TEST(CheckCoverage, NamesNPAndTheCallOfABadTechnique) {
  class Bad final : public tq::Technique {
   public:
    explicit Bad(std::size_t n) : n_(n) {}
    std::size_t next_chunk(std::size_t remaining, int) override {
      if (n_ == 3) throw std::logic_error("no rule for 3 tasks");
      return remaining > 5 ? 5 : remaining - 1;  // 0 when one task is left
    }

   private:
    std::size_t n_;
  };
  tq::TechniqueInfo row{
      .name = "bad",
      .aliases = {},
      .params = {},
      .when_it_wins = "never",
      .reference = "this test",
      .adaptive = false,
      .monotone = false,
      .dispatch = tq::Dispatch::kAsk,
      .make = [](const tq::LoopSetup& loop, const tq::Params&) -> std::unique_ptr<tq::Technique> {
        return std::make_unique<Bad>(loop.tasks);
      },
      .make_plan = {}};
  const tq::TechniqueSpec spec{&row, {}};
  EXPECT_EQ(tq::check_coverage(spec, {1}, {2}),
            "technique 'bad' with N=1, P=2: next_chunk(remaining=1, worker=0) returned 0; a chunk "
            "must be 1..1");
  EXPECT_EQ(tq::check_coverage(spec, {3}, {2}),
            "technique 'bad' with N=3, P=2: next_chunk(remaining=3, worker=0) threw: no rule for 3 "
            "tasks");
}

}  // namespace
