#!/usr/bin/env python3
"""No function over 80 lines in product code (issue 24; docs/design.md, "Rules").

    jobs/function-length.py [--max N] [PATH...]

Scans the C++ files (*.cpp, *.hpp) and the Python files (*.py) git tracks, or does not
ignore, under the product folders (default: common driver mpi openmp serial report
techniques bench student jobs), and prints one line `FILE:LINE: NAME is L lines (max N)`
for each function longer than N (80) lines, from its signature's first line to its closing
brace. A function may be longer when the comment right above it says why, with the words
"longer than 80 lines because" (e.g. one OpenMP region shown whole). Exit 0: none; 1: some
(listed); 2: bad usage.

C++ is read by a brace scan: comments, strings and character literals are blanked, then a
`{` whose header (the text since the previous `;`, `{` or `}`) ends with a parameter list
(`)`, maybe followed by const, override, noexcept, a trailing return type or a constructor's
initializer list) opens a function, unless it is inside another function (a lambda counts
as part of the function that holds it) or the header is a control statement or an
initializer. Python functions are read with the ast module.
"""

import argparse
import ast
import pathlib
import re
import subprocess
import sys

MARKER = "longer than 80 lines because"
DEFAULT_FOLDERS = ["common", "driver", "mpi", "openmp", "serial", "report", "techniques",
                   "bench", "student", "jobs"]
CONTROL = {"if", "for", "while", "switch", "catch", "do", "else", "try", "return", "sizeof",
           "decltype", "alignof", "noexcept", "requires", "static_assert"}
SCOPE = re.compile(r"\b(namespace|class|struct|union|enum)\b")


def blank_literals(text):
    """The text with comments, strings and char literals replaced by spaces (lines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not text[i - 1].isalnum()):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = text.find(")" + m.group(1) + '"', i)
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # digit separator: 10'000
                out.append(" ")
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def signature(header):
    """The header on one line, without a constructor's initializer list and without trailing
    qualifiers or a trailing return type: it ends with the parameter list's ')' if a function."""
    h = " ".join(header.split())
    # A constructor's initializer list: cut at the ") :" that starts it.
    m = re.search(r"\)\s*(const\s*)?(noexcept\s*)?:(?!:)", h)
    if m:
        h = h[: m.start() + 1]
    return re.sub(r"(\s*(const|override|final|noexcept(\([^)]*\))?|mutable|&|&&|->\s*[\w:<>,\s*&]+))+$",
                  "", h)


def header_is_function(header):
    """Whether the text before a `{` is a function's signature."""
    flat = " ".join(header.split())
    prefix = flat.split("(")[0]
    if not flat or SCOPE.search(prefix) or "=" in re.sub(r"operator\s*\S*$", "", prefix):
        return False
    h = signature(header)
    if not h.endswith(")"):
        return False
    first_word = re.match(r"[\w:~]+", h)
    name = function_name(h)
    if first_word and first_word.group(0) in CONTROL or name in CONTROL:
        return False
    return name is not None


def function_name(header):
    """The name before the parameter list's opening parenthesis."""
    depth = 0
    for k in range(len(header) - 1, -1, -1):
        if header[k] == ")":
            depth += 1
        elif header[k] == "(":
            depth -= 1
            if depth == 0:
                m = re.search(r"([\w:~]*operator\s*[^\s(]+|[\w:~]+)\s*$", header[:k])
                return m.group(1) if m else None
    return None


def comment_above(lines, line_index):
    """The comment lines right above line_index (0-based), joined."""
    k = line_index - 1
    block = []
    while k >= 0 and (lines[k].strip().startswith(("//", "*", "/*", "#")) or
                      lines[k].strip().startswith("template")):
        block.append(lines[k])
        k -= 1
    return " ".join(" ".join(block).split())


def cpp_functions(text):
    """(first line, last line, name) of each function definition, 1-based lines."""
    code = blank_literals(text)
    stack = []  # per open brace: True when it is (inside) a function body
    header_start = 0
    found = []
    for i, c in enumerate(code):
        if c == "{":
            in_function = bool(stack) and stack[-1][0]
            is_function = not in_function and header_is_function(code[header_start:i])
            start = header_start + len(code[header_start:i]) - len(code[header_start:i].lstrip())
            stack.append((in_function or is_function, is_function, start, code[header_start:i]))
            header_start = i + 1
        elif c == "}":
            if stack:
                _, is_function, start, header = stack.pop()
                if is_function:
                    first = code.count("\n", 0, start) + 1
                    last = code.count("\n", 0, i) + 1
                    found.append((first, last, function_name(signature(header))))
            header_start = i + 1
        elif c == ";" or (c == ":" and re.search(r"\b(public|private|protected)\s*$",
                                                 code[header_start:i])):
            header_start = i + 1
        elif c == "#" and code[header_start:i].strip() == "":
            # A preprocessor line is not part of the next header.
            j = code.find("\n", i)
            header_start = len(code) if j < 0 else j + 1
    return found


def python_functions(text):
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            yield first, node.end_lineno, node.name


def product_files(paths):
    """The files named, and the C++ and Python files git knows under the folders named."""
    files = [pathlib.Path(p) for p in paths if pathlib.Path(p).is_file()]
    folders = [p for p in paths if not pathlib.Path(p).is_file()]
    if folders:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *folders],
            check=True, capture_output=True, text=True).stdout.split("\n")
        files += [pathlib.Path(p) for p in listed
                  if p.endswith((".cpp", ".hpp", ".py")) and pathlib.Path(p).is_file()]
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max", type=int, default=80, help="most lines a function may have")
    parser.add_argument("paths", nargs="*", help="files or folders (default: the product's)")
    args = parser.parse_args()
    if args.max < 1:
        print(f"function-length.py: --max {args.max}: expected a count >= 1", file=sys.stderr)
        return 2
    files = product_files(args.paths or DEFAULT_FOLDERS)
    too_long = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = text.split("\n")
        try:
            functions = (python_functions(text) if path.suffix == ".py"
                         else cpp_functions(text))
            functions = list(functions)
        except SyntaxError as e:
            print(f"{path}:{e.lineno}: cannot parse: {e.msg}", file=sys.stderr)
            return 2
        for first, last, name in functions:
            length = last - first + 1
            if length > args.max and MARKER not in comment_above(lines, first - 1):
                print(f"{path}:{first}: {name} is {length} lines (max {args.max}; "
                      f"or say why in the comment above it: '{MARKER} ...')")
                too_long += 1
    print(f"function-length: {len(files)} files, {too_long} functions over {args.max} lines",
          file=sys.stderr)
    return 1 if too_long else 0


if __name__ == "__main__":
    sys.exit(main())
