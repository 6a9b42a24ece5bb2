# shellcheck shell=bash
# Sourced by every jobs/slurm/*.sbatch and by jobs/submit-all.sh: where the binaries are,
# where results go, and a few helpers, so that each job script shows only its own lesson.
#
# Environment it reads (all optional):
#   SCHEDLAB_BUILD    build directory holding bin/schedlab-* (default: build/release under
#                     the submit directory if it has one, else under the repository; an
#                     installed copy, <prefix>/share/schedlab/jobs, uses <prefix>)
#   SCHEDLAB_RESULTS  where results/<jobid>/ directories go (default: <submit dir>/results)
# What it sets for the job script:
#   SCHEDLAB_ROOT     the repository;  SCHEDLAB_BIN  directory of the runners
#   JOB_ID            SLURM's job id (the array's id for array elements)
#   RESULTS           results/<JOB_ID>/, created

SCHEDLAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export SCHEDLAB_ROOT

schedlab_die() {
  printf 'schedlab: %s\n' "$*" >&2
  exit 2
}

# The build directory, checked: fails early, on the login node as well as in the job, with
# what to do about it, instead of a "command not found" minutes later in the queue.
schedlab_find_build() {
  local submit=${SLURM_SUBMIT_DIR:-$PWD}
  if [[ -n ${SCHEDLAB_BUILD:-} ]]; then
    :
  elif [[ -d $submit/build/release/bin ]]; then
    SCHEDLAB_BUILD=$submit/build/release
  else
    # shellcheck source=jobs/default-build.sh
    . "$SCHEDLAB_ROOT/jobs/default-build.sh"
    SCHEDLAB_BUILD=$(schedlab_default_build "$SCHEDLAB_ROOT")
  fi
  local absolute
  absolute=$(cd "$SCHEDLAB_BUILD" 2>/dev/null && pwd) ||
    schedlab_die "build directory '$SCHEDLAB_BUILD' does not exist. Build first:
  cd $SCHEDLAB_ROOT && cmake --preset release && cmake --build --preset release
or point SCHEDLAB_BUILD at a build directory (the one that contains bin/)."
  SCHEDLAB_BUILD=$absolute
  export SCHEDLAB_BUILD
  SCHEDLAB_BIN=$SCHEDLAB_BUILD/bin
  local name
  for name in "$@"; do
    [[ -x $SCHEDLAB_BIN/$name ]] ||
      schedlab_die "$SCHEDLAB_BIN/$name is missing or not executable. Build it:
  cd $SCHEDLAB_ROOT && cmake --build --preset release
or point SCHEDLAB_BUILD at the build directory that has it."
  done
}

# schedlab_init RUNNER...: check the runners exist, make results/<jobid>/, say where
# everything is (the first lines of the job's output answer "what did this job run?").
schedlab_init() {
  schedlab_find_build "$@"
  # Array elements share their array's id, so one directory holds the whole array.
  # SCHEDLAB_RESULTS_ID: write into another job's directory instead (scaling-merge does).
  JOB_ID=${SCHEDLAB_RESULTS_ID:-${SLURM_ARRAY_JOB_ID:-${SLURM_JOB_ID:-local-$(date +%Y%m%d-%H%M%S)-$$}}}
  RESULTS=${SCHEDLAB_RESULTS:-${SLURM_SUBMIT_DIR:-$PWD}/results}/$JOB_ID
  mkdir -p "$RESULTS"
  RESULTS=$(cd "$RESULTS" && pwd)
  echo "job:      ${SLURM_JOB_NAME:-local} ${SLURM_JOB_ID:-$JOB_ID}${SLURM_ARRAY_TASK_ID:+ (array $SLURM_ARRAY_JOB_ID element $SLURM_ARRAY_TASK_ID)}"
  if [[ -n ${SLURM_JOB_ID:-} ]]; then
    echo "nodes:    $SLURM_JOB_NODELIST (${SLURM_JOB_NUM_NODES:-1})  tasks ${SLURM_NTASKS:-1} × cpus ${SLURM_CPUS_PER_TASK:-1}"
  else
    echo "nodes:    $(hostname) (not a SLURM job: all its cores)"
  fi
  echo "binaries: $SCHEDLAB_BIN"
  echo "results:  $RESULTS"
  # What the job saw, for whoever reads the results later.
  env | grep -E '^(SLURM_|OMP_|SCHEDLAB_)' | sort >"$RESULTS/environment${SLURM_ARRAY_TASK_ID:+-$SLURM_ARRAY_TASK_ID}.txt"
}

# The MPI scripts need an allocation to know how many ranks to start.
schedlab_require_slurm() {
  [[ -n ${SLURM_JOB_ID:-} ]] || schedlab_die "not inside a SLURM job: submit this script with sbatch"
}

# has_option OPT ARGS...: whether ARGS already set OPT (as "OPT value" or "OPT=value"),
# so that a default never fights an option the user passed through.
has_option() {
  local opt=$1 arg
  shift
  for arg in "$@"; do
    [[ $arg == "$opt" || $arg == "$opt="* ]] && return 0
  done
  return 1
}

# default_tasks ARGS...: prints `--tasks N` unless ARGS already choose the task list
# (--tasks, or a file: workload that defines it); the caller puts the job's worker count
# in SCHEDLAB_WORKERS. The runners' own default is one task per CPU of the job (see
# docs/clusters.md), which differs from job to job; so the job scripts always say it, and
# every job of one submission runs the same list: 64 tasks (16 per worker at the
# scripts' default 4 workers), or 16 per worker for larger allocations, so that the
# schedules still have something to balance. SCHEDLAB_TASKS overrides the 64. Every job of
# submit-all.sh gets the same list, so that schedlab-report compares like with like.
default_tasks() {
  local workers=${SCHEDLAB_WORKERS:-1} arg
  has_option --tasks "$@" && return 0
  for arg in "$@"; do [[ $arg == file:* || $arg == --workload=file:* ]] && return 0; done
  local tasks=${SCHEDLAB_TASKS:-64}
  ((16 * workers > tasks)) && tasks=$((16 * workers))
  printf -- '--tasks\n%s\n' "$tasks"
}

# record_hosts NAME LAUNCHER...: starts `hostname` with the same launcher, counts and
# binding as the ranks that follow, keeps the list in $RESULTS/hosts-NAME.txt and prints
# one line "hosts: nodeA ×2, nodeB ×2", so that the job's output shows which nodes took
# part (SLURM_JOB_NODELIST only says which were allocated).
record_hosts() {
  local name=$1 file=$RESULTS/hosts-$1.txt
  shift
  if "$@" hostname 2>/dev/null | sort >"$file"; then
    echo "hosts:    $(uniq -c "$file" | awk '{printf "%s%s ×%s", sep, $2, $1; sep=", "}')"
    # More than one rank apart between two nodes: SLURM packed the allocation (sbatch
    # --nodes=2 --ntasks=4 alone gives 3 + 1). Say how to ask for an even spread.
    local counts sorted ranks nodes
    counts=$(uniq -c "$file" | awk '{print $1}' | paste -sd' ')
    sorted=$(tr ' ' '\n' <<<"$counts" | sort -n | paste -sd' ')
    ranks=$(wc -l <"$file") nodes=$(wc -w <<<"$counts")
    if ((nodes > 1)) && ((${sorted##* } - ${sorted%% *} > 1)); then
      echo "note:     ranks spread unevenly ($(tr ' ' '+' <<<"$counts") on $nodes nodes, SLURM_TASKS_PER_NODE=${SLURM_TASKS_PER_NODE:-?}): submit with --ntasks-per-node=$(((ranks + nodes - 1) / nodes)) for an even spread (docs/clusters.md)"
    fi
  else
    echo "hosts:    could not run '$* hostname' (the run below will say why)"
  fi
}

# run_logged NAME COMMAND...: run, show the output, keep a copy in $RESULTS/NAME.txt;
# returns the command's exit status.
run_logged() {
  local name=$1
  shift
  echo "+ $*"
  "$@" 2>&1 | tee "$RESULTS/$name.txt"
}
