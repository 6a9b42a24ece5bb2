#!/usr/bin/env bash
# One registry technique under schedlab-mpi at np 1-4 (oversubscribed) on every workload
# family, the synthetic ones and the application loops (mandelbrot, spmv, triad): each launch
# must print the technique's row with its P and `ok`, and PASSED.
# SWEEP: all (every np x every family, 32 launches), one-np-per-workload (each family at
# one np, np 1, 2, 3, 4, 1, ... in turn: 8 launches), pair:I (two launches for registry row
# I: np 1 + I mod 4 on family I mod 8, and np 1 + (I + 2) mod 4 on family (I + 4) mod 8, so
# that across the registry every family runs at two np and every np on every other family)
# or single:NP:FAMILY (one launch, FAMILY 0-7 in the order below). TECHNIQUE may carry an
# MPI mode: rma,gss or hierarchical,fac2.
# Usage: verify_technique.sh TECHNIQUE SWEEP DATA_FILE MPIEXEC NP_FLAG [PREFLAGS...] -- RUNNER [POSTFLAGS...]
set -u
technique=$1
sweep=$2
data=$3
mpiexec=$4
np_flag=$5
shift 5
case $sweep in
  all|one-np-per-workload) ;;
  single:[1-4]:[0-7]) IFS=: read -r _ single_np single_family <<<"$sweep" ;;
  pair:[0-9]|pair:[0-9][0-9]|pair:[0-9][0-9][0-9]) pair_row=${sweep#pair:} ;;
  *) echo "verify_technique.sh: SWEEP '$sweep': expected all, one-np-per-workload, pair:ROW (0-999) or single:NP:FAMILY (NP 1-4, FAMILY 0-7)" >&2; exit 2 ;;
esac
pre=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do pre+=("$1"); shift; done
shift  # the --
runner=("$@")
# ~70 us synthetic tasks (--scale 0.001); the application loops are sized by --size instead
# (they refuse --scale): small images, matrices and blocks.
workloads=("--workload uniform --tasks 8 --scale 0.001"
           "--workload nonuniform --tasks 13 --scale 0.001"
           "--workload increasing --tasks 16 --scale 0.001"
           "--workload skewed --tasks 16 --scale 0.001" "--workload file:$data --scale 0.001"
           "--workload mandelbrot --tasks 24 --size 200" "--workload spmv --tasks 24 --size 100"
           "--workload triad --tasks 12 --size 4096")
# The row name is the technique's canonical text: escape what a regex would read.
row=$(printf '%s' "$technique" | sed 's/[.[\*^$()+?{|]/\\&/g')
launches=0
for np in 1 2 3 4; do
  for i in "${!workloads[@]}"; do
    w=${workloads[$i]}
    case $sweep in
      all) ;;
      one-np-per-workload) [ $(( i % 4 + 1 )) -eq "$np" ] || continue ;;
      pair:*) { [ "$np" -eq $(( 1 + pair_row % 4 )) ] && [ "$i" -eq $(( pair_row % 8 )) ]; } ||
                { [ "$np" -eq $(( 1 + (pair_row + 2) % 4 )) ] && [ "$i" -eq $(( (pair_row + 4) % 8 )) ]; } ||
                continue ;;
      *) [ "$np" -eq "$single_np" ] && [ "$i" -eq "$single_family" ] || continue ;;
    esac
    # shellcheck disable=SC2086  # $w is a list of options
    output=$(timeout 60 "$mpiexec" "$np_flag" "$np" "${pre[@]}" "${runner[@]}" \
             --strategy "$technique" $w 2>&1)
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
echo "ok: $technique verified in $launches launches (sweep $sweep)"
