#!/usr/bin/env python3
"""bench/auto_regret_summary.py on hand-made rounds whose verdicts are known: the sign test
over the rounds (met, MISSED, UNRESOLVED), the median round under 6 rounds, the fixed row
named when "< median" is not met, INCONCLUSIVE rounds, and its bad arguments."""
import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "auto_regret_summary.py")
spec = importlib.util.spec_from_file_location("auto_regret_summary", SCRIPT)
summary = importlib.util.module_from_spec(spec)
spec.loader.exec_module(summary)


def write_rounds(top, case, ratios, regret=2.0, decision=0.5, noise="quiet", fixed=None,
                 steps=None):
    """One rounds.tsv line per ratio (auto / median fixed, median fixed 1.0 s), and each
    round's run.csv with the fixed rows `fixed` ({name: [time per round]}); `steps`: per round
    (auto's steps faster than the median row's, steps paired), else the 12 columns alone."""
    with open(os.path.join(top, "rounds.tsv"), "a", encoding="utf-8") as f:
        for i, ratio in enumerate(ratios, 1):
            extra = [str(n) for n in steps[i - 1]] if steps else []
            f.write("\t".join([case, str(i), f"{ratio}", "fac2", "0.9", f"{regret}", "ss", "1.0",
                               f"{ratio}", f"{decision}", "PASSED", noise] + extra) + "\n")
            folder = os.path.join(top, f"r{i}", case)
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "run.csv"), "w", encoding="utf-8") as csv:
                csv.write("strategy,time_min_s\nserial,2.0\nauto:simulate,{}\n".format(ratio))
                for name, times in (fixed or {}).items():
                    csv.write(f"{name},{times[i - 1]}\n")


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


def verdict(top):
    with open(os.path.join(top, "rounds.tsv.verdict"), encoding="utf-8") as f:
        return f.read().split()


class SignTest(unittest.TestCase):
    def test_the_count_chance_gives_in_at_most_2_5_percent(self):
        self.assertEqual(summary.enough(6), 6)
        self.assertEqual(summary.enough(7), 7)
        self.assertEqual(summary.enough(9), 8)
        self.assertEqual(summary.enough(12), 10)
        self.assertEqual(summary.enough(5), 6)  # none: 5 of 5 is 1 in 32
        self.assertEqual(summary.enough(1), 2)

    def test_the_median_interval_is_the_order_statistics_of_the_test(self):
        xs = [0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 1.00, 1.01, 1.02]
        self.assertEqual(summary.median_interval(xs), (0.965, 0.93, 1.00))
        self.assertEqual(summary.median_interval([3, 1, 2, 6, 5, 4]), (3.5, 1, 6))
        self.assertEqual(summary.median_interval([1, 2, 3]), (2, None, None))


class Verdicts(unittest.TestCase):
    def test_every_round_below_the_median_meets_it(self):
        with tempfile.TemporaryDirectory() as top:
            write_rounds(top, "spmv", [0.95, 0.96, 0.97, 0.98, 0.99, 0.94])
            r = run(top, "spmv")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("regret ok < median ok decision ok: met", r.stdout)
            self.assertIn("0.965 (0.940..0.990)", r.stdout)
            self.assertEqual(verdict(top), ["0", "0", "0", "1", "0"])

    def test_five_of_six_is_unresolved_and_names_the_best_fixed_row(self):
        with tempfile.TemporaryDirectory() as top:
            write_rounds(top, "triad", [0.95, 0.96, 0.97, 0.98, 0.99, 1.02],
                         fixed={"ss": [1.0] * 6, "fac2": [0.97, 0.98, 0.99, 0.96, 0.95, 0.98]})
            r = run(top, "triad")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("< median UNRESOLVED", r.stdout)
            self.assertIn("5 of 6 rounds met it (6 needed)", r.stdout)
            self.assertIn("the fixed row with the lowest median over these rounds, fac2, is at "
                          "0.975 (0.950..0.990) of the median fixed", r.stdout)
            self.assertTrue(r.stdout.rstrip().endswith(
                "of the median fixed)"), r.stdout)
            self.assertEqual(verdict(top), ["0", "0", "1", "1", "0"])

    def test_an_unresolved_median_says_how_many_steps_auto_won(self):
        with tempfile.TemporaryDirectory() as top:
            write_rounds(top, "spmv", [0.99, 1.01, 0.98, 1.02, 0.99, 1.01],
                         steps=[(5, 10), (4, 10), (6, 10), (5, 10), (0, 0), (4, 10)])
            r = run(top, "spmv")
            self.assertIn("< median UNRESOLVED", r.stdout)
            # The round that paired no steps (0 of 0) counts nothing.
            self.assertIn("step by step auto was faster than the median fixed row in 24 of 50 "
                          "steps (48%)", r.stdout)
        with tempfile.TemporaryDirectory() as top:  # met: nothing to explain
            write_rounds(top, "spmv", [0.95] * 6, steps=[(9, 10)] * 6)
            r = run(top, "spmv")
            self.assertIn("regret ok < median ok decision ok: met", r.stdout)
            self.assertNotIn("step by step", r.stdout)

    def test_every_round_above_is_missed_unless_most_were_noisy(self):
        with tempfile.TemporaryDirectory() as top:
            write_rounds(top, "spmv", [1.01] * 6, regret=12.0)
            r = run(top, "spmv")
            self.assertIn("regret MISSED < median MISSED decision ok: MISSED", r.stdout)
            self.assertEqual(verdict(top), ["1", "0", "0", "1", "0"])
        with tempfile.TemporaryDirectory() as top:
            write_rounds(top, "spmv", [1.01] * 6, noise="noisy: other load 0.80 CPUs > 0.10 allowed")
            r = run(top, "spmv")
            self.assertIn("INCONCLUSIVE (6 of 6 rounds flagged for other load)", r.stdout)
            self.assertEqual(verdict(top), ["0", "1", "0", "1", "0"])
        with tempfile.TemporaryDirectory() as top:  # E > 1 alone is not other work
            write_rounds(top, "spmv", [1.01] * 6, noise="noisy: E 1.123 > 1 + tolerance 0.002")
            r = run(top, "spmv")
            self.assertIn("< median MISSED decision ok: MISSED", r.stdout)
            self.assertEqual(verdict(top), ["1", "0", "0", "1", "0"])

    def test_under_six_rounds_the_median_round_judges(self):
        with tempfile.TemporaryDirectory() as top:
            write_rounds(top, "mandelbrot", [0.99, 1.02, 0.98])
            r = run(top, "mandelbrot")
            self.assertIn("< median ok", r.stdout)
            self.assertIn("0.990 [0.980..1.020]", r.stdout)
            self.assertEqual(verdict(top), ["0", "0", "0", "1", "1"])
        with tempfile.TemporaryDirectory() as top:
            write_rounds(top, "mandelbrot", [1.01, 1.02, 0.98], decision=2.5)
            r = run(top, "mandelbrot")
            self.assertIn("< median MISSED decision MISSED: MISSED", r.stdout)
            self.assertIn("decision: 0 of 3 rounds met it", r.stdout)

    def test_a_round_that_did_not_run_misses_the_case(self):
        with tempfile.TemporaryDirectory() as top:
            write_rounds(top, "spmv", [0.95] * 6)
            with open(os.path.join(top, "rounds.tsv"), "a", encoding="utf-8") as f:
                f.write("spmv\t7\tfailed\n")
            r = run(top, "spmv")
            self.assertIn("MISSED (1 of 7 rounds did not run or verify)", r.stdout)
            self.assertEqual(verdict(top)[0], "1")

    def test_bad_arguments(self):
        r = run()
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage", r.stderr)
        with tempfile.TemporaryDirectory() as top:
            r = run(top, "spmv")  # no rounds.tsv
            self.assertEqual(r.returncode, 2)
            self.assertIn("rounds.tsv", r.stderr)
            self.assertFalse(os.path.exists(os.path.join(top, "rounds.tsv.verdict")))


if __name__ == "__main__":
    unittest.main()
