// Which OpenMP runtime this process runs on (GCC's libgomp or LLVM's libomp), and the chunk
// sequence its schedule(guided, k) hands out: the two runtimes differ (docs/openmp.md).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace schedlab {

enum class OmpRuntime { kLibgomp, kLibomp };
std::string_view to_string(OmpRuntime runtime);

// Detected once: libomp exports the __kmpc_* entry points clang's code calls, libgomp does
// not (libomp also exports GOMP_* for GCC-built code, so the test goes that way round).
OmpRuntime omp_runtime();

// Chunk sizes, in dispatch order, of schedule(guided, k) over n iterations and `threads`
// threads under `runtime`:
//   libgomp: max(k, ceil(R/P)), cut to R: the registry's gss,k (techniques/src/gss.cpp);
//   libomp (kmp_sch_guided_iterative_chunked): floor(R/(2P)) while R >= 2P(k+1), then k.
// The order is fixed whoever claims: each claim depends only on the iterations left.
std::vector<std::size_t> guided_chunk_sizes(OmpRuntime runtime, std::size_t n, int threads,
                                            std::size_t k);

// Each iteration's chunk index for the sizes above (n entries).
std::vector<int> chunk_index_of_iterations(const std::vector<std::size_t>& sizes);

}  // namespace schedlab
