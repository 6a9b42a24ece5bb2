#!/usr/bin/env bash
# The main job: installs what is missing, builds the release preset, and runs the
# notebook's comparison on all local cores — serial, OpenMP and MPI — then the scheduling
# lesson, the comparison table, a timeline of static vs dynamic, and plots.
#   jobs/demo.sh                 all logical CPUs
#   SCHEDLAB_DEMO_WORKERS=4 jobs/demo.sh
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/jobs/setup.sh" release
bin=$repo/build/release/bin
P=${SCHEDLAB_DEMO_WORKERS:-$(nproc)}
out=$repo/results/demo-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
csv=$out/runs.csv

# mpirun refuses root unless told; a demo on a student's laptop or a CI box is often root.
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# One rank per logical CPU (Open MPI counts physical cores by default); beyond that, oversubscribe.
mpi_flags=(--use-hwthread-cpus)
if ((P > $(nproc))); then
  echo "note: $P ranks on $(nproc) logical CPUs: oversubscribed, timings will not scale"
  mpi_flags+=(--oversubscribe)
fi
mpirun_np() { mpirun "${mpi_flags[@]}" -np "$@"; }

banner() { printf '\n=== %s\n' "$*"; }

banner "Cell 1 - serial baseline: the notebook's uniform list ($P tasks x 12,000,000 units)"
"$bin/schedlab-serial" --workload uniform --tasks "$P" --csv "$csv"

banner "Cell 2 - map(): static schedule on the uniform list, OpenMP ($P threads) and MPI ($P ranks)"
"$bin/schedlab-omp" --schedule static --threads "$P" --workload uniform --tasks "$P" --csv "$csv"
mpirun_np "$P" "$bin/schedlab-mpi" --strategy static --workload uniform --tasks "$P" --csv "$csv"

# The notebook printed its 12-task nonuniform list; 12 tasks also make out-of-order
# completion visible on a small machine.
banner "Cell 3 - submit() + as_completed(): dynamic with progress on the notebook's nonuniform list (12 tasks)"
"$bin/schedlab-omp" --schedule dynamic --threads "$P" --workload nonuniform --tasks 12 \
  --progress 3 --show-order --csv "$csv"
mpirun_np "$P" "$bin/schedlab-mpi" --strategy master-worker --workload nonuniform --tasks 12 \
  --progress 3 --show-order --csv "$csv"

for w in increasing skewed; do
  banner "The scheduling lesson - $w, $((16 * P)) tasks: static vs dynamic vs guided vs master-worker"
  "$bin/schedlab-omp" --schedule all --threads "$P" --workload "$w" --tasks $((16 * P)) --scale 0.25 \
    --csv "$csv" --json "$out/omp-$w.json"
  mpirun_np "$P" "$bin/schedlab-mpi" --strategy all --workload "$w" --tasks $((16 * P)) --scale 0.25 \
    --csv "$csv" --json "$out/mpi-$w.json"
done

banner "Comparison of every run above (schedlab-report $csv)"
"$bin/schedlab-report" "$csv"

banner "Timeline: static vs dynamic on the increasing list (who ran what, when; '.' is idle)"
"$bin/schedlab-report" --timeline "$out/omp-increasing.json" --strategy static,dynamic,1 --plot-dir "$out"

banner "Files"
ls -1 "$out"
