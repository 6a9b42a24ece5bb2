#!/usr/bin/env bash
# Runs the pandas snippet of docs/results-schema.md (the ```python block after the line
# "<!-- pandas-snippet -->") on a fixture CSV. Skips visibly (exit 77) where no python3
# with pandas is installed (Debian: apt-get install python3-pandas).
# Usage: check_pandas_snippet.sh DOC.md RESULTS.csv
set -u
doc=$1
csv=$2
snippet=$(awk '/<!-- pandas-snippet -->/ { found = 1; next } found && /^```python/ { inside = 1; next } inside && /^```/ { exit } inside { print }' "$doc")
[ -n "$snippet" ] || { echo "FAIL: no pandas snippet in $doc"; exit 1; }
python=
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import pandas' 2>/dev/null; then
    python=$candidate
    break
  fi
done
if [ -z "$python" ]; then
  echo "SKIP: no python3 with pandas here (apt-get install python3-pandas)"
  exit 77
fi
out=$(printf '%s\n' "$snippet" | "$python" - "$csv") || { echo "FAIL: the snippet exited $?"; exit 1; }
echo "$out"
# The snippet prints the best strategy per task list and P; the fixture's answer is known.
printf '%s\n' "$out" | grep -q 'dynamic,1' || { echo "FAIL: expected the fixture's best strategy dynamic,1"; exit 1; }
echo "ok: snippet ran with $python"
