#!/usr/bin/env python3
"""bench/auto_step_ratio.py on hand-made records whose answer is known: an auto row's step,
less its decision, over the same step of the fixed row of the technique it chose."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "auto_step_ratio.py")


def record(auto_steps):
    """A run.json: fixed rows ss (steps 0.1, 0.2, 0.4 s) and tss (0.3 s each); auto:simulate's
    steps given as (technique, step tp, decision seconds)."""
    fixed = {"ss": [0.1, 0.2, 0.4], "tss": [0.3, 0.3, 0.3]}
    rows = [{"strategy": name, "steps": [{"tp": tp} for tp in tps]} for name, tps in fixed.items()]
    rows.append({"strategy": "auto:simulate",
                 "steps": [{"tp": tp} for _, tp, _ in auto_steps],
                 "decisions": [{"step": i, "technique": t, "decision_seconds": d}
                               for i, (t, _, d) in enumerate(auto_steps)]})
    return {"strategies": rows}


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


class AutoStepRatio(unittest.TestCase):
    def write(self, top, case, rnd, rec):
        path = os.path.join(top, f"r{rnd}", case)
        os.makedirs(path)
        with open(os.path.join(path, "run.json"), "w") as f:
            json.dump(rec, f)

    def test_the_median_over_steps_of_step_less_decision_over_the_fixed_step(self):
        with tempfile.TemporaryDirectory() as top:
            # ratios (0.11-0.01)/0.1 = 1.0, (0.25-0.01)/0.2 = 1.2, (0.33-0.03)/0.3 = 1.0: median 1.0
            self.write(top, "spmv", 1, record([("ss", 0.11, 0.01), ("ss", 0.25, 0.01),
                                               ("tss", 0.33, 0.03)]))
            # ratios 1.5, 1.5, 1.5: median 1.5
            self.write(top, "spmv", 2, record([("ss", 0.15, 0.0), ("ss", 0.3, 0.0),
                                               ("ss", 0.6, 0.0)]))
            out = run(f"x={top}")
            self.assertEqual(out.returncode, 0, out.stderr)
            line = next(l for l in out.stdout.splitlines() if l.startswith("spmv x"))
            self.assertIn("1.250 [1.00..1.50]", line)  # median of the two rounds' 1.0 and 1.5
            self.assertRegex(out.stdout, r"x: n=2 median 1\.250 .* within 10%: 50%")

    def test_a_step_without_its_fixed_row_is_left_out(self):
        with tempfile.TemporaryDirectory() as top:
            self.write(top, "triad", 1, record([("gss", 0.2, 0.0), ("tss", 0.6, 0.0)]))
            out = run(f"y={top}")
            self.assertEqual(out.returncode, 0, out.stderr)
            line = next(l for l in out.stdout.splitlines() if l.startswith("triad y"))
            self.assertIn("2.000 [2.00..2.00]", line)  # tss only: 0.6 / 0.3

    def test_bad_arguments_exit_2_with_one_line(self):
        for args in ([], ["no-equals-sign"], ["z=/nonexistent-folder-for-this-test"]):
            out = run(*args)
            self.assertEqual(out.returncode, 2, args)
            self.assertEqual(len(out.stderr.strip().splitlines()), 1, out.stderr)
            self.assertIn("auto_step_ratio.py: error:", out.stderr)


if __name__ == "__main__":
    unittest.main()
