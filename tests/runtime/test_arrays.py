"""Tests for runtime/lua/ljs/array.lua and typedarray.lua.

Most expectations live in array_cases.json, produced by gen_array_cases.js (run it with node
to regenerate): each case is one scenario written both in JavaScript and in Lua, with node's
result in a canonical form that the Lua side below reproduces. node is not needed to run
these tests. The rest are properties that are easier to state here (sort stability on large
inputs, JIT-compiled stores, the pointer bridge, iteration fast paths, no leaked globals).
"""

import json
import pathlib

import pytest
from lupa import luajit21

REPO = pathlib.Path(__file__).resolve().parents[2]
CASES = json.loads((pathlib.Path(__file__).parent / "array_cases.json").read_text("utf-8"))["cases"]


def new_runtime():
    lua = luajit21.LuaRuntime()
    lua.execute("package.path = ... .. package.path", str(REPO / "runtime" / "lua" / "?.lua") + ";")
    return lua


# The environment the cases' Lua snippets run in, and the canonical encoding of results
# (the same as canon() in gen_array_cases.js), produced as JSON text.
PRELUDE = r"""
local R = require("ljs.core")
require("ljs.array")
require("ljs.typedarray")
local G, null = R.G, R.null
-- like JS array literals: a nil argument is a hole (marks the array holey)
local function holey_pack(...)
  local a = R.pack(...)
  for i = 1, select("#", ...) do if select(i, ...) == nil then rawset(a, R.HOLES, true) break end end
  return a
end

-- a plain object with these own enumerable properties, in order (as a literal would make)
local function O(...)
  local o = R.newobj()
  for i = 1, select("#", ...), 2 do
    local k, v = select(i, ...)
    k = R.tokey(k)
    R.addkey(o, k)
    rawset(o, k, v)
  end
  return o
end

local function iterable(n)
  return O(R.sym_iterator, function()
    local i = 0
    return O("next", function()
      if i < n then i = i + 1; return O("value", 10 * (i - 1), "done", false) end
      return O("value", nil, "done", true)
    end)
  end)
end

local function keys(o)
  local ks, n = R.ownkeys(o)
  local a = R.pack()
  for i = 1, n do a:push(R.tostr(ks[i])) end
  return a
end

local env = setmetatable({
  R = R, G = G, null = null, A = holey_pack, N = R.new, O = O, Sym = R.sym_iterator, AP = R.ArrayPrototype,
  iterable = iterable, keys = keys, freeze = function(o) return R.freeze(o, "freeze") end,
}, {__index = function(_, k) local v = rawget(G, k); if v ~= nil then return v end; return _G[k] end})

local function jstr(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

local canon
local function list(v, n, get)
  local out = {}
  for i = 0, n - 1 do out[i + 1] = canon(get(v, i)) end
  return "[" .. table.concat(out, ",") .. "]"
end
local function index(v, i) return v[i] end

canon = function(v)
  local t = type(v)
  if v == nil then return '{"u":1}' end
  if v == null then return "null" end
  if t == "number" then
    if v == 0 and 1 / v < 0 then return '{"n":"-0"}' end
    return '{"n":' .. jstr(R.numtostr(v)) .. "}"
  end
  if t == "string" then return '{"s":' .. jstr(v) .. "}" end
  if t == "boolean" then return tostring(v) end
  if t == "function" then return '{"f":1}' end
  if R.isarray(v) then return '{"a":' .. list(v, v.length, index) .. "}" end
  if R.typed_kind(v) then return '{"t":' .. jstr(R.typed_kind(v)) .. ',"v":' .. list(v, v.length, index) .. "}" end
  if R.is_arraybuffer(v) then return '{"buf":' .. v.byteLength .. "}" end
  local ks, n = R.ownkeys(v)
  local out = {}
  for i = 1, n do
    local k = ks[i]
    out[i] = "[" .. jstr(R.tostr(k)) .. "," .. canon(v[k]) .. "]"
  end
  return '{"o":[' .. table.concat(out, ",") .. "]}"
end

local function canon_error(e)
  if type(e) == "string" then
    local name, msg = e:match("^(%a+): (.*)$")
    if name then return '{"err":' .. jstr(name) .. ',"msg":' .. jstr(msg) .. "}" end
    return '{"lua_error":' .. jstr(e) .. "}"
  end
  if type(e) == "table" and e.name then
    return '{"err":' .. jstr(R.tostr(e.name)) .. ',"msg":' .. jstr(R.tostr(e.message)) .. "}"
  end
  return '{"lua_error":' .. jstr(tostring(e)) .. "}"
end

return function(src)
  local f, err = loadstring(src, "=case")
  if not f then return '{"compile_error":' .. jstr(err) .. "}" end
  setfenv(f, env)
  local ok, r = pcall(f)
  if not ok then return canon_error(r) end
  local ok2, s = pcall(canon, r)
  if not ok2 then return '{"canon_error":' .. jstr(tostring(s)) .. "}" end
  return s
end
"""


@pytest.fixture(scope="module")
def run_case():
    lua = new_runtime()
    return lua.execute(PRELUDE)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(run_case, case):
    got = json.loads(run_case(case["lua"]))
    want = case["expect"]
    if case.get("nameOnly") and "err" in want and "err" in got:
        assert got["err"] == want["err"], f"{case['js']}\n{case['lua']}"
        return
    assert got == want, (f"\nJS:  {case['js']}\nLua: {case['lua']}\n"
                         f"got:  {json.dumps(got)}\nwant: {json.dumps(want)}")


def test_every_case_is_checked():
    # the generator and the JSON must not drift apart silently
    assert len(CASES) >= 200
    assert len({c["name"] for c in CASES}) == len(CASES)


# ----------------------------------------------------------------------------------------
# Properties checked directly in Lua


@pytest.fixture()
def lua():
    rt = new_runtime()
    rt.execute("""
        R = require("ljs.core")
        require("ljs.array")
        require("ljs.typedarray")
    """)
    return rt


def test_modules_leak_no_globals():
    rt = new_runtime()
    leaked = rt.execute("""
        local before = {}
        for k in pairs(_G) do before[k] = true end
        require("ljs.core"); require("ljs.array"); require("ljs.typedarray")
        local new = {}
        for k in pairs(_G) do if not before[k] then new[#new + 1] = tostring(k) end end
        table.sort(new)
        return table.concat(new, ",")
    """)
    assert leaked == ""


def test_sort_stable_1000_with_ties(lua):
    # 1000 records keyed on few distinct values; equal keys must keep their input order
    ok = lua.execute("""
        local a = R.pack()
        local seed = 7
        for i = 0, 999 do
          seed = (seed * 1103515245 + 12345) % 2147483648
          a:push(R.pack(seed % 5, i))
        end
        local calls = 0
        a:sort(function(_, x, y) calls = calls + 1; return x[0] - y[0] end)
        for i = 1, 999 do
          local p, q = a[i - 1], a[i]
          if p[0] > q[0] then return "order broken at " .. i end
          if p[0] == q[0] and p[1] > q[1] then return "unstable at " .. i end
        end
        if a.length ~= 1000 then return "length " .. a.length end
        -- merge sort: n log n comparisons, not n^2
        if calls > 12000 then return "too many comparisons: " .. calls end
        return "ok"
    """)
    assert ok == "ok"


def test_sort_stable_descending_and_default(lua):
    ok = lua.execute("""
        local a = R.pack()
        for i = 0, 999 do a:push(R.pack(i % 3, i)) end
        a:sort(function(_, x, y) return y[0] - x[0] end)
        for i = 1, 999 do
          local p, q = a[i - 1], a[i]
          if p[0] < q[0] or (p[0] == q[0] and p[1] > q[1]) then return "bad at " .. i end
        end
        -- default sort on objects with equal strings keeps order too
        local objs = R.pack()
        for i = 0, 499 do
          local o = R.newobj(); o.id = i
          o.toString = function(this) return (this.id % 2 == 0) and "even" or "odd" end
          objs:push(o)
        end
        objs:sort()
        for i = 1, 499 do
          local p, q = objs[i - 1], objs[i]
          if (p.id % 2) == (q.id % 2) and p.id > q.id then return "default unstable at " .. i end
        end
        if objs[0].id ~= 0 or objs[250].id ~= 1 then return "default order" end
        return "ok"
    """)
    assert ok == "ok"


def test_big_sorts_match_reference(lua):
    ok = lua.execute("""
        local n = 20000
        local a, ref = R.pack(), {}
        local seed = 42
        for i = 1, n do
          seed = (seed * 1103515245 + 12345) % 2147483648
          local v = seed % 100000 - 50000
          a:push(v); ref[i] = v
        end
        table.sort(ref)
        local b = a:toSorted(function(_, x, y) return x - y end)
        for i = 1, n do if b[i - 1] ~= ref[i] then return "numeric mismatch at " .. i end end
        local t = R.new(R.G.Float64Array, a)
        t:sort()
        for i = 1, n do if t[i - 1] ~= ref[i] then return "typed mismatch at " .. i end end
        -- default order is by string
        local s = a:toSorted()
        for i = 1, n - 1 do
          if R.tostr(s[i - 1]) > R.tostr(s[i]) then return "string order at " .. i end
        end
        return "ok"
    """)
    assert ok == "ok"


def test_jit_compiled_stores_convert(lua):
    # the same conversions must hold once the store loop is compiled by the JIT
    ok = lua.execute("""
        local G = R.G
        local vals = {-129, 300.7, 4294967295, -1.5, 2147483648, 65536 + 7, -0.5, 254.5, 1e10}
        local want = {
          Int8Array = {127, 44, -1, -1, 0, 7, 0, -2, 0},
          Uint8Array = {127, 44, 255, 255, 0, 7, 0, 254, 0},
          Uint8ClampedArray = {0, 255, 255, 0, 255, 255, 0, 254, 255},
          Int16Array = {-129, 300, -1, -1, 0, 7, 0, 254, -7168},
          Uint32Array = {4294967167, 300, 4294967295, 4294967295, 2147483648, 65543, 0, 254, 1410065408},
          Int32Array = {-129, 300, -1, -1, -2147483648, 65543, 0, 254, 1410065408},
        }
        for kind, w in pairs(want) do
          local t = R.new(G[kind], #vals)
          for rep = 1, 300 do
            for i = 1, #vals do t[i - 1] = vals[i] end
          end
          for i = 1, #vals do
            if t[i - 1] ~= w[i] then return kind .. "[" .. (i - 1) .. "] = " .. tostring(t[i - 1]) .. ", want " .. w[i] end
          end
        end
        return "ok"
    """)
    assert ok == "ok"


def test_typed_layout_and_pointer_bridge(lua):
    ok = lua.execute("""
        local ffi = require("ffi")
        local G = R.G
        local t = R.new(G.Float64Array, 4)
        -- the representation runtime libraries rely on: memory and bounds under private keys
        local P = R.TA_PTR
        if type(t[P]) ~= "cdata" or t[R.TA_LEN] ~= 4 or t.length ~= 4 or t.byteOffset ~= 0 then return "layout" end
        if rawget(t, "ptr") ~= nil or t.ptr ~= nil then return "ptr visible" end
        if not R.is_arraybuffer(t.buffer) or t.buffer ~= t[R.TA_BUF] then return "buffer" end
        t[P][2] = 1.25
        if t[2] ~= 1.25 then return "ptr write not seen" end
        t[3] = "2.5"
        if t[P][3] ~= 2.5 then return "converted store" end
        if R.typed_kind(t) ~= "Float64Array" or R.typed_kind(R.pack()) ~= nil or R.typed_kind(5) ~= nil then return "typed_kind" end
        if R.isarray(t) then return "isarray" end

        -- wrap foreign memory without copying
        local mem = ffi.new("int32_t[3]", {7, 8, 9})
        local v = R.typed_from_pointer("Int32Array", ffi.cast("int32_t *", mem), 3, mem)
        if R.typed_kind(v) ~= "Int32Array" or v.length ~= 3 or v[1] ~= 8 then return "wrap" end
        v[0] = 2^31
        if mem[0] ~= -2147483648 then return "shared write " .. tostring(mem[0]) end
        mem[2] = 42
        if v[2] ~= 42 or v.buffer.byteLength ~= 12 then return "shared read" end
        local sub = v:subarray(1)
        if sub[1] ~= 42 or sub.byteOffset ~= 4 then return "subarray of wrapped" end
        if v:map(function(_, x) return x + 1 end)[2] ~= 43 then return "map" end
        return "ok"
    """)
    assert ok == "ok"


def test_typed_memory_outlives_the_creator(lua):
    # a subarray keeps the buffer (and so the memory) alive after the original is dropped
    ok = lua.execute("""
        local G = R.G
        local sub
        do
          local t = R.new(G.Uint8Array, 65536)
          for i = 0, 65535 do t[i] = i end
          sub = t:subarray(65530)
        end
        for _ = 1, 5 do collectgarbage("collect") end
        local junk = {}
        for i = 1, 100 do junk[i] = R.new(G.Uint8Array, 65536) end
        for i = 0, 5 do if sub[i] ~= (65530 + i) % 256 then return "lost memory at " .. i end end
        return "ok"
    """)
    assert ok == "ok"


def test_fast_iteration_paths(lua):
    ok = lua.execute("""
        local G, AP = R.G, R.ArrayPrototype
        local values = rawget(AP, "values")
        if rawget(AP, R.sym_iterator) ~= values then return "Symbol.iterator ~= values" end
        local fast = R.fast_iter[values]
        if not fast then return "no fast path for arrays" end
        -- step returns (i, a[i]) and re-reads the length
        local a = R.pack(1, 2)
        local f, s, c = fast(a)
        local seen = {}
        for i, v in f, s, c do
          seen[#seen + 1] = i .. "=" .. tostring(v)
          if i == 0 then a:push(3) end
        end
        if table.concat(seen, " ") ~= "0=1 1=2 2=3" then return "array steps: " .. table.concat(seen, " ") end
        -- holes come through as nil values with a non-nil control
        local n = 0
        for i, v in fast(R.pack(nil, nil, 5)) do n = n + 1 end
        if n ~= 3 then return "holes stop iteration" end
        -- typed arrays
        local tv = rawget(R.TypedArrayPrototype, "values")
        local tf = R.fast_iter[tv]
        if not tf or rawget(R.TypedArrayPrototype, R.sym_iterator) ~= tv then return "typed fast path" end
        local sum = 0
        for _, v in tf(R.new(G.Int8Array, R.pack(1, 2, 3))) do sum = sum + v end
        if sum ~= 6 then return "typed sum" end
        -- iterator objects iterate without result objects
        local it = R.pack("a", "b", "c"):entries()
        local m = it[R.sym_iterator]
        local itf = R.fast_iter[m]
        if not itf then return "iterator fast path" end
        local out = {}
        for _, e in itf(it) do out[#out + 1] = e[0] .. e[1] end
        if table.concat(out, ",") ~= "0a,1b,2c" then return "entries: " .. table.concat(out, ",") end
        if not it:next().done then return "exhausted iterator" end
        return "ok"
    """)
    assert ok == "ok"


def test_subclass_constructors_initialise_this(lua):
    ok = lua.execute("""
        local G = R.G
        -- class MyArray extends Array: `this` is an array-kind object of the subclass
        local P = setmetatable({}, R.protomt(R.ArrayPrototype))
        local o = setmetatable({}, R.protomt(P))
        local r = G.Array(o, 4, 5, 6)
        if r ~= o or o.length ~= 3 or o[2] ~= 6 then return "Array super call" end
        if o:map(function(_, x) return x + 1 end):join() ~= "5,6,7" then return "methods on subclass" end
        local o2 = setmetatable({}, R.protomt(P))
        G.Array(o2, 7)
        if o2.length ~= 7 or o2[0] ~= nil then return "Array(n) super call" end
        -- class Bytes extends Uint8Array
        local TP = setmetatable({}, R.protomt(G.Uint8Array.prototype))
        rawset(TP, "hello", function(this) return "hi " .. this.length end)
        local b = setmetatable({}, R.protomt(TP))
        G.Uint8Array(b, R.pack(1, 300))
        if b[1] ~= 44 or b:hello() ~= "hi 2" or R.typed_kind(b) ~= "Uint8Array" then return "typed subclass" end
        if not R.instanceof(b, G.Uint8Array) then return "typed subclass instanceof" end
        return "ok"
    """)
    assert ok == "ok"


def test_array_prototype_chain_reaches_object_prototype(lua):
    ok = lua.execute("""
        rawset(R.ObjectPrototype, "probe", function() return "from Object.prototype" end)
        if R.pack():probe() ~= "from Object.prototype" then return "no chain" end
        return "ok"
    """)
    assert ok == "ok"


def test_push_hot_path_is_fast(lua):
    # not a benchmark: guards against an accidental O(n^2) or per-call allocation blowup
    elapsed = lua.execute("""
        local a = R.pack()
        local t0 = os.clock()
        for i = 1, 2000000 do a:push(i) end
        local s = 0
        for i = 0, a.length - 1 do s = s + a[i] end
        assert(s == 2000000 * 2000001 / 2)
        return os.clock() - t0
    """)
    assert elapsed < 2.0


def test_hot_paths_do_not_get_blacklisted(lua):
    # LuaJIT blacklists a function whose own traces keep failing, and afterwards every trace
    # that calls it aborts: one poisoned helper would leave all array code interpreted. The
    # usual causes are tail calls into helpers or into setmetatable (NYI "return to lower
    # frame") and loops that a trace cannot leave. Run common patterns hot, from a function
    # and from a (vararg) main chunk, and require no such abort inside our modules.
    # Trace error numbers (lj_traceerr.h): 5 blacklisted, 7 NYI bytecode, 16 NYI return to
    # lower frame.
    bad = lua.execute("""
        local jutil = require("jit.util")
        local G, A, N = R.G, R.pack, R.new
        local found = {}
        local function watch(what, tr, func, pc, otr)
          if what ~= "abort" or (otr ~= 5 and otr ~= 7 and otr ~= 16) then return end
          local loc = jutil.funcinfo(func, pc).loc or "?"
          if loc:find("array.lua", 1, true) or loc:find("typedarray.lua", 1, true) or loc:find("ljs.array.sort", 1, true) then
            found[loc .. " err=" .. otr] = true
          end
        end
        jit.attach(watch, "trace")
        local f1 = function(_, x) return x + 1 end
        local pred = function(_, x) return x % 2 == 0 end
        local add = function(_, a, b) return a + b end
        local cmp = function(_, a, b) return a - b end
        local small = function() return A(5, 3, 1, 4, 2, 8, 7, 6, 9, 0, 11, 15, 13, 12, 14, 10) end
        local P = {
          function() local a = A(); for i = 1, 100 do a:push(i) end; while a.length > 0 do a:pop() end end,
          function() return small():map(f1):filter(pred):reduce(add, 0) end,
          function() small():forEach(f1); return small():some(pred), small():find(pred), small():findIndex(pred) end,
          function() local a = small(); return a:indexOf(3), a:includes(3), a:slice(1, -1), a:at(-1), a:join("-") end,
          function() return A(1, 2):concat(A(3, 4), 5), A(A(1), A(2, A(3))):flat(1/0) end,
          function() local a = small(); a:splice(1, 2, 9); a:shift(); a:unshift(0); return a:reverse():fill(0, 3) end,
          function() return small():sort(cmp), small():sort(), small():toSorted(), small():with(0, 9) end,
          function() return G.Array:from(small()), G.Array:of(1, 2, 3), N(G.Array, 5) end,
          function() local s = 0; for _, e in R.iter(small():entries()) do s = s + e[1] end; return s end,
          function() local it = small():values(); it:next(); return it:next() end,
          function() local t = N(G.Int32Array, 16); local s = 0; for i = 0, 15 do t[i] = i; s = s + t[i] end; return s end,
          function() local t = N(G.Float64Array, small()); return t:map(f1):reduce(add, 0), t:subarray(2, 4), t:slice(2, 4) end,
          function() local t = N(G.Uint8Array, small()); t:sort(); t:fill(3, 5); t:set(A(1, 2), 3); return t:join() end,
          function() local s = 0; for _, v in R.iter(N(G.Uint8Array, small())) do s = s + v end; return s end,
        }
        local function loop(f, n) for i = 1, n do f() end end
        for round = 1, 2 do
          for i = 1, #P do loop(P[i], 2000) end
          for i = 1, #P do local f = P[i]; for _ = 1, 2000 do f() end end
        end
        jit.attach(watch)
        local out = {}
        for k in pairs(found) do out[#out + 1] = k end
        table.sort(out)
        return table.concat(out, "; ")
    """)
    assert bad == ""
