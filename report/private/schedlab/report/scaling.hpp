// Speedup and efficiency against the number of workers, from a sweep, with the serial
// fraction fitted by least squares: Amdahl's law for strong scaling (fixed task list),
// Gustafson's for weak scaling (tasks grow with workers).
#pragma once

#include <string>
#include <vector>

#include "schedlab/report/reader.hpp"

namespace schedlab::report {

struct ScalingPoint {
  int workers = 1;
  std::size_t tasks = 0;
  double time_min = 0;  // seconds
  double t1 = 0;        // serial seconds of this point's task list, same run
  double speedup = 0;   // T1 / Tp (for weak scaling: scaled speedup)
  double efficiency = 0;
  bool verified = false;
  bool oversubscribed = false;  // P > the CPUs the runs had: left out of the fit
};

struct ScalingSeries {
  std::string label;     // "omp dynamic,1"
  std::string workload;  // "nonuniform, 8 tasks, scale 0.01" or "nonuniform, 4 tasks per worker"
  bool weak = false;     // tasks proportional to workers
  std::vector<ScalingPoint> points;  // by workers
  double serial_fraction = 0;        // Amdahl f (strong) or Gustafson s (weak)
  bool fitted = false;               // at least two points within the cores, one with P > 1
  int fit_points = 0;                // points with P <= cores (the ones the fit may use)
};

// Amdahl: S(P) = 1 / (f + (1 - f) / P). Least squares of 1/S - 1/P = f (1 - 1/P) over the
// points (the Karp-Flatt values weighted by (1 - 1/P)^2), clamped to [0, 1].
double amdahl_serial_fraction(const std::vector<ScalingPoint>& points);
double amdahl_speedup(double serial_fraction, double workers);
// Gustafson: S(P) = P - s (P - 1). Least squares of P - S = s (P - 1), clamped to [0, 1].
double gustafson_serial_fraction(const std::vector<ScalingPoint>& points);
double gustafson_speedup(double serial_fraction, double workers);

// Groups non-serial rows into series: same runner, strategy, workload kind, scale and
// seed. A series whose task count is fixed is strong scaling; one whose tasks / workers is
// fixed is weak scaling; otherwise it splits into one strong series per task count.
// Several rows for the same P keep the fastest. Points with P > cores are oversubscribed:
// workers take turns on the cores, which says nothing about the code's serial fraction,
// so they are shown but never fitted. A fit needs at least two points within the cores.
std::vector<ScalingSeries> build_scaling(const std::vector<ResultRow>& rows, int cores);

std::string render_scaling(const std::vector<ScalingSeries>& series, int cores);

}  // namespace schedlab::report
