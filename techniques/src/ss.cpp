// ss: self-scheduling, one task per chunk (OpenMP's dynamic,1).
#include "portfolio.hpp"

namespace schedlab::techniques::detail {

TechniqueInfo ss_info() {
  return {.name = "ss",
          .aliases = {"self"},
          .params = {},
          .when_it_wins = "few, long, very uneven tasks: nobody idles while work is left",
          .reference = "Tang & Yew, ICPP 1986",
          .adaptive = false,
          .monotone = true,
          .portfolio = true,
          .dispatch = Dispatch::kTable,
          .make = [](const LoopSetup&, const Params&) -> std::unique_ptr<Technique> {
            return std::make_unique<FixedChunk>(1);
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
