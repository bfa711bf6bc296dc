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
import statistics

from awfy import BENCHMARKS, lua_child_command, one_run, quick_outer


def one(host, lua_dir, name, outer, inner):
    """Mean of the run's second half of iterations, in ms (the first half warms up)."""
    ms, why = one_run(lua_child_command(host, lua_dir, name, outer, inner), lua_dir, outer, 600)
    if why:
        raise SystemExit("%s (%s): %s" % (name, host, why))
    return ms


def main():
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
        outer = quick_outer(outer)
        if only and name not in only:
            continue
        bare, rt = [], []
        for _ in range(opts.runs):                 # alternate, so that drifts hit both alike
            bare.append(one("hand", lua_dir, name, outer, inner))
            rt.append(one("runtime", lua_dir, name, outer, inner))
        b, r = statistics.median(bare), statistics.median(rt)
        ratios.append(r / b)
        print("%-11s %10.1f %10.1f %8.2f   bare %s  Runtime %s" % (
            name, b, r, r / b, " ".join("%.0f" % x for x in bare), " ".join("%.0f" % x for x in rt)),
            flush=True)
    if ratios:
        print("geometric mean Runtime / bare: %.2f" % statistics.geometric_mean(ratios))


if __name__ == "__main__":
    main()
