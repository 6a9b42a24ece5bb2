#!/usr/bin/env bash
# Records are untrusted input, and outputs never harm a file (docs/design.md, "Files are
# never harmed"): every program checks every output before any work (kind, folder, no output
# that is an input or another output: exit 2, one line naming the path(s)), writes through
# an exclusive temporary (a planted link is never followed), appends CSV rows all or nothing,
# writes its files before standard output, waits for a CSV lock audibly and interruptibly.
# Usage: outputs_test.sh CASE BINDIR [MPIRUN ARGS...]
#   BINDIR holds schedlab-serial, schedlab-omp, schedlab-report, schedlab-metg (and
#   schedlab-mpi for the mpi-* cases, which run it under the MPIRUN ARGS given).
set -u
case_name=$1
bin=$2
shift 2
dir=$(mktemp -d)
work=$dir/work
mkdir "$work"
holder=
mounted=
cleanup() {
  [ -n "$holder" ] && kill "$holder" 2>/dev/null && wait "$holder" 2>/dev/null
  [ -n "$mounted" ] && umount "$mounted" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
fail() {
  echo "FAIL ($case_name): $*"
  echo "--- stdout:"; head -c 3000 "$dir/stdout" 2>/dev/null
  echo "--- stderr:"; cat "$dir/stderr" 2>/dev/null
  echo "--- files:"; ls -la "$work"
  exit 1
}
skip() { echo "SKIP ($case_name): $*"; exit 77; }
TINY=(--workload uniform --tasks 4 --scale 0.001)
run() { timeout 120 "$@" >"$dir/stdout" 2>"$dir/stderr"; }
expect_rc() { [ "$rc" -eq "$1" ] || fail "exit code $rc, expected $1"; }
one_stderr_line() {
  local lines
  lines=$(wc -l <"$dir/stderr")
  [ "$lines" -eq 1 ] || fail "stderr has $lines lines, expected exactly 1"
  for text in "$@"; do
    grep -qF -- "$text" "$dir/stderr" || fail "stderr does not mention '$text'"
  done
}
no_work() { [ -s "$dir/stdout" ] && fail "stdout is not empty: work was done"; return 0; }
sum() { sha256sum "$1" | cut -d' ' -f1; }
unchanged() { [ "$(sum "$1")" = "$2" ] || fail "$1 was changed"; }
# A CSV the reader accepts: header + one row per strategy.
make_csv() { "$bin/schedlab-omp" --threads 2 --schedule static "${TINY[@]}" --csv "$1" >/dev/null || fail "cannot make $1"; }
make_json() { "$bin/schedlab-serial" "${TINY[@]}" --json "$1" >/dev/null || fail "cannot make $1"; }
# Only the names listed may exist in the work folder (nothing left over, nothing created).
only_files() {
  local expected actual
  expected=$(printf '%s\n' "$@" | sort)
  actual=$(ls -A "$work" | sort)
  [ "$actual" = "$expected" ] || fail "work folder holds '$(echo $actual)', expected '$(echo $expected)'"
}
# A read-only folder at $work/ro: a read-only tmpfs (root can write into any chmod-ed
# folder), else chmod for an ordinary user; else skip.
read_only_folder() {
  mkdir "$work/ro"
  if [ "$(id -u)" -eq 0 ]; then
    mount -t tmpfs -o ro,size=64k tmpfs "$work/ro" 2>/dev/null || skip "root, and cannot mount a read-only tmpfs"
    mounted=$work/ro
  else
    chmod 555 "$work/ro"
  fi
}

cd "$work" || exit 1
case $case_name in
  # 2. A link planted at the name the old writer used (<out>.tmp.<pid>) is never followed.
  tmp-symlink-json)
    echo precious >victim
    echo old >out.json
    before=$(sum victim)
    # The subshell's pid is the runner's (exec, no timeout(1) between): the name is planted
    # before it starts.
    (ln -s "$work/victim" "$work/out.json.tmp.$BASHPID" && exec "$bin/schedlab-serial" "${TINY[@]}" --json out.json) >"$dir/stdout" 2>"$dir/stderr"
    rc=$?
    expect_rc 0
    unchanged victim "$before"
    head -c 1 out.json | grep -q '{' || fail "out.json does not hold the record"
    [ "$(ls -A | grep -c '\.tmp')" -eq 1 ] || fail "a temporary file was left over"
    ;;
  tmp-symlink-html)
    make_csv in.csv
    echo precious >victim
    before=$(sum victim)
    (ln -s "$work/victim" "$work/page.html.tmp.$BASHPID" && exec "$bin/schedlab-report" --html page.html in.csv) >"$dir/stdout" 2>"$dir/stderr"
    rc=$?
    expect_rc 0
    unchanged victim "$before"
    grep -q '<html' page.html || fail "page.html does not hold the page"
    ;;
  # 3. An output can never be an input or another output, whatever the spelling.
  alias-csv-json)
    make_csv runs.csv
    before=$(sum runs.csv)
    run "$bin/schedlab-serial" "${TINY[@]}" --csv runs.csv --json ./runs.csv
    rc=$?
    expect_rc 2
    one_stderr_line "runs.csv" "./runs.csv" "the same file"
    no_work
    unchanged runs.csv "$before"
    ;;
  alias-workload-json)
    printf '100\n200\n300\n' >w.txt
    before=$(sum w.txt)
    mkdir d
    run "$bin/schedlab-serial" --workload file:w.txt --scale 0.001 --json d/../w.txt
    rc=$?
    expect_rc 2
    one_stderr_line "w.txt" "d/../w.txt"
    no_work
    unchanged w.txt "$before"
    ;;
  alias-report-html)
    make_csv in.csv
    before=$(sum in.csv)
    run "$bin/schedlab-report" --html in.csv in.csv
    rc=$?
    expect_rc 2
    one_stderr_line "in.csv" "the same file"
    no_work
    unchanged in.csv "$before"
    ;;
  alias-report-scaling)
    mkdir sv
    make_csv sv/scaling.gp  # a CSV record under the name the figure's script would get
    before=$(sum sv/scaling.gp)
    run "$bin/schedlab-report" --scaling sv/scaling.gp --format png
    rc=$?
    expect_rc 2
    one_stderr_line "sv/scaling.gp" "the same file"
    no_work
    unchanged sv/scaling.gp "$before"
    ;;
  alias-metg)
    make_csv in.csv
    before=$(sum in.csv)
    run "$bin/schedlab-metg" in.csv --peak 1e8 --metg-csv ./in.csv
    rc=$?
    expect_rc 2
    one_stderr_line "in.csv" "the same file"
    no_work
    unchanged in.csv "$before"
    run "$bin/schedlab-metg" in.csv --data out.dat --gnuplot out.dat
    rc=$?
    expect_rc 2
    one_stderr_line "--data 'out.dat' and --gnuplot 'out.dat'"
    ;;
  mpi-alias)
    make_csv runs.csv
    before=$(sum runs.csv)
    run "$@" "$bin/schedlab-mpi" --tasks 4 --scale 0.001 --csv runs.csv --json ./runs.csv
    rc=$?
    expect_rc 2
    one_stderr_line "runs.csv" "the same file"
    no_work
    unchanged runs.csv "$before"
    ;;
  mpi-ro-folder)
    read_only_folder
    run "$@" "$bin/schedlab-mpi" --tasks 4 --scale 0.001 --json ro/out.json
    rc=$?
    expect_rc 2
    one_stderr_line "ro/out.json" "not writable"
    no_work
    ;;
  # 4. A CSV append that fails half-way (a full disk; here a file size limit) is cut back:
  # the next append is clean and the reader takes the whole file.
  csv-full)
    # Runs are appended until a KiB boundary lies inside the next run's rows: with the file
    # size limit (ulimit -f, KiB) on that boundary, the file as it is fits and the next
    # append cannot, whatever the length of a row.
    make_csv r.csv
    first=$(stat -c %s r.csv)
    first_lines=$(wc -l <r.csv)
    make_csv r.csv
    per_run=$(($(stat -c %s r.csv) - first))
    run_lines=$(($(wc -l <r.csv) - first_lines))
    for _ in 1 2 3 4; do
      size=$(stat -c %s r.csv)
      [ $((size + per_run)) -gt $(((size + 1023) / 1024 * 1024)) ] && break
      make_csv r.csv
    done
    size=$(stat -c %s r.csv)
    rows=$(($(wc -l <r.csv) - 1))
    limit=$(((size + 1023) / 1024))
    [ $((size + per_run)) -gt $((limit * 1024)) ] || fail "no KiB boundary inside a run's rows ($per_run bytes)"
    # SIGXFSZ ignored: the write past the limit fails with EFBIG instead of killing the run.
    (ulimit -f "$limit" && trap '' XFSZ && exec timeout 120 "$bin/schedlab-omp" --threads 2 --schedule static "${TINY[@]}" --csv r.csv) >/dev/null 2>"$dir/stderr"
    rc=$?
    expect_rc 1
    one_stderr_line "r.csv"
    [ "$(stat -c %s r.csv)" -eq "$size" ] || fail "r.csv is $(stat -c %s r.csv) bytes, expected $size (cut back)"
    make_csv r.csv
    [ "$(wc -l <r.csv)" -eq $((1 + rows + run_lines)) ] || fail "r.csv has $(wc -l <r.csv) lines, expected $((1 + rows + run_lines))"
    run "$bin/schedlab-report" r.csv
    rc=$?
    expect_rc 0
    ;;
  # 5. A closed standard output costs the table, never the files: exit 1, one line.
  sigpipe)
    timeout 120 "$bin/schedlab-serial" --workload uniform --tasks 20 --scale 0.05 --csv r.csv --json r.json 2>"$dir/stderr" | head -1 >"$dir/stdout"
    rc=${PIPESTATUS[0]}
    expect_rc 1
    one_stderr_line "standard output"
    head -c 1 r.json | grep -q '{' || fail "r.json does not hold the record"
    grep -q '^1,' r.csv || fail "r.csv holds no row"
    ;;
  # 6. Another process holds the CSV's lock: the wait is announced, bounded, interruptible.
  lock-timeout | lock-TERM | lock-INT)
    : >r.csv
    (exec 9>>r.csv && flock 9 && exec sleep 60) &
    holder=$!
    for _ in $(seq 100); do flock -n r.csv true || break; sleep 0.05; done
    flock -n r.csv true && fail "the lock holder did not start"
    start=$(date +%s.%N)
    if [ "$case_name" = lock-timeout ]; then
      SCHEDLAB_LOCK_TIMEOUT_S=2 run "$bin/schedlab-serial" "${TINY[@]}" --csv r.csv
      rc=$?
      expect_rc 1
      grep -q "still locked" "$dir/stderr" || fail "no 'still locked' line"
    else
      signal=${case_name#lock-}
      # Not under timeout(1): the signal goes to the runner itself.
      "$bin/schedlab-serial" "${TINY[@]}" --csv r.csv >"$dir/stdout" 2>"$dir/stderr" &
      pid=$!
      for _ in $(seq 100); do grep -q waiting "$dir/stderr" && break; sleep 0.1; done
      kill -"$signal" "$pid"
      wait "$pid"
      rc=$?
      [ "$signal" = TERM ] && expect_rc 143
      [ "$signal" = INT ] && expect_rc 130
    fi
    elapsed=$(echo "$(date +%s.%N) - $start" | bc)
    grep -q "waiting for the lock on --csv r.csv" "$dir/stderr" || fail "the wait was not announced"
    [ "$(echo "$elapsed < 15" | bc)" -eq 1 ] || fail "took $elapsed s"
    [ ! -s r.csv ] || fail "rows were written to r.csv"
    ;;
  # A signal while a huge JSON record is built (seconds for 10^5 traced tasks) stops it:
  # exit 143 at once, the old record untouched, no temporary left.
  json-term)
    echo old >out.json
    before=$(sum out.json)
    "$bin/schedlab-serial" --workload uniform --tasks 400000 --scale 0.00001 --json out.json >"$dir/stdout" 2>"$dir/stderr" &
    pid=$!
    sleep 1.5
    kill -TERM "$pid"  # the first stops the run, which then writes its incomplete record
    sleep 0.5
    # A further signal must arrive while the record is built. When that phase begins depends
    # on the machine (a loaded sanitizer build may still be stopping the run at 2 s, and a
    # signal before it would not stop the writing): one more every 0.2 s until the program
    # is gone, each while it builds the record stopping it at once.
    start=$(date +%s.%N)
    while kill -TERM "$pid" 2>/dev/null; do
      sleep 0.2
      [ "$(echo "$(date +%s.%N) - $start < 20" | bc)" -eq 1 ] || break
    done
    wait "$pid"
    rc=$?
    elapsed=$(echo "$(date +%s.%N) - $start" | bc)
    expect_rc 143
    [ "$(echo "$elapsed < 20" | bc)" -eq 1 ] || fail "still running $elapsed s after the signals began"
    unchanged out.json "$before"
    only_files out.json
    ;;
  # 7. A bad output path is found before any work: exit 2, one line.
  ro-folder)
    read_only_folder
    run "$bin/schedlab-serial" "${TINY[@]}" --json ro/out.json
    rc=$?
    expect_rc 2
    one_stderr_line "ro/out.json" "not writable"
    no_work
    ;;
  missing-folder)
    run "$bin/schedlab-serial" "${TINY[@]}" --csv missing/r.csv
    rc=$?
    expect_rc 2
    one_stderr_line "missing/r.csv" "does not exist"
    no_work
    make_csv in.csv
    run "$bin/schedlab-report" --html missing/page.html in.csv
    rc=$?
    expect_rc 2
    one_stderr_line "missing/page.html" "does not exist"
    no_work
    only_files in.csv
    ;;
  dangling-link)
    ln -s nowhere/out.json latest.json
    run "$bin/schedlab-serial" "${TINY[@]}" --json latest.json
    rc=$?
    expect_rc 2
    one_stderr_line "latest.json" "nowhere"
    no_work
    only_files latest.json
    ;;
  html-fifo | html-folder)
    make_csv in.csv
    if [ "$case_name" = html-fifo ]; then mkfifo page.html; else mkdir page.html; fi
    run "$bin/schedlab-report" --html page.html in.csv
    rc=$?
    expect_rc 2
    one_stderr_line "page.html"
    no_work
    only_files in.csv page.html
    ;;
  # 8. schedlab-metg: bad outputs are exit 2 before any work, a failed write exit 1; one
  # line each, never "terminate called".
  metg-outputs)
    make_csv in.csv
    mkfifo pipe
    mkdir folder
    for args in "--data missing/d.txt" "--gnuplot pipe" "--gnuplot folder" \
                "--peak 1e8 --metg-csv folder" "--peak 1e8 --rounds-csv missing/r.csv"; do
      # shellcheck disable=SC2086
      run "$bin/schedlab-metg" in.csv $args
      rc=$?
      expect_rc 2
      one_stderr_line "${args##* }"
      no_work
    done
    read_only_folder
    run "$bin/schedlab-metg" in.csv --data ro/d.txt
    rc=$?
    expect_rc 2
    one_stderr_line "ro/d.txt" "not writable"
    ;;
  metg-write-fails)
    make_csv in.csv
    # stderr through a pipe: the size limit applies to every regular file written.
    (ulimit -f 0 && trap '' XFSZ && exec timeout 120 "$bin/schedlab-metg" in.csv --data d.txt) 2>&1 >/dev/null | cat >"$dir/stderr"
    rc=${PIPESTATUS[0]}
    expect_rc 1
    one_stderr_line "d.txt"
    grep -q terminate "$dir/stderr" && fail "terminate called"
    only_files in.csv
    ;;
  # 15. A figure named after 20 long inputs still gets a name the file system takes.
  timeline-long-names)
    make_json one.json
    files=()
    for i in $(seq -w 20); do
      name=run-$i-with-a-rather-long-descriptive-name-of-the-experiment-and-its-settings.json
      cp one.json "$name"
      files+=("$name")
    done
    run "$bin/schedlab-report" --timeline "${files[@]}" --format svg
    rc=$?
    expect_rc 0
    script=$(ls | grep '\.timeline\.gp$')
    [ -n "$script" ] || fail "no timeline script was written"
    [ "${#script}" -le 200 ] || fail "the script's name has ${#script} characters"
    ;;
  # jobs/scaling.sh: a task list inside --out under a name the sweep writes is refused
  # before the sweep removes or truncates it.
  scaling-workload-in-out)
    mkdir out
    printf '100\n200\n' >out/strong.csv
    before=$(sum out/strong.csv)
    jobs=$(cd "$(dirname "$0")/../../jobs" && pwd)
    run "$jobs/scaling.sh" --build "$(dirname "$bin")" --out out --workload file:out/strong.csv --kinds strong --max 1 --models omp
    rc=$?
    expect_rc 2
    one_stderr_line "out/strong.csv" "the same file"
    unchanged out/strong.csv "$before"
    ;;
  *)
    echo "unknown case $case_name"
    exit 2
    ;;
esac
echo "ok ($case_name): $(head -n 1 "$dir/stderr" 2>/dev/null)"
