"""Every example runs and prints what node prints for the same file."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ENV = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.ljs")))
def test_example_matches_node(name):
    r = subprocess.run([sys.executable, "-m", "luascript", "run", name + ".ljs"], cwd=EXAMPLES,
                       capture_output=True, timeout=60, env=ENV)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode() == (EXAMPLES / (name + ".expected")).read_text()


def test_embedding_example():
    pytest.importorskip("numpy")
    r = subprocess.run([sys.executable, "embed.py"], cwd=EXAMPLES, capture_output=True, timeout=60, env=ENV)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode().splitlines() == [
        "5 [0.0, 2.5, 5.0, 7.5, 10.0]",
        "[1, 4, 9]",
        "demo: 1+2+3",
        "JSError: TypeError",
    ]
