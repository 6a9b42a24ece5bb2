#!/usr/bin/env python3
"""Unit tests of jobs/schedlab_records.py, the reader jobs/ scripts share: real records written by
schedlab-omp (with BIN_DIR), columns read by name past unknown ones, the runner's own noise
flag, and hostile files (too large, a 1 MB line, a missing column, NaN, quotes and commas,
not UTF-8, truncated), each one error line naming the file and line, exit 2 from the CLI.
Usage: records_unit_test.py [BIN_DIR]"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
READER = os.path.join(SRC, "jobs", "schedlab_records.py")
sys.path.insert(0, os.path.join(SRC, "jobs"))
import schedlab_records as r  # noqa: E402

BIN = sys.argv.pop(1) if len(sys.argv) > 1 else None
HEADER = ["schema", "runner", "strategy", "workload", "workers", "time_min_s", "tp_over_lower_bound",
          "load_balance", "chunks", "verification", "noisy", "noise", "other_load", "step_load_balance",
          "total_units", "time_mean_s"]


def cli(*args):
    """(exit code, stdout, stderr) of the reader's command line."""
    p = subprocess.run([sys.executable, READER, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout.strip(), p.stderr


class Files(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def write(self, name, data):
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(self.path(name), mode) as f:
            f.write(data)
        return self.path(name)

    def write_rows(self, name, rows, header=HEADER):
        with open(self.path(name), "w", newline="") as f:
            w = csv.DictWriter(f, header, lineterminator="\n", restval="")
            w.writeheader()
            w.writerows(rows)
        return self.path(name)

    def assertOneLineError(self, path, pattern, read=r.read_csv):
        with self.assertRaises(r.RecordError) as caught:
            read(path)
        message = str(caught.exception)
        self.assertRegex(message, pattern)
        self.assertNotIn("\n", message)
        self.assertLess(len(message), 300)


def row(strategy, tp, **kw):
    out = {"schema": 1, "runner": "schedlab-omp", "strategy": strategy, "workload": "increasing",
           "workers": 2, "time_min_s": tp, "tp_over_lower_bound": 1.5, "load_balance": 0.8,
           "chunks": 8, "verification": "PASSED", "noisy": 0, "noise": ""}
    out.update(kw)
    return out


class Reading(Files):
    def test_fastest_of_repeats_per_runner_strategy_and_workers(self):
        p = self.write_rows("a.csv", [row("serial", 0.4, workers=1), row("static", 0.3), row("static", 0.2),
                                      row("static", 0.1, workers=4), row("static", 0.05, runner="schedlab-mpi")])
        rows = r.read_csv(p)
        self.assertEqual([x["_line"] for x in rows], [2, 3, 4, 5, 6])
        self.assertEqual(r.fastest(r.select(rows, "omp", "static", 2))["time_min_s"], "0.2")
        self.assertEqual(r.fastest(r.select(rows, "omp", "static"))["time_min_s"], "0.1")
        self.assertEqual(cli("value", p, "omp", "static", "time_min_s", "2"), (0, "0.2", ""))
        self.assertEqual(cli("value", p, "mpi", "static", "workers")[1], "2")
        self.assertEqual(cli("value", p, "omp", "static", "no_such_column")[1], "absent")
        code, out, err = cli("value", p, "omp", "dynamic,1", "time_min_s")
        self.assertEqual((code, out), (1, ""))
        self.assertEqual(err.strip(), f"no omp dynamic,1 row in {p}")

    def test_unknown_columns_at_the_end_are_carried_and_columns_read_by_name(self):
        header = HEADER + ["choices", "regret_pct", "best_fixed"]
        p = self.write_rows("auto.csv", [row("auto", 0.2, choices="fac2;af", regret_pct="3.5", best_fixed="fac2")],
                            header=header)
        got = r.read_csv(p)[0]
        self.assertEqual((got["choices"], got["best_fixed"]), ("fac2;af", "fac2"))
        self.assertEqual(r.number(got, "regret_pct", p), 3.5)
        self.assertEqual(cli("value", p, "omp", "auto", "regret_pct")[1], "3.5")

    def test_a_repeated_header_from_joined_files_is_skipped(self):
        text = ",".join(HEADER) + "\n"
        p = self.write("joined.csv", text + "1,schedlab-omp,static" + "," * 13 + "\n" + text)
        self.assertEqual(len(r.read_csv(p)), 1)

    def test_quotes_and_commas_in_a_strategy(self):
        p = self.write_rows("q.csv", [row('rma,tss,4,4', 0.1), row('say "hi", twice', 0.2)])
        rows = r.read_csv(p)
        self.assertEqual([x["strategy"] for x in rows], ["rma,tss,4,4", 'say "hi", twice'])
        self.assertEqual(cli("value", p, "omp", 'say "hi", twice', "time_min_s")[1], "0.2")

    def test_empty_and_nan_cells(self):
        p = self.write_rows("n.csv", [row("static", "nan", tp_over_lower_bound="", load_balance="NaN")])
        got = r.read_csv(p)[0]
        self.assertIsNone(r.optional_number(got, "tp_over_lower_bound", p))
        self.assertIsNone(r.optional_number(got, "load_balance", p))
        self.assertIsNone(r.optional_number(got, "no_such_column", p))
        with self.assertRaisesRegex(r.RecordError, r"n.csv:2: column time_min_s is nan: expected a number"):
            r.number(got, "time_min_s", p)
        with self.assertRaisesRegex(r.RecordError, "n.csv: no column karp_flatt"):
            r.number(got, "karp_flatt", p)
        code, _, err = cli("value", p, "omp", "static", "load_balance")
        self.assertEqual(code, 2)
        self.assertRegex(err, r"^schedlab_records.py: error: .*n.csv:2: column time_min_s is nan")

    def test_steps_last_and_table(self):
        p = self.write_rows("s.csv", [row("serial", 0.4, workers=1), row("binlpt", 0.2, step_load_balance="0.9;0.5;0.7",
                                                                           total_units=64, time_mean_s=""),
                                      row("static", 0.3, noisy=1, noise="other load 1.50 CPUs > 0.10 allowed",
                                          chunks="", total_units=64, time_mean_s="0.25")])
        self.assertEqual(cli("steps", p, "omp", "binlpt", "step_load_balance")[1], "0.9 0.6")
        self.assertEqual(cli("last", p, "total_units", "workers", "time_mean_s|time_min_s")[1], "64 2 0.25")
        table = [line.split("\t") for line in cli("table", p)[1].splitlines()]
        self.assertEqual(table, [["increasing", "binlpt", "0.2000", "1.50", "8", "PASSED", ""],
                                 ["increasing", "static", "0.3000", "1.50", "-", "PASSED",
                                  "other load 1.50 CPUs > 0.10 allowed"]])


class Noise(Files):
    def test_the_runners_flag_is_read_never_judged_again(self):
        # E > 1 in the row, but the runner did not flag it: not noisy here.
        self.assertFalse(r.is_noisy({"strategy": "static", "efficiency": "1.4", "noisy": "0"}))
        self.assertFalse(r.is_noisy({"strategy": "static", "efficiency": "1.4"}))
        self.assertTrue(r.is_noisy({"noisy": "1"}))
        self.assertTrue(r.is_noisy({"noisy": True}))
        self.assertEqual(r.noise_reason({"noise": ["E 1.1 > 1", "T1 varies 12%"]}), "E 1.1 > 1; T1 varies 12%")

    def test_recorded_noise_of_a_folder(self):
        self.assertEqual(r.recorded_noise(self.dir.name), "unrecorded")
        self.write_rows("quiet.csv", [row("static", 0.1, other_load="0.25")])
        self.write("quiet.json", json.dumps({"noise_measure": {"other_load": 0.5}, "strategies": [{"noisy": False}]}))
        self.assertEqual(r.recorded_noise(self.dir.name), "other load 0.50 CPUs")
        os.mkdir(self.path("sub"))
        self.write_rows("sub/busy.csv", [row("static", 0.1, noisy=1, noise="T1 varies 12%")])
        self.assertEqual(cli("recorded-noise", self.dir.name)[1], "noisy: T1 varies 12%")


class Hostile(Files):
    def test_a_file_over_the_limit_is_refused_before_reading(self):
        p = self.path("huge.csv")
        with open(p, "wb") as f:
            f.truncate(r.MAX_FILE_BYTES + 1)  # sparse: no disk, no read
        self.assertOneLineError(p, r"huge.csv: 268435457 bytes, over the 256 MiB")

    def test_a_line_of_one_mib(self):
        p = self.write("long.csv", ",".join(HEADER) + "\n1,schedlab-omp," + "x" * (1 << 20) + "\n")
        self.assertOneLineError(p, r"long.csv:2: a line longer than the limit of 64 KiB")
        code, out, err = cli("value", p, "omp", "static", "time_min_s")
        self.assertEqual((code, out, err.count("\n")), (2, "", 1))

    def test_missing_columns_and_wrong_field_counts(self):
        self.assertOneLineError(self.write("h.csv", "runner,strategy\nomp,static\n"),
                                r"h.csv:1: no schedlab CSV header \(no column time_min_s\)")
        self.assertOneLineError(self.write("e.csv", ""), r"e.csv:1: the file is empty")
        self.assertOneLineError(self.write("f.csv", "strategy,time_min_s\nstatic,1\nstatic,1,2\n"),
                                r"f.csv:3: 3 fields, expected 2")

    def test_truncated_files(self):
        self.assertOneLineError(self.write("t.csv", "strategy,time_min_s\nstatic,0.1"),
                                r"t.csv:2: the last line has no newline: the file is truncated")
        self.assertOneLineError(self.write("u.csv", 'strategy,time_min_s\n"static,0.1\n'), r"u.csv:2: ")
        self.assertOneLineError(self.write("t.json", '{"strategies": [\n{"strategy": "static"'),
                                r"t.json:2: not JSON", read=r.read_json)
        self.assertOneLineError(self.write("l.json", '[1, 2]'), r"l.json: not a schedlab record", read=r.read_json)
        self.assertOneLineError(self.write("d.json", "[" * 100000 + "]" * 100000), r"d.json", read=r.read_json)

    def test_not_utf8(self):
        self.assertOneLineError(self.write("b.csv", b"strategy,time_min_s\n\xff\xfe,1\n"),
                                r"b.csv:2: not UTF-8 text \(byte 20\)")

    def test_not_a_file(self):
        self.assertOneLineError(self.dir.name, "not a plain file")
        self.assertOneLineError(self.path("none.csv"), "none.csv: no such file")

    def test_arithmetic_takes_numbers_only(self):
        self.assertTrue(r.evaluate("1.4 >= 1.2 * 1.1 and abs(3 - 2) <= 1"))
        self.assertFalse(r.evaluate("0.8 < 2.0 < 1.25"))
        self.assertEqual(cli("calc", "1 / 3"), (0, "0.33", ""))
        self.assertEqual(cli("calc", ".4g", "1 / 3", "2 * 3")[1], "0.3333 6")
        self.assertEqual(cli("holds", "2 > 1")[0], 0)
        self.assertEqual(cli("holds", "2 < 1")[0], 1)
        for bad in ("__import__('os').system('true')", "nan >= 1", " >= 1.2 * ", "1 / 0"):
            code, _, err = cli("holds", bad)
            self.assertEqual(code, 2, bad)
            self.assertEqual(err.count("\n"), 1, err)

    def test_usage(self):
        self.assertEqual(cli("frobnicate")[0], 2)
        self.assertEqual(cli("value", "a.csv")[0], 2)
        self.assertEqual(cli("calc", ".4g")[0], 2)


@unittest.skipUnless(BIN, "needs BIN_DIR with schedlab-omp")
class RealRecords(Files):
    """A record as schedlab-omp writes it (tiny tasks): the reader agrees with the runner."""

    def test_a_real_run(self):
        omp = os.path.join(BIN, "schedlab-omp")
        csv_path, json_path = self.path("omp.csv"), self.path("omp.json")
        subprocess.run([omp, "--threads", "2", "--workload", "increasing", "--tasks", "8", "--scale", "0.001",
                        "--schedule", "all", "--steps", "2", "--repeat", "1", "--csv", csv_path, "--json", json_path],
                       check=True, capture_output=True, timeout=120)
        rows = r.read_csv(csv_path)
        record = r.read_json(json_path)
        self.assertEqual(rows[0]["strategy"], "serial")
        self.assertEqual({x["strategy"] for x in rows}, {s["strategy"] for s in record["strategies"]})
        for x in rows:
            entry = r.strategy_entry(record, x["strategy"], json_path)
            self.assertEqual(r.is_noisy(x), entry["noisy"] is True, x["strategy"])
            self.assertEqual(x["noise"], r.noise_reason(entry) if r.is_noisy(x) else "")
            self.assertAlmostEqual(r.number(x, "time_min_s", csv_path), r.field(entry, "time_min"), places=6)
            self.assertEqual(len(r.step_values(x, "step_load_balance", csv_path)), 2)
        d1 = r.strategy_entry(record, "dynamic,1")
        self.assertGreater(r.field(d1, "longest_task"), 0)
        self.assertLessEqual(r.field(d1, "longest_task"), r.field(d1, "metrics.tp") * 1.0001)
        self.assertEqual(float(cli("value", csv_path, "omp", "dynamic,1", "load_balance")[1]),
                         float(r.fastest(r.select(rows, "omp", "dynamic,1"))["load_balance"]))
        noise = r.recorded_noise(self.dir.name)
        flagged = [r.noise_reason(x) for x in rows if r.is_noisy(x)]
        self.assertEqual(noise, "noisy: " + flagged[0] if flagged else
                         f"other load {float(record['noise_measure']['other_load']):.2f} CPUs")


if __name__ == "__main__":
    unittest.main(verbosity=1)
