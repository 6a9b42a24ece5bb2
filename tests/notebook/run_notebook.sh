#!/usr/bin/env bash
# Executes the notebook headless at a small scale, as `jupyter nbconvert --execute` does for
# jobs/notebook.sh, then checks the executed copy (check_notebook.py): every code cell ran,
# no error output, every figure a real PNG. Exit 77 (ctest: skipped) without Jupyter.
#   run_notebook.sh NOTEBOOK WORK_DIR        (SCHEDLAB_BIN: the folder of the programs)
set -euo pipefail
notebook=$1
work=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${SCHEDLAB_BIN:?SCHEDLAB_BIN must name the folder of the schedlab programs}"

# The Python that has the notebook stack: the one on PATH may be another (pyenv, a venv)
# than the one Debian's jupyter runs under.
modules="nbformat nbconvert ipykernel pandas matplotlib"
py=
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 \
     && "$candidate" -c "import ${modules// /, }" >/dev/null 2>&1; then
    py=$(command -v "$candidate")
    break
  fi
done
if [[ -z $py ]]; then
  echo "SKIP: notebook.executes: no Python here with ${modules} (Debian: apt-get install" \
       "jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib, as jobs/test.sh does)"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work/figures"
start=$SECONDS
# Small: 2 workers whatever the machine, tasks at 2% of the notebook's size, one repeat.
SCHEDLAB_NB_SCALE=0.02 SCHEDLAB_NB_WORKERS=2 SCHEDLAB_NB_REPEAT=1 SCHEDLAB_NB_RESULTS=$work/results \
  PYDEVD_DISABLE_FILE_VALIDATION=1 \
  "$py" -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=120 \
  --ExecutePreprocessor.kernel_name=python3 --output-dir "$work" --output executed.ipynb "$notebook"
echo "executed in $((SECONDS - start)) s: $work/executed.ipynb (records in $work/results)"
"$py" "$here/check_notebook.py" "$work/executed.ipynb" --min-figures 5 --save-figures "$work/figures"
