"""Start-up, compile speed and memory: the costs a user pays before their program's first line.

- warm start: `luascript run hello.ljs` with its compiled Lua cached, against `python -c "import lupa"`,
  interleaved, median of --runs processes each (issue 4's goal: at most 1.5x);
- compile speed: every .js file under AWFY_DIR compiled in one warm process, in lines per second,
  the best of 10 passes (goal: at least 20,000; this machine has spells of running 1.5-1.8x slower
  that last seconds, which a best of 3 in one second could fall into whole);
- memory: what a fresh `luascript.Runtime()` adds to the process's resident set (goal: under 10 MB).

    python benchmarks/startup.py [--runs 21] [AWFY_DIR]

AWFY_DIR is Are-We-Fast-Yet's benchmarks/JavaScript folder (`fetch smarr/are-we-fast-yet`); without
it the compile-speed line is left out. The processes run with bytecode caches enabled, as an installed
package runs: PYTHONDONTWRITEBYTECODE would make every start recompile stale .py files.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd, env):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - t


def warm_start(runs):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as d:
        hello = Path(d) / "hello.ljs"
        hello.write_text("console.log('hello');\n")
        env["LUASCRIPT_CACHE"] = str(Path(d) / "cache")
        ours = [sys.executable, "-m", "luascript", "run", str(hello)]
        lupa = [sys.executable, "-c", "import lupa"]
        timed(ours, env)     # fills the cache and writes the .pyc files
        timed(lupa, env)
        t_ours, t_lupa = [], []
        for r in range(runs):
            pair = [(ours, t_ours), (lupa, t_lupa)]
            for cmd, out in (pair if r % 2 else pair[::-1]):
                out.append(timed(cmd, env))
    # the fastest run is the cost itself; the median adds the machine's noise
    for label, stat in (("median", statistics.median), ("fastest", min)):
        a, b = stat(t_ours), stat(t_lupa)
        print("warm start (%-7s) luascript run hello.ljs %6.1f ms   import lupa %6.1f ms   ratio %.2f"
              % (label, 1000 * a, 1000 * b, a / b))


def compile_speed(awfy):
    import luascript
    files = sorted(Path(awfy).glob("*.js"))
    if not files:
        sys.exit("startup.py: no .js files in %s" % awfy)
    texts = [(str(f), f.read_text()) for f in files]
    lines = sum(t.count("\n") + 1 for _, t in texts)
    for name, text in texts:                 # imports the compiler and the parser first
        luascript.compile_source(text, name)
    best = float("inf")
    for _ in range(10):
        t = time.perf_counter()
        for name, text in texts:
            luascript.compile_source(text, name)
        best = min(best, time.perf_counter() - t)
    print("compile speed        %d files, %d lines in %.3f s            %8.0f lines/s"
          % (len(texts), lines, best, lines / best))


def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def runtime_memory():
    import lupa  # noqa: F401  (the baseline already holds LuaJIT, as any embedding app would)
    before = rss_kb()
    import luascript
    rt = luascript.Runtime()
    rt.eval("1")
    heap = rt.lua.eval("collectgarbage('count')")
    print("memory               a fresh Runtime() adds %.1f MB (Lua heap %.1f MB)"
          % ((rss_kb() - before) / 1024, heap / 1024))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("awfy", nargs="?", help="Are-We-Fast-Yet's benchmarks/JavaScript folder")
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args(argv)
    runtime_memory()           # first: before this process imports the compiler
    warm_start(args.runs)
    if args.awfy:
        compile_speed(args.awfy)


if __name__ == "__main__":
    main()
