// schedlab-serial: the reference loop over the shared task list, timed and verified. The
// driver (schedlab/driver.hpp) does validate -> compute -> report; the baseline is the run.
#include <fmt/format.h>

#include "schedlab/driver.hpp"

namespace {
using namespace schedlab;

class SerialProgram final : public Program {
 public:
  std::string name() const override { return "schedlab-serial"; }
  std::string description() const override {
    return "Runs the shared task list serially: the reference every parallel runner is "
           "verified and timed against (the notebook's first cell).";
  }
  // Options of the parallel runners, given to the serial one.
  std::string advise(const std::vector<std::string>& args) const override {
    for (const char* parallel : {"--threads", "--schedule", "--strategy"}) {
      if (names_option(args, parallel)) {
        return fmt::format(
            "schedlab-serial runs one worker and takes no {}; run schedlab-omp --threads N "
            "--schedule ... (or mpirun -np N schedlab-mpi --strategy ...) to compare schedules",
            parallel);
      }
    }
    return {};
  }
  // The serial loop is this program's own run: progress and --fail-task apply to it.
  BaselineRole baseline_role() const override { return BaselineRole::kTheRun; }
  // The notebook's line, before the table.
  void after_baseline(const Comparison* comparison) override {
    const StrategyRow& row = comparison->baseline();
    if (row.status == RowStatus::kOk) {
      fmt::print("serial: ran {} tasks in {:.2f} s\n", comparison->tasks().size(), row.time_min());
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  SerialProgram program;
  return schedlab::run_program(program, argc, argv);
}
