"""Overhead of `luascript profile`: the same CPU-bound programs run with and without the sampler,
side by side in one process, best of N runs each. Prints the ratios (profiled / plain).

    python benchmarks/profile_overhead.py [--runs 5] [--interval-ms 1]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from luascript.profile import Session  # noqa: E402
from luascript.runtime import Runtime  # noqa: E402

PROGRAMS = {
    "float loop": """
function floats(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) acc += Math.sqrt(i) * Math.sin(i) + i * 0.5;
  return acc;
}
globalThis.bench = () => floats(2e7);
""",
    "call-heavy": """
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
class Vec { constructor(x, y) { this.x = x; this.y = y; } dot(o) { return this.x * o.x + this.y * o.y; } }
function calls(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += new Vec(i, 1).dot(new Vec(1, i));
  return s + fib(30);
}
globalThis.bench = () => calls(2e6);
""",
}


def timed(rt, mode, interval):
    session = Session(rt, mode, interval) if mode else None
    if session:
        session.start()
    t0 = time.perf_counter()
    rt.call("bench")
    dt = time.perf_counter() - t0
    if session:
        session.stop()
    return dt


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--interval-ms", type=int, default=1)
    args = ap.parse_args()
    print("%-12s %10s %12s %8s %12s %8s" % ("program", "plain s", "function s", "ratio", "line s", "ratio"))
    for name, src in PROGRAMS.items():
        rt = Runtime()
        rt.eval(src)
        rt.call("bench")                       # warm: traces compiled before timing
        best = {None: [], "function": [], "line": []}
        for _ in range(args.runs):             # interleaved, so drift hits all three alike
            for mode in best:
                best[mode].append(timed(rt, mode, args.interval_ms))
        plain, fn, line = (min(best[m]) for m in (None, "function", "line"))
        print("%-12s %10.3f %12.3f %8.3f %12.3f %8.3f" % (name, plain, fn, fn / plain, line, line / plain))


if __name__ == "__main__":
    main()
