// A loop of one's own over schedlab's task list, with schedlab's per-task body and
// checksum: what a course adds when it builds against an installed schedlab.
#include <cstdio>

#include "schedlab/run.hpp"
#include "schedlab/task_body.hpp"
#include "schedlab/workload.hpp"

int main() {
  using namespace schedlab;
  WorkloadSpec spec;
  spec.kind = WorkloadKind::kNonuniform;
  spec.tasks = 6;
  spec.size = 1000;
  spec.spread = 1000;
  const std::vector<Task> tasks = make_workload(spec);

  RunResult run = empty_result(tasks.size(), 1);
  RunControl control;
  const auto t0 = Clock::now();
  for (const Task& task : tasks) {
    run_one_task(control, task, run.trace[task.id], run.results[task.id], 0, t0,
                 [](const Task& t) { return execute_task(t, std::nullopt); });
  }
  std::printf("consumer: %zu tasks, checksum %016llx\n", tasks.size(),
              static_cast<unsigned long long>(checksum(run.results)));
  return control.error() ? 1 : 0;
}
