#!/usr/bin/env python3
"""Regenerate the expected output of the node core module programs (tests/node_core) with node.

Usage:
    python tests/node_core/gen_expected.py            # every *.js / *.mjs here
    python tests/node_core/gen_expected.py NAME ...   # only these (NAME or NAME.js)

Each program runs as `node FILE` in a fresh empty directory (the fs program creates files in its
working directory), as tests/runtime/test_node_core.py runs it with `luascript run`, with NAME.stdin
(when there is one) as its standard input, else an empty one. Written
beside the program: NAME.expected (stdout), NAME.stderr when there is any (with node's
"(node:1234)" written "(node:PID)"), and NAME.exitcode when the exit status is not 0. Process warnings are
part of what is compared, so node runs without --no-warnings. Only node 20 is needed, and only
here: the tests read the committed files.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def normalise_pid(text):
    return re.sub(r"\(node:\d+\)", "(node:PID)", text)


def programs(args):
    if not args:
        return sorted(p for p in HERE.iterdir() if p.suffix in (".js", ".mjs"))
    out = []
    for a in args:
        name = Path(a).name
        found = [HERE / name] if (HERE / name).exists() else [p for p in (HERE / (name + ".js"), HERE / (name + ".mjs")) if p.exists()]
        if not found:
            sys.exit("gen_expected.py: no such program: %s" % a)
        out += found
    return out


def main(args):
    node = shutil.which("node")
    if node is None:
        sys.exit("gen_expected.py: node (v20) was not found on PATH; the tests themselves do not need it")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    if not version.startswith("v20."):
        print("gen_expected.py: warning: node %s; the expected outputs are node 20's" % version)
    env = dict(os.environ)
    for var in ("NODE_OPTIONS", "FORCE_COLOR", "NODE_DISABLE_COLORS", "NO_COLOR"):
        env.pop(var, None)
    for prog in programs(args):
        stdin = prog.with_suffix(".stdin")
        with tempfile.TemporaryDirectory(prefix="luascript-node-core-") as tmp, \
                open(stdin if stdin.exists() else os.devnull, "rb") as inp:
            shutil.copy(prog, tmp)
            proc = subprocess.run([node, prog.name], cwd=tmp, capture_output=True, text=True, env=env,
                                  stdin=inp, timeout=60)
        stem = prog.with_suffix("")
        Path(str(stem) + ".expected").write_text(proc.stdout, encoding="utf-8")
        err = Path(str(stem) + ".stderr")
        if proc.stderr:
            err.write_text(normalise_pid(proc.stderr), encoding="utf-8")
        elif err.exists():
            err.unlink()
        code = Path(str(stem) + ".exitcode")
        if proc.returncode:
            code.write_text("%d\n" % proc.returncode)
        elif code.exists():
            code.unlink()
        print("%-20s %3d lines, exit %d%s" % (prog.name, proc.stdout.count("\n"), proc.returncode,
                                             ", stderr %d lines" % proc.stderr.count("\n") if proc.stderr else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
