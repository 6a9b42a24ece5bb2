#!/usr/bin/env bash
# --image: schedlab-serial's picture and schedlab-mpi's at 3 ranks (the last strategy,
# master-worker-dedicated, leaves no row on rank 0: the gather brings them all) must be the
# same bytes; both are PNG files, with cost maps.
# Usage: image_check.sh SERIAL MPI MPIEXEC NUMPROC_FLAG
set -eu
serial=$1 mpi=$2 mpiexec=$3 np_flag=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
args=(--workload mandelbrot --tasks 48 --size 300)
"$serial" "${args[@]}" --image "$dir/serial.png" >/dev/null
"$mpiexec" "$np_flag" 3 "$mpi" "${args[@]}" --strategy all --image "$dir/mpi.png" >/dev/null
for f in serial.png serial-cost.png mpi.png mpi-cost.png; do
  [ "$(head -c 8 "$dir/$f" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
    { echo "FAIL: $f is not a PNG file"; exit 1; }
done
cmp "$dir/serial.png" "$dir/mpi.png" || { echo "FAIL: the MPI picture differs from the serial one"; exit 1; }
echo "ok: the MPI picture (np 3, master-worker-dedicated last) is the serial picture, byte for byte"
