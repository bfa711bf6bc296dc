#!/usr/bin/env python3
"""Regenerate the expected output of the typed-array safety programs (tests/runtime/typed_safety)
with node.

Usage:
    python tests/runtime/typed_safety/gen_expected.py

Each program runs as `node FILE` in this directory; its stdout is written beside it as
NAME.expected. The programs catch their own errors, so node must exit with status 0. Only node 20
is needed, and only here: tests/runtime/test_typed_safety.py reads the committed files.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    node = shutil.which("node")
    if node is None:
        sys.exit("gen_expected.py: node (v20) was not found on PATH; the tests themselves do not need it")
    env = {k: v for k, v in os.environ.items() if k not in ("NODE_OPTIONS", "FORCE_COLOR", "NO_COLOR")}
    for prog in sorted(p for p in HERE.iterdir() if p.suffix in (".js", ".mjs")):
        proc = subprocess.run([node, prog.name], cwd=HERE, capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=60)
        if proc.returncode or proc.stderr:
            sys.exit("gen_expected.py: %s failed under node:\n%s" % (prog.name, proc.stderr))
        prog.with_suffix(".expected").write_text(proc.stdout, encoding="utf-8")
        print("%-24s %3d lines" % (prog.name, proc.stdout.count("\n")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
