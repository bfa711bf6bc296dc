#!/usr/bin/env python3
"""Regenerate tests/npm/expected/*.out with node: what each driver script prints.

Usage:
    python tests/npm/gen_expected.py            # every driver (tests/npm/*.js, *.mjs)
    python tests/npm/gen_expected.py lodash ... # only these

The pinned packages (tests/npm/packages.json) are installed with npm into a temporary folder, the
drivers are copied beside its node_modules, and node runs each one there, as tests/test_npm.py runs
`luascript run` on the same files. Needs node and npm (and the registry); the tests need neither
once the expected outputs are committed.
"""
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "expected"


def drivers(names=()):
    found = sorted(p for p in HERE.iterdir() if p.suffix in (".js", ".mjs"))
    if names:
        found = [p for p in found if p.stem in names or p.name in names]
    return found


def install(dest):
    """npm install of the pinned packages into dest; returns an error text or None."""
    shutil.copy(HERE / "packages.json", Path(dest) / "package.json")
    npm = shutil.which("npm")
    if npm is None:
        return "npm not found"
    try:
        r = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"],
                           cwd=dest, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as e:
        return "npm install failed: %s" % e
    if r.returncode != 0:
        return "npm install failed: " + (r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[-1]
    return None


def main(argv):
    node = shutil.which("node")
    if node is None:
        sys.exit("gen_expected.py: node not found")
    EXPECTED.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("NODE_OPTIONS", "FORCE_COLOR", "NO_COLOR")}
    with tempfile.TemporaryDirectory(prefix="luascript-npm-") as tmp:
        err = install(tmp)
        if err:
            sys.exit("gen_expected.py: " + err)
        for d in drivers(argv):
            shutil.copy(d, Path(tmp) / d.name)
            r = subprocess.run([node, d.name], cwd=tmp, capture_output=True, timeout=60, env=env)
            (EXPECTED / (d.stem + ".out")).write_bytes(r.stdout)
            status = "ok  " if r.returncode == 0 and r.stdout else "FAIL"
            print("%s %s: %d lines" % (status, d.name, r.stdout.count(b"\n")))
            if r.returncode != 0:
                print("     " + r.stderr.decode("utf-8", "replace").strip()[-1500:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
