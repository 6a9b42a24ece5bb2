#!/usr/bin/env python3
"""The one reader of schedlab records for the scripts in jobs/ (stdlib only).

A runner's CSV rows (columns read by name, so later columns such as an auto row's choices or
regret_pct are carried along unread) and its JSON record, bounded like schedlab-report's
reader (report/reader.cpp): a file of at most 256 MiB, a CSV line of at most 64 KiB, UTF-8.
Every problem is one RecordError line naming the file, the line and what is wrong.
A row's noise verdict is the runner's own (its `noisy`/`noise` columns, written by
common/src/noise.cpp); nothing here judges a row again.

Command line (the shell scripts' calls; exit 0 done, 1 no such row or the check is false,
2 a file that cannot be read, with one line on stderr):
  schedlab_records.py value CSV RUNNER STRATEGY COLUMN [WORKERS]   a column of the fastest row
  schedlab_records.py steps CSV RUNNER STRATEGY COLUMN   a ;-joined column: step 0, mean of the rest
  schedlab_records.py fields JSON STRATEGY FIELD...      dotted fields of a strategy entry
                                                          (longest_task: from its trace)
  schedlab_records.py serial-tasks JSON                   tasks, median task time, T1
  schedlab_records.py last CSV COLUMN...                  the last row's cells (A|B: A, else B)
  schedlab_records.py table CSV [--dedup]                 the non-serial rows, tab-separated
  schedlab_records.py predicted TEXT STRATEGY             measured, predicted of a --predict row
  schedlab_records.py recorded-noise DIR                  the runners' noise verdict of DIR's files
  schedlab_records.py threshold EXERCISE NAME             a number of jobs/lab-thresholds.json
  schedlab_records.py calc [.2f|.4g|r] EXPR...           arithmetic on numbers, printed
  schedlab_records.py holds EXPR                          exit 0 when the comparison holds
"""
import ast
import csv
import glob
import io
import json
import math
import operator
import os
import re
import signal
import statistics
import sys

MAX_FILE_BYTES = 256 << 20  # kMaxInputFileBytes (common/include/schedlab/parse.hpp)
MAX_LINE_BYTES = 64 << 10  # kMaxInputLineBytes
HERE = os.path.dirname(os.path.abspath(__file__))
THRESHOLDS_FILE = os.path.join(HERE, "lab-thresholds.json")


class RecordError(Exception):
    """One line: the file, the line (or field) and what is wrong with it."""


class NoRow(Exception):
    """The file reads, but holds no row (or strategy) the caller asked for."""


def shown(text):
    """What a file holds, quoted in a message: at most 40 characters, escaped."""
    text = str(text)
    return ascii(text[:40] + ("..." if len(text) > 40 else ""))[1:-1]


# --- files ---------------------------------------------------------------------------------------

def read_text(path, max_bytes=MAX_FILE_BYTES, name=None):
    """The file as text: a plain file of at most max_bytes, UTF-8."""
    name = name or path
    if not os.path.exists(path):
        raise RecordError(f"{name}: no such file")
    if not os.path.isfile(path):
        raise RecordError(f"{name}: not a plain file")
    size = os.path.getsize(path)
    if size > max_bytes:
        raise RecordError(f"{name}: {size} bytes, over the {max_bytes // 2**20} MiB a record may have")
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise RecordError(f"{name}: cannot open for reading ({e.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise RecordError(f"{name}:{line}: not UTF-8 text (byte {e.start})") from None


def parse_csv(text, name):
    """Rows as dicts of text cells, each with '_line' (its line in the file). The header must
    name strategy and time_min_s; a repeated header (files joined with cat) is skipped."""
    lines = text.split("\n")  # only \n ends a line, as for csv and the C++ reader
    for number, line in enumerate(lines, 1):
        if len(line.encode("utf-8")) > MAX_LINE_BYTES:
            raise RecordError(f"{name}:{number}: a line longer than the limit of 64 KiB")
    if text and not text.endswith("\n"):
        raise RecordError(f"{name}:{len(lines)}: the last line has no newline: the file is truncated "
                          "(a writer stopped mid-row)")
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise RecordError(f"{name}:1: the file is empty: expected a CSV header")
        missing = [c for c in ("strategy", "time_min_s") if c not in header]
        if missing:
            raise RecordError(f"{name}:1: no schedlab CSV header (no column {', '.join(missing)})")
        rows = []
        for cells in reader:
            if cells == header or not cells:
                continue
            if len(cells) != len(header):
                raise RecordError(f"{name}:{reader.line_num}: {len(cells)} fields, expected {len(header)} "
                                  "(truncated or not a schedlab row)")
            row = dict(zip(header, cells))
            row["_line"] = reader.line_num
            rows.append(row)
    except csv.Error as e:
        raise RecordError(f"{name}:{reader.line_num}: {e}") from None
    return rows


def read_csv(path, max_bytes=MAX_FILE_BYTES):
    return parse_csv(read_text(path, max_bytes), path)


def parse_json(text, name):
    """The record: an object with a 'strategies' list of objects."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as e:
        raise RecordError(f"{name}:{e.lineno}: not JSON ({e.msg})") from None
    except RecursionError:
        raise RecordError(f"{name}: not JSON (values nested too deep)") from None
    if (not isinstance(record, dict) or not isinstance(record.get("strategies"), list)
            or not all(isinstance(s, dict) for s in record["strategies"])):
        raise RecordError(f"{name}: not a schedlab record (no 'strategies' list)")
    return record


def read_json(path, max_bytes=MAX_FILE_BYTES):
    return parse_json(read_text(path, max_bytes), path)


# --- cells ---------------------------------------------------------------------------------------

def number(row, column, name="the file"):
    """A cell as a finite float; RecordError naming the file, line and column otherwise."""
    if column not in row:
        raise RecordError(f"{name}: no column {column}")
    text = row[column]
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise RecordError(f"{name}:{row.get('_line', '-')}: column {column} is '{shown(text)}': "
                          "expected a number") from None
    if math.isnan(value) or math.isinf(value):
        raise RecordError(f"{name}:{row.get('_line', '-')}: column {column} is {text}: expected a number")
    return value


def optional_number(row, column, name="the file"):
    """A cell as a float, or None where the column is absent, empty or NaN (not measured)."""
    text = row.get(column)
    if text is None or str(text).strip() in ("", "nan", "NaN"):
        return None
    return number(row, column, name)


def step_values(row, column, name="the file"):
    """A ;-joined per-step column (step_load_balance, step_times_s) as floats."""
    cells = str(row.get(column) or "").split(";")
    return [number({column: c, "_line": row.get("_line")}, column, name) for c in cells]


# --- selecting rows ------------------------------------------------------------------------------

def select(rows, runner=None, strategy=None, workers=None, workload=None):
    """Rows whose runner ends with `runner` (omp, schedlab-omp) and whose other fields match."""
    return [r for r in rows if (runner is None or str(r.get("runner", "")).endswith(runner))
            and (strategy is None or r.get("strategy") == strategy)
            and (workers is None or str(r.get("workers")) == str(workers))
            and (workload is None or r.get("workload") == workload)]


def fastest(rows, name="the file"):
    """The row with the least time_min_s (the fastest of repeated runs), None when no rows."""
    return min(rows, key=lambda r: number(r, "time_min_s", name)) if rows else None


def strategy_entry(record, strategy, name="the record"):
    entry = next((s for s in record["strategies"] if s.get("strategy") == strategy), None)
    if entry is None:
        raise RecordError(f"{name}: no strategy {strategy}")
    return entry


def longest_task(entry):
    """The longest task as it ran, from a JSON strategy's trace (end - start)."""
    return max(t["end"] - t["start"] for t in entry["trace"])


def field(entry, path, name="the record"):
    """A dotted field of a JSON strategy entry (metrics.tp), or longest_task."""
    if path == "longest_task":
        try:
            return longest_task(entry)
        except (KeyError, TypeError, ValueError):
            raise RecordError(f"{name}: {entry.get('strategy')} has no trace of tasks") from None
    value = entry
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise RecordError(f"{name}: field '{path}' of {entry.get('strategy')} is missing")
        value = value[key]
    return value


# --- noise: the runner's own verdict ------------------------------------------------------------

def is_noisy(row):
    """The runner's flag: CSV noisy '1', JSON noisy true. A record without one is not noisy
    here (nothing is judged again; schedlab-report judges such old files itself)."""
    return str(row.get("noisy")) in ("1", "True", "true")


def noise_reason(row):
    """Why the runner flagged a row (CSV 'noise' text, JSON 'noise' list)."""
    noise = row.get("noise")
    if isinstance(noise, list):
        return "; ".join(noise) or "flagged"
    return noise or "flagged"


def recorded_noise(folder):
    """What the runners of the records under folder measured about other work: 'noisy: REASON'
    when one flagged a row, else 'other load X CPUs' (the largest measured), or 'unrecorded'."""
    reasons, loads = [], []
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.csv"), recursive=True)):
        for r in read_csv(path):
            if is_noisy(r):
                reasons.append(noise_reason(r))
            load = optional_number(r, "other_load", path)
            if load is not None:
                loads.append(load)
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.json"), recursive=True)):
        record = read_json(path)
        reasons += [noise_reason(s) for s in record["strategies"] if s.get("noisy") is True]
        load = (record.get("noise_measure") or {}).get("other_load")
        if isinstance(load, (int, float)) and not isinstance(load, bool):
            loads.append(float(load))
    if reasons:
        return "noisy: " + reasons[0]
    if loads:
        return f"other load {max(loads):.2f} CPUs"
    return "unrecorded"


# --- the report's --predict table ---------------------------------------------------------------

def predicted(text, strategy):
    """(measured, predicted) seconds of a strategy's row in schedlab-report --predict's table."""
    m = re.search(r"^  " + re.escape(strategy) + r" +\d+ +\S+ +([0-9.e+-]+) +([0-9.e+-]+)", text, re.M)
    if not m:
        raise RecordError(f"the --predict table: no {strategy} row")
    return float(m.group(1)), float(m.group(2))


# --- arithmetic on the numbers the scripts read (no names, no calls but abs) --------------------

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
        ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Lt: operator.lt, ast.LtE: operator.le,
        ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Eq: operator.eq, ast.NotEq: operator.ne}


def evaluate(expr):
    """'1.4 >= 1.2 * 1.1 and abs(3 - 2) <= 1': numbers, + - * /, comparisons, and/or/not, abs."""
    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.operand))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not ev(node.operand)
        if isinstance(node, ast.BoolOp):
            values = [ev(v) for v in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare) and all(type(o) in _OPS for o in node.ops):
            left, ok = ev(node.left), True
            for op, right in zip(node.ops, node.comparators):
                value = ev(right)
                ok = ok and _OPS[type(op)](left, value)
                left = value
            return ok
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "abs"
                and len(node.args) == 1 and not node.keywords):
            return abs(ev(node.args[0]))
        raise RecordError(f"'{shown(expr)}': expected numbers, + - * /, comparisons, and, or, abs")
    try:
        return ev(ast.parse(expr, mode="eval"))
    except (SyntaxError, ZeroDivisionError) as e:
        raise RecordError(f"'{shown(expr)}': {e.__class__.__name__}") from None


# --- command line --------------------------------------------------------------------------------

def _value(path, runner, strategy, column, workers=None):
    rows = select(read_csv(path), runner, strategy, workers)
    if not rows:
        raise NoRow(f"no {runner} {strategy} row in {path}")
    if column not in rows[0]:
        return "absent"
    return fastest(rows, path)[column]


def _steps(path, runner, strategy, column):
    rows = select(read_csv(path), runner, strategy)
    if not rows:
        raise NoRow(f"no {runner} {strategy} row in {path}")
    values = step_values(fastest(rows, path), column, path)
    if len(values) < 2:
        raise RecordError(f"{path}: {strategy}'s {column} has one step: expected --steps 2 or more")
    return f"{values[0]!r} {statistics.mean(values[1:])!r}"


def _fields(path, strategy, *paths):
    entry = strategy_entry(read_json(path), strategy, path)
    return " ".join(str(field(entry, p, path)) for p in paths)


def _serial_tasks(path):
    record = read_json(path)
    tasks = record.get("serial_task_seconds")
    if not tasks or not record["strategies"]:
        raise RecordError(f"{path}: no serial_task_seconds (run without --trace off)")
    t1 = field(record["strategies"][0], "time_min", path)
    return f"{len(tasks)} {statistics.median(tasks)!r} {t1!r}"


def _last(path, *columns):
    rows = read_csv(path)
    if not rows:
        raise NoRow(f"no row in {path}")
    row, cells = rows[-1], []
    for spec in columns:
        names = spec.split("|")
        cells.append(next((row[n] for n in names if row.get(n)), None) or "")
        if not cells[-1]:
            raise RecordError(f"{path}:{row['_line']}: column {spec} is empty")
    return " ".join(cells)


def _table(path, *options):
    """Non-serial rows as workload, strategy, time_min_s, tp_over_lower_bound, chunks (- when
    none), verification, noise (the runner's reason, or empty), tab-separated; --dedup keeps
    the first row of each (workload, strategy)."""
    lines, seen = [], set()
    for r in read_csv(path):
        key = (r.get("workload"), r["strategy"])
        if r["strategy"] == "serial" or ("--dedup" in options and key in seen):
            continue
        seen.add(key)
        tpl = optional_number(r, "tp_over_lower_bound", path)
        lines.append("\t".join([r.get("workload", ""), r["strategy"], f"{number(r, 'time_min_s', path):.4f}",
                                "-" if tpl is None else f"{tpl:.2f}", r.get("chunks") or "-",
                                r.get("verification") or "-", noise_reason(r) if is_noisy(r) else ""]))
    return "\n".join(lines)


def _threshold(exercise, name):
    return str(json.loads(read_text(THRESHOLDS_FILE))[exercise][name])


def _calc(*args):
    """[SPEC] EXPR...: each value, space-separated, in a format spec: .2f (default), .4g, ...
    or r (every digit)."""
    spec = ".2f"
    if re.fullmatch(r"\.[0-9][fge]|r", args[0]):
        spec, args = args[0], args[1:]
    if not args:
        raise RecordError(f"calc {spec}: expected an expression after the format")
    values = [float(evaluate(expr)) for expr in args]
    return " ".join(repr(v) if spec == "r" else format(v, spec) for v in values)


COMMANDS = {  # name: (function, least arguments, most arguments)
    "value": (_value, 4, 5), "steps": (_steps, 4, 4), "fields": (_fields, 3, 99),
    "serial-tasks": (_serial_tasks, 1, 1), "last": (_last, 2, 99), "table": (_table, 1, 2),
    "predicted": (lambda text, s: "%r %r" % predicted(text, s), 2, 2),
    "recorded-noise": (recorded_noise, 1, 1), "threshold": (_threshold, 2, 2), "calc": (_calc, 1, 99),
}


def main(argv):
    me = "schedlab_records.py"
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    name, args = argv[0], argv[1:]
    known = dict(COMMANDS, holds=(None, 1, 1))
    if name not in known:
        print(f"{me}: error: '{shown(name)}': unknown command (expected {', '.join(known)})", file=sys.stderr)
        return 2
    function, least, most = known[name]
    if not least <= len(args) <= most:
        print(f"{me}: error: {name}: {len(args)} arguments, expected {least} to {most} (see --help)",
              file=sys.stderr)
        return 2
    try:
        if name == "holds":
            return 0 if evaluate(args[0]) else 1
        print(function(*args))
        return 0
    except NoRow as e:
        print(e, file=sys.stderr)  # as the scripts always said it
        return 1
    except RecordError as e:
        print(f"{me}: error: {e}", file=sys.stderr)
        return 2

if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `... | head` ends the output, not a traceback
    sys.exit(main(sys.argv[1:]))
