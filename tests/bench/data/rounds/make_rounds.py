#!/usr/bin/env python3
"""Writes the three-round fixture sweep (round1.csv .. round3.csv) of the METG tests.

Every row: N = 1000 tasks, P = 2, the peak 1e8 units/s per worker (--peak 1e8), so that Task
Bench's efficiency at a point is E_peak = u / (g * 1e8) for tasks of u units, g = Tp * P / N.
The fastest repeat is 0.9 x the mean (time_min_s = 0.9 time_mean_s); the serial loop costs
12 ns per unit on the mean (t1_mean_s) and 0.95 x that at its fastest (t1_s), so schedlab's
efficiency is 1.2 x Task Bench's. Expected METGs (Task Bench, mean; tests/bench/metg_test.cpp):
  OpenMP static     r1 0.183333  r2 0.180952  r3 0.189899 us -> measured, median 0.183333
  OpenMP dynamic,1  r1 0.222222  r2 < 0.066667 (bound)  r3 < 0.076923 (bound) us -> bound:
                    the median falls on a bound round (0 .. 0.077 wherever the bounds' true
                    values lie), so it is not known; the median of the numbers is 0.076923
  MPI static        r1 0.462222  r2 not reached  r3 not reached -> not-reached
A bound round below the middle leaves the median measured (tests of combine_rounds).
"""
import os

HEADER = ("schema,timestamp,host,runner,strategy,workload,tasks,total_units,scale,seed,ranks,"
          "threads,workers,repeat,time_min_s,time_median_s,t1_s,speedup,efficiency,load_balance,"
          "lower_bound_s,tp_over_lower_bound,karp_flatt,checksum,verification,completed,status,"
          "omp_proc_bind,omp_places,trace,time_mean_s,t1_mean_s")
N, P, PEAK = 1000, 2, 1e8

# (runner, strategy, ranks, threads): {round: [(units, E_peak on the mean), ...]}
SWEEPS = {
    ("schedlab-omp", "static", 1, 2): {
        1: [(64, 0.8), (16, 0.6), (4, 0.4)],
        2: [(64, 0.8), (16, 0.7), (4, 0.3)],
        3: [(64, 0.8), (16, 0.55), (4, 0.45)],
    },
    ("schedlab-omp", "dynamic,1", 1, 2): {
        1: [(64, 0.8), (16, 0.6), (4, 0.3)],
        2: [(64, 0.9), (16, 0.8), (4, 0.6)],
        3: [(64, 0.7), (16, 0.55), (4, 0.52)],
    },
    ("schedlab-mpi", "static", 2, 1): {
        1: [(64, 0.9), (16, 0.4), (4, 0.2)],
        2: [(64, 0.45), (16, 0.4), (4, 0.2)],
        3: [(64, 0.45), (16, 0.4), (4, 0.2)],
    },
}


def q(text):
    return f'"{text}"' if "," in text else text


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for rnd in (1, 2, 3):
        lines = [HEADER]
        for (runner, strategy, ranks, threads), rounds in SWEEPS.items():
            for units, e_peak in rounds[rnd]:
                total = N * units
                tp_mean = total / (P * e_peak * PEAK)
                tp_min = 0.9 * tp_mean
                t1_mean = total * 12e-9
                t1_min = 0.95 * t1_mean
                eff = t1_min / (P * tp_min)
                lines.append(
                    f"1,2026-12-01T10:00:00Z,host,{runner},{q(strategy)},uniform,{N},{total},1,0,"
                    f"{ranks},{threads},{P},3,{tp_min:.9g},{tp_mean:.9g},{t1_min:.9g},"
                    f"{t1_min / tp_min:.6f},{eff:.6f},0.99,0.0,1.0,,0xabc,PASSED,{N},ok,unset,"
                    f"unset,off,{tp_mean:.9g},{t1_mean:.9g}")
        with open(os.path.join(here, f"round{rnd}.csv"), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
