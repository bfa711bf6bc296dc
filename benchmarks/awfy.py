"""Are-We-Fast-Yet side by side: luascript against the suite's hand-written Lua on the same LuaJIT,
node on the same JavaScript, and TypeScriptToLua's output where `tstl` is installed.

    python benchmarks/awfy.py AWFY [--systems hand,luascript,node,tstl] [--runs 5] [--quick]
                              [--only Bounce,Queens] [--json out.json]

AWFY is the Are-We-Fast-Yet repository (smarr/are-we-fast-yet): a checkout, or a bare git directory
such as the one `fetch` brings, whose HEAD is then exported to a temporary folder. Nothing of it is
in this repository.

Every system runs every benchmark unmodified with the same outer and inner iteration counts, one
fresh process per run. A repetition runs each benchmark on each system in turn, so that the
machine's drifts hit all systems alike:

  hand       benchmarks/Lua/harness.lua in a bare LuaJIT state made by lupa (the LuaJIT luascript
             runs on), its clock Python's time.perf_counter
  luascript  `python -m luascript run harness.js NAME OUTER INNER` in benchmarks/JavaScript
             (--luascript to run another command)
  node       `node harness.js NAME OUTER INNER`, where node is on PATH
  tstl       the JavaScript compiled once by TypeScriptToLua (luaTarget JIT) and driven by a small
             Lua harness in a bare lupa LuaJIT state, where `tstl` is on PATH (--tstl CMD)

A run's figure is the mean of the second half of its per-iteration lines (the first half warms
the JIT up), in ms per outer iteration; a benchmark's figure is the median over its runs. A run is
verified when it exits 0 and printed OUTER lines: every harness checks the benchmark's result and
stops otherwise. Ratios and their geometric means take only benchmarks both systems verified.
TypeScriptToLua drops the length of `new Array(n)`, so its Permute and Storage pass their checks on
different work; they stay out of every ratio to tstl.

Careful mode (the default, 5 runs) takes about 13 minutes for hand and luascript on a 2-core
machine; --quick (1 run, a third of the outer iterations) about 2. Run it on an otherwise idle
machine: the figures are wall-clock times.
"""
import argparse
import io
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

# name, inner iterations (the suite's rebench.conf), outer iterations of a careful run
BENCHMARKS = [
    ("DeltaBlue", 12000, 12), ("Richards", 100, 8), ("Json", 100, 25), ("CD", 250, 6),
    ("Havlak", 1500, 3), ("Bounce", 1500, 25), ("List", 1500, 15), ("Mandelbrot", 500, 40),
    ("NBody", 250000, 40), ("Permute", 1000, 5), ("Queens", 1000, 40), ("Sieve", 3000, 25),
    ("Storage", 1000, 8), ("Towers", 600, 25),
]
SYSTEMS = ("hand", "luascript", "node", "tstl")
TSTL_OTHER_WORK = {"Permute", "Storage"}
LUASCRIPT_RUN = [sys.executable, "-m", "luascript", "run"]
ITERATION = re.compile(r"^\w+: iterations=1 runtime: (\d+)us$", re.M)


def quick_outer(outer):
    return max(3, outer // 3)


# TypeScriptToLua leaves the JavaScript's CommonJS as it is: `require(p)` becomes a call of the
# global ____require(nil, p), and `exports.x = v` a store into the global `exports`.
TSTL_HARNESS = r"""
local clock, name, outer, inner = ...
local loaded = {}
function ____require(_, path)
  local mod = string.gsub(path, "^%./", "")
  if loaded[mod] == nil then
    local saved = rawget(_G, "exports")
    exports = {}
    require(mod)
    loaded[mod], exports = exports, saved
  end
  return loaded[mod]
end
local bench = ____require(nil, string.lower(name)).newInstance()
for _ = 1, outer do
  local t0 = clock()
  local ok = bench:innerBenchmarkLoop(inner)
  local us = (clock() - t0) * 1e6
  if not ok then error(name .. ": the benchmark computed a wrong result") end
  io.write(string.format("%s: iterations=1 runtime: %.0fus\n", name, us))
end
"""


def lua_child(kind, lua_dir, name, outer, inner):
    """One run of the hand-written harness (kind "hand") or of TSTL's output ("tstl") in a fresh
    bare LuaJIT state, or the hand-written harness in a luascript Runtime ("runtime")."""
    if kind == "runtime":
        import luascript
        lua = luascript.Runtime().lua
    else:
        from lupa import luajit21
        lua = luajit21.LuaRuntime()
    g = lua.globals()
    g.package.path = lua_dir + "/?.lua;" + g.package.path
    if kind == "tstl":
        lua.execute(TSTL_HARNESS, time.perf_counter, name, outer, inner)
    else:
        lua.execute("local clock = ...; package.preload.socket = function() return {gettime = clock} end",
                    time.perf_counter)
        arg = lua.table_from([name, str(outer), str(inner)])
        arg[0] = os.path.join(lua_dir, "harness.lua")
        g.arg = arg
        g.dofile(os.path.join(lua_dir, "harness.lua"))
    lua.execute("io.stdout:flush()")


def lua_child_command(kind, lua_dir, name, outer, inner):
    return [sys.executable, os.path.abspath(__file__), "--child", kind, os.path.abspath(lua_dir), name, str(outer), str(inner)]


def suite_dir(awfy, tmp):
    """The folder holding benchmarks/JavaScript and benchmarks/Lua: AWFY itself, or its git HEAD."""
    if os.path.isfile(os.path.join(awfy, "benchmarks", "Lua", "harness.lua")):
        return os.path.abspath(awfy)
    git = subprocess.run(["git", "--git-dir", awfy, "archive", "--format=tar", "HEAD", "benchmarks"],
                         capture_output=True)
    if git.returncode != 0:
        raise SystemExit("awfy.py: %s is neither an Are-We-Fast-Yet checkout nor its git directory:\n%s"
                         % (awfy, git.stderr.decode(errors="replace").strip()))
    with tarfile.open(fileobj=io.BytesIO(git.stdout)) as tar:
        tar.extractall(tmp, filter="data")
    return tmp


def compile_tstl(tstl, js_dir, work):
    """TSTL's Lua of every module of the suite, in work/lua; the reason when it cannot."""
    src = os.path.join(work, "src")
    os.makedirs(src)
    for f in os.listdir(js_dir):
        if f.endswith(".js"):
            shutil.copy(os.path.join(js_dir, f), src)
    config = {"compilerOptions": {"target": "ESNext", "lib": ["ESNext"], "allowJs": True, "checkJs": False,
                                  "strict": False, "types": [], "moduleDetection": "force",
                                  "rootDir": "src", "outDir": "lua"},
              "include": ["src/*.js"], "tstl": {"luaTarget": "JIT"}}
    with open(os.path.join(work, "tsconfig.json"), "w") as f:
        json.dump(config, f)
    p = subprocess.run(shlex.split(tstl) + ["-p", "tsconfig.json"], cwd=work, capture_output=True, text=True)
    out = os.path.join(work, "lua")
    # tstl reports the suite's untyped JavaScript as errors but still writes the Lua
    if not os.path.isfile(os.path.join(out, "benchmark.lua")):
        return None, "tstl wrote no Lua (exit %d): %s" % (p.returncode, (p.stdout + p.stderr).strip()[-500:])
    return out, None


def command(system, suite, tstl_lua, luascript_cmd, name, outer, inner):
    js = os.path.join(suite, "benchmarks", "JavaScript")
    if system == "hand":
        return lua_child_command("hand", os.path.join(suite, "benchmarks", "Lua"), name, outer, inner), js
    if system == "tstl":
        return lua_child_command("tstl", tstl_lua, name, outer, inner), js
    if system == "node":
        return ["node", "harness.js", name, str(outer), str(inner)], js
    return luascript_cmd + ["harness.js", name, str(outer), str(inner)], js


def one_run(cmd, cwd, outer, timeout):
    """(ms per outer iteration in the steady state, None) or (None, why it did not verify)."""
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "ran past %d s" % timeout
    times = [int(us) / 1000 for us in ITERATION.findall(p.stdout)]
    if p.returncode != 0 or len(times) != outer:
        lines = (p.stdout + p.stderr).strip().splitlines() or [""]
        why = next((ln for ln in lines if "Error" in ln and "Traceback" not in ln), lines[-1])
        return None, "exit %d, %d of %d iterations: %s" % (p.returncode, len(times), outer, why.strip()[:200])
    return statistics.mean(times[outer // 2:]), None


def ratio(results, name, other):
    """luascript / other on one benchmark, or None where either did not verify."""
    ls, them = results[name]["luascript"]["ms"], results[name][other]["ms"]
    if ls and them and not (other == "tstl" and name in TSTL_OTHER_WORK):
        return ls / them
    return None


def geomean_ratio(results, other, names):
    rs = [r for r in (ratio(results, n, other) for n in names) if r]
    return (statistics.geometric_mean(rs), len(rs)) if rs else (None, 0)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, lua_dir, name, outer, inner = sys.argv[2:7]
        return lua_child(kind, lua_dir, name, int(outer), int(inner))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("awfy", help="Are-We-Fast-Yet checkout or git directory")
    ap.add_argument("--systems", default=",".join(SYSTEMS),
                    help="comma-separated, from %s (default: all; node and tstl where installed)" % ",".join(SYSTEMS))
    ap.add_argument("--runs", type=int, help="processes per benchmark and system (default 5, --quick 1)")
    ap.add_argument("--quick", action="store_true", help="1 run and a third of the outer iterations")
    ap.add_argument("--only", default="", help="comma-separated benchmark names")
    ap.add_argument("--luascript", default="", help="command that runs a .js file (default: python -m luascript run)")
    ap.add_argument("--tstl", default="tstl", help="the TypeScriptToLua command (default %(default)s)")
    ap.add_argument("--timeout", type=int, help="seconds per run (default 180, --quick 60)")
    ap.add_argument("--json", help="write the runs and figures to this file")
    a = ap.parse_args()
    runs = a.runs or (1 if a.quick else 5)
    timeout = a.timeout or (60 if a.quick else 180)
    systems = [s for s in a.systems.split(",") if s]
    bad = sorted(set(systems) - set(SYSTEMS))
    if bad or "luascript" not in systems:
        ap.error("--systems takes luascript and any of %s" % ",".join(SYSTEMS))
    only = [n for n in a.only.split(",") if n]
    unknown = sorted(set(only) - {b[0] for b in BENCHMARKS})
    if unknown:
        ap.error("unknown benchmark %s (known: %s)" % (",".join(unknown), ",".join(b[0] for b in BENCHMARKS)))
    benches = [(n, i, quick_outer(o) if a.quick else o) for n, i, o in BENCHMARKS if not only or n in only]
    luascript_cmd = shlex.split(a.luascript) if a.luascript else LUASCRIPT_RUN

    with tempfile.TemporaryDirectory(prefix="awfy-") as tmp:
        suite = suite_dir(a.awfy, os.path.join(tmp, "suite"))
        tstl_lua = None
        if "node" in systems and not shutil.which("node"):
            print("node: not on PATH, left out")
            systems.remove("node")
        if "tstl" in systems:
            if not shutil.which(shlex.split(a.tstl)[0]):
                print("tstl: %s is not on PATH, left out (npm install typescript-to-lua)" % a.tstl)
                systems.remove("tstl")
            else:
                tstl_lua, why = compile_tstl(a.tstl, os.path.join(suite, "benchmarks", "JavaScript"),
                                             os.path.join(tmp, "tstl"))
                if why:
                    print("tstl: %s; left out" % why)
                    systems.remove("tstl")
        # luascript compiles a module on the first run that needs it (and caches it) before the
        # harness starts its clock, so compiling is never inside a timed iteration
        results = {n: {s: {"runs": [], "failures": []} for s in systems} for n, _, _ in benches}
        started = time.time()
        for rep in range(runs):
            for name, inner, outer in benches:
                for s in systems:
                    if results[name][s]["failures"]:
                        continue   # it cannot verify any more; a hang would only cost time again
                    cmd, cwd = command(s, suite, tstl_lua, luascript_cmd, name, outer, inner)
                    ms, why = one_run(cmd, cwd, outer, timeout)
                    r = results[name][s]
                    (r["runs"] if why is None else r["failures"]).append(ms if why is None else why)
                    print("run %d %-10s %-9s %s" % (rep + 1, name, s, "%.1f ms" % ms if why is None else why),
                          flush=True)
    for name, _, _ in benches:
        for s in systems:
            r = results[name][s]
            r["ms"] = statistics.median(r["runs"]) if r["runs"] and not r["failures"] else None

    print("\nms per outer iteration in the steady state (each run's second half; median of %d run%s)"
          "; - : not verified" % (runs, "" if runs == 1 else "s"))
    others = [s for s in systems if s != "luascript"]
    head = "%-10s %5s %6s |" % ("benchmark", "outer", "inner") + "".join(" %9s" % s for s in systems)
    print(head + " |" + "".join(" %9s" % ("ls/" + s) for s in others))
    for name, inner, outer in benches:
        row = results[name]
        cells = "".join(" %9s" % ("%.1f" % row[s]["ms"] if row[s]["ms"] else "-") for s in systems)
        ratios = "".join(" %9s" % ("%.2f" % r if r else "-") for r in (ratio(results, name, s) for s in others))
        print("%-10s %5d %6d |%s |%s" % (name, outer, inner, cells, ratios))
    names = [n for n, _, _ in benches]
    verified = sum(1 for n in names if results[n]["luascript"]["ms"])
    summary = {s: geomean_ratio(results, s, names) for s in others}
    print("\nluascript: %d/%d verified; geometric means %s (%.0f s)" % (
        verified, len(names), ", ".join("luascript/%s %s (%d)" % (s, "%.2f" % g if g else "-", k)
                                        for s, (g, k) in summary.items()), time.time() - started))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"runs": runs, "quick": a.quick, "systems": systems, "benchmarks": results,
                       "geomeans": {"luascript/" + s: g for s, (g, _) in summary.items()}}, f, indent=1)
    return 0 if verified == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
