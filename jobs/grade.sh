#!/usr/bin/env bash
# Grades students' lab folders (where docs/lab.md's commands ran): every exercise's files are
# there, every run PASSED verification, each lesson's inequality holds, the runs were not all
# noisy, every CSV row agrees with its own times and with the JSON record of the same run
# (else "tampered"), and no two folders share records (else "copied"). Prints one line per
# exercise, writes DIR/grade.json, and with several folders a summary table and CSV.
#   jobs/grade.sh [--student NAME] [--json FILE] [--summary FILE] DIR [DIR ...]
# --summary defaults to ./grade-summary.csv when grading several folders (never inside one).
# Status per exercise: ok, lesson not shown, all noisy (rerun on a quiet machine), incomplete
# (a file missing or a run that did not PASS), unreadable, tampered.
# The work is jobs/schedlab_grade.py; its thresholds are jobs/lab-thresholds.json.
# Exit 0: every folder passes; 1: an exercise is not ok, or a folder is tampered or copied;
# 2: bad usage.
set -euo pipefail
command -v python3 >/dev/null || { echo "grade.sh: error: python3 is needed to read the results" >&2; exit 2; }
exec python3 "$(dirname "${BASH_SOURCE[0]}")/schedlab_grade.py" "$@"
