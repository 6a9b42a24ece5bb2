#!/usr/bin/env bash
# Real interference beside the injected kind (--perturb): starts a competing process with
# stress-ng, pinned to one CPU, runs the command given after --, then stops stress-ng by its PID.
#   jobs/noise.sh [--cpu N] -- COMMAND [ARGS...]
#   --cpu N   the CPU the stress-ng worker is pinned to (default 1; 0 to nproc-1)
# The run records it: SCHEDLAB_INTERFERENCE='stress-ng --cpu 1 --taskset N (pid P)' is
# exported to COMMAND, and every runner's --json stores it as "interference".
# Exit: COMMAND's status; 2 on bad arguments (one line on stderr, nothing started).
set -euo pipefail
me=noise.sh
usage_error() { echo "$me: error: $*" >&2; exit 2; }
cpu=1
while (($#)); do
  case $1 in
    --cpu) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || usage_error "--cpu '${2:-}': expected a CPU number from 0 to $(($(nproc) - 1))"
      ((10#$2 < $(nproc))) || usage_error "--cpu '$2': expected a CPU number from 0 to $(($(nproc) - 1))"
      cpu=$((10#$2)); shift 2 ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    *) usage_error "$1: unknown option (expected --cpu N, then -- and the command to run)" ;;
  esac
done
(($#)) || usage_error "no command: expected -- and the command to run beside the load"
command -v stress-ng >/dev/null || { echo "$me: stress-ng is not installed (jobs/setup.sh installs it)" >&2; exit 1; }

stress_pid=
stop_stress() {
  if [[ -n $stress_pid ]] && kill -0 "$stress_pid" 2>/dev/null; then
    kill -TERM "$stress_pid" 2>/dev/null || true
    wait "$stress_pid" 2>/dev/null || true
  fi
  stress_pid=
}
trap stop_stress EXIT
trap 'stop_stress; exit 130' INT
trap 'stop_stress; exit 143' TERM

# One CPU-bound worker, on one CPU, for at most an hour (a guard, should this shell be killed
# with SIGKILL and its trap never run).
stress-ng --cpu 1 --taskset "$cpu" --timeout 3600 --quiet &
stress_pid=$!
sleep 0.2
kill -0 "$stress_pid" 2>/dev/null || { echo "$me: stress-ng did not start (--cpu $cpu)" >&2; exit 1; }
export SCHEDLAB_INTERFERENCE="stress-ng --cpu 1 --taskset $cpu (pid $stress_pid)"
echo "$me: $SCHEDLAB_INTERFERENCE running beside: $*" >&2
status=0
"$@" || status=$?
stop_stress
echo "$me: stopped stress-ng (pid ${SCHEDLAB_INTERFERENCE##*pid }" >&2
exit "$status"
