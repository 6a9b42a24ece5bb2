# shellcheck shell=bash
# Sourced by the job scripts: the build directory (the one whose bin/ holds the schedlab-*
# programs) to use when SCHEDLAB_BUILD is not set. A copy installed by cmake --install lives
# in <prefix>/share/schedlab/jobs and uses <prefix> (its programs are in <prefix>/bin); a
# repository uses build/release. docs/clusters.md, "Installing for a course".
#   schedlab_default_build ROOT     ROOT: the folder holding jobs/; prints the directory
schedlab_default_build() {
  local prefix
  if prefix=$(cd "$1/../.." 2>/dev/null && pwd) && [[ $1 == */share/schedlab &&
     -x $prefix/bin/schedlab-serial ]]; then
    printf '%s\n' "$prefix"
  else
    printf '%s\n' "$1/build/release"
  fi
}
