#!/usr/bin/env python3
"""jobs/function-length.py against small files whose answer is known: a long C++ function, a
long Python one, one excused by its why-comment, a lambda inside a constructor (counted with
it), and the things a brace scan must not take for a function."""

import pathlib
import subprocess
import sys
import tempfile

CHECKER = pathlib.Path(__file__).resolve().parents[2] / "jobs" / "function-length.py"


def run(files):
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, text in files.items():
            path = pathlib.Path(folder) / name
            path.write_text(text)
            paths.append(str(path))
        done = subprocess.run([sys.executable, str(CHECKER), "--max", "5", *paths],
                              capture_output=True, text=True)
        return done.returncode, done.stdout.replace(folder + "/", "")


def body(lines):
    return "".join(f"  x += {i};\n" for i in range(lines))


failures = []


def check(what, got, expected):
    if got != expected:
        failures.append(f"{what}: got {got!r}, expected {expected!r}")


# An 8-line function (signature, 6 statements, brace) in a namespace, with a string holding
# braces and a comment holding a brace: one finding, at its first line.
code, out = run({"long.cpp": "namespace a {\nint f(int x) {\n" + body(4) +
                 '  const char* s = "{{}";  // }\n  return x;\n}\n}  // namespace a\n'})
check("long C++ function: exit", code, 1)
check("long C++ function: line", out, "long.cpp:2: f is 8 lines (max 5; or say why in the "
      "comment above it: 'longer than 80 lines because ...')\n")

# The same, excused by its comment; a short method in a class; a struct, an enum, an array
# initializer and a control block at namespace level are not functions.
code, out = run({"ok.cpp": "// longer than 80 lines because the region is shown whole\n"
                 "int f(int x) {\n" + body(6) + "  return x;\n}\n"
                 "struct S {\n  int g() const { return 1; }\n" + "  int m;\n" * 6 + "};\n"
                 "enum class E {\n" + "  kA,\n" * 7 + "};\n"
                 "const int table[] = {\n" + "  1,\n" * 7 + "};\n"})
check("excused and non-functions: exit", code, 0)
check("excused and non-functions: output", out, "")

# A constructor with an initializer list and a lambda inside a function count as one.
code, out = run({"ctor.cpp": "struct T {\n  T(int v) : v_(v) {\n"
                 "    auto l = [&]() {\n" + "    " + body(3) + "    };\n    l();\n  }\n"
                 "  int v_;\n};\n"})
check("constructor with a lambda: exit", code, 1)
check("constructor with a lambda: where", out.split(" (max")[0], "ctor.cpp:2: T is 8 lines")

# An operator== is a function, its '=' notwithstanding.
code, out = run({"op.cpp": "bool operator==(const A& a, const A& b) {\n" + body(6) + "}\n"})
check("operator==: where", out.split(" is ")[0], "op.cpp:1: operator==")

# Python: by the ast.
code, out = run({"long.py": "def f(x):\n" + "".join(f"    x += {i}\n" for i in range(6)) +
                 "    return x\n"})
check("long Python function: exit", code, 1)
check("long Python function: where", out.split(" is ")[0], "long.py:1: f")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("function-length: all checks passed")
