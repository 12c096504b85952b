#!/usr/bin/env python3
"""Execute a notebook top to bottom with nbclient, as a test: every cell must run without an error.

    run_notebook.py NOTEBOOK.ipynb [--executed OUT.ipynb] [--timeout SECONDS]

The kernel is Debian's python3 kernel (ipykernel), started in the notebook's own folder, with this process's
environment (PYTHONPATH pointing at the build tree). The stored notebook must carry no outputs; the executed copy,
with outputs, is written to --executed for inspection.
"""

import argparse
import os
import pathlib
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook", type=pathlib.Path)
    parser.add_argument("--executed", type=pathlib.Path)
    parser.add_argument("--timeout", type=int, default=600, help="per cell, seconds")
    args = parser.parse_args()

    # The kernel starts in the notebook's folder: make PYTHONPATH absolute so the build tree is still found.
    if os.environ.get("PYTHONPATH"):
        os.environ["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in os.environ["PYTHONPATH"].split(os.pathsep) if p)

    os.environ.pop("MPLBACKEND", None)  # the kernel's inline backend puts the figures into the executed notebook
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # ipykernel's debugger notice about frozen modules

    nb = nbformat.read(args.notebook, as_version=4)
    nbformat.validate(nb)
    stored_outputs = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    if stored_outputs:
        print(f"{args.notebook}: cells {stored_outputs} are stored with outputs; clear them before committing", file=sys.stderr)
        return 1
    client = NotebookClient(nb, timeout=args.timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(args.notebook.parent)}})
    try:
        client.execute()
    except CellExecutionError as e:
        print(f"{args.notebook}: a cell failed\n{e}", file=sys.stderr)
        return 1
    finally:
        if args.executed:
            args.executed.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, args.executed)
    code_cells = sum(c.cell_type == "code" for c in nb.cells)
    print(f"{args.notebook.name}: {code_cells} code cells ran without error")
    return 0


if __name__ == "__main__":
    sys.exit(main())
