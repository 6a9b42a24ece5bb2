// Chunk tables, plans, each task's chunk index, and the coverage check of a technique.
#include "schedlab/techniques/plan.hpp"

#include <sstream>

#include "schedlab/techniques/registry.hpp"

namespace schedlab::techniques {

std::vector<std::size_t> ChunkTable::sizes() const {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < count(); ++k) out.push_back(size(k));
  return out;
}

std::vector<std::size_t> Plan::sizes() const {
  std::vector<std::size_t> out;
  for (const PlanChunk& chunk : chunks) out.push_back(chunk.tasks.size());
  return out;
}

void index_by_worker(Plan& plan, int workers) {
  plan.by_worker.assign(static_cast<std::size_t>(workers), {});
  for (std::size_t c = 0; c < plan.chunks.size(); ++c) {
    plan.by_worker.at(static_cast<std::size_t>(plan.chunks[c].worker)).push_back(c);
  }
}

namespace {

// Workers asking in turn 0, 1, ..., P-1, 0, ...; sizes checked on every call.
std::vector<std::size_t> ask_in_turn(const TechniqueSpec& spec, const LoopSetup& loop) {
  const std::unique_ptr<Technique> technique = make_technique(spec, loop);
  const std::string name = spec.text();
  std::vector<std::size_t> sizes;
  std::size_t remaining = loop.tasks;
  for (int worker = 0; remaining > 0; worker = (worker + 1) % loop.workers) {
    const std::size_t chunk = checked_next_chunk(*technique, name, loop, remaining, worker);
    sizes.push_back(chunk);
    remaining -= chunk;
  }
  return sizes;
}

void require(bool ok, const TechniqueSpec& spec, const std::string& what) {
  if (!ok) throw std::invalid_argument("technique '" + spec.text() + "' " + what);
}

}  // namespace

std::vector<std::size_t> chunk_sizes(const TechniqueSpec& spec, const LoopSetup& loop) {
  require(spec.info != nullptr, spec, "is missing");
  require(!spec.info->adaptive, spec,
          "is adaptive: its chunk sizes depend on measured times, so they cannot be printed "
          "before running");
  if (spec.info->dispatch == Dispatch::kPlan) return make_plan(spec, loop).sizes();
  return ask_in_turn(spec, loop);
}

ChunkTable chunk_table(const TechniqueSpec& spec, const LoopSetup& loop) {
  require(spec.info != nullptr && spec.info->dispatch == Dispatch::kTable, spec,
          "has no precomputed chunk table (its dispatch is not 'table')");
  ChunkTable table;
  table.first.push_back(0);
  for (std::size_t size : ask_in_turn(spec, loop)) table.first.push_back(table.first.back() + size);
  return table;
}

Plan make_plan(const TechniqueSpec& spec, const LoopSetup& loop) {
  require(spec.info != nullptr && spec.info->dispatch == Dispatch::kPlan, spec,
          "is not an offline plan (its dispatch is not 'plan')");
  if (loop.workers < 1) {
    throw std::invalid_argument("workers: " + std::to_string(loop.workers) +
                                " is not allowed; at least 1");
  }
  return spec.info->make_plan(loop, spec.params);
}

std::vector<std::size_t> chunk_of_task(const ChunkTable& table) {
  std::vector<std::size_t> out(table.first.empty() ? 0 : table.first.back());
  for (std::size_t k = 0; k < table.count(); ++k) {
    for (std::size_t t = table.first[k]; t < table.first[k + 1]; ++t) out[t] = k;
  }
  return out;
}

std::vector<std::size_t> chunk_of_task(const Plan& plan, std::size_t tasks) {
  std::vector<std::size_t> out(tasks);
  for (std::size_t c = 0; c < plan.chunks.size(); ++c) {
    for (std::size_t t : plan.chunks[c].tasks) out.at(t) = c;
  }
  return out;
}

namespace {

// The first problem with one loop, or "".
std::string check_one(const TechniqueSpec& spec, std::size_t n, int p) {
  const LoopSetup loop{n, p, {}, {}};
  const auto where = [&] {
    std::ostringstream out;
    out << "technique '" << spec.text() << "' with N=" << n << ", P=" << p << ": ";
    return out.str();
  };
  if (spec.info->dispatch == Dispatch::kPlan) {
    std::vector<std::size_t> count_of_task(n, 0);
    for (const PlanChunk& chunk : make_plan(spec, loop).chunks) {
      if (chunk.tasks.empty()) return where() + "the plan has an empty chunk";
      if (chunk.worker < 0 || chunk.worker >= p) {
        return where() + "the plan gives a chunk to worker " + std::to_string(chunk.worker);
      }
      for (std::size_t t : chunk.tasks) {
        if (t >= n) return where() + "the plan names task " + std::to_string(t);
        ++count_of_task[t];
      }
    }
    for (std::size_t t = 0; t < n; ++t) {
      if (count_of_task[t] != 1) {
        return where() + "task " + std::to_string(t) + " is in " +
               std::to_string(count_of_task[t]) + " chunks (must be exactly one)";
      }
    }
    return "";
  }
  // Workers ask in turn; adaptive ones hear that each chunk took 1 ms per task. Chunks are
  // [next, next + size): every size checked to be 1..R makes them tile 0..N-1 exactly once.
  const std::unique_ptr<Technique> technique = make_technique(spec, loop);
  const std::string name = spec.text();
  std::size_t next = 0;
  for (int worker = 0; next < n; worker = (worker + 1) % p) {
    const std::size_t chunk = checked_next_chunk(*technique, name, loop, n - next, worker);
    next += chunk;
    const double seconds = 1e-3 * static_cast<double>(chunk);
    technique->chunk_finished({worker, chunk, seconds, seconds, -1});
  }
  return "";
}

}  // namespace

std::string check_coverage(const TechniqueSpec& spec, const std::vector<std::size_t>& ns,
                           const std::vector<int>& ps) {
  if (spec.info == nullptr) return "no technique given";
  for (int p : ps) {
    for (std::size_t n : ns) {
      try {
        if (std::string problem = check_one(spec, n, p); !problem.empty()) return problem;
      } catch (const TechniqueError& error) {
        return error.what();  // already names the technique, N, P and the call
      } catch (const std::exception& error) {
        return "technique '" + spec.text() + "' with N=" + std::to_string(n) +
               ", P=" + std::to_string(p) + ": " + error.what();
      }
    }
  }
  return "";
}

}  // namespace schedlab::techniques
