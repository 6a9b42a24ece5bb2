#!/usr/bin/env bash
# The first strategy timed in a process is as fast as the same strategy timed again: what
# wakes the workers (team creation, first touch of their stacks, clocks, the kernel's code)
# happens before the clock starts. Runs PROGRAM RUNS times with --repeat 3 --json and
# compares the median over processes of the first repeat's time with that of the later
# repeats (min of repeats 2-3). A ratio, never an absolute time, and a verdict only on a
# quiet machine: the CPU time that other processes took during the runs (/proc/stat's busy
# time less this test's own children) is measured, and above 10% of the CPUs' time a ratio
# over LIMIT is INCONCLUSIVE (exit 77, shown as skipped), not a failure.
# Usage: first_is_not_slower.sh RUNS LIMIT PROGRAM [ARGS...]
set -u
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
exec python3 - "$@" <<'PY'
import json, os, statistics, subprocess, sys, tempfile, time

runs, limit, command = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]

def busy_and_total():
    """Aggregate CPU jiffies from /proc/stat: (busy, total); None where unreadable."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)

first, later = [], []
before, children_before = busy_and_total(), os.times()
with tempfile.TemporaryDirectory() as folder:
    for i in range(runs):
        record = os.path.join(folder, f"run{i}.json")
        done = subprocess.run(command + ["--repeat", "3", "--json", record],
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(f"FAIL: run {i + 1} exited {done.returncode}\n{done.stdout}{done.stderr}")
            sys.exit(1)
        with open(record) as f:
            row = json.load(f)["strategies"][1]  # [0] is the serial baseline
        first.append(row["times"][0])
        later.append(min(row["times"][1:]))
after, children_after = busy_and_total(), os.times()

f, l = statistics.median(first), statistics.median(later)
ratio = f / l if l > 0 else float("inf")
others = None
if before and after and after[1] > before[1]:
    hz = os.sysconf("SC_CLK_TCK")
    ours = ((children_after.children_user - children_before.children_user) +
            (children_after.children_system - children_before.children_system)) * hz
    others = max(0.0, (after[0] - before[0]) - ours) / (after[1] - before[1])
load = "unmeasured" if others is None else f"{100 * others:.0f}% of the CPUs' time"
print(f"{row['strategy']}: median first {f * 1e6:.1f} us, median later {l * 1e6:.1f} us, "
      f"ratio {ratio:.2f} (limit {limit}) over {runs} processes; other processes took {load}")
if ratio <= limit:
    sys.exit(0)
if others is None or others > 0.10:
    print("INCONCLUSIVE: the machine was busy (or its load unmeasurable); rerun on a quiet one")
    sys.exit(77)
sys.exit(1)
PY
