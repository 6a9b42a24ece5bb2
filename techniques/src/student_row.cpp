// student: registers the student's next_chunk (student/student_technique.cpp) as a technique.
// It may depend on the asking worker, so executors ask it per chunk (Dispatch::kAsk).
#include "portfolio.hpp"
#include "schedlab/techniques/student.hpp"

namespace schedlab::techniques::detail {

namespace {

class StudentTechnique final : public Technique {
 public:
  explicit StudentTechnique(const LoopSetup& loop) {
    so_far_.tasks = loop.tasks;
    so_far_.workers = loop.workers;
  }
  std::size_t next_chunk(std::size_t remaining, int worker) override {
    const std::size_t chunk = student::next_chunk(remaining, worker, so_far_);
    so_far_.chunks.push_back(chunk);
    return chunk;
  }

 private:
  student::LoopSoFar so_far_;
};

}  // namespace

TechniqueInfo student_info() {
  return {.name = "student",
          .aliases = {},
          .params = {},
          .when_it_wins = "yours to find out: see docs/techniques.md, 'Your own technique'",
          .reference = "student/student_technique.cpp",
          .adaptive = false,
          .monotone = false,
          .dispatch = Dispatch::kAsk,
          .make = [](const LoopSetup& loop, const Params&) -> std::unique_ptr<Technique> {
            return std::make_unique<StudentTechnique>(loop);
          },
          .make_plan = {}};
}

}  // namespace schedlab::techniques::detail
