"""How much a benchmark's speed depends on the luck of LuaJIT's trace selection, for luascript and
for the hand-written Lua.

Which loop a trace starts at, and which path through it the trace records, is decided by hot
counters that LuaJIT shares among bytecode addresses (64 of them, indexed by address), and the
addresses come from an allocator that LuaJIT randomises per process. So each process draws its own
trace graph, and a careful run of one process per benchmark reports one draw. Timings cannot show
the spread apart from the machine's own noise; instruction counts can: this script runs each
benchmark in N processes per side under valgrind's cachegrind and prints the instructions per
iteration of each process (sorted), and the ratio of the means.

    python benchmarks/trace_spread.py AWFY_DIR [--runs 8] [--inner 200] [--only Queens,Bounce]

A process's count is its run of A + B outer iterations less the mean of the runs of A, divided
by B, so start-up and warm-up cancel on average; the compile cache is filled before. It needs valgrind on PATH. AWFY_DIR is a
checkout of smarr/are-we-fast-yet (fetch it; nothing of it is in this repository).
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
from concurrent.futures import ThreadPoolExecutor

from awfy import LUASCRIPT_RUN
from awfy import command as awfy_command

IREFS = re.compile(r"I\s+refs:\s+([\d,]+)")
WARM = 3      # outer iterations of the short runs


def instructions(cmd, cwd):
    p = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                        "--smc-check=all-non-file"] + cmd, cwd=cwd, capture_output=True, text=True)
    m = IREFS.search(p.stderr)
    if p.returncode != 0 or not m:
        raise SystemExit("valgrind run failed: %s\n%s" % (" ".join(cmd), p.stderr[-2000:]))
    return int(m.group(1).replace(",", ""))


def command(side, awfy, name, outer, inner):
    """As benchmarks/awfy.py runs the side (the hand-written Lua in a bare LuaJIT state)."""
    return awfy_command(side, awfy, None, LUASCRIPT_RUN, name, outer, inner)[0]


def spread(awfy, name, inner, runs, long_outer, jobs):
    js = os.path.join(awfy, "benchmarks", "JavaScript")
    # one run outside valgrind fills the compile cache: otherwise the first processes also count
    # the compiler, and the base taken from them makes every luascript figure too low
    subprocess.run(command("luascript", awfy, name, 1, 1), cwd=js, capture_output=True, check=True)
    tasks = [(side, outer) for side in ("hand", "luascript") for outer in (WARM, WARM + long_outer)
             for _ in range(runs)]
    with ThreadPoolExecutor(jobs) as ex:
        counts = list(ex.map(lambda t: instructions(command(t[0], awfy, name, t[1], inner), js), tasks))
    per_iter = {}
    for side in ("hand", "luascript"):
        short = [c for (s, o), c in zip(tasks, counts) if s == side and o == WARM]
        long = [c for (s, o), c in zip(tasks, counts) if s == side and o != WARM]
        base = statistics.mean(short)
        per_iter[side] = sorted((c - base) / long_outer / 1e6 for c in long)
    return per_iter


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("awfy", help="a checkout of smarr/are-we-fast-yet")
    ap.add_argument("--runs", type=int, default=8, help="processes per side and length (default 8)")
    ap.add_argument("--inner", type=int, default=200, help="inner iterations (default 200)")
    ap.add_argument("--outer", type=int, default=10, help="outer iterations counted (default 10)")
    ap.add_argument("--only", default="Queens,Bounce,Permute,Towers,Sieve",
                    help="comma-separated benchmarks (default %(default)s)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes at once")
    a = ap.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("trace_spread.py: valgrind is not on PATH (it counts the instructions)")
    if not os.path.isfile(os.path.join(a.awfy, "benchmarks", "Lua", "harness.lua")):
        raise SystemExit("trace_spread.py: %s is not an Are-We-Fast-Yet checkout" % a.awfy)
    print("M instructions per iteration (inner %d), one number per process, sorted" % a.inner)
    for name in a.only.split(","):
        r = spread(a.awfy, name, a.inner, a.runs, a.outer, a.jobs)
        for side in ("hand", "luascript"):
            print("%-10s %-9s %s" % (name, side, " ".join("%7.1f" % x for x in r[side])))
        ratio = statistics.mean(r["luascript"]) / statistics.mean(r["hand"])
        print("%-10s mean ratio luascript/hand %.2f, max/min hand %.2f luascript %.2f" % (
            name, ratio, r["hand"][-1] / r["hand"][0], r["luascript"][-1] / r["luascript"][0]), flush=True)


if __name__ == "__main__":
    main()
