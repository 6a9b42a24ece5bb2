#!/usr/bin/env python3
"""Runs the fenced commands of a document as a reader would, at a small scale.

Usage: run_doc_commands.py DOC SOURCE_DIR BUILD_DIR [--skip REGEX=REASON ...] [--keep DIR]

--keep DIR: use DIR (emptied) as the reader's repository and leave what the commands wrote.

The reader's repository is a scratch folder whose jobs/ links to the real one and whose
build/release links to BUILD_DIR, so "the repository's top directory" and `cd lab` mean
what they say. Every ```bash/```sh block runs in order, in one shell (a `cd` or `export`
carries on, as in the reader's terminal), under `set -e`: a command that fails as written
fails the test. Only sizes change: `--scale X` becomes X/50 (or --scale 0.002 is added to
a runner without it), except for an application workload, which refuses --scale: its
`--size X` becomes X/50 (or --size 20 is added); `--repeat N` becomes 1, so the whole
handout takes seconds.
"""
import os
import shutil
import re
import subprocess
import sys
import tempfile


def blocks(text):
    return re.findall(r"^```(?:bash|sh)\n(.*?)^```", text, flags=re.S | re.M)


RUNNER = re.compile(r"(schedlab-(?:serial|omp|mpi))\b")


def shrink(line):
    if re.search(r"--scale\s", line):
        line = re.sub(r"--scale\s+([0-9.eE+-]+)",
                      lambda m: "--scale {:g}".format(float(m.group(1)) / 50), line)
    elif re.search(r"--workload\s+(mandelbrot|spmv|triad)\b", line):
        # An application refuses --scale: its cost is its computation's, sized by --size
        # (mandelbrot's iteration cap, 1000 by default; spmv's nonzeros a row; triad's doubles a
        # block). X becomes X/50 and a runner without one gets --size 20 (mandelbrot: 1000/50).
        if re.search(r"--size\s", line):
            line = re.sub(r"--size\s+(\d+)",
                          lambda m: "--size {}".format(max(1, int(m.group(1)) // 50)), line)
        else:
            line = RUNNER.sub(r"\1 --size 20", line)
    elif RUNNER.search(line) or "scaling.sh" in line:
        # No --scale: add one after each runner (and to the sweep), keeping the rest as written.
        line = RUNNER.sub(r"\1 --scale 0.002", line)
        if "scaling.sh" in line:
            line = re.sub(r"(scaling\.sh)", r"\1 --scale 0.002", line)
    return re.sub(r"--repeat\s+\d+", "--repeat 1", line)


def main():
    doc, source, build = sys.argv[1:4]
    skips = []
    keep = None
    args = sys.argv[4:]
    while args:
        if args[0] == "--keep" and len(args) >= 2:
            keep = args[1]
            args = args[2:]
            continue
        if args[0] != "--skip" or len(args) < 2:
            sys.exit(f"run_doc_commands.py: unexpected argument {args[0]!r}")
        pattern, reason = args[1].split("=", 1)
        skips.append((re.compile(pattern), reason))
        args = args[2:]
    text = open(doc, encoding="utf-8").read()
    script = ["set -euo pipefail", "set -x"]
    found = 0
    for block in blocks(text):
        for line in block.splitlines():
            skip = next((r for p, r in skips if p.search(line)), None)
            if skip:
                print(f"SKIP: {line.strip()}\n      ({skip})")
                continue
            script.append(shrink(line))
            found += 1
    if found == 0:
        sys.exit(f"FAIL: no fenced bash/sh commands in {doc}")
    with tempfile.TemporaryDirectory(prefix="schedlab-doc-") as scratch:
        top = scratch
        if keep:
            shutil.rmtree(keep, ignore_errors=True)
            os.makedirs(keep)
            top = os.path.abspath(keep)
        os.symlink(os.path.join(source, "jobs"), os.path.join(top, "jobs"))
        os.makedirs(os.path.join(top, "build"))
        os.symlink(os.path.abspath(build), os.path.join(top, "build", "release"))
        env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                   SCHEDLAB_BUILD=os.path.join(top, "build", "release"))
        result = subprocess.run(["bash", "-c", "\n".join(script)], cwd=top, env=env)
        if result.returncode != 0:
            sys.exit(f"FAIL: a command of {doc} failed as written (exit {result.returncode}); "
                     "the last '+' line above is the one")
    print(f"ok: {found} command lines of {os.path.basename(doc)} ran as written")


if __name__ == "__main__":
    main()
