// The registry rows, the parser of technique names, and the checked call that turns a bad
// technique's answer into a clear error naming N, P and the call.
#include "schedlab/techniques/registry.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "schedlab/techniques/plan.hpp"

namespace tq = schedlab::techniques;

namespace {

std::string error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "(no error)";
}

// No fixed list of names here: a new row needs no edit of this file. What is pinned: every
// name and alias means one row, and docs/techniques.md's portfolio table and the registry
// list the same techniques (the docs row is step 4 of "Adding a technique").
TEST(Registry, NamesAndAliasesAreUnique) {
  std::set<std::string> seen;
  for (const tq::TechniqueInfo& row : tq::registry()) {
    EXPECT_TRUE(seen.insert(row.name).second) << row.name << " is used twice";
    for (const std::string& alias : row.aliases) {
      EXPECT_TRUE(seen.insert(alias).second) << alias << " (alias of " << row.name << ")";
    }
  }
}

TEST(Registry, StartsWithStaticAndEndsWithTheStudentsOwn) {
  ASSERT_GE(tq::registry().size(), 2u);
  EXPECT_EQ(tq::registry().front().name, "static");
  EXPECT_EQ(tq::registry().back().name, "student");
}

// The first cell of each row of the docs' portfolio table: "| `gss[,k]` |" -> "gss".
std::set<std::string> documented_techniques() {
  std::ifstream docs(SCHEDLAB_TECHNIQUES_DOC);
  std::set<std::string> names;
  std::string line;
  bool in_table = false;
  while (std::getline(docs, line)) {
    if (line.starts_with("## ")) in_table = line == "## The portfolio";
    if (!in_table || !line.starts_with("| `")) continue;
    const std::size_t end = line.find('`', 3);
    std::string name = line.substr(3, end - 3);
    names.insert(name.substr(0, name.find('[')));
  }
  return names;
}

TEST(Registry, EveryRowHasItsDocsRowAndEveryDocsRowIsRegistered) {
  const std::set<std::string> documented = documented_techniques();
  ASSERT_FALSE(documented.empty()) << "no portfolio table in " << SCHEDLAB_TECHNIQUES_DOC;
  std::set<std::string> registered;
  for (const tq::TechniqueInfo& row : tq::registry()) registered.insert(row.name);
  for (const std::string& name : registered) {
    EXPECT_TRUE(documented.contains(name)) << name << ": no row in " << SCHEDLAB_TECHNIQUES_DOC;
  }
  for (const std::string& name : documented) {
    EXPECT_TRUE(registered.contains(name)) << name << " is documented but not registered";
  }
}

TEST(Registry, EveryRowIsComplete) {
  for (const tq::TechniqueInfo& row : tq::registry()) {
    EXPECT_FALSE(row.when_it_wins.empty()) << row.name;
    EXPECT_FALSE(row.reference.empty()) << row.name;
    EXPECT_EQ(static_cast<bool>(row.make_plan), row.dispatch == tq::Dispatch::kPlan) << row.name;
    EXPECT_EQ(static_cast<bool>(row.make), row.dispatch != tq::Dispatch::kPlan) << row.name;
    // Adaptive techniques must be asked per chunk: a table cannot know the timings.
    if (row.adaptive) {
      EXPECT_EQ(row.dispatch, tq::Dispatch::kAsk) << row.name;
    }
    for (const tq::ParamInfo& param : row.params) EXPECT_FALSE(param.meaning.empty()) << row.name;
  }
}

TEST(Registry, AliasesFindTheirRow) {
  EXPECT_EQ(tq::find_technique("factoring")->name, "fac2");
  // "fac" is LB4OMP's factoring with profiled mu and sigma, no longer fac2's alias.
  EXPECT_EQ(tq::find_technique("fac")->name, "fac");
  EXPECT_EQ(tq::find_technique("awf")->name, "awf");
  EXPECT_EQ(tq::find_technique("trapezoid")->name, "tss");
  EXPECT_EQ(tq::find_technique("awfb")->name, "awf-b");
  EXPECT_EQ(tq::find_technique("nope"), nullptr);
}

TEST(Parse, PositionalAndNamedParameters) {
  tq::TechniqueSpec gss = tq::parse_technique("gss,4");
  EXPECT_EQ(gss.info->name, "gss");
  EXPECT_EQ(gss.params[0], 4.0);
  EXPECT_EQ(gss.text(), "gss,4");
  EXPECT_EQ(tq::parse_technique("gss").text(), "gss");
  EXPECT_EQ(tq::parse_technique("factoring").text(), "fac2");
  tq::TechniqueSpec fsc = tq::parse_technique("fsc,sigma=0.5");
  EXPECT_EQ(fsc.params[0], 1e-6);  // h keeps its default
  EXPECT_EQ(fsc.params[1], 0.5);
  EXPECT_FALSE(fsc.params.given[0]);
  EXPECT_EQ(fsc.text(), "fsc,sigma=0.5");
}

TEST(Parse, ErrorsNameTheBadPartAndWhatIsAllowed) {
  EXPECT_EQ(error_of([] { tq::parse_technique("guided"); }),
            "technique 'guided' is unknown; allowed: " + tq::technique_names());
  EXPECT_NE(
      error_of([] { tq::parse_technique("gss,x"); }).find("parameter k = 'x' is not a number >= 0"),
      std::string::npos);
  EXPECT_NE(error_of([] { tq::parse_technique("gss,-1"); }).find("is not a number >= 0"),
            std::string::npos);
  EXPECT_NE(error_of([] { tq::parse_technique("ss,2"); }).find("ss takes no parameters"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              tq::parse_technique("fsc,mu=1");
            }).find("no parameter 'mu'; fsc takes h, sigma"),
            std::string::npos);
  EXPECT_NE(error_of([] { tq::parse_technique(""); }).find("technique '' is unknown"),
            std::string::npos);
}

TEST(MakeTechnique, RejectsBadLoops) {
  EXPECT_NE(error_of([] {
              tq::make_technique(tq::parse_technique("gss"), {10, 0, {}, {}});
            }).find("workers: 0 is not allowed"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              tq::make_technique(tq::parse_technique("wf2"), {10, 2, {}, {1, 2, 3}});
            }).find("weights: 3 given for 2 workers"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              tq::make_technique(tq::parse_technique("wf2"), {10, 2, {}, {1, 0}});
            }).find("each weight must be a positive number"),
            std::string::npos);
  EXPECT_THROW(tq::make_technique(tq::parse_technique("lpt"), {10, 2, {}, {}}),
               std::invalid_argument);
}

// Bad techniques, as a student might write them.
class Answers final : public tq::Technique {
 public:
  explicit Answers(std::function<std::size_t(std::size_t)> rule) : rule_(std::move(rule)) {}
  std::size_t next_chunk(std::size_t remaining, int) override { return rule_(remaining); }

 private:
  std::function<std::size_t(std::size_t)> rule_;
};

TEST(CheckedNextChunk, NamesNPAndTheCallForABadAnswer) {
  const tq::LoopSetup loop{100, 4, {}, {}};
  Answers zero([](std::size_t) { return std::size_t{0}; });
  EXPECT_EQ(
      error_of([&] { tq::checked_next_chunk(zero, "mine", loop, 7, 2); }),
      "technique 'mine' with N=100, P=4: next_chunk(remaining=7, worker=2) returned 0; a chunk "
      "must be 1..7");
  Answers too_many([](std::size_t remaining) { return remaining + 1; });
  EXPECT_EQ(
      error_of([&] { tq::checked_next_chunk(too_many, "mine", loop, 7, 2); }),
      "technique 'mine' with N=100, P=4: next_chunk(remaining=7, worker=2) returned 8; a chunk "
      "must be 1..7");
  Answers throws([](std::size_t) -> std::size_t { throw std::runtime_error("division by zero"); });
  EXPECT_EQ(error_of([&] { tq::checked_next_chunk(throws, "mine", loop, 7, 2); }),
            "technique 'mine' with N=100, P=4: next_chunk(remaining=7, worker=2) threw: division "
            "by zero");
  Answers fine([](std::size_t remaining) { return remaining; });
  EXPECT_EQ(tq::checked_next_chunk(fine, "mine", loop, 7, 2), 7u);
}

}  // namespace

// Executors ask the registry's flags, never a name: a technique that needs weights is one
// that asks at dispatch (its chunk depends on who asks), and is not adaptive.
TEST(Registry, NeedsWeightsIsAFlagOfAskingNonAdaptiveRows) {
  std::size_t weighted = 0;
  for (const tq::TechniqueInfo& info : tq::registry()) {
    if (!info.needs_weights) continue;
    ++weighted;
    EXPECT_EQ(info.dispatch, tq::Dispatch::kAsk) << info.name;
    EXPECT_FALSE(info.adaptive) << info.name;
  }
  EXPECT_GE(weighted, 1U);
  EXPECT_TRUE(tq::find_technique("wf2")->needs_weights);
  EXPECT_FALSE(tq::find_technique("fac2")->needs_weights);
}

TEST(Registry, FixedChunkTechniqueHandsOutChunksOfC) {
  tq::LoopSetup loop;
  loop.tasks = 23;
  loop.workers = 3;
  for (const std::size_t c : {std::size_t{1}, std::size_t{4}, std::size_t{30}}) {
    const tq::TechniqueSpec spec = tq::fixed_chunk_technique(c);
    EXPECT_EQ(spec.text(), "tss," + std::to_string(c) + "," + std::to_string(c));
    const std::vector<std::size_t> sizes = tq::chunk_sizes(spec, loop);
    std::size_t sum = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      sum += sizes[i];
      if (i + 1 < sizes.size()) {
        EXPECT_EQ(sizes[i], c) << "chunk " << i << " of C=" << c;
      }
    }
    EXPECT_EQ(sum, loop.tasks);
  }
}
