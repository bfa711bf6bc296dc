"""Large programs under the runtime's JIT limits against LuaJIT's defaults.

LuaJIT keeps at most 1,000 traces and 512 KB of machine code by default; past either it drops
every trace and records them all again. `ljs.jitguard` raises both limits for the runtime. This
script runs the same programs both ways, alternating, one process per run, and prints the median
wall time of each (module loading included, as a user waits for it), the ratio, and how often
LuaJIT dropped its traces while the program ran.

    python benchmarks/jit_limits.py [NODE_MODULES] [--runs 3]

Without NODE_MODULES it runs a generated program of 3,000 small hot functions ("generated"). With a
node_modules directory (`npm install esprima acorn markdown-it typescript`) it also runs what
of these it finds there: esprima and acorn parsing esprima's own source, markdown-it rendering
this project's docs, TypeScript transpiling 60 KB of JavaScript.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "..", "docs")

GENERATED = "\n".join("function f%d(n) { let s = 0; for (let i = 0; i < n; i++) s += (i ^ %d) %% 7; return s; }"
                      % (k, k) for k in range(3000)) + """
const fs = [%s];
let total = 0;
for (let round = 0; round < 20; round++) for (const f of fs) total += f(100);
console.log(total);
""" % ", ".join("f%d" % k for k in range(3000))

PACKAGES = {   # package -> program (run from a directory beside node_modules)
    "esprima": """
const esprima = require('esprima');
const src = require('fs').readFileSync(require.resolve('esprima'), 'utf8');
for (let i = 0; i < 3; i++) console.log(esprima.parseScript(src, { range: true }).body.length);
""",
    "acorn": """
const acorn = require('acorn');
const src = require('fs').readFileSync(require.resolve('esprima'), 'utf8');
for (let i = 0; i < 3; i++) console.log(acorn.parse(src, { ecmaVersion: 2020 }).body.length);
""",
    "markdown-it": """
const md = require('markdown-it')();
const fs = require('fs');
const src = fs.readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => fs.readFileSync(DOCS + '/' + f, 'utf8')).join('\\n');
let n = 0;
for (let i = 0; i < 5; i++) n += md.render(src).length;
console.log(n);
""",
    "typescript": """
const ts = require('typescript');
const src = require('fs').readFileSync(require.resolve('esprima'), 'utf8').slice(0, 60000);
for (let i = 0; i < 3; i++) console.log(ts.transpileModule(src, { compilerOptions: { target: ts.ScriptTarget.ES5 } }).outputText.length);
""",
}

CHILD = r"""
import json, sys, time, luascript
path, defaults = sys.argv[1], sys.argv[2] == "1"
rt = luascript.Runtime()
if defaults:
    rt.lua.execute('jit.opt.start("maxtrace=1000", "maxmcode=512")')   # LuaJIT's own
flushes = rt.lua.eval("function() return require('ljs.jitguard').flushed_all end")
before = flushes()
t = time.perf_counter()
rt.run_file(path)
rt.flush()
print(json.dumps({"ms": (time.perf_counter() - t) * 1000, "flushes": flushes() - before}), file=sys.stderr)
"""


def one(path, defaults):
    p = subprocess.run([sys.executable, "-c", CHILD, path, "1" if defaults else "0"], capture_output=True, text=True,
                       cwd=os.path.dirname(path))
    last = p.stderr.strip().splitlines()[-1:] or [""]
    if p.returncode != 0 or not last[0].startswith("{"):
        raise SystemExit("%s failed:\n%s" % (path, p.stderr[-2000:]))
    return json.loads(last[0]), p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("node_modules", nargs="?", help="a node_modules directory holding some of: " + ", ".join(PACKAGES))
    ap.add_argument("--runs", type=int, default=3, help="processes per program and setting (default 3)")
    ap.add_argument("--only", default="", help="comma-separated program names (generated, esprima, ...)")
    opts = ap.parse_args()
    programs = {"generated": (None, GENERATED)}
    if opts.node_modules:
        nm = os.path.abspath(opts.node_modules)
        for name, src in PACKAGES.items():
            if os.path.isdir(os.path.join(nm, name)) and os.path.isdir(os.path.join(nm, "esprima")):
                programs[name] = (os.path.dirname(nm), "const DOCS = %s;\n%s" % (json.dumps(os.path.abspath(DOCS)), src))
    only = [n for n in opts.only.split(",") if n]
    programs = {k: v for k, v in programs.items() if not only or k in only}
    print("%-28s %12s %12s %8s %18s" % ("program", "runtime ms", "defaults ms", "ratio", "flushes rt/def"))
    with tempfile.TemporaryDirectory() as tmp:
        for label, (where, src) in programs.items():
            fd, path = tempfile.mkstemp(suffix=".js", dir=where or tmp)
            with os.fdopen(fd, "w") as f:
                f.write(src)
            try:
                ours, theirs, outputs = [], [], {one(path, False)[1]}   # (compiles it into the cache)
                for _ in range(opts.runs):
                    for defaults, into in ((False, ours), (True, theirs)):
                        r, out = one(path, defaults)
                        into.append(r)
                        outputs.add(out)
                if len(outputs) != 1:
                    raise SystemExit("%s: the two settings printed different output" % label)
            finally:
                os.unlink(path)
            a = statistics.median(r["ms"] for r in ours)
            b = statistics.median(r["ms"] for r in theirs)
            print("%-28s %12.0f %12.0f %8.2f %9d / %-6d" % (label, a, b, a / b, max(r["flushes"] for r in ours),
                                                          max(r["flushes"] for r in theirs)), flush=True)


if __name__ == "__main__":
    main()
