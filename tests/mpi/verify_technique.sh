#!/usr/bin/env bash
# One registry technique under schedlab-mpi at np 1-4 (oversubscribed) on every workload
# family: each launch must print the technique's row with its P and `ok`, and PASSED.
# Usage: verify_technique.sh TECHNIQUE DATA_FILE MPIEXEC NP_FLAG [PREFLAGS...] -- RUNNER [POSTFLAGS...]
set -u
technique=$1
data=$2
mpiexec=$3
np_flag=$4
shift 4
pre=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do pre+=("$1"); shift; done
shift  # the --
runner=("$@")
workloads=("--workload uniform --tasks 8" "--workload nonuniform --tasks 13"
           "--workload increasing --tasks 16" "--workload skewed --tasks 16"
           "--workload file:$data")
# The row name is the technique's canonical text: escape what a regex would read.
row=$(printf '%s' "$technique" | sed 's/[.[\*^$()+?{|]/\\&/g')
launches=0
for np in 1 2 3 4; do
  for w in "${workloads[@]}"; do
    # shellcheck disable=SC2086  # $w is a list of options
    output=$(timeout 60 "$mpiexec" "$np_flag" "$np" "${pre[@]}" "${runner[@]}" \
             --strategy "$technique" $w --scale 0.001 2>&1)
    rc=$?
    if [ "$rc" -ne 0 ] || ! grep -Eq "^$row +$np .* ok$" <<<"$output" ||
       ! grep -q '^verification: PASSED$' <<<"$output"; then
      echo "FAIL: $technique at np $np, $w: exit $rc"
      echo "$output"
      exit 1
    fi
    launches=$((launches + 1))
  done
done
echo "ok: $technique verified in $launches launches (np 1-4 x 5 workload families)"
