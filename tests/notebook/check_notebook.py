#!/usr/bin/env python3
"""Checks an executed notebook: every code cell ran without an error, and every figure is a
real picture (a PNG that decodes, is not tiny, and has more than one colour).

Usage: check_notebook.py EXECUTED.ipynb [--min-figures N] [--save-figures DIR]
Exit 0 when it passes, 1 with one FAIL line per problem.
"""
import argparse
import base64
import io
import sys

import nbformat

MIN_PNG_BYTES = 5000  # an empty 640x480 matplotlib canvas is about 2.4 kB; a drawn figure here, 20-60 kB


def distinct_colours(png):
    """Number of distinct pixel colours (capped), by PIL when it is there, else by matplotlib."""
    try:
        from PIL import Image
        with Image.open(io.BytesIO(png)) as image:
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
            return len(colours) if colours is not None else 1 << 16
    except ImportError:
        import matplotlib.image
        import numpy
        pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
        return len(numpy.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--min-figures", type=int, default=1)
    parser.add_argument("--save-figures", metavar="DIR")
    args = parser.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    problems = []
    code_cells = 0
    figures = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        code_cells += 1
        where = f"cell {index} ({cell.source.splitlines()[0][:60] if cell.source else 'empty'})"
        if cell.get("execution_count") is None:
            problems.append(f"{where}: did not run (no execution_count)")
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(f"{where}: {output.ename}: {output.evalue}")
            if output.output_type == "stream" and output.name == "stderr" and "Traceback" in output.text:
                problems.append(f"{where}: a traceback on stderr")
            data = output.get("data", {})
            if "image/png" not in data:
                continue
            figures += 1
            try:
                png = base64.b64decode(data["image/png"])
            except ValueError as err:
                problems.append(f"{where}: figure {figures} is not base64: {err}")
                continue
            if args.save_figures:
                with open(f"{args.save_figures}/figure-{figures}.png", "wb") as f:
                    f.write(png)
            if not png.startswith(b"\x89PNG\r\n\x1a\n"):
                problems.append(f"{where}: figure {figures} is not a PNG")
            elif len(png) < MIN_PNG_BYTES:
                problems.append(f"{where}: figure {figures} is {len(png)} bytes (< {MIN_PNG_BYTES}): empty?")
            elif distinct_colours(png) < 3:
                problems.append(f"{where}: figure {figures} is blank (fewer than 3 colours)")
    if code_cells == 0:
        problems.append("no code cells")
    if figures < args.min_figures:
        problems.append(f"{figures} figures, expected at least {args.min_figures}")
    for p in problems:
        print(f"FAIL: {p}")
    print(f"{args.notebook}: {code_cells} code cells, {figures} figures: "
          + ("PASSED" if not problems else "FAILED"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
