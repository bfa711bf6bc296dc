"""How much of luascript's time against the hand-written Lua is the generated code's, and how much
the state it runs in.

The Are-We-Fast-Yet comparison (`awfy.py measure`) runs the hand-written Lua in a bare LuaJIT state
and luascript's output inside a `luascript.Runtime()`, whose built-ins make a heap of a few MB and
whose bytecode and traces come first. LuaJIT's trace selection depends on such things: which loop
gets hot first is decided by hot counters shared among bytecode addresses, and an inner loop traced
before its outer one is a different trace graph. This script runs the same hand-written Lua both
ways, alternating, one process per run, and prints the ratio Runtime / bare per benchmark. Dividing
luascript/hand by it leaves the generated code's own share.

    python benchmarks/host_effect.py AWFY_DIR [--runs 5] [--only NBody,Bounce]

AWFY_DIR is a checkout of smarr/are-we-fast-yet (fetch it; nothing of it is in this repository).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

# name, inner iterations (the suite's rebench.conf), outer iterations
BENCHMARKS = [
    ("DeltaBlue", 12000, 6), ("Richards", 100, 4), ("Json", 100, 10), ("CD", 250, 4),
    ("Havlak", 1500, 2), ("Bounce", 1500, 10), ("List", 1500, 8), ("Mandelbrot", 500, 15),
    ("NBody", 250000, 10), ("Permute", 1000, 4), ("Queens", 1000, 15), ("Sieve", 3000, 10),
    ("Storage", 1000, 4), ("Towers", 600, 10),
]
RUNTIME = re.compile(r"runtime: (\d+)us")


def child(host, lua_dir, name, outer, inner):
    """One run of the hand-written harness; prints its per-iteration lines."""
    if host == "runtime":
        import luascript
        lua = luascript.Runtime().lua
    else:
        from lupa import luajit21
        lua = luajit21.LuaRuntime()
    g = lua.globals()
    g.package.path = lua_dir + "/?.lua;" + g.package.path
    lua.execute("local clock = ...; package.preload.socket = function() return {gettime = clock} end",
                time.perf_counter)
    arg = lua.table_from([name, str(outer), str(inner)])
    arg[0] = os.path.join(lua_dir, "harness.lua")
    g.arg = arg
    g.dofile(os.path.join(lua_dir, "harness.lua"))
    lua.execute("io.stdout:flush()")


def one_run(host, lua_dir, name, outer, inner):
    """Median of the run's second half of iterations, in ms (the first half warms up)."""
    try:
        out = subprocess.run([sys.executable, __file__, "--child", host, lua_dir, name, str(outer), str(inner)],
                             capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise SystemExit("%s (%s) ran past 600 s" % (name, host))
    times = [int(t) / 1000 for t in RUNTIME.findall(out.stdout)]
    if out.returncode != 0 or len(times) != outer:
        raise SystemExit("%s (%s) failed:\n%s%s" % (name, host, out.stdout[-2000:], out.stderr[-2000:]))
    return statistics.median(times[outer // 2:])


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        host, lua_dir, name, outer, inner = sys.argv[2:7]
        return child(host, lua_dir, name, int(outer), int(inner))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("awfy", help="are-we-fast-yet checkout (its benchmarks/Lua is used)")
    ap.add_argument("--runs", type=int, default=5, help="processes per benchmark and host (default 5)")
    ap.add_argument("--only", default="", help="comma-separated benchmark names")
    opts = ap.parse_args()
    lua_dir = os.path.abspath(os.path.join(opts.awfy, "benchmarks", "Lua"))
    if not os.path.exists(os.path.join(lua_dir, "harness.lua")):
        ap.error("no benchmarks/Lua/harness.lua under %s" % opts.awfy)
    only = [n for n in opts.only.split(",") if n]
    unknown = sorted(set(only) - {b[0] for b in BENCHMARKS})
    if unknown:
        ap.error("unknown benchmark %s (known: %s)" % (",".join(unknown), ",".join(b[0] for b in BENCHMARKS)))
    print("%-11s %10s %10s %8s   (ms per iteration, median of %d processes each)"
          % ("benchmark", "bare", "Runtime", "ratio", opts.runs))
    ratios = []
    for name, inner, outer in BENCHMARKS:
        if only and name not in only:
            continue
        bare, rt = [], []
        for _ in range(opts.runs):                 # alternate, so that drifts hit both alike
            bare.append(one_run("bare", lua_dir, name, outer, inner))
            rt.append(one_run("runtime", lua_dir, name, outer, inner))
        b, r = statistics.median(bare), statistics.median(rt)
        ratios.append(r / b)
        print("%-11s %10.1f %10.1f %8.2f   bare %s  Runtime %s" % (
            name, b, r, r / b, " ".join("%.0f" % x for x in bare), " ".join("%.0f" % x for x in rt)),
            flush=True)
    if ratios:
        print("geometric mean Runtime / bare: %.2f" % statistics.geometric_mean(ratios))


if __name__ == "__main__":
    main()
