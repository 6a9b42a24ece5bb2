#!/usr/bin/env bash
# The notebook: installs what is missing (Jupyter's nbconvert and kernel, pandas, matplotlib:
# Debian packages), builds the release preset, executes notebooks/schedlab.ipynb headless
# into results/notebook-<time>/ (the executed notebook, an HTML copy, every CSV/JSON record),
# and says how to open it interactively.
#   jobs/notebook.sh                      all logical CPUs, the seed notebook's task sizes
#   SCHEDLAB_NB_WORKERS=4 SCHEDLAB_NB_SCALE=0.25 SCHEDLAB_NB_REPEAT=1 jobs/notebook.sh
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case ${1:-} in
  "") ;;
  -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
  *) echo "jobs/notebook.sh: unknown argument '$1' (it takes none; see --help)" >&2; exit 2 ;;
esac

SCHEDLAB_EXTRA_PACKAGES="python3-pandas python3-matplotlib jupyter-nbconvert python3-ipykernel" \
  "$repo/jobs/setup.sh" release

out=$repo/results/notebook-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
export SCHEDLAB_BIN=$repo/build/release/bin SCHEDLAB_NB_RESULTS=$out
export PYDEVD_DISABLE_FILE_VALIDATION=1  # ipykernel's debugger note about frozen modules
start=$SECONDS
jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
  --output-dir "$out" --output schedlab.ipynb "$repo/notebooks/schedlab.ipynb"
jupyter nbconvert --to html "$out/schedlab.ipynb" >/dev/null 2>&1 || true
echo
echo "The notebook ran in $((SECONDS - start)) s; everything is in $out/:"
echo "  schedlab.ipynb   the executed notebook (outputs and figures)"
[[ -f $out/schedlab.html ]] && echo "  schedlab.html    the same as one page, for any browser"
echo "  *.csv, *.json    the records each cell wrote (docs/results-schema.md)"
echo
echo "To work in it interactively (edit a cell, run it again):"
if command -v jupyter-notebook >/dev/null 2>&1; then
  echo "  jupyter notebook notebooks/schedlab.ipynb"
else
  echo "  apt-get install jupyter-notebook      (Debian 12: Jupyter Notebook 6.4; not installed here)"
  echo "  jupyter notebook notebooks/schedlab.ipynb"
fi
if [[ $(id -u) -eq 0 ]]; then
  echo "  (as root Jupyter also wants --allow-root; on a remote machine add --no-browser and open the URL it prints through an SSH tunnel)"
fi
