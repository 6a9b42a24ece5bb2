#!/usr/bin/env python3
"""The notebook's own approach, for comparison with schedlab: its serial loop, map() and
submit() + as_completed() cells over the same task lists (cpu_heavy as a plain integer loop),
and the per-task overhead of ProcessPoolExecutor measured with empty tasks.

Python standard library only. With --schedlab BIN_DIR it also measures schedlab's whole wall
time per task, Tp/N on 1-unit tasks (OpenMP dynamic,1 and MPI master-worker,1), on the same
machine in the same run, and prints the ratio to Python's submit() per task: both sides are
charged their whole time per task (docs/performance.md).
  bench/python_reference.py --quick                    # seconds: a smoke run
  bench/python_reference.py --scale 0.1 --schedlab build/release/bin
  bench/python_reference.py --overhead-only --schedlab build/release/bin --json out.json
"""

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

# The notebook's task lists (DESIGN.md): uniform 12,000,000 units; nonuniform
# 8,000,000 + randint(0, 8,000,000) from random.Random(0).
UNIFORM_SIZE = 12_000_000
NONUNIFORM_SIZE = 8_000_000
NONUNIFORM_SPREAD = 8_000_000


def cpu_heavy(n):
    """The notebook's CPU-bound task, as a plain integer loop (one iteration = one unit)."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def empty_task(_):
    """No work at all: what remains of a task's time is the pool's overhead."""
    return None


def scaled(size, scale):
    # As schedlab's --scale: multiply, round, at least 1.
    return max(1, int(size * scale + 0.5))


def task_lists(n_tasks, scale):
    rng = random.Random(0)
    uniform = [scaled(UNIFORM_SIZE, scale)] * n_tasks
    nonuniform = [scaled(NONUNIFORM_SIZE + rng.randint(0, NONUNIFORM_SPREAD), scale)
                  for _ in range(n_tasks)]
    return uniform, nonuniform


def run_serial(tasks):
    t0 = time.perf_counter()
    for t in tasks:
        cpu_heavy(t)
    return time.perf_counter() - t0


def run_map(tasks, workers):
    # As the notebook's cell: the pool's start-up is inside the timed region.
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as ex:
        list(ex.map(cpu_heavy, tasks, chunksize=1))
    return time.perf_counter() - t0


def run_submit(tasks, workers, progress_every):
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as ex:
        futures = [ex.submit(cpu_heavy, n) for n in tasks]
        done = 0
        for f in as_completed(futures):
            f.result()  # raises if the worker failed
            done += 1
            if progress_every and done % progress_every == 0:
                print(f"{done}/{len(tasks)} finished...", flush=True)
    return time.perf_counter() - t0


def pool_overhead(workers, n_tasks, repeat):
    """Seconds per empty task through a warm pool (start-up excluded), best of `repeat`,
    for submit()+as_completed() and for map(chunksize=1)."""
    best_submit = best_map = float("inf")
    with ProcessPoolExecutor(max_workers=workers) as ex:
        list(ex.map(empty_task, range(4 * workers)))  # start every worker first
        for _ in range(repeat):
            t0 = time.perf_counter()
            for f in as_completed([ex.submit(empty_task, i) for i in range(n_tasks)]):
                f.result()
            best_submit = min(best_submit, (time.perf_counter() - t0) / n_tasks)
            t0 = time.perf_counter()
            list(ex.map(empty_task, range(n_tasks), chunksize=1))
            best_map = min(best_map, (time.perf_counter() - t0) / n_tasks)
    return best_submit, best_map


def schedlab_per_task(bin_dir, workers, n_tasks, trace=None):
    """schedlab's whole wall time per task with 1-unit tasks, from its runners' --csv rows:
    Tp / N for each strategy, Tp the mean of 3 repeats (time_mean_s; the fastest repeat,
    time_min_s, from runners that do not write the mean). The whole time, as Python's
    submit() is charged its whole time: not (Tp - T1/P) / N.
    Returns {name: (seconds, "mean of 3 repeats" or "fastest of 3 repeats")}."""
    found = {}
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "overhead.csv")
        common = ["--workload", "uniform", "--tasks", str(n_tasks), "--size", "1",
                  "--repeat", "3", "--csv", path]
        if trace:
            common += ["--trace", trace]
        omp = os.path.join(bin_dir, "schedlab-omp")
        mpi = os.path.join(bin_dir, "schedlab-mpi")
        env = dict(os.environ, OMP_NUM_THREADS=str(workers), OMPI_ALLOW_RUN_AS_ROOT="1",
                   OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")
        runs = []
        if os.access(omp, os.X_OK):
            runs.append([omp, "--threads", str(workers), "--schedule", "dynamic,1"] + common)
        if os.access(mpi, os.X_OK) and shutil.which("mpirun"):
            runs.append(["mpirun", "-np", str(workers), mpi, "--strategy", "master-worker",
                         "--chunk", "1"] + common)
        for cmd in runs:
            if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
                sys.exit(f"python_reference.py: failed: {' '.join(cmd)}")
        if not runs:
            return found
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                if row["strategy"] == "serial":
                    continue
                mean = row.get("time_mean_s")
                tp = float(mean or row["time_min_s"])
                n = int(row["tasks"])
                name = f'{row["runner"]} {row["strategy"]}'
                found[name] = (tp / n, "mean of 3 repeats" if mean else "fastest of 3 repeats")
    return found


def notebook_cells(n_tasks, scale, w):
    """The notebook's serial, map() and submit() cells on its two task lists."""
    uniform, nonuniform = task_lists(n_tasks, scale)

    # Cell 1: the serial baseline (both lists, so that each parallel cell has its T1).
    t1_uniform = run_serial(uniform)
    print(f"Serial: ran {len(uniform)} CPU tasks in {t1_uniform:.2f}s (uniform)")
    t1_nonuniform = run_serial(nonuniform)
    print(f"Serial: ran {len(nonuniform)} CPU tasks in {t1_nonuniform:.2f}s (nonuniform)")
    unit_ns = t1_uniform / sum(uniform) * 1e9
    print(f"cpu_heavy: {unit_ns:.1f} ns per unit (one loop iteration)")

    # Cell 2: map(), ordered, uniform tasks.
    tp = run_map(uniform, w)
    print(f"map(): ran {len(uniform)} CPU tasks in {tp:.2f}s "
          f"(speedup {t1_uniform / tp:.2f}, efficiency {t1_uniform / tp / w:.2f})")

    # Cell 3: submit() + as_completed(), streaming, nonuniform tasks.
    tp = run_submit(nonuniform, w, progress_every=3)
    print(f"submit() + as_completed(): ran {len(nonuniform)} CPU tasks in {tp:.2f}s "
          f"(speedup {t1_nonuniform / tp:.2f}, efficiency {t1_nonuniform / tp / w:.2f})")



def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=os.cpu_count() or 4,
                        help="tasks per list (default: os.cpu_count(), as the notebook)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 4,
                        help="pool workers (default: os.cpu_count())")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every task size")
    parser.add_argument("--overhead-tasks", type=int, default=5000,
                        help="empty tasks for the per-task overhead")
    parser.add_argument("--repeat", type=int, default=3, help="overhead repeats (best kept)")
    parser.add_argument("--schedlab", metavar="BIN_DIR",
                        help="also measure schedlab-omp / schedlab-mpi per-task overhead here")
    parser.add_argument("--trace", choices=("tasks", "off"),
                        help="schedlab runners' --trace level (default: the runners' own)")
    parser.add_argument("--overhead-only", action="store_true",
                        help="skip the notebook's cells: only the per-task costs")
    parser.add_argument("--schedlab-tasks", type=int, default=0,
                        help="1-unit tasks per schedlab run (default: 10 x max(--overhead-tasks,"
                             " 10000))")
    parser.add_argument("--json", metavar="FILE",
                        help="also write the per-task figures (seconds) to this JSON file")
    parser.add_argument("--quick", action="store_true",
                        help="tiny lists and 200 empty tasks: a smoke run of every cell")
    args = parser.parse_args()
    if args.quick:
        args.tasks, args.scale, args.overhead_tasks, args.repeat = 4, 0.0005, 200, 1
        args.workers = min(args.workers, 2)
    if args.schedlab_tasks < 0:
        parser.error(f"--schedlab-tasks {args.schedlab_tasks}: expected >= 1")
    for name in ("tasks", "workers", "overhead_tasks", "repeat"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} {getattr(args, name)}: expected >= 1")
    if not 0 < args.scale <= 1e6:
        parser.error(f"--scale {args.scale}: expected a number > 0 and at most 1000000")

    w = args.workers
    print(f"python {sys.version.split()[0]}, {w} workers, {args.tasks} tasks per list, "
          f"scale {args.scale}")
    if not args.overhead_only:
        notebook_cells(args.tasks, args.scale, w)

    # The cost of one task through the pool: empty tasks, pool already started.
    submit_s, map_s = pool_overhead(w, args.overhead_tasks, args.repeat)
    print(f"ProcessPoolExecutor per-task overhead (empty tasks, {w} workers): "
          f"{submit_s * 1e6:.1f} us per task with submit()+as_completed(), "
          f"{map_s * 1e6:.1f} us with map(chunksize=1) "
          f"({args.overhead_tasks} tasks, best of {args.repeat})")

    figures = {"workers": w, "submit_s_per_task": submit_s, "map_s_per_task": map_s,
               "schedlab_whole_tp_over_n_s": {}}
    if args.schedlab:
        n = args.schedlab_tasks or max(args.overhead_tasks, 10000) * 10
        trace = f", trace {args.trace}" if args.trace else ""
        per_task = schedlab_per_task(args.schedlab, w, n, args.trace)
        for name, (seconds, repeats) in per_task.items():
            ratio = submit_s / seconds if seconds > 0 else float("inf")
            figures["schedlab_whole_tp_over_n_s"][name] = seconds
            print(f"{name} whole Tp/N per task (1-unit tasks, {w} workers, {n} tasks, "
                  f"{repeats}{trace}): {seconds * 1e6:.3f} us per task, the whole wall time "
                  f"over the tasks; ProcessPoolExecutor submit() costs {ratio:,.0f}x more")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(figures, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":  # the notebook's guard: worker processes import this module
    sys.exit(main())
