"""Everyday operations against node: the library calls and idioms that real programs lean on
(for…in, Object.keys, number formatting, localeCompare, delete, destructuring, regexps, private
members), each timed inside one JavaScript file that node and `luascript run` both execute.

The two run alternately for --rounds rounds; the script prints each case's median time under
both and the ratio luascript / node (1.00 = as fast). Without node on PATH it prints LuaScript's
times alone. These are not AWFY's compute kernels but the places where a runtime's library, not its
JIT, sets the pace: a ratio of 100 here is a program that takes minutes instead of a second.

    python benchmarks/everyday.py [--rounds 3] [--only NAME]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

# name: JavaScript of a function body that does the work and returns a value (checked equal
# under both runtimes, so that neither is timed doing something else)
CASES = {
    "for…in over 4 keys": """
  let s = 0; const o = { a: 1, b: 2, c: 3, d: 4 };
  for (let i = 0; i < 1000000; i++) for (const k in o) s += o[k];
  return s;""",
    "Object.keys": """
  let s = 0; const o = { a: 1, b: 2, c: 3, d: 4 };
  for (let i = 0; i < 1000000; i++) s += Object.keys(o).length;
  return s;""",
    "Object.entries": """
  let s = 0; const o = { a: 1, b: 2, c: 3, d: 4 };
  for (let i = 0; i < 300000; i++) for (const [k, v] of Object.entries(o)) s += v;
  return s;""",
    "for…of a Map, [k, v]": """
  const m = new Map(); for (let i = 0; i < 8; i++) m.set("k" + i, i);
  let s = 0;
  for (let i = 0; i < 300000; i++) for (const [k, v] of m) s += v;
  return s;""",
    "a named closure per call": """
  const call = (f, x) => f(x);
  let s = 0;
  for (let i = 0; i < 1000000; i++) { const f = (b) => (b + i) % 1000; s = call(f, s); }
  return s;""",
    "try/catch in a loop": """
  let s = 0;
  for (let i = 0; i < 3000000; i++) { try { s += i & 3; if (i < 0) throw i; } catch (e) { s--; } }
  return s;""",
    "JSON.parse or a default": """
  const lines = ["1", "{", "[2,3]", "x"]; let s = 0;
  for (let i = 0; i < 200000; i++) { let v; try { v = JSON.parse(lines[i & 3]); } catch { v = null; } if (v !== null) s++; }
  return s;""",
    "numbers in a template": """
  let s = 0;
  for (let i = 0; i < 1000000; i++) s += `${i}:${i * 2}`.length;
  return s;""",
    "toString(16)": """
  let s = 0;
  for (let i = 0; i < 1000000; i++) s += i.toString(16).length;
  return s;""",
    "localeCompare sort": """
  const a = [];
  for (let i = 0; i < 100000; i++) a.push("k" + ((i * 7919) % 100000));
  a.sort((x, y) => x.localeCompare(y));
  return a[500];""",
    "delete": """
  const o = {};
  for (let i = 0; i < 50000; i++) o["k" + i] = i;
  for (let i = 0; i < 50000; i++) delete o["k" + i];
  return Object.keys(o).length;""",
    "slice(1) loop": """
  let s = "x".repeat(30000), n = 0;
  while (s.length) { s = s.slice(1); n++; }
  return n;""",
    "destructuring a literal": """
  let s = 0;
  for (let i = 0; i < 1000000; i++) { const { a, b } = { a: i, b: 2 }; const [x, y] = [a, b]; s += x + y; }
  return s;""",
    "private method": """
  class C { #n = 0; #inc(d) { this.#n += d; } run(n) { for (let i = 0; i < n; i++) this.#inc(1); return this.#n; } }
  return new C().run(3000000);""",
    "regexp exec": """
  let s = 0; const re = /(\\d+)-(\\w+)/;
  for (let i = 0; i < 100000; i++) s += re.exec("abc " + i + "-xy" + i)[1].length;
  return s;""",
    "replace /g": """
  let s = 0;
  for (let i = 0; i < 100000; i++) s += ("hello world " + i).replace(/o/g, "0").length;
  return s;""",
    "regexp test, anchored class loops": """
  let s = 0; const re = /^[a-z0-9._]+@[a-z0-9]+\\.(com|org)$/i;
  for (let i = 0; i < 200000; i++) if (re.test("user" + (i % 977) + "@example" + (i % 13) + ".com")) s++;
  return s;""",
    "match /\\w+/g": """
  let s = 0; const text = "the quick brown fox jumps over the lazy dog 12 times, again and again";
  for (let i = 0; i < 30000; i++) s += text.match(/\\w+/g).length;
  return s;""",
    "replace /\\s+/g": """
  let s = 0; const text = "a  b\\tc   d e  f\\n g h   i j k  l m n  o p";
  for (let i = 0; i < 100000; i++) s += text.replace(/\\s+/g, " ").length;
  return s;""",
    "exec, three groups": """
  let s = 0; const re = /(\\w+)@(\\w+)\\.(\\w+)/;
  for (let i = 0; i < 200000; i++) s += re.exec("user" + (i % 977) + "@example" + (i % 13) + ".com")[2].length;
  return s;""",
    "replaceAll (string)": """
  let s = 0;
  for (let i = 0; i < 100000; i++) s += ("hello world " + i).replaceAll("o", "0").length;
  return s;""",
    "split": """
  let s = 0;
  for (let i = 0; i < 200000; i++) s += ("a,b,c," + i).split(",").length;
  return s;""",
    "helper using forEach": """
  function sumLen(words) { let total = 0; words.forEach(w => { total += w.length; }); return total; }
  let s = 0; const ws = ["ab", "cde"];
  for (let i = 0; i < 3000000; i++) s += sumLen(ws);
  return s;""",
    "string += in a closure": """
  let html = ""; const items = [];
  for (let i = 0; i < 20000; i++) items.push("item" + i);
  items.forEach(item => { html += "<li>" + item + "</li>"; });
  return html.length;""",
    "string += reading its length": """
  let s = "";
  while (s.length < 300000) s += "abc";
  return s.length;""",
    "string += on a property": """
  const o = { buf: "" };
  for (let i = 0; i < 20000; i++) o.buf += "ab" + i + ";";
  return o.buf.length;""",
}


def program(names):
    parts = ["const results = {};"]
    for name in names:
        parts.append("{ const t = Date.now(); const r = (() => {%s\n})(); results[%s] = [Date.now() - t, String(r)]; }"
                     % (CASES[name], json.dumps(name)))
    parts.append("console.log(JSON.stringify(results));")
    return "\n".join(parts)


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        sys.exit("%s failed:\n%s" % (" ".join(cmd), out.stderr[-2000:]))
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", help="cases whose name contains this")
    args = ap.parse_args()
    names = [n for n in CASES if not args.only or args.only in n]
    node = shutil.which("node")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "everyday.js")
        with open(path, "w") as f:
            f.write(program(names))
        times = {n: ([], []) for n in names}
        for _ in range(args.rounds):
            ours = run([sys.executable, "-m", "luascript", "run", path])
            theirs = run([node, path]) if node else None
            for n in names:
                times[n][0].append(ours[n][0])
                if theirs:
                    if theirs[n][1] != ours[n][1]:
                        sys.exit("%s: luascript returned %r, node %r" % (n, ours[n][1], theirs[n][1]))
                    times[n][1].append(theirs[n][0])
    print("%-26s %10s %10s %8s" % ("case", "luascript", "node", "ratio"))
    for n in names:
        a = statistics.median(times[n][0])
        if node:
            b = statistics.median(times[n][1])
            print("%-26s %8.0fms %8.0fms %8.1f" % (n, a, b, a / max(b, 1)))
        else:
            print("%-26s %8.0fms %10s" % (n, a, "-"))


if __name__ == "__main__":
    main()
