#!/usr/bin/env bash
# Writes one hostile input file (issue 20: records and workload files are untrusted input),
# then runs the command with @FILE@ in its arguments replaced by the file's path and @NL@ by
# a newline. The files are made here, small, so the repository holds no hostile fixtures.
# Usage: with_hostile_file.sh KIND FIXTURE_DIR COMMAND [ARGS...]
#   long_line      70000 digits and no newline (a CSV, a workload file)
#   huge_sparse    a 300 MiB sparse file (no disk used), past the 256 MiB limit
#   deep_json      a record whose binding nests 100000 arrays (200 KB)
#   many_workers   the fixture omp-8111.json with every strategy claiming 1000000 workers
#   negative_time  the fixture omp-8111.json with a repeat of -5 s
#   negative_task  the fixture omp-8111.json with a serial task time of -1 s
#   negative_csv   the fixture results.csv with time_min_s = -1 in its first row
#   none           no file
set -euo pipefail
kind=$1
data=$2
shift 2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
file=$scratch/hostile
case $kind in
  long_line) head -c 70000 /dev/zero | tr '\0' '7' >"$file" ;;
  huge_sparse) truncate -s 300M "$file" ;;
  deep_json)
    file=$file.json
    {
      printf '{"schema": 1, "runner": "schedlab-omp", "ranks": 1, "threads": 1, "binding": {"x": '
      head -c 100000 /dev/zero | tr '\0' '['
      head -c 100000 /dev/zero | tr '\0' ']'
      printf '}}\n'
    } >"$file"
    ;;
  many_workers)
    file=$file.json
    sed 's/"workers": [0-9]*/"workers": 1000000/' "$data/omp-8111.json" >"$file"
    ;;
  negative_time)
    file=$file.json
    sed '0,/"times": \[/{s/"times": \[/"times": [ -5,/}' "$data/omp-8111.json" >"$file"
    ;;
  negative_task)
    file=$file.json
    sed '/"serial_task_seconds": \[/{n;s/8\.0/-1.0/}' "$data/omp-8111.json" >"$file"
    ;;
  negative_csv)
    file=$file.csv
    awk -F, 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "time_min_s") c = i }
             NR == 2 { $c = "-1" } { print }' "$data/results.csv" >"$file"
    ;;
  none) ;;
  *)
    echo "with_hostile_file.sh: unknown kind '$kind'" >&2
    exit 64
    ;;
esac
args=()
for a in "$@"; do
  a=${a//@FILE@/$file}
  args+=("${a//@NL@/$'\n'}")
done
"${args[@]}"
