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
# and compare get `sbatch --nodes=N --ntasks-per-node=M`, and the scaling array measures
# ranks instead of threads (SCHEDLAB_SCALING=mpi, --nodes=N --ntasks=8 --ntasks-per-node=M
# --cpus-per-task=1, 8 being the largest count in its --array). M = ceil(T/N) for a job of
# T tasks (its #SBATCH --ntasks line): with --ntasks, SLURM takes --ntasks-per-node as a
# maximum, so the ranks split evenly (T/N each) wherever N divides T, and as evenly as they
# can otherwise. `--nodes` alone lets SLURM pack: 4 ranks on 2 nodes become 3 + 1.
# serial and openmp stay on one node.
# Run it from the directory that should hold the results: jobs write results/<jobid>/ and
# their logs there. Options after -- go to every runner, so give only options all
# runners share (--workload, --tasks, --size, --seed, --scale, --repeat, ...). sbatch's
# own SBATCH_* variables (partition, account, time limit) apply to every job.
# Prints one line per job: "<name> <jobid> <log file>", e.g. "openmp 129
# schedlab-openmp-129.out" (every job is named schedlab-<name>; the scaling array's logs are
# one per element: "scaling 130 schedlab-scaling-130_*.out").
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

# sbatch_line SCRIPT OPTION: the value of the script's `#SBATCH --OPTION=VALUE` line.
sbatch_line() {
  sed -n "s/^#SBATCH --$2=\([^ ]*\).*/\1/p" "$1" | head -n 1
}

# log_name SCRIPT ID: where the job's output goes, from the script's --job-name and
# --output (or sbatch's SBATCH_JOB_NAME / SBATCH_OUTPUT, which win over them): %x the job
# name, %j the job id, %A the array's id, %a the element (printed as *, one log each).
log_name() {
  local script=$1 id=$2 name pattern
  name=${SBATCH_JOB_NAME:-$(sbatch_line "$script" job-name)}
  pattern=${SBATCH_OUTPUT:-$(sbatch_line "$script" output)}
  pattern=${pattern:-slurm-%j.out}
  pattern=${pattern//%x/$name}
  pattern=${pattern//%j/$id}
  pattern=${pattern//%A/$id}
  pattern=${pattern//%a/*}
  echo "$pattern"
}

# submit NAME SBATCH_ARGS... SCRIPT [SCRIPT ARGS]: prints "NAME ID LOG", sets $id.
submit() {
  local name=$1 arg script=
  shift
  for arg in "$@"; do
    [[ $arg == *.sbatch ]] && { script=$arg; break; }
  done
  if $dry_run; then
    id="<$name>"
    echo "sbatch $*" >&2
  else
    id=$(sbatch --parsable "$@")
    id=${id%%;*} # "id;cluster" on multi-cluster setups
  fi
  echo "$name $id $(log_name "$script" "$id")"
}

# spread SCRIPT [TASKS]: the sbatch options that put the job's TASKS (default: its
# #SBATCH --ntasks, or SBATCH_NTASKS) ranks on $nodes nodes evenly: --nodes alone lets
# SLURM fill the first node and give the others one each (3 + 1, 7 + 1).
spread() {
  local tasks=${2:-${SBATCH_NTASKS:-$(sbatch_line "$1" ntasks)}}
  tasks=${tasks:-1}
  printf -- '--nodes=%s\n--ntasks=%s\n--ntasks-per-node=%s\n' \
    "$nodes" "$tasks" $(((tasks + nodes - 1) / nodes))
}

# What each job asks for beyond its #SBATCH lines.
if ((nodes > 1)); then
  export SCHEDLAB_SCALING=mpi
fi

ids=()
for name in "${only[@]}"; do
  if [[ $name == scaling ]]; then
    scaling_spread=()
    if ((nodes > 1)); then
      mapfile -t scaling_spread < <(spread "$here/slurm/scaling.sbatch" 8)
      scaling_spread+=(--cpus-per-task=1)
    fi
    submit scaling "${scaling_spread[@]}" "$here/slurm/scaling.sbatch" "${runner_args[@]}"
    array=$id
    ids+=("$array")
    submit scaling-merge --dependency="afterok:$array" "$here/slurm/scaling-merge.sbatch" "$array"
    merge=$id
  elif [[ $name == mpi || $name == hybrid || $name == compare ]]; then
    opts=()
    ((nodes == 1)) || mapfile -t opts < <(spread "$here/slurm/$name.sbatch")
    submit "$name" "${opts[@]}" "$here/slurm/$name.sbatch" "${runner_args[@]}"
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

echo "submit-all: watch with: squeue --me; results in $PWD/results/<jobid>/, logs (third column) in $PWD" >&2
