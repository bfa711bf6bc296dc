"""benchmarks/awfy.py end to end on a stand-in for the Are-We-Fast-Yet tree: real luascript and
LuaJIT processes, harnesses that print the suite's per-iteration lines."""
import json
import subprocess
import sys
from pathlib import Path

AWFY = Path(__file__).parents[1] / "benchmarks" / "awfy.py"

HAND = """
local gettime = require("socket").gettime   -- the runner's clock stands in for luasocket's
local name, outer, inner = arg[1], tonumber(arg[2]), tonumber(arg[3])
for _ = 1, outer do
  local t0, s = gettime(), 0
  for k = 1, inner * 100 do s = s + k end
  io.write(string.format("%s: iterations=1 runtime: %dus\\n", name, math.floor((gettime() - t0) * 1e6) + 1))
end
"""

JS = """
const [name, outer, inner] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
for (let i = 0; i < outer; i++) {
  const t0 = Date.now();
  let s = 0;
  for (let k = 1; k <= inner * 100; k++) s += k;
  if (FAIL && i === 1) throw new Error("Benchmark failed with incorrect result");
  console.log(`${name}: iterations=1 runtime: ${(Date.now() - t0) * 1000 + 1}us`);
}
"""


def suite(root, fail=False):
    (root / "benchmarks" / "Lua").mkdir(parents=True)
    (root / "benchmarks" / "JavaScript").mkdir()
    (root / "benchmarks" / "Lua" / "harness.lua").write_text(HAND)
    (root / "benchmarks" / "JavaScript" / "harness.js").write_text("const FAIL = %s;\n" % str(fail).lower() + JS)
    return root


def run(*args):
    return subprocess.run([sys.executable, str(AWFY), *map(str, args)], capture_output=True, text=True, timeout=300)


def test_runs_both_sides_and_reports_ratios(tmp_path):
    out = tmp_path / "r.json"
    p = run(suite(tmp_path / "awfy"), "--systems", "hand,luascript", "--quick", "--runs", "2",
            "--only", "Sieve,Towers", "--json", out)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "luascript: 2/2 verified; geometric means luascript/hand" in p.stdout
    data = json.loads(out.read_text())
    for name in ("Sieve", "Towers"):
        for side in ("hand", "luascript"):
            r = data["benchmarks"][name][side]
            assert len(r["runs"]) == 2 and r["failures"] == [] and r["ms"] > 0
    assert data["geomeans"]["luascript/hand"] > 0
    row = next(ln for ln in p.stdout.splitlines() if ln.startswith("Sieve "))
    assert row.split()[1:3] == ["8", "3000"]          # a third of the careful outer count, the suite's inner


def test_a_failing_harness_is_not_verified(tmp_path):
    p = run(suite(tmp_path / "awfy", fail=True), "--systems", "hand,luascript", "--quick", "--only", "Sieve")
    assert p.returncode == 1
    assert "Benchmark failed with incorrect result" in p.stdout
    assert "luascript: 0/1 verified" in p.stdout
    row = next(ln for ln in p.stdout.splitlines() if ln.startswith("Sieve "))
    assert row.split()[5:] == ["-", "|", "-"]          # after hand's time: no luascript time, no ratio


def test_takes_a_git_directory(tmp_path):
    tree = suite(tmp_path / "awfy")
    git = ["git", "-C", str(tree), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "suite"], check=True)
    p = run(tree / ".git", "--systems", "hand,luascript", "--quick", "--only", "Sieve")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "luascript: 1/1 verified" in p.stdout
    bad = run(tmp_path, "--quick", "--only", "Sieve")
    assert bad.returncode != 0 and "neither an Are-We-Fast-Yet checkout nor its git directory" in bad.stderr
