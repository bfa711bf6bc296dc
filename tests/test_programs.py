"""Run every LuaScript test program and compare its stdout with node's.

Each ``tests/programs/NAME.ljs`` is run as

    python -m luascript run NAME.ljs      (cwd = tests/programs)

and its stdout must equal ``NAME.expected`` exactly; its exit status must equal
the number in ``NAME.exitcode`` (0 when that file does not exist).  The
expected files are produced by ``tests/gen_expected.py`` with node; node is
not needed to run these tests.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
PROGRAMS_DIR = TESTS_DIR / "programs"
TIMEOUT_S = 60
DIFF_LINES = 60

# Programs that do not match node yet, one per line as "NAME: reason". Their tests are strict
# xfails: a program that starts passing fails the run until it is taken off the list.
KNOWN_FAILURES_FILE = PROGRAMS_DIR / "known_failures.txt"


def _known_failures() -> dict:
    out = {}
    if KNOWN_FAILURES_FILE.exists():
        for line in KNOWN_FAILURES_FILE.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition(":")
                out[name.strip()] = reason.strip()
    return out


KNOWN = _known_failures()
PROGRAMS = [
    pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN[name[:-4]], strict=True)) if name[:-4] in KNOWN else name
    for name in sorted(p.name for p in PROGRAMS_DIR.glob("*.ljs"))
]


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="backslashreplace")


def _env() -> dict:
    env = dict(os.environ)
    # make `python -m luascript` importable from the repository root
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def _failure_message(name: str, expected: str, actual: str, exp_code: int, code: int, stderr: str) -> str:
    parts = [f"{name}: "]
    if expected != actual:
        parts[0] += "stdout differs from node's"
        diff = list(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{name} (expected, node)",
                tofile=f"{name} (actual, luascript)",
            )
        )
        shown = diff[:DIFF_LINES]
        text = "".join(line if line.endswith("\n") else line + "\n" for line in shown)
        if len(diff) > DIFF_LINES:
            text += f"... ({len(diff) - DIFF_LINES} more diff lines)\n"
        parts.append(text)
    if code != exp_code:
        parts[0] += ("; " if expected != actual else "") + f"exit code {code}, expected {exp_code}"
    parts.append("--- stderr ---\n" + (stderr.strip()[-4000:] or "(empty)"))
    return "\n".join(parts)


@pytest.mark.parametrize("program", PROGRAMS)
def test_program(program: str) -> None:
    run_program(program, _env())


@pytest.mark.parametrize("program", PROGRAMS)
def test_program_unoptimized(program: str) -> None:
    """The same programs compiled without the compiler's optimisations (type inference, numeric
    for loops, inlined array methods, allocators, ...): each optimisation must keep the meaning."""
    run_program(program, dict(_env(), LUASCRIPT_OPTIMIZE="0"))


def run_program(program: str, env: dict) -> None:
    path = PROGRAMS_DIR / program
    expected_file = path.with_suffix(".expected")
    if not expected_file.exists():
        pytest.fail(f"{expected_file.name} is missing; run tests/gen_expected.py {path.stem}")
    expected = _decode(expected_file.read_bytes())
    exitcode_file = path.with_suffix(".exitcode")
    exp_code = int(exitcode_file.read_text().strip()) if exitcode_file.exists() else 0

    try:
        proc = subprocess.run(
            [sys.executable, "-m", "luascript", "run", str(path)],
            cwd=path.parent,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_S,
            env=env,
        )
    except subprocess.TimeoutExpired as exc:
        out = _decode(exc.stdout or b"")
        err = _decode(exc.stderr or b"")
        pytest.fail(
            f"{program}: timed out after {TIMEOUT_S}s\n"
            f"--- stdout (last 2000 chars) ---\n{out[-2000:]}\n--- stderr ---\n{err[-2000:]}"
        )

    actual = _decode(proc.stdout)
    stderr = _decode(proc.stderr)
    if actual != expected or proc.returncode != exp_code:
        pytest.fail(_failure_message(program, expected, actual, exp_code, proc.returncode, stderr), pytrace=False)
