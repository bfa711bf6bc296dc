#!/usr/bin/env python3
"""Regenerate the expected output of the LuaScript test programs with node.

Usage:
    python tests/gen_expected.py            # every tests/programs/*.ljs
    python tests/gen_expected.py NAME ...   # only these (NAME, NAME.ljs or a path)
    python tests/gen_expected.py tests/gpu/NAME.ljs   # a marked-loop program of tests/gpu

For every program ``tests/programs/NAME.ljs`` this writes
``tests/programs/NAME.expected`` with the exact stdout of node, and
``tests/programs/NAME.exitcode`` only when node exits with a non-zero status
(a stale ``.exitcode`` is removed when the status is 0).  Programs run with the
program's directory as the working directory, like ``tests/test_programs.py``
runs them through ``python -m luascript run``.

Only node (>= 20.6, for ``module.register``) is needed; the test suite itself
never needs node.  The script can be run from any directory.

How ``.ljs`` files are run by node
----------------------------------
The programs are plain JavaScript with a ``.ljs`` extension, and LuaScript
allows both ES modules and CommonJS in ``.ljs`` files, including ES import
specifiers without an extension (``import x from "./modules/a"``).  Node does
not know the extension, so node is started as

    node --no-warnings --import <tmp>/register.mjs NAME.ljs

where ``register.mjs`` (written to a temporary directory by this script; the
program sources are never copied or rewritten) does two things:

* it registers ``.ljs`` as a CommonJS extension (``Module._extensions``) so
  that ``require("./x")`` and ``require("./x.ljs")`` find ``x.ljs``;
* it installs module customization hooks (``module.register``):
  - ``resolve``: when a relative specifier is not found, retry it with
    ``.ljs`` appended (extensionless ES imports, as LuaScript resolves them);
  - ``load``: a ``.ljs`` file whose source has a top-level ``import``/``export``
    statement is loaded as an ES module, any other ``.ljs`` file as CommonJS.

Because ``--import`` is used, node loads the main program through the ES
module loader, so the same hooks decide whether the program itself is ESM or
CommonJS.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
PROGRAMS_DIR = TESTS_DIR / "programs"
GPU_DIR = TESTS_DIR / "gpu"            # marked-loop programs: named by path (tests/gpu/NAME.ljs)
NODE_TIMEOUT_S = 30

REGISTER_MJS = r"""
import Module, { register } from "node:module";

// CommonJS: treat .ljs like .js so require() finds "./x" -> "./x.ljs".
Module._extensions[".ljs"] = Module._extensions[".js"];

// ES modules: resolve/load hooks for .ljs files.
register("./hooks.mjs", import.meta.url);
"""

HOOKS_MJS = r"""
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

// A top-level import/export statement (not a dynamic import(...)) marks an ES module.
const ESM_SYNTAX = /^[ \t]*(import[ \t]*[\w{*'"]|export[ \t{*])/m;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const relative = specifier.startsWith("./") || specifier.startsWith("../");
    if (relative && err && err.code === "ERR_MODULE_NOT_FOUND" && !specifier.endsWith(".ljs")) {
      return nextResolve(specifier + ".ljs", context);
    }
    throw err;
  }
}

export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && url.endsWith(".ljs")) {
    const source = await readFile(fileURLToPath(url), "utf8");
    if (ESM_SYNTAX.test(source)) {
      return { format: "module", source, shortCircuit: true };
    }
    // No source: node's CommonJS loader reads the file itself (.ljs registered above).
    return { format: "commonjs", shortCircuit: true };
  }
  return nextLoad(url, context);
}
"""


def find_node() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        sys.exit(
            "gen_expected.py: node was not found on PATH.\n"
            "node (version 20.6 or newer) is needed to regenerate the expected\n"
            "outputs; the test suite itself (tests/test_programs.py) does not need it."
        )
    try:
        version = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        sys.exit(f"gen_expected.py: could not run {node}: {exc}")
    parts = version.lstrip("v").split(".")
    try:
        major, minor = int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        sys.exit(f"gen_expected.py: unexpected node version string {version!r}")
    if (major, minor) < (20, 6):
        sys.exit(
            f"gen_expected.py: node {version} is too old; 20.6 or newer is needed "
            "(module.register customization hooks)."
        )
    return node


def select_programs(args: list[str]) -> list[Path]:
    if not args:
        return sorted(PROGRAMS_DIR.glob("*.ljs"))
    programs = []
    for arg in args:
        candidate = Path(arg)
        if candidate.suffix == ".ljs" and candidate.exists():
            path = candidate.resolve()
        else:
            name = candidate.name
            if name.endswith(".ljs"):
                name = name[: -len(".ljs")]
            path = PROGRAMS_DIR / f"{name}.ljs"
        if not path.exists() or path.parent not in (PROGRAMS_DIR, GPU_DIR):
            sys.exit(f"gen_expected.py: no such test program: {arg}")
        programs.append(path)
    return programs


def run_node(node: str, register: Path, program: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    # Keep node's console output independent of the caller's terminal settings.
    for var in ("NODE_OPTIONS", "FORCE_COLOR", "NODE_DISABLE_COLORS", "NO_COLOR"):
        env.pop(var, None)
    return subprocess.run(
        [node, "--no-warnings", "--import", register.as_uri(), program.name],
        cwd=program.parent,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=NODE_TIMEOUT_S,
        env=env,
    )


def main(argv: list[str]) -> int:
    node = find_node()
    programs = select_programs(argv)
    if not programs:
        print("gen_expected.py: no programs found in", PROGRAMS_DIR)
        return 1
    problems = 0
    nonzero = 0
    with tempfile.TemporaryDirectory(prefix="luascript-gen-") as tmp:
        register = Path(tmp) / "register.mjs"
        register.write_text(REGISTER_MJS, encoding="utf-8")
        (Path(tmp) / "hooks.mjs").write_text(HOOKS_MJS, encoding="utf-8")
        for program in programs:
            name = program.stem
            try:
                proc = run_node(node, register, program)
            except subprocess.TimeoutExpired:
                print(f"FAIL {name}: node timed out after {NODE_TIMEOUT_S}s")
                problems += 1
                continue
            expected = program.with_suffix(".expected")
            exitcode = program.with_suffix(".exitcode")
            expected.write_bytes(proc.stdout)
            if proc.returncode != 0:
                exitcode.write_text(f"{proc.returncode}\n", encoding="utf-8")
            elif exitcode.exists():
                exitcode.unlink()
            notes = []
            if proc.returncode != 0:
                notes.append(f"exit code {proc.returncode} -> {exitcode.name}")
            if not proc.stdout:
                notes.append("EMPTY stdout")
            if proc.stderr:
                notes.append(f"{len(proc.stderr.splitlines())} stderr line(s)")
            lines = proc.stdout.count(b"\n")
            # A non-zero exit status is legitimate for a test about exit codes,
            # so it is only reported; an empty stdout always means a broken test.
            status = "ok  " if proc.stdout else "WARN"
            if not proc.stdout:
                problems += 1
            elif proc.returncode != 0:
                nonzero += 1
            print(f"{status} {name}: {lines} lines" + (f" ({', '.join(notes)})" if notes else ""))
            if proc.returncode != 0 and proc.stderr:
                print("     stderr: " + proc.stderr.decode("utf-8", "replace").strip()[-2000:])
    print(
        f"{len(programs)} program(s), {nonzero} with a non-zero exit code, "
        f"{problems} with problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
