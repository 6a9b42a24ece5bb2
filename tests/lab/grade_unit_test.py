#!/usr/bin/env python3
"""Unit tests of jobs/schedlab_grade.py on small made-up folders: the integrity checks
(tampered cells, copies), the bounds on untrusted files, exercise 6's lesson, bad usage,
and that docs/lab-answers.md quotes exactly the numbers of jobs/lab-thresholds.json.
Usage: grade_unit_test.py [BIN_DIR]   (with BIN_DIR: the registry's chunk lines are checked
against schedlab-omp --print-chunks)."""
import contextlib
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRC, "jobs"))
import schedlab_grade as g  # noqa: E402

BIN = None
HEADER = ["schema", "timestamp", "host", "runner", "strategy", "workload", "tasks", "scale", "seed",
          "ranks", "threads", "workers", "time_min_s", "time_median_s", "t1_s", "speedup", "efficiency",
          "load_balance", "lower_bound_s", "tp_over_lower_bound", "karp_flatt", "checksum",
          "verification", "chunks", "load_average", "cpus", "noisy", "noise"]


def row(strategy, workers, tp, t1, lower=None, ts="2026-12-06T10:00:00Z", host="pc", load=0.5, cpus=2,
        runner="schedlab-omp", workload="increasing", noisy=0):
    lower = lower if lower is not None else t1 / workers
    s = t1 / tp
    kf = "" if workers == 1 else f"{(1 / s - 1 / workers) / (1 - 1 / workers):.6f}"
    return {"schema": 1, "timestamp": ts, "host": host, "runner": runner, "strategy": strategy,
            "workload": workload, "tasks": 16, "scale": 0.2, "seed": 0, "ranks": 1, "threads": workers,
            "workers": workers, "time_min_s": f"{tp:.9f}", "time_median_s": f"{tp:.9f}",
            "t1_s": f"{t1:.9f}", "speedup": f"{s:.6f}", "efficiency": f"{s / workers:.6f}",
            "load_balance": "0.9", "lower_bound_s": f"{lower:.9f}", "tp_over_lower_bound": f"{tp / lower:.6f}",
            "karp_flatt": kf, "checksum": "abc", "verification": "PASSED", "chunks": "",
            "load_average": load, "cpus": cpus, "noisy": noisy, "noise": "other load 1.50 CPUs > 0.10 allowed" if noisy else ""}


def run(t1, *parallel, **kw):
    """One invocation's rows: the serial baseline, then (strategy, workers, tp) each."""
    return [row("serial", 1, t1, t1, lower=t1, **kw)] + [row(s, p, tp, t1, **kw) for s, p, tp in parallel]


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write_csv(folder, name, rows):
    with open(os.path.join(folder, name), "w", newline="") as f:
        w = csv.DictWriter(f, HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def record(rows, binding=None):
    """The JSON record of one run, from its CSV rows (as the runner writes both)."""
    first = rows[0]
    out = {"schema": 1, "runner": first["runner"], "timestamp": first["timestamp"], "host": first["host"],
           "cpus": first["cpus"], "load_average": first["load_average"],
           "binding": binding or {"OMP_PROC_BIND": "close", "OMP_PLACES": "cores"},
           "workload": {"kind": first["workload"]}, "serial_task_seconds": [0.01], "strategies": []}
    for r in rows:
        tp, t1, lower = float(r["time_min_s"]), float(r["t1_s"]), float(r["lower_bound_s"])
        out["strategies"].append({
            "strategy": r["strategy"], "workers": r["workers"], "times": [tp, tp * 1.1], "time_min": tp,
            "time_median": tp * 1.05, "verification": "PASSED", "checksum": "abc", "chunks": None, "noisy": False,
            "metrics": {"t1": t1, "tp": tp, "speedup": t1 / tp, "efficiency": t1 / tp / r["workers"],
                        "load_balance": 0.9, "lower_bound": lower, "tp_over_lower_bound": tp / lower}})
        r["time_median_s"] = f"{tp * 1.05:.9f}"
    return out


class Scratch(unittest.TestCase):
    def setUp(self):
        self._dir = tempfile.TemporaryDirectory()
        self.dir = self._dir.name

    def tearDown(self):
        self._dir.cleanup()

    def folder(self, name):
        path = os.path.join(self.dir, name)
        os.makedirs(path, exist_ok=True)
        return path


class CsvAudit(Scratch):
    def test_an_honest_run_has_no_findings(self):
        d = self.folder("a")
        write_csv(d, "omp.csv", run(0.3, ("static", 2, 0.2), ("dynamic,1", 2, 0.16)))
        self.assertEqual(g.audit(g.Folder(d)), {})

    def test_an_edited_speedup_names_file_line_and_column(self):
        d = self.folder("a")
        rows = run(0.3, ("static", 2, 0.2), ("dynamic,1", 2, 0.16))
        rows[2]["speedup"] = "50"
        write_csv(d, "omp.csv", rows)
        found = g.audit(g.Folder(d))["omp.csv"]
        self.assertEqual([(f["line"], f["column"], f["found"]) for f in found], [(4, "speedup", "50")])

    def test_a_raised_time_breaks_the_derived_columns(self):
        d = self.folder("a")
        rows = run(0.3, ("static", 2, 0.2))
        rows[1]["time_min_s"] = "0.400000000"
        write_csv(d, "omp.csv", rows)
        columns = {f["column"] for f in g.audit(g.Folder(d))["omp.csv"]}
        self.assertTrue({"speedup", "efficiency", "tp_over_lower_bound"} <= columns, columns)

    def test_a_row_with_another_t1_than_its_serial_row(self):
        d = self.folder("a")
        rows = run(0.3, ("static", 2, 0.2))
        rows[1] = row("static", 2, 0.2, 0.5)  # consistent in itself, but T1 is not its run's
        write_csv(d, "omp.csv", rows)
        found = g.audit(g.Folder(d))["omp.csv"]
        self.assertEqual([(f["line"], f["column"]) for f in found], [(3, "t1_s")])

    def test_two_runs_in_one_second_are_told_apart(self):
        d = self.folder("a")
        write_csv(d, "own.csv", run(0.3, ("ss", 2, 0.2)) + run(0.31, ("gss", 2, 0.2)))
        self.assertEqual(g.audit(g.Folder(d)), {})


class JsonPair(Scratch):
    def test_a_time_edited_in_the_csv_only(self):
        d = self.folder("a")
        rows = run(0.3, ("master-worker,1", 2, 0.16), runner="schedlab-mpi")
        rec = record(rows)
        # Edited with every derived column recomputed: only the JSON still knows.
        rows[1] = row("master-worker,1", 2, 0.3, 0.3, lower=0.15, runner="schedlab-mpi")
        rows[1]["time_median_s"] = "0.315000000"
        write_csv(d, "hybrid.csv", rows)
        with open(os.path.join(d, "hybrid.json"), "w") as f:
            json.dump(rec, f)
        found = g.audit(g.Folder(d))["hybrid.csv"]
        self.assertIn(("time_min_s", "hybrid.json, the same run"), [(f["column"], f["why"]) for f in found])

    def test_a_record_whose_run_is_not_in_the_csv(self):
        d = self.folder("a")
        rows = run(0.3, ("master-worker,1", 2, 0.16))
        rec = record(rows)
        rec["timestamp"] = "2026-12-06T11:00:00Z"
        write_csv(d, "hybrid.csv", rows)
        with open(os.path.join(d, "hybrid.json"), "w") as f:
            json.dump(rec, f)
        [f] = g.audit(g.Folder(d))["hybrid.csv"]
        self.assertEqual(f["column"], "timestamp")

    def test_a_json_time_min_that_is_not_its_least_time(self):
        d = self.folder("a")
        rec = record(run(0.3, ("static", 2, 0.2)))
        rec["strategies"][1]["time_min"] = 0.1
        with open(os.path.join(d, "skewed.json"), "w") as f:
            json.dump(rec, f)
        columns = [f["column"] for f in g.audit(g.Folder(d))["skewed.json"]]
        self.assertIn("time_min", columns)


class Copies(Scratch):
    def test_the_same_records_in_two_folders(self):
        a, b, c = self.folder("alice"), self.folder("bob"), self.folder("carol")
        write_csv(a, "omp.csv", run(0.3, ("static", 2, 0.2)))
        write_csv(b, "omp.csv", run(0.3, ("static", 2, 0.2)) + run(0.5, ("static", 2, 0.3), ts="2026-12-06T10:00:09Z"))
        write_csv(c, "omp.csv", run(0.3, ("static", 2, 0.2), host="carol-pc"))
        copies = g.find_copies([g.Folder(x) for x in (a, b, c)])
        self.assertEqual(sorted(copies), [a, b])
        self.assertTrue(copies[a][0].startswith("bob: 2 records"), copies)

    def test_identical_files_are_named(self):
        a, b = self.folder("alice"), self.folder("bob")
        for d in (a, b):
            with open(os.path.join(d, "report.html"), "w") as f:
                f.write("<html>the same page</html>")
        copies = g.find_copies([g.Folder(a), g.Folder(b)])
        self.assertIn("identical report.html", copies[a][0])


class UntrustedFiles(Scratch):
    def test_a_file_over_the_bound_is_unreadable(self):
        d = self.folder("a")
        with open(os.path.join(d, "serial.json"), "w") as f:
            f.write(" " * 2048)
        with self.assertRaisesRegex(g.Unreadable, "serial.json: 2048 bytes"):
            g.Folder(d, max_bytes=1024).json("serial.json")

    def test_a_link_out_of_the_folder_is_unreadable(self):
        d = self.folder("a")
        os.symlink("/etc/passwd", os.path.join(d, "omp.csv"))
        with self.assertRaisesRegex(g.Unreadable, "omp.csv: a link out of the folder"):
            g.Folder(d).csv("omp.csv")

    def test_malformed_files_grade_as_unreadable_not_a_traceback(self):
        d = self.folder("a")
        with open(os.path.join(d, "serial.json"), "w") as f:
            f.write("{not json")
        with open(os.path.join(d, "serial.csv"), "wb") as f:
            f.write(b"\xff\xfe binary")
        with open(os.path.join(d, "skewed.json"), "w") as f:
            json.dump({"strategies": [{"strategy": "dynamic,1", "metrics": "?"}]}, f)
        with open(os.path.join(d, "chunks.csv"), "w") as f:
            f.write("time_min_s,strategy\n1,2,3\n")
        _, grade = g.grade_folder(d)
        status = {e["exercise"]: (e["status"], e["detail"]) for e in grade["exercises"]}
        self.assertEqual(status[1][0], "unreadable")
        self.assertEqual(status[3][0], "unreadable")
        self.assertRegex(status[4][1], "chunks.csv:2: 3 fields, expected 2")
        self.assertEqual(status[2][0], "incomplete")
        self.assertIn("omp.csv", grade["missing"])

    def test_grade_json_replaces_a_link_instead_of_following_it(self):
        d = self.folder("a")
        victim = os.path.join(self.dir, "victim.txt")
        with open(victim, "w") as f:
            f.write("keep")
        os.symlink(victim, os.path.join(d, "grade.json"))
        with contextlib.redirect_stdout(io.StringIO()):
            g.main([d])
        self.assertEqual(read(victim), "keep")
        self.assertFalse(os.path.islink(os.path.join(d, "grade.json")))


class ReadOnlyFolder(Scratch):
    @unittest.skipIf(os.geteuid() == 0, "root writes into read-only folders")
    def test_a_read_only_folder_is_graded_and_the_unwritten_grade_named(self):
        d = self.folder("a")
        os.chmod(d, 0o555)
        err = io.StringIO()
        try:
            with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(err):
                code = g.main([d])
        finally:
            os.chmod(d, 0o755)
        self.assertEqual(code, 1)
        self.assertIn("not written", out.getvalue())
        self.assertIn("grade.json", err.getvalue())


    def test_a_grade_that_cannot_be_written_is_named_not_a_traceback(self):
        d = self.folder("a")
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(err):
            code = g.main(["--json", os.path.join(self.dir, "no", "such", "grade.json"), d])
        self.assertEqual(code, 1)
        self.assertIn("not written", out.getvalue())
        self.assertEqual(err.getvalue().count("\n"), 1, err.getvalue())


class Exercise6(unittest.TestCase):
    def rows(self, p2, p4, t1=0.3, load=0.5, noisy=0):
        return (run(t1, ("master-worker,1", 2, p2), load=load, noisy=noisy) +
                run(t1, ("master-worker,2", 4, p4), load=load, noisy=noisy))

    def test_the_honest_two_core_runs_of_issue_23_pass(self):
        # P = 2 0.240 s, oversubscribed P = 4 0.144 s: faster, yet within 2 cores' work.
        ok, detail = g.hybrid_lesson(self.rows(0.240, 0.144), {"binding": {"OMP_PROC_BIND": "close", "OMP_PLACES": "cores"}})
        self.assertTrue(ok, detail)

    def test_more_than_the_cores_can_give_is_not_shown(self):
        ok, detail = g.hybrid_lesson(self.rows(0.240, 0.05), {"binding": {"OMP_PROC_BIND": "close", "OMP_PLACES": "cores"}})
        self.assertFalse(ok, detail)

    def test_a_run_the_runner_flagged_noisy_is_not_judged(self):
        ok, detail = g.hybrid_lesson(self.rows(0.240, 0.05, noisy=1), {"binding": {"OMP_PROC_BIND": "close", "OMP_PLACES": "cores"}})
        self.assertTrue(ok)
        self.assertIn("other load 1.50 CPUs > 0.10 allowed", detail)
        self.assertIn("not judged", detail)

    def test_a_high_load_average_alone_excuses_nothing(self):
        # The 1-minute average lags (a build just before the run): the runner's flag decides.
        ok, detail = g.hybrid_lesson(self.rows(0.240, 0.05, load=7.5), {"binding": {"OMP_PROC_BIND": "close", "OMP_PLACES": "cores"}})
        self.assertFalse(ok, detail)

    def test_the_wrong_binding_is_not_shown(self):
        ok, detail = g.hybrid_lesson(self.rows(0.240, 0.2), {"binding": {"OMP_PROC_BIND": "spread"}})
        self.assertFalse(ok)
        self.assertIn("OMP_PROC_BIND=spread", detail)

    def test_one_run_only_is_incomplete(self):
        with self.assertRaisesRegex(g.Incomplete, "needs both runs"):
            g.hybrid_lesson(run(0.3, ("master-worker,1", 2, 0.2)), {})


class Usage(Scratch):
    def usage(self, args):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = g.main(args)
        return code, err.getvalue()

    def test_bad_usage_is_one_line_and_exit_2(self):
        a, b = self.folder("a"), self.folder("b")
        for args in ([], ["--bogus", a], [a, b, "--student", "x"], [os.path.join(self.dir, "nope")],
                     ["--summary", os.path.join(a, "s.csv"), a, b], [a, a], ["--json"]):
            code, err = self.usage(args)
            self.assertEqual((code, err.count("\n")), (2, 1), (args, err))
            self.assertTrue(err.startswith("grade.sh: error: "), err)

    def test_the_summary_never_overwrites_another_file(self):
        a, b = self.folder("a"), self.folder("b")
        notes = os.path.join(self.dir, "notes.csv")
        with open(notes, "w") as f:
            f.write("student,mark\n")
        self.assertEqual(self.usage(["--summary", notes, a, b])[0], 2)
        self.assertEqual(read(notes), "student,mark\n")

    def test_several_folders_write_a_summary_in_the_current_directory(self):
        a, b = self.folder("a"), self.folder("b")
        here = os.getcwd()
        try:
            os.chdir(self.dir)
            with contextlib.redirect_stdout(io.StringIO()) as out:
                code = g.main(["a", "b"])
            rows = list(csv.DictReader(io.StringIO(read("grade-summary.csv"))))
        finally:
            os.chdir(here)
        self.assertEqual(code, 1)
        self.assertEqual([r["student"] for r in rows], ["a", "b"])
        self.assertEqual(rows[0]["verdict"], "incomplete")
        self.assertIn(" 0/9 ", out.getvalue())
        grade = json.loads(read(os.path.join(a, "grade.json")))
        self.assertEqual(len(grade["missing"]), len(g.HAND_IN))


class Exercise9(unittest.TestCase):
    def test_print_chunks_line(self):
        self.assertEqual(g.chunk_line("13 13 9\n", "x"), [13, 13, 9])
        with self.assertRaises(g.Unreadable):
            g.chunk_line("error: no such schedule\n", "x")

    @unittest.skipUnless(os.environ.get("SCHEDLAB_BIN") or len(sys.argv) > 1, "no BIN_DIR given")
    def test_the_reference_lines_are_what_schedlab_omp_prints(self):
        th = g.TH["ex9"]
        for name, line in th["reference_chunks"].items():
            out = subprocess.run([os.path.join(BIN, "schedlab-omp"), "--schedule", name, "--threads",
                                  str(th["threads"]), "--tasks", str(th["tasks"]), "--print-chunks"],
                                 capture_output=True, text=True, check=True).stdout
            self.assertEqual(out.split(), line.split(), name)


class KeyQuotesTheThresholds(unittest.TestCase):
    """docs/lab-answers.md's 'Check:' paragraph of each exercise quotes every threshold of
    that exercise, and no decimal number that is not one."""

    def checks(self):
        text = read(os.path.join(SRC, "docs", "lab-answers.md"))
        out = {}
        for m in re.finditer(r"^## (\d)\. .*?(?=^## |\Z)", text, re.S | re.M):
            check = re.search(r"Check:(.*?)(?=Rubric\.|\n\n|\Z)", m.group(0), re.S)
            self.assertIsNotNone(check, f"exercise {m.group(1)} has no Check:")
            out[int(m.group(1))] = check.group(1)
        return out

    def test_every_threshold_is_quoted_and_no_other(self):
        checks = self.checks()
        self.assertEqual(sorted(checks), list(range(1, 10)))
        for n, text in checks.items():
            th = g.TH.get(f"ex{n}", {})
            values = [v for v in th.values() if isinstance(v, (int, float))]
            numbers = [float(x) for x in re.findall(r"(?<![\w.])\d+(?:\.\d+)?", text)]
            for v in values:
                self.assertIn(float(v), numbers, f"exercise {n}: {v} not quoted in: {text}")
            decimals = [float(x) for x in re.findall(r"(?<![\w.])\d+\.\d+", text)]
            for x in decimals:
                self.assertIn(x, [float(v) for v in values], f"exercise {n}: {x} is not in lab-thresholds.json")
        for line in g.TH["ex9"]["reference_chunks"].values():
            self.assertIn(f"`{line}`", checks[9])


if __name__ == "__main__":
    if len(sys.argv) > 1:
        BIN = sys.argv.pop(1)
    BIN = BIN or os.environ.get("SCHEDLAB_BIN")
    if BIN:
        os.environ["SCHEDLAB_BIN"] = BIN
    unittest.main()
