"""Micro-benchmarks of LuaScript's hot paths against the same work written by hand in Lua.

Each case is a JavaScript function compiled by LuaScript and a hand-written Lua function doing the
same work; both run in the same LuaJIT state, interleaved over several rounds, and the script prints
the median ratio luascript / hand-written Lua (1.00 = as fast; below 1 = faster).

    python benchmarks/micro.py [--rounds 7] [--only NAME]
"""
import argparse
import statistics
import sys
import time

import luascript

# name: (JavaScript defining `run(n)`, Lua chunk returning a function(n), n)
CASES = {
    "property get/set": ("""
function run(n) {
  const p = { x: 1, y: 2 };
  let s = 0;
  for (let i = 0; i < n; i++) { p.x = p.y + i; s += p.x; }
  return s;
}""", """
return function(n)
  local p = {x = 1, y = 2}
  local s = 0
  for i = 0, n - 1 do p.x = p.y + i; s = s + p.x end
  return s
end""", 20_000_000),
    "method call": ("""
class Counter { constructor() { this.n = 0; } inc(k) { this.n += k; return this; } }
function run(n) {
  const c = new Counter();
  for (let i = 0; i < n; i++) c.inc(1);
  return c.n;
}""", """
local Counter = {}
Counter.__index = Counter
function Counter.new() return setmetatable({n = 0}, Counter) end
function Counter:inc(k) self.n = self.n + k; return self end
return function(n)
  local c = Counter.new()
  for i = 1, n do c:inc(1) end
  return c.n
end""", 20_000_000),
    # the hand-written Lua keeps the "private" members in fields, as Lua code would
    "private method and field": ("""
class Counter {
  #n = 0;
  #inc(k) { this.#n += k; }
  run(n) { for (let i = 0; i < n; i++) this.#inc(1); return this.#n; }
}
function run(n) { return new Counter().run(n); }""", """
local Counter = {}
Counter.__index = Counter
function Counter:_inc(k) self._n = self._n + k end
return function(n)
  local c = setmetatable({_n = 0}, Counter)
  for i = 1, n do c:_inc(1) end
  return c._n
end""", 20_000_000),
    # recursion keeps the callee's lookup out of loop-invariant code motion: each call pays it
    "recursive method call": ("""
class Fib {
  constructor() { this.calls = 0; this.small = 2; }
  fib(n) { this.calls++; return n < this.small ? n : this.fib(n - 1) + this.fib(n - 2); }
}
function run(n) {
  const f = new Fib();
  let s = 0;
  for (let i = 0; i < n; i++) s += f.fib(20);
  return s + f.calls;
}""", """
local Fib = {}
Fib.__index = Fib
function Fib.new() return setmetatable({calls = 0, small = 2}, Fib) end
function Fib:fib(n)
  self.calls = self.calls + 1
  if n < self.small then return n end
  return self:fib(n - 1) + self:fib(n - 2)
end
return function(n)
  local f = Fib.new()
  local s = 0
  for i = 1, n do s = s + f:fib(20) end
  return s + f.calls
end""", 100),
    "array push and index": ("""
function run(n) {
  const a = [];
  for (let i = 0; i < n; i++) a.push(i);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}""", """
return function(n)
  local a = {}
  for i = 1, n do a[#a + 1] = i - 1 end
  local s = 0
  for i = 1, #a do s = s + a[i] end
  return s
end""", 3_000_000),
    # stores that turn true into false: see R.aset in ljs/core.lua
    "array element store": ("""
function run(n) {
  let c = 0;
  for (let r = 0; r < n; r++) {
    const flags = new Array(8192).fill(true);
    for (let i = 2; i < 8192; i++) {
      if (flags[i]) { c++; for (let k = i + i; k < 8192; k += i) flags[k] = false; }
    }
  }
  return c;
}""", """
return function(n)
  local c = 0
  for r = 1, n do
    local flags = {}
    for i = 0, 8191 do flags[i] = true end
    for i = 2, 8191 do
      if flags[i] then c = c + 1; for k = i + i, 8191, i do flags[k] = false end end
    end
  end
  return c
end""", 2_000),
    # a parameter as the key: the compiler cannot prove it a number, so get and put decide at run time
    "index by a parameter": ("""
function load(a, k) { return a[k]; }
function store(a, k, v) { a[k] = v; }
function run(n) {
  const a = [0, 0, 0, 0, 0, 0, 0, 0];
  let s = 0;
  for (let i = 0; i < n; i++) for (let k = 0; k < 8; k++) { store(a, k, i); s += load(a, k); }
  return s;
}""", """
local function load(a, k) return a[k + 1] end
local function store(a, k, v) a[k + 1] = v end
return function(n)
  local a = {0, 0, 0, 0, 0, 0, 0, 0}
  local s = 0
  for i = 0, n - 1 do for k = 0, 7 do store(a, k, i); s = s + load(a, k) end end
  return s
end""", 2_000_000),
    # a property that holds undefined between uses (a list node's `next`) is an absent Lua key
    "undefined field store": ("""
class Node { constructor() { this.next = undefined; this.size = 1; } }
function run(n) {
  const a = new Node(), b = new Node();
  let c = 0;
  for (let i = 0; i < n; i++) { a.next = b; c += a.next.size; a.next = undefined; }
  return c;
}""", """
local Node = {}
Node.__index = Node
return function(n)
  local a = setmetatable({size = 1}, Node)
  local b = setmetatable({size = 1}, Node)
  local c = 0
  for i = 1, n do a.next = b; c = c + a.next.size; a.next = nil end
  return c
end""", 20_000_000),
    # `&` called from a loop LuaJIT cannot compile (it makes a closure per turn) before a loop that
    # it can: a helper that tail-called failed its own root traces there until LuaJIT blacklisted
    # it, and then the second loop's trace aborted at every call of it (ljs.jitguard)
    "bitwise ops after interpreted calls": ("""
function run(n) {
  let s = 0;
  for (let i = 0; i < 100000; i++) { const f = () => i; s += (i & 3) + f(); }
  for (let i = 0; i < n; i++) s += (i & 7) + (i | 1);
  return s;
}""", """
local band, bor = bit.band, bit.bor
return function(n)
  local s = 0
  for i = 0, 99999 do local f = function() return i end; s = s + band(i, 3) + f() end
  for i = 0, n - 1 do s = s + band(i, 7) + bor(i, 1) end
  return s
end""", 20_000_000),
    # one loop reading a getter of instances of two classes, the second after the first: the
    # second's side trace must link back to the loop (core.lua, chain_index)
    "getters of two classes": ("""
class Circle { constructor(r) { this.r = r; } get size() { return this.r * 2; } }
class Square { constructor(s) { this.s = s; } get size() { return this.s; } }
function total(shape, n) { let t = 0; for (let i = 0; i < n; i++) t += shape.size; return t; }
function run(n) { return total(new Circle(1), n / 2) + total(new Square(3), n / 2); }""", """
local Circle, Square = {}, {}
Circle.__index = function(o, k) if k == "size" then return o.r * 2 end end
Square.__index = function(o, k) if k == "size" then return o.s end end
local function total(shape, n) local t = 0 for i = 1, n do t = t + shape.size end return t end
return function(n)
  return total(setmetatable({r = 1}, Circle), n / 2) + total(setmetatable({s = 3}, Square), n / 2)
end""", 20_000_000),
    # objects kept in a ring so that they escape: allocation, not allocation sinking, is measured
    "object allocation": ("""
class Vec { constructor(x, y) { this.x = x; this.y = y; } }
function run(n) {
  const ring = new Array(1024).fill(null);
  let s = 0;
  for (let i = 0; i < n; i++) { const v = new Vec(i, 1); ring[i & 1023] = v; s += v.x + v.y; }
  return s;
}""", """
local Vec = {}
Vec.__index = Vec
local function new(x, y) return setmetatable({x = x, y = y}, Vec) end
return function(n)
  local ring = {}
  local s = 0
  for i = 0, n - 1 do local v = new(i, 1); ring[bit.band(i, 1023)] = v; s = s + v.x + v.y end
  return s
end""", 3_000_000),
    "object with class fields": ("""
class Particle { x = 0; y = 0; alive = true; constructor(id) { this.id = id; } }
function run(n) {
  const ring = new Array(1024).fill(null);
  let s = 0;
  for (let i = 0; i < n; i++) { const p = new Particle(i); ring[i & 1023] = p; s += p.id + p.x; }
  return s;
}""", """
local Particle = {}
Particle.__index = Particle
local function new(id) return setmetatable({x = 0, y = 0, alive = true, id = id}, Particle) end
return function(n)
  local ring = {}
  local s = 0
  for i = 0, n - 1 do local p = new(i); ring[bit.band(i, 1023)] = p; s = s + p.id + p.x end
  return s
end""", 3_000_000),
    "derived object allocation": ("""
class Vec { constructor(x, y) { this.x = x; this.y = y; } }
class Vec3 extends Vec { constructor(x, y, z) { super(x, y); this.z = z; } }
function run(n) {
  const ring = new Array(1024).fill(null);
  let s = 0;
  for (let i = 0; i < n; i++) { const v = new Vec3(i, 1, 2); ring[i & 1023] = v; s += v.x + v.z; }
  return s;
}""", """
local Vec3 = {}
Vec3.__index = Vec3
local function new(x, y, z) return setmetatable({x = x, y = y, z = z}, Vec3) end
return function(n)
  local ring = {}
  local s = 0
  for i = 0, n - 1 do local v = new(i, 1, 2); ring[bit.band(i, 1023)] = v; s = s + v.x + v.z end
  return s
end""", 3_000_000),
    "object built by stores": ("""
function run(n) {
  const ring = new Array(1024).fill(null);
  let s = 0;
  for (let i = 0; i < n; i++) { const o = {}; o.id = i; o.w = 2; ring[i & 1023] = o; s += o.id + o.w; }
  return s;
}""", """
return function(n)
  local ring = {}
  local s = 0
  for i = 0, n - 1 do local o = {}; o.id = i; o.w = 2; ring[bit.band(i, 1023)] = o; s = s + o.id + o.w end
  return s
end""", 3_000_000),
    "string concatenation": ("""
function run(n) {
  let s = "";
  for (let i = 0; i < n; i++) s += "x";
  return s.length;
}""", """
return function(n)
  local b = {}
  for i = 1, n do b[i] = "x" end
  return #table.concat(b)
end""", 200_000),
    "numbers in a template": ("""
function run(n) {
  let c = 0;
  for (let i = 0; i < n; i++) c += `${i}:${i * 2}`.length;
  return c;
}""", """
return function(n)
  local c = 0
  for i = 0, n - 1 do c = c + #(i .. ":" .. i * 2) end
  return c
end""", 1_000_000),
    "string scan": ("""
function run(n) {
  const s = "a,b,cc,ddd,".repeat(100);
  let c = 0;
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 44) c++;
  }
  return c;
}""", """
return function(n)
  local s = string.rep("a,b,cc,ddd,", 100)
  local c = 0
  for k = 1, n do
    for i = 1, #s do if string.byte(s, i) == 44 then c = c + 1 end end
  end
  return c
end""", 3_000),
    "closure call": ("""
function run(n) {
  const add = (a) => (b) => a + b;
  const inc = add(1);
  let s = 0;
  for (let i = 0; i < n; i++) s = inc(s);
  return s;
}""", """
return function(n)
  local function add(a) return function(b) return a + b end end
  local inc = add(1)
  local s = 0
  for i = 1, n do s = inc(s) end
  return s
end""", 20_000_000),
    "destructuring swap": ("""
function run(n) {
  let a = 0, b = 1;
  for (let i = 0; i < n; i++) [a, b] = [b, (a + b) % 1000];
  return a;
}""", """
return function(n)
  local a, b = 0, 1
  for i = 1, n do a, b = b, (a + b) % 1000 end
  return a
end""", 10_000_000),
    "rest parameters": ("""
function run(n) {
  const count = (...xs) => xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += count(i, 2, 3);
  return s;
}""", """
return function(n)
  local function count(...) return select("#", ...) end
  local s = 0
  for i = 1, n do s = s + count(i, 2, 3) end
  return s
end""", 3_000_000),
    "spread call": ("""
function add3(a, b, c) { return a + b + c; }
function run(n) {
  const xs = [1, 2, 3];
  let s = 0;
  for (let i = 0; i < n; i++) s += add3(...xs);
  return s;
}""", """
local function add3(a, b, c) return a + b + c end
return function(n)
  local xs = {1, 2, 3}
  local s = 0
  for i = 1, n do s = s + add3(xs[1], xs[2], xs[3]) end
  return s
end""", 3_000_000),
    "bound function call": ("""
function add3(a, b, c) { return a + b + c; }
function run(n) {
  const f = add3.bind(null, 1);
  let s = 0;
  for (let i = 0; i < n; i++) s += f(i, 2) + add3.call(null, 1, 2, 3);
  return s;
}""", """
local function add3(a, b, c) return a + b + c end
return function(n)
  local f = function(b, c) return add3(1, b, c) end
  local s = 0
  for i = 0, n - 1 do s = s + f(i, 2) + add3(1, 2, 3) end
  return s
end""", 3_000_000),
    # (no loop over the elements: a loop in the callee makes the result hang on which loop
    # LuaJIT traces first, the same for any callee)
    "arguments object": ("""
function sum() { return arguments.length > 2 ? arguments[0] + arguments[1] + arguments[2] : 0; }
function run(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += sum(i, 2, 3);
  return s;
}""", """
local function sum(...)
  local a, b, c = ...
  return select("#", ...) > 2 and a + b + c or 0
end
return function(n)
  local s = 0
  for i = 0, n - 1 do s = s + sum(i, 2, 3) end
  return s
end""", 3_000_000),
    # the hand-written Lua stores the keys itself; the JS goes through Object.assign's
    # stores (object.lua, assign_small)
    "Object.assign in a constructor": ("""
class Point { constructor(x, y) { Object.assign(this, { x, y }); } }
function run(n) {
  const ring = new Array(1024).fill(null);
  let s = 0;
  for (let i = 0; i < n; i++) { const p = new Point(i, 1); ring[i & 1023] = p; s += p.x; }
  return s;
}""", """
local Point = {}
Point.__index = Point
local function assign(t, src) for k, v in pairs(src) do t[k] = v end return t end
local function new(x, y) return assign(setmetatable({}, Point), {x = x, y = y}) end
return function(n)
  local ring = {}
  local s = 0
  for i = 0, n - 1 do local p = new(i, 1); ring[bit.band(i, 1023)] = p; s = s + p.x end
  return s
end""", 1_000_000),
    # an iterator object whose next() returns a new {value, done} each step: the trace sinks
    # the result when nothing compares it with another table (core.lua, isobject)
    "custom iterator for-of": ("""
function run(n) {
  const range = { [Symbol.iterator]() { let i = 0; return { next: () => (i < n ? { value: i++, done: false } : { value: undefined, done: true }) }; } };
  let s = 0;
  for (const v of range) s += v;
  return s;
}""", """
return function(n)
  local i = 0
  local it = {next = function() if i < n then i = i + 1; return {value = i - 1, done = false} end return {done = true} end}
  local s = 0
  while true do local r = it.next(); if r.done then break end s = s + r.value end
  return s
end""", 3_000_000),
    # the state-update idiom of reducers: {...state} takes state's shape and raw values
    # (rt.lua, spread_obj); the states are kept in a ring so that they escape, as a history does
    "object spread update": ("""
function run(n) {
  const ring = new Array(1024).fill(null);
  let st = { count: 0, name: "s", items: null, done: false };
  for (let i = 0; i < n; i++) { st = { ...st, count: st.count + 1 }; ring[i & 1023] = st; }
  return st.count;
}""", """
return function(n)
  local ring = {}
  local st = {count = 0, name = "s", items = false, done = false}
  for i = 0, n - 1 do
    st = {count = st.count + 1, name = st.name, items = st.items, done = st.done}
    ring[bit.band(i, 1023)] = st
  end
  return st.count
end""", 1_000_000),
    "Map get and has": ("""
function run(n) {
  const m = new Map();
  for (let i = 0; i < 1000; i++) m.set(i, i);
  let s = 0;
  for (let i = 0; i < n; i++) { const k = i % 1000; if (m.has(k)) s += m.get(k); }
  return s;
}""", """
return function(n)
  local m = {}
  for i = 0, 999 do m[i] = i end
  local s = 0
  for i = 0, n - 1 do local k = i % 1000; if m[k] ~= nil then s = s + m[k] end end
  return s
end""", 3_000_000),
}


def measure(fn, n):
    t = time.perf_counter()
    fn(n)
    return time.perf_counter() - t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--only")
    args = ap.parse_args(argv)
    rt = luascript.Runtime()
    print("%-24s %12s %12s %8s" % ("case", "luascript", "hand Lua", "ratio"))
    for name, (js, lua, n) in CASES.items():
        if args.only and args.only not in name:
            continue
        rt.eval(js + "\nglobalThis.__bench = run;")
        jsfn = rt.get("__bench")
        luafn = rt.lua.execute(lua)
        if jsfn(1000) != luafn(1000):
            print("%-24s results differ: %r vs %r" % (name, jsfn(1000), luafn(1000)), file=sys.stderr)
        js_t, lua_t, ratios = [], [], []
        measure(jsfn, n // 10)
        measure(luafn, n // 10)
        for r in range(args.rounds):
            pair = [(jsfn, js_t), (luafn, lua_t)]
            if r % 2:
                pair.reverse()
            for fn, out in pair:
                out.append(measure(fn, n))
            ratios.append(js_t[-1] / lua_t[-1])
        print("%-24s %10.1fms %10.1fms %8.2f" % (name, 1000 * statistics.median(js_t),
                                                1000 * statistics.median(lua_t), statistics.median(ratios)))


if __name__ == "__main__":
    main()
