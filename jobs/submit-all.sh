#!/bin/bash
# Submits every SLURM job script in jobs/slurm/ with the right dependencies:
#   serial, openmp, mpi, hybrid, compare     independent, may run side by side
#   scaling (array) -> scaling-merge        merge starts when every element succeeded (afterok)
#   all of the above -> report              one comparison once all have ended (afterany)
#
#   jobs/submit-all.sh [--dry-run] [--only NAME,...] [--nodes N] [-- OPTIONS FOR EVERY RUNNER]
#   jobs/submit-all.sh -- --workload nonuniform --tasks 64
#   SBATCH_PARTITION=short SBATCH_ACCOUNT=myproject jobs/submit-all.sh
#
# --nodes N (N > 1) spreads the jobs that can use several nodes over N nodes: mpi, hybrid
# and compare get `sbatch --nodes=N`, and the scaling array measures ranks instead of
# threads (SCHEDLAB_SCALING=mpi, --nodes=N --ntasks=8 --cpus-per-task=1, 8 being the
# largest count in its --array). serial and openmp stay on one node.
# Run it from the directory that should hold the results: jobs write results/<jobid>/ and
# their %x-%j.out logs there. Options after -- go to every runner, so give only options all
# runners share (--workload, --tasks, --size, --seed, --scale, --repeat, ...). sbatch's
# own SBATCH_* variables (partition, account, time limit) apply to every job.
# Prints one line per job: "<name> <jobid>".
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=jobs/slurm/common.sh
source "$here/slurm/common.sh"

usage() {
  sed -n '7,9p' "${BASH_SOURCE[0]}" | sed 's/^# *//' >&2
  exit 2
}

all=(serial openmp mpi hybrid compare scaling)
only=() dry_run=false runner_args=() nodes=1
while (($#)); do
  case $1 in
    --dry-run) dry_run=true ;;
    --only)
      [[ $# -ge 2 ]] || usage
      IFS=, read -ra only <<<"$2"
      shift
      ;;
    --only=*) IFS=, read -ra only <<<"${1#--only=}" ;;
    --nodes)
      [[ $# -ge 2 ]] || usage
      nodes=$2
      shift
      ;;
    --nodes=*) nodes=${1#--nodes=} ;;
    --) shift; runner_args=("$@"); break ;;
    -h | --help) usage ;;
    *) echo "submit-all: unknown argument '$1'" >&2; usage ;;
  esac
  shift
done
((${#only[@]})) || only=("${all[@]}")
[[ $nodes =~ ^[1-9][0-9]*$ ]] || schedlab_die "--nodes '$nodes': use a whole number of nodes, 1 or more"
for name in "${only[@]}"; do
  [[ " ${all[*]} " == *" $name "* ]] || schedlab_die "--only: unknown job '$name' (jobs: ${all[*]})"
done

# Fail here, on the login node, rather than in the queue: every job needs these.
schedlab_find_build schedlab-serial schedlab-omp schedlab-mpi schedlab-report
$dry_run || command -v sbatch >/dev/null ||
  schedlab_die "sbatch not found: not on a SLURM cluster? (for a local one: jobs/local-slurm.sh up)"
# The jobs find the repository and build through these, whatever directory this runs in.
export SCHEDLAB_ROOT SCHEDLAB_BUILD

# submit NAME SBATCH_ARGS... SCRIPT [SCRIPT ARGS]: prints "NAME ID", sets $id.
submit() {
  local name=$1
  shift
  if $dry_run; then
    id="<$name>"
    echo "sbatch $*" >&2
  else
    id=$(sbatch --parsable "$@")
    id=${id%%;*} # "id;cluster" on multi-cluster setups
  fi
  echo "$name $id"
}

# What each job asks for beyond its #SBATCH lines.
spread=() scaling_spread=()
if ((nodes > 1)); then
  spread=(--nodes="$nodes")
  scaling_spread=(--nodes="$nodes" --ntasks=8 --cpus-per-task=1)
  export SCHEDLAB_SCALING=mpi
fi

ids=()
for name in "${only[@]}"; do
  if [[ $name == scaling ]]; then
    submit scaling "${scaling_spread[@]}" "$here/slurm/scaling.sbatch" "${runner_args[@]}"
    array=$id
    ids+=("$array")
    submit scaling-merge --dependency="afterok:$array" "$here/slurm/scaling-merge.sbatch" "$array"
    merge=$id
  elif [[ $name == mpi || $name == hybrid || $name == compare ]]; then
    submit "$name" "${spread[@]}" "$here/slurm/$name.sbatch" "${runner_args[@]}"
    ids+=("$id")
  else
    submit "$name" "$here/slurm/$name.sbatch" "${runner_args[@]}"
    ids+=("$id")
  fi
done
# The report reads results/<id>/ of each job; waiting for the merge too means the scaling
# directory already holds scaling.csv.
deps=$(IFS=:; echo "${ids[*]}${merge:+:$merge}")
submit report --dependency="afterany:$deps" "$here/slurm/report.sbatch" "${ids[@]}"

echo "submit-all: watch with: squeue --me; results in $PWD/results/<jobid>/, logs in $PWD/*.out" >&2
