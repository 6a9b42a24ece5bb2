#!/usr/bin/env python3
"""Grades lab folders (docs/lab.md): files, verification, each lesson, and the records' integrity.

  jobs/grade.sh [--student NAME] [--json FILE] [--summary FILE] DIR [DIR ...]
  jobs/schedlab_grade.py --lesson 6 DIR      (one lesson's check, for jobs/lab-check.sh)

Status per exercise: ok; lesson not shown; all noisy (rerun on a quiet machine); incomplete
(a file missing or a run that did not PASS); unreadable (a file too large, not a plain file
inside the folder, or malformed); tampered (a CSV row disagrees with its own times or with
the JSON record of the same run). Across folders, records that are copies of another
folder's (same timestamps, host and times, or byte-identical files) mark both folders copied.
The thresholds come from jobs/lab-thresholds.json, the numbers docs/lab-answers.md quotes.
The folders are untrusted: nothing in them is executed, every file read is bounded in size,
and a bad file is named in the grade, never a traceback.
Exit 0: every folder has every exercise ok and no flag; 1: otherwise; 2: bad usage.
"""
import csv
import datetime
import functools
import hashlib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import schedlab_records as records  # noqa: E402  (the scripts' one reader of records)

REPO = os.path.dirname(HERE)
THRESHOLDS_FILE = os.path.join(HERE, "lab-thresholds.json")
ME = "grade.sh"


def load_thresholds(path=THRESHOLDS_FILE):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


TH = load_thresholds()


# A hand-in file that exists but cannot be trusted as a record (size, type, syntax): the
# reader's own error, one line naming the file and line.
Unreadable = records.RecordError


class Incomplete(Exception):
    """A file missing, a row missing, or a run that did not PASS."""


class UsageError(Exception):
    pass


# --- reading one folder, bounded -------------------------------------------------------------

class Folder:
    """A student's folder: reads each hand-in file once, at most max_file_mib, never a link
    that leaves the folder, and remembers why a file could not be read."""

    def __init__(self, path, max_bytes=None):
        self.path = path
        self.real = os.path.realpath(path)
        self.max_bytes = max_bytes or TH["audit"]["max_file_mib"] * 1024 * 1024
        self._text = {}
        self._csv = {}
        self._json = {}

    def exists(self, name):
        return os.path.lexists(os.path.join(self.path, name))

    def text(self, name):
        if name not in self._text:
            self._text[name] = self._read(name)
        return self._text[name]

    def _read(self, name):
        full = os.path.join(self.path, name)
        if not os.path.lexists(full):
            raise Incomplete(f"missing {name}")
        real = os.path.realpath(full)
        if os.path.commonpath([real, self.real]) != self.real:
            raise Unreadable(f"{name}: a link out of the folder")
        return records.read_text(real, self.max_bytes, name)

    def sha256(self, name):
        return hashlib.sha256(self.text(name).encode("utf-8")).hexdigest()

    def csv(self, name):
        """Rows as dicts with '_line' (the file's line number); a repeated header is skipped."""
        if name not in self._csv:
            self._csv[name] = records.parse_csv(self.text(name), name)
        return self._csv[name]

    def json(self, name):
        if name not in self._json:
            self._json[name] = records.parse_json(self.text(name), name)
        return self._json[name]


number = records.number  # a CSV cell as a finite float, or Unreadable naming file, line, column


# --- integrity: a CSV row against its own times and against its JSON record ---------------------

def close(a, b, tol=None):
    # Relative, plus the CSV's last printed digit (ratios are written with 6 decimals).
    tol = TH["audit"]["relative_tolerance"] if tol is None else tol
    return abs(a - b) <= tol * max(abs(a), abs(b)) + 2e-6


def derived_columns(row, name):
    """(column, value recomputed from the row's times) for every derived column the row has."""
    tp, t1, p = number(row, "time_min_s", name), number(row, "t1_s", name), number(row, "workers", name)
    if tp <= 0 or p < 1:
        raise Unreadable(f"{name} line {row['_line']}: time_min_s {tp} or workers {p} out of range")
    s = t1 / tp
    out = [("speedup", s), ("efficiency", s / p)]
    if row.get("lower_bound_s", "") != "":
        out.append(("tp_over_lower_bound", tp / number(row, "lower_bound_s", name)))
    if p > 1 and row.get("karp_flatt", "") != "":
        out.append(("karp_flatt", (1 / s - 1 / p) / (1 - 1 / p)))
    return out


def audit_csv(folder, name):
    """Findings (file, line, column, found, expected) where a row disagrees with itself."""
    findings = []
    runs = []
    for row in folder.csv(name):
        for column, expected in derived_columns(row, name):
            found = number(row, column, name)
            if not close(found, expected):
                findings.append(finding(name, row["_line"], column, row[column], expected,
                                        "recomputed from the row's times"))
        if row.get("time_median_s", "") != "" and number(row, "time_median_s", name) < number(row, "time_min_s", name) * (1 - 1e-9):
            findings.append(finding(name, row["_line"], "time_min_s", row["time_min_s"], None,
                                    f"above the row's time_median_s {row['time_median_s']}"))
        # A run appends its rows together, the serial baseline first: each serial row opens
        # a run, and the rows after it of the same invocation (timestamp, host, list) join it.
        if row["strategy"] == "serial":
            runs.append([row])
        elif runs and run_key(runs[-1][0]) == run_key(row):
            runs[-1].append(row)
    # Every row of one run shares the serial baseline's time as its T1.
    for serial, *rows in runs:
        t1 = number(serial, "time_min_s", name)
        for r in rows:
            if not close(number(r, "t1_s", name), t1):
                findings.append(finding(name, r["_line"], "t1_s", r["t1_s"], t1,
                                        f"the serial row's time_min_s (line {serial['_line']})"))
    return findings


def run_key(row):
    # Not ranks or threads: an MPI run's serial row has one of each.
    return (row.get("timestamp"), row.get("host"), row.get("runner"), row.get("workload"),
            row.get("tasks"), row.get("scale"), row.get("seed"))


def finding(name, line, column, found, expected, why):
    exp = f"{expected:.6g}" if isinstance(expected, float) else expected
    return {"file": name, "line": line, "column": column, "found": found,
            "expected": exp, "why": why}


def describe(f):
    want = f" (expected {f['expected']}: {f['why']})" if f["expected"] is not None else f" ({f['why']})"
    return f"{f['file']} line {f['line']} column {f['column']}: {f['found']}{want}"


# CSV column -> how to read the same fact from a JSON strategy entry.
JSON_OF_CSV = {
    "time_min_s": lambda s: s.get("time_min"),
    "time_median_s": lambda s: s.get("time_median"),
    "t1_s": lambda s: s.get("metrics", {}).get("t1"),
    "speedup": lambda s: s.get("metrics", {}).get("speedup"),
    "efficiency": lambda s: s.get("metrics", {}).get("efficiency"),
    "load_balance": lambda s: s.get("metrics", {}).get("load_balance"),
    "lower_bound_s": lambda s: s.get("metrics", {}).get("lower_bound"),
    "tp_over_lower_bound": lambda s: s.get("metrics", {}).get("tp_over_lower_bound"),
    "verification": lambda s: s.get("verification"),
    "checksum": lambda s: s.get("checksum"),
    "chunks": lambda s: s.get("chunks"),
    "noisy": lambda s: {True: "1", False: "0"}.get(s.get("noisy")),
}


def audit_json(folder, name):
    """Findings where a JSON record disagrees with itself (times against time_min, metrics)."""
    findings = []
    for i, s in enumerate(folder.json(name)["strategies"]):
        where = f"strategies[{i}] ({s.get('strategy')})"
        try:
            times = [float(t) for t in s["times"]]
            tmin, m = float(s["time_min"]), s["metrics"]
            if times and not close(min(times), tmin):
                findings.append(finding(name, where, "time_min", s["time_min"], min(times), "the least of its times"))
            if times and s.get("time_median") is not None and not close(statistics.median(times), float(s["time_median"])):
                findings.append(finding(name, where, "time_median", s["time_median"], statistics.median(times),
                                        "the median of its times"))
            if not close(float(m["tp"]), tmin):
                findings.append(finding(name, where, "metrics.tp", m["tp"], tmin, "its time_min"))
            sp = float(m["t1"]) / tmin
            if not close(float(m["speedup"]), sp):
                findings.append(finding(name, where, "metrics.speedup", m["speedup"], sp, "t1 / time_min"))
            if not close(float(m["efficiency"]), sp / float(s["workers"])):
                findings.append(finding(name, where, "metrics.efficiency", m["efficiency"],
                                        sp / float(s["workers"]), "speedup / workers"))
            if m.get("lower_bound") and m.get("tp_over_lower_bound") is not None:
                if not close(float(m["tp_over_lower_bound"]), tmin / float(m["lower_bound"])):
                    findings.append(finding(name, where, "metrics.tp_over_lower_bound", m["tp_over_lower_bound"],
                                            tmin / float(m["lower_bound"]), "time_min / lower_bound"))
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as e:
            raise Unreadable(f"{name}: {where} lacks or garbles a field ({e})") from None
    return findings


def audit_pair(folder, csv_name, json_name):
    """The JSON record's run must be in the CSV (same timestamp, host, runner), row for row."""
    record, rows = folder.json(json_name), folder.csv(csv_name)
    same_run = [r for r in rows if r.get("timestamp") == record.get("timestamp")
                and r.get("host") == record.get("host") and r.get("runner") == record.get("runner")]
    if not same_run:
        return [finding(csv_name, "-", "timestamp", "-", record.get("timestamp"),
                        f"no row is the run of {json_name} (its timestamp, host and runner)")]
    findings = []
    for s in record["strategies"]:
        match = [r for r in same_run if r["strategy"] == s.get("strategy")
                 and str(r.get("workers")) == str(s.get("workers"))]
        if not match:
            findings.append(finding(csv_name, "-", "strategy", "-", s.get("strategy"),
                                    f"{json_name}'s strategy has no row of the same run"))
            continue
        same_time = [r for r in match if r.get("time_min_s") and close(float(r["time_min_s"]), float(s.get("time_min") or 0))]
        row = (same_time or match)[-1]
        for column, read in JSON_OF_CSV.items():
            if column not in row:
                continue
            want, got = read(s), row[column]
            if want is None:
                if got not in ("", None):
                    findings.append(finding(csv_name, row["_line"], column, got, "empty", f"{json_name} has none"))
                continue
            if isinstance(want, (int, float)) and not isinstance(want, bool):
                try:
                    ok = close(float(got), float(want))
                except ValueError:
                    ok = False
            else:
                ok = str(got) == str(want)
            if not ok:
                findings.append(finding(csv_name, row["_line"], column, got,
                                        float(want) if isinstance(want, (int, float)) and not isinstance(want, bool) else want,
                                        f"{json_name}, the same run"))
    return findings


# The CSV files the lab writes, and the JSON record each one shares a run with.
CSV_FILES = ["serial.csv", "omp.csv", "chunks.csv", "hybrid.csv", "scaling/strong.csv",
             "scaling/weak.csv", "own.csv"]
JSON_FILES = ["serial.json", "omp-increasing.json", "skewed.json", "mpi.json", "hybrid.json"]
PAIRS = [("omp.csv", "omp-increasing.json"), ("hybrid.csv", "hybrid.json")]


BROKEN = (Incomplete, Unreadable, KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError,
          IndexError)


def audit(folder):
    """{file: [findings]} for every hand-in file present and readable; a file too broken to
    audit is left to the exercise that reads it, which names it unreadable."""
    out = {}
    for name in CSV_FILES:
        if folder.exists(name):
            try:
                out.setdefault(name, []).extend(audit_csv(folder, name))
            except BROKEN:
                pass  # the exercise that needs the file says so
    for name in JSON_FILES:
        if folder.exists(name):
            try:
                out.setdefault(name, []).extend(audit_json(folder, name))
            except BROKEN:
                pass
    for c, j in PAIRS:
        if folder.exists(c) and folder.exists(j):
            try:
                out.setdefault(c, []).extend(audit_pair(folder, c, j))
            except BROKEN:
                pass
    return {k: v for k, v in out.items() if v}


def fingerprints(folder):
    """What identifies this folder's runs: (timestamp, host, runner, strategy, workers, time)
    per record, and each hand-in file's hash. Two students cannot share either."""
    runs, hashes = set(), {}
    for name in CSV_FILES:
        try:
            for r in folder.csv(name):
                runs.add((r.get("timestamp"), r.get("host"), r.get("runner"), r.get("strategy"),
                          r.get("workers"), r.get("time_min_s")))
            hashes[name] = folder.sha256(name)
        except BROKEN:
            pass
    # Not student-chunks.txt: a correct technique prints the registry's line, the same for all.
    for name in JSON_FILES + ["report.html"]:
        try:
            hashes[name] = folder.sha256(name)
            if name.endswith(".json"):
                rec = folder.json(name)
                for s in rec["strategies"]:
                    runs.add((rec.get("timestamp"), rec.get("host"), rec.get("runner"), s.get("strategy"),
                              str(s.get("workers")), repr(s.get("time_min"))))
        except BROKEN:
            pass
    return runs, hashes


def find_copies(graded):
    """{folder: [why it looks copied]} over every pair of folders."""
    prints = {g.path: fingerprints(g) for g in graded}
    copies = {}
    names = list(prints)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            (ra, ha), (rb, hb) = prints[a], prints[b]
            shared = ra & rb
            same_files = sorted(n for n in ha if n in hb and ha[n] == hb[n])
            reasons = []
            if shared:
                reasons.append(f"{len(shared)} records with the same timestamp, host and time")
            if same_files:
                shown = ", ".join(same_files[:3]) + (", ..." if len(same_files) > 3 else "")
                reasons.append(f"identical {shown}" if len(same_files) <= 3
                               else f"{len(same_files)} identical files ({shown})")
            if reasons:
                copies.setdefault(a, []).append(f"{os.path.basename(os.path.normpath(b))}: " + "; ".join(reasons))
                copies.setdefault(b, []).append(f"{os.path.basename(os.path.normpath(a))}: " + "; ".join(reasons))
    return copies


# --- the lessons ---------------------------------------------------------------------------------

def json_rows(record):
    rows = []
    for s in record["strategies"]:
        m = s.get("metrics", {})
        rows.append({"strategy": s.get("strategy"), "workers": s.get("workers"),
                     "time_min_s": s.get("time_min"), "verification": s.get("verification"),
                     "speedup": m.get("speedup"), "efficiency": m.get("efficiency"),
                     "tp_over_lower_bound": m.get("tp_over_lower_bound"),
                     "workload": record.get("workload", {}).get("kind"),
                     "noisy": {True: "1", False: "0"}.get(s.get("noisy"), ""), "_line": "-"})
    return rows


# The runner's own flag (common/src/noise.cpp: E or Tp/L past 1 by more than the timer's
# tolerance, its serial T1 spread over 10%, other processes' CPU time during the run); a file
# without the flag is not judged again here.
is_noisy = records.is_noisy


def best(rows, strategy, workload=None, name="the file"):
    match = records.select(rows, strategy=strategy, workload=workload)
    if not match:
        raise Incomplete(f"no {strategy} row" + (f" on {workload}" if workload else "") + f" in {name}")
    return records.fastest(match, name)


def ex1(f):
    r = f.json("serial.json")
    t = r.get("serial_task_seconds") or []
    if not t:
        raise Incomplete("serial.json has no serial_task_seconds (run without --trace off)")
    th = TH["ex1"]
    ratio = float(r["strategies"][0]["time_min"]) / sum(t)
    return (th["t1_over_task_sum_min"] < ratio < th["t1_over_task_sum_max"],
            f"T1 / sum of task times = {ratio:.2f} (want {th['t1_over_task_sum_min']}-{th['t1_over_task_sum_max']})")


def ex2(f):
    # Tp/L divides by serial times; on a busy machine it drifts, and the load balance of
    # the same run (from its trace alone) is the fallback evidence of the same lesson.
    rows = f.csv("omp.csv")
    s, d = best(rows, "static", "increasing", "omp.csv"), best(rows, "dynamic,1", "increasing", "omp.csv")
    a, b = number(s, "tp_over_lower_bound", "omp.csv"), number(d, "tp_over_lower_bound", "omp.csv")
    la, lb = number(s, "load_balance", "omp.csv"), number(d, "load_balance", "omp.csv")
    th = TH["ex2"]
    return (a >= th["static_over_dynamic_tpl_min"] * b or la <= th["static_over_dynamic_lb_max"] * lb,
            f"increasing: Tp/L static {a:.2f}, dynamic,1 {b:.2f}; LB {la:.2f}, {lb:.2f} "
            f"(want static Tp/L >= {th['static_over_dynamic_tpl_min']} x dynamic, "
            f"or LB <= {th['static_over_dynamic_lb_max']} x)")


def ex3(f):
    # Tp against the longest task as it ran in the same trace: Tp/L without the drift of
    # a serial phase measured at another moment.
    r = f.json("skewed.json")
    s = next((x for x in r["strategies"] if x.get("strategy") == "dynamic,1"), None)
    if s is None:
        raise Incomplete("no dynamic,1 in skewed.json")
    if not s.get("trace"):
        raise Incomplete("skewed.json's dynamic,1 has no trace (run without --trace off)")
    longest = max(t["end"] - t["start"] for t in s["trace"])
    ratio, sp, p = s["metrics"]["tp"] / longest, s["metrics"]["speedup"], s["workers"]
    th = TH["ex3"]
    return (ratio < th["tp_over_longest_max"] and sp < th["speedup_over_p_max"] * p,
            f"dynamic,1 Tp / longest task {ratio:.2f}, speedup {sp:.2f} on P = {p} "
            f"(want < {th['tp_over_longest_max']}, speedup < {th['speedup_over_p_max']} P)")


def ex4(f):
    rows = [r for r in f.csv("chunks.csv") if r["workload"] == "uniform"]
    s, d1, d16 = (best(rows, x, None, "chunks.csv") for x in ("static", "dynamic,1", "dynamic,16"))
    a, b, c = (number(r, "time_min_s", "chunks.csv") for r in (s, d1, d16))
    th = TH["ex4"]["dynamic1_over_static_min"]
    ok = b >= th * a and b > c
    detail = (f"uniform: min[s] static {a:.4g}, dynamic,1 {b:.4g}, dynamic,16 {c:.4g} "
              f"(want dynamic,1 >= {th} x static and > dynamic,16)")
    if d1.get("chunks") and d16.get("chunks"):
        n = number(d1, "tasks", "chunks.csv")
        c1, c16 = number(d1, "chunks", "chunks.csv"), number(d16, "chunks", "chunks.csv")
        counts_ok = c1 == n and abs(c16 - n / 16) <= 1
        ok = ok and counts_ok
        detail += f"; chunks dynamic,1 {c1:.0f} (want N = {n:.0f}), dynamic,16 {c16:.0f} (want N/16)"
    return ok, detail


def ex5(f):
    rows = json_rows(f.json("mpi.json"))
    c, d = best(rows, "master-worker,1", None, "mpi.json"), best(rows, "master-worker-dedicated,1", None, "mpi.json")
    a, b = float(c["time_min_s"]), float(d["time_min_s"])
    th = TH["ex5"]["dedicated_over_computes_min"]
    return b > th * a, f"min[s] computes {a:.4g}, dedicated {b:.4g} (want dedicated > {th} x computes)"


def hybrid_lesson(rows, record):
    """Exercise 6 from hybrid.csv's rows and hybrid.json's record: both runs are there, the
    second oversubscribed (P > the CPUs the runner saw), run with the binding the handout
    gives, and its speedup within what its cores can give: 2C workers on C cores do at most
    C cores' work. Its min[s] against P = C's is not graded: time slicing fills the idle
    tail of P = C, and on a shared machine 2C threads take a larger share of the cores from
    other jobs, so an honest P = 2C can be faster (docs/lab-answers.md, exercise 6)."""
    par = [r for r in rows if r["strategy"] != "serial"]
    cpus = {r.get("cpus") for r in par if r.get("cpus")}
    if not cpus:
        cpus = {str(record.get("cpus"))} if record.get("cpus") else set()
    if not cpus:
        raise Incomplete("hybrid.csv has no cpus column (rerun with this schedlab)")
    cores = int(float(min(cpus)))
    inside = [r for r in par if int(r["workers"]) <= cores]
    over = [r for r in par if int(r["workers"]) > cores]
    ps = sorted({int(r["workers"]) for r in par})
    if not inside or not over:
        raise Incomplete(f"hybrid.csv needs both runs (--threads 1 and 2): worker counts {ps} on {cores} CPUs")
    binding = record.get("binding") or {}
    want = {"OMP_PROC_BIND": "close", "OMP_PLACES": "cores"}
    wrong = [f"{k}={binding.get(k, 'unset')}" for k, v in want.items() if binding.get(k) != v]
    top = max(over, key=lambda r: int(r["workers"]))
    p = int(top["workers"])
    sp = float(top["speedup"])
    limit = TH["ex6"]["oversubscribed_speedup_over_cores_max"]
    low = min(float(r["time_min_s"]) for r in inside)
    high = min(float(r["time_min_s"]) for r in over if int(r["workers"]) == p)
    detail = (f"P = {p} on {cores} CPUs: speedup {sp:.2f} (want <= {limit} x {cores} cores); "
              f"min[s] P = {max(int(r['workers']) for r in inside)} {low:.4g}, P = {p} {high:.4g}")
    if wrong:
        return False, detail + "; hybrid.json binding " + ", ".join(wrong) + " (want close, cores)"
    noisy = [r for r in over if is_noisy(r)]
    if sp > limit * cores and noisy:
        # A slowed serial phase inflates T1: the bound cannot be judged from this run. The
        # runner's own flag (common/src/noise.cpp), never a rule of this script's.
        why = noisy[0].get("noise") or "flagged noisy"
        return True, detail + f"; the runner flagged the run ({why}): speedup not judged"
    return sp <= limit * cores, detail


def ex6(f):
    return hybrid_lesson(f.csv("hybrid.csv"), f.json("hybrid.json"))


def ex7(f):
    need = TH["ex7"]["points_within_cores_min"]
    details, ok = [], True
    for name in ("scaling/strong.csv", "scaling/weak.csv"):
        rows = [r for r in f.csv(name) if r["strategy"] != "serial"]
        ps = sorted({int(number(r, "workers", name)) for r in rows} | {1})
        cores = min((int(number(r, "cpus", name)) for r in rows if r.get("cpus")), default=None)
        if cores is None:
            raise Incomplete(f"{name} has no cpus column (rerun with this schedlab)")
        within = [p for p in ps if p <= cores]
        past = [p for p in ps if p > cores]
        ok = ok and len(within) >= need and bool(past)
        details.append(f"{name.split('/')[1]} P = {ps}")
    return ok, "; ".join(details) + f" (want >= {need} points within the cores, and points past them)"


def ex8(f):
    html = f.text("report.html")
    if "<html" not in html.lower():
        raise Unreadable("report.html: not an HTML page")
    rec = f.json("omp-increasing.json")
    for name in ("omp-increasing.json", "mpi.json"):
        if not f.json(name).get("serial_task_seconds"):
            raise Incomplete(f"{name} has no serial_task_seconds: --predict cannot read it")
    return True, f"report.html ({len(html)} bytes), omp-increasing.json ({len(rec['strategies'])} strategies), mpi.json"


EX9_CHUNKS = "student-chunks.txt"


def chunk_line(text, name):
    """The sizes schedlab-omp --print-chunks printed: its first line of whole numbers."""
    for line in text.splitlines():
        if re.fullmatch(r"\s*\d+(\s+\d+)*\s*", line):
            return [int(x) for x in line.split()]
    raise Unreadable(f"{name}: no line of chunk sizes (the output of schedlab-omp --print-chunks)")


def ex9(f):
    th = TH["ex9"]
    sizes = chunk_line(f.text(EX9_CHUNKS), EX9_CHUNKS)
    if sum(sizes) != th["tasks"]:
        return False, f"{EX9_CHUNKS}: the chunks sum to {sum(sizes)}, not N = {th['tasks']}"
    ref = {k: [int(x) for x in v.split()] for k, v in th["reference_chunks"].items()}
    same = [k for k, v in ref.items() if v == sizes]
    rows = f.csv("own.csv")
    student = best(rows, "student", None, "own.csv")
    ss = best(rows, "ss", None, "own.csv")
    if not student.get("chunks") or not ss.get("chunks"):
        raise Incomplete("own.csv has no chunks column (rerun with this schedlab)")
    cs, css = number(student, "chunks", "own.csv"), number(ss, "chunks", "own.csv")
    detail = (f"student chunks {len(sizes)} ({' '.join(map(str, sizes[:8]))}{' ...' if len(sizes) > 8 else ''}) "
              + (f"= the registry's {same[0]}" if same else "match neither tss nor fac2")
              + f"; own.csv chunks student {cs:.0f}, ss {css:.0f} "
              "(want the registry's tss or fac2 line, and fewer chunks than ss)")
    return bool(same) and cs < css, detail


EXERCISES = [
    (1, "serial time", ["serial.csv", "serial.json"], ex1),
    (2, "static or dynamic", ["omp.csv", "omp-increasing.json"], ex2),
    (3, "one huge task", ["skewed.json"], ex3),
    (4, "chunk size and overhead", ["chunks.csv"], ex4),
    (5, "dedicated master", ["mpi.json"], ex5),
    (6, "hybrid and oversubscription", ["hybrid.csv", "hybrid.json"], ex6),
    (7, "scaling", ["scaling/strong.csv", "scaling/weak.csv"], ex7),
    (8, "predicted vs measured, hand-in", ["omp-increasing.json", "mpi.json", "report.html"], ex8),
    (9, "your own technique", [EX9_CHUNKS, "own.csv"], ex9),
]
HAND_IN = sorted({name for _, _, files, _ in EXERCISES for name in files})


def rows_of(f, name):
    return f.csv(name) if name.endswith(".csv") else (json_rows(f.json(name)) if name.endswith(".json") else [])


def grade_exercise(f, number_, title, files, lesson, tampered):
    entry = {"exercise": number_, "title": title, "files": files, "status": "ok", "detail": ""}
    try:
        missing = [n for n in files if not f.exists(n)]
        if missing:
            raise Incomplete("missing " + ", ".join(missing))
        rows = []
        for n in files:
            rows += rows_of(f, n)
        failed = [r for r in rows if r.get("verification") != "PASSED"]
        if failed:
            raise Incomplete(f"{len(failed)} rows did not PASS verification")
        found = [x for n in files for x in tampered.get(n, [])]
        if found:
            entry["status"] = "tampered"
            entry["detail"] = "; ".join(describe(x) for x in found[:3]) + (
                f"; and {len(found) - 3} more" if len(found) > 3 else "")
            return entry
        parallel = [r for r in rows if r["strategy"] != "serial"]
        entry["noisy_rows"] = sum(is_noisy(r) for r in parallel)
        ok, detail = lesson(f)
        entry["detail"] = detail
        if parallel and entry["noisy_rows"] == len(parallel):
            entry["status"] = "all noisy"
            entry["detail"] = ("every parallel row was flagged noisy by its runner (E > 1, Tp/L < 1, "
                               "T1 spread or other load): run again on a quiet machine; " + detail)
        elif not ok:
            entry["status"] = "lesson not shown"
    except Incomplete as e:
        entry["status"], entry["detail"] = "incomplete", str(e)
    except Unreadable as e:
        entry["status"], entry["detail"] = "unreadable", str(e)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError, IndexError) as e:
        entry["status"], entry["detail"] = "unreadable", f"{', '.join(files)}: a field is missing or garbled ({e!r})"
    return entry


@functools.lru_cache(maxsize=None)
def grader_version():
    version = "unknown"
    try:
        with open(os.path.join(REPO, "CMakeLists.txt"), encoding="utf-8") as cm:
            m = re.search(r"project\(\s*schedlab\s+VERSION\s+([0-9.]+)", cm.read())
            version = m.group(1) if m else version
    except OSError:
        pass
    try:
        described = subprocess.run(["git", "-C", REPO, "describe", "--always", "--dirty"], capture_output=True,
                                   text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        described = ""
    return f"schedlab {version}" + (f" ({described})" if described else "")


def grade_folder(path, student=None):
    f = Folder(path)
    tampered = audit(f)
    exercises = [grade_exercise(f, *e, tampered) for e in EXERCISES]
    missing = [n for n in HAND_IN if not f.exists(n)]
    return f, {
        "student": student or os.path.basename(os.path.abspath(path)),
        "folder": os.path.abspath(path),
        "grader": grader_version(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "exercises": exercises,
        "ok": sum(e["status"] == "ok" for e in exercises),
        "of": len(exercises),
        "missing": missing,
        "tampered": [x for v in tampered.values() for x in v],
        "copied": [],
    }


def verdict(g):
    if g["copied"]:
        return "copied"
    if g["tampered"]:
        return "tampered"
    if any(e["status"] in ("incomplete", "unreadable") for e in g["exercises"]):
        return "incomplete"
    return "pass" if g["ok"] == g["of"] else "lessons to redo"


def write_atomically(path, text):
    # os.replace swaps the name: a link a student left at that name is replaced, not followed.
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".grade-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError:
        os.unlink(tmp)
        raise


SUMMARY_HEADER = ["student", "folder", "ok", "of", "verdict", "missing", "tampered", "copied_from", "grader", "date"]


def parse_args(argv):
    opts = {"student": None, "json": None, "summary": None, "folders": [], "lesson": None}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--student", "--json", "--summary", "--lesson"):
            if i + 1 >= len(argv) or argv[i + 1] == "":
                raise UsageError(f"{a}: expected a value")
            opts[a[2:]] = argv[i + 1]
            i += 2
        elif a.startswith("-") and a != "-":
            raise UsageError(f"{a}: unknown option (expected --student NAME, --json FILE, --summary FILE)")
        else:
            opts["folders"].append(a)
            i += 1
    if not opts["folders"]:
        raise UsageError("expected the lab folder(s), e.g. jobs/grade.sh lab-alice lab-bob")
    for d in opts["folders"]:
        if not os.path.isdir(d):
            raise UsageError(f"'{d}': no such folder (expected the folder where the lab's commands ran)")
    if len(opts["folders"]) > 1 and (opts["student"] or opts["json"]):
        raise UsageError("--student and --json name one folder's grade; with several, each is named by its folder")
    if opts["lesson"] is not None and (opts["lesson"] != "6" or len(opts["folders"]) != 1):
        raise UsageError("--lesson: only '--lesson 6 DIR' (exercise 6, for jobs/lab-check.sh)")
    reals = [os.path.realpath(d) for d in opts["folders"]]
    if len(set(reals)) != len(reals):
        raise UsageError("a folder is named twice")
    if opts["summary"] is None and len(opts["folders"]) > 1:
        opts["summary"] = "grade-summary.csv"
    if opts["summary"]:
        target = os.path.realpath(opts["summary"])
        for d, r in zip(opts["folders"], reals):
            if os.path.commonpath([target, r]) == r:
                raise UsageError(f"--summary '{opts['summary']}' is inside the student folder '{d}'; "
                                 "write it elsewhere (e.g. --summary ../grades.csv)")
        if os.path.lexists(opts["summary"]):
            first = ""
            if os.path.isfile(target):
                with open(target, encoding="utf-8", errors="replace") as s:
                    first = s.readline().strip()
            if first != ",".join(SUMMARY_HEADER):
                raise UsageError(f"--summary '{opts['summary']}' exists and is not a grade summary; not overwriting it")
    return opts


def main(argv):
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    try:
        opts = parse_args(argv)
    except UsageError as e:
        print(f"{ME}: error: {e}", file=sys.stderr)
        return 2
    if opts["lesson"]:
        f = Folder(opts["folders"][0])
        try:
            ok, detail = ex6(f)
        except (Incomplete, Unreadable) as e:
            ok, detail = False, str(e)
        print(detail)
        return 0 if ok else 1

    graded = []
    for d in opts["folders"]:
        graded.append(grade_folder(d, opts["student"]))
    copies = find_copies([f for f, _ in graded])
    unwritten = []
    several = len(graded) > 1
    for f, g in graded:
        g["copied"] = copies.get(f.path, [])
        g["verdict"] = verdict(g)
        if several:
            print(f"== {g['student']} ({f.path})")
        for e in g["exercises"]:
            noise = f", {e['noisy_rows']} noisy rows" if e.get("noisy_rows") else ""
            print(f"exercise {e['exercise']} {e['title']:<32} {e['status']:<17} {e['detail']}{noise}")
        for c in g["copied"]:
            print(f"copied: records shared with {c}")
        out = opts["json"] or os.path.join(f.path, "grade.json")
        try:
            write_atomically(out, json.dumps(g, indent=2) + "\n")
            print(f"grade: {g['ok']} of {g['of']} exercises ok; written {out}")
        except OSError as e:
            # A read-only hand-in (a copy the instructor protected) is still graded.
            print(f"grade: {g['ok']} of {g['of']} exercises ok; {out} not written ({e.strerror})")
            unwritten.append(out)
    if several:
        print()
        print(f"{'student':<20} {'ok':>5}  {'verdict':<16} notes")
        for _, g in graded:
            notes = []
            if g["missing"]:
                notes.append("missing " + " ".join(g["missing"]))
            if g["tampered"]:
                notes.append(f"{len(g['tampered'])} tampered cells, first {describe(g['tampered'][0])}")
            if g["copied"]:
                notes.append("copied with " + "; ".join(g["copied"]))
            print(f"{g['student']:<20} {g['ok']:>2}/{g['of']:<2}  {g['verdict']:<16} {' | '.join(notes)}")
    if opts["summary"]:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(SUMMARY_HEADER)
        for _, g in graded:
            w.writerow([g["student"], g["folder"], g["ok"], g["of"], g["verdict"], " ".join(g["missing"]),
                        len(g["tampered"]), " ".join(c.split(":")[0] for c in g["copied"]), g["grader"], g["date"]])
        try:
            write_atomically(opts["summary"], buf.getvalue())
            print(f"summary: {len(graded)} folders; written {opts['summary']}")
        except OSError as e:
            print(f"summary: {opts['summary']} not written ({e.strerror})")
            unwritten.append(opts["summary"])
    if unwritten:
        print(f"{ME}: not written: {', '.join(unwritten)} (give --json FILE or --summary FILE where you can write)",
              file=sys.stderr)
    return 0 if all(g["verdict"] == "pass" for _, g in graded) and not unwritten else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
