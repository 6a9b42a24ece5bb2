// Runtime detection and the guided rule of libgomp and of libomp (see omp_runtime.hpp).
#include "schedlab/openmp/omp_runtime.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>

#include "schedlab/techniques/plan.hpp"
#include "schedlab/techniques/registry.hpp"

namespace schedlab {

std::string_view to_string(OmpRuntime runtime) {
  return runtime == OmpRuntime::kLibomp ? "libomp" : "libgomp";
}

OmpRuntime omp_runtime() {
  static const OmpRuntime detected = dlsym(RTLD_DEFAULT, "__kmpc_fork_call") != nullptr
                                         ? OmpRuntime::kLibomp
                                         : OmpRuntime::kLibgomp;
  return detected;
}

std::vector<std::size_t> guided_chunk_sizes(OmpRuntime runtime, std::size_t n, int threads,
                                            std::size_t k) {
  const std::size_t p = static_cast<std::size_t>(std::max(threads, 1));
  k = std::max<std::size_t>(k, 1);
  if (runtime == OmpRuntime::kLibgomp) {
    // libgomp's gomp_iter_guided_next is the registry's gss,k: ask the registry, so that a
    // test of a real guided run also holds the registry's sequence.
    const auto spec = techniques::parse_technique(fmt::format("gss,{}", k));
    return techniques::chunk_sizes(spec, techniques::LoopSetup{n, threads, {}, {}, -1});
  }
  // libomp: __kmp_dispatch_next_algorithm, case kmp_sch_guided_iterative_chunked, with its
  // defaults guided_int_param = 2 and guided_flt_param = 0.5.
  std::vector<std::size_t> sizes;
  std::size_t remaining = n;
  while (remaining > 0) {
    std::size_t size = 0;
    if (remaining < 2 * p * (k + 1)) {
      size = std::min(k, remaining);  // the tail: dynamic,k
    } else {
      size =
          static_cast<std::size_t>(static_cast<double>(remaining) * (0.5 / static_cast<double>(p)));
    }
    sizes.push_back(size);
    remaining -= size;
  }
  return sizes;
}

std::vector<int> chunk_index_of_iterations(const std::vector<std::size_t>& sizes) {
  std::vector<int> index;
  for (std::size_t c = 0; c < sizes.size(); ++c)
    index.insert(index.end(), sizes[c], static_cast<int>(c));
  return index;
}

}  // namespace schedlab
