// probe: a throwaway technique (chunks of 3) that exists only in the scratch build of
// techniques.adding_a_technique_is_four_edits (tests/techniques/adding_a_technique.cmake),
// added through SCHEDLAB_EXTRA_TECHNIQUES. It is written as step 1 of "Adding a technique"
// (docs/techniques.md) asks, and it has no docs row on purpose: that check must fail.
#include "portfolio.hpp"

namespace schedlab::techniques::detail {

TechniqueInfo probe_info() {
  return {.name = "probe",
          .aliases = {},
          .params = {},
          .when_it_wins = "never: it proves that a new row reaches every suite by itself",
          .reference = "tests/techniques/probe_technique.cpp",
          .adaptive = false,
          .monotone = true,
          .portfolio = false,
          .dispatch = Dispatch::kTable,
          .make = [](const LoopSetup&, const Params&) -> std::unique_ptr<Technique> {
            return std::make_unique<FixedChunk>(3);
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
