#!/usr/bin/env bash
# The main job: installs what is missing, builds the release preset, and runs the
# notebook's comparison on all local cores.
#   jobs/demo.sh
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$repo/jobs/setup.sh" release
bin=$repo/build/release/bin
cores=$(nproc)

banner() { printf '\n=== %s\n' "$*"; }

banner "Cell 1 - serial baseline: the notebook's uniform list ($cores tasks x 12,000,000 units)"
"$bin/schedlab-serial" --workload uniform --tasks "$cores"

banner "Serial on the notebook's nonuniform list (8,000,000 + randint(0, 8,000,000), Random(0))"
"$bin/schedlab-serial" --workload nonuniform --tasks "$cores"
