"""Tests for runtime/lua/ljs/inspect.lua and console.lua against output recorded from node.

The cases live in inspect_cases.json, produced by gen_inspect_cases.js (run it with node to
regenerate); node is not needed to run these tests. Each case describes its value as a JSON
spec (see the generator's header); the Lua chunk below builds the same value in the LuaScript
value model. Built-ins that other runtime modules provide (Error, Map, Set, typed arrays,
Promise, RegExp) are stood in for by small mocks that use the hooks ljs.inspect documents.
"""

import json
import pathlib

import pytest
from lupa import luajit21

REPO = pathlib.Path(__file__).resolve().parents[2]
CASES = json.loads((pathlib.Path(__file__).parent / "inspect_cases.json").read_text("utf-8"))

HARNESS = r"""
local R = require("ljs.core")
require("ljs.inspect")
require("ljs.console")
local null = R.null

-- built-in constructors and prototypes as the real runtime publishes them
local function ctor(name, parent_proto, tag)
  local f = function(this) end
  local proto = R.newobj(parent_proto)
  R.ctor(name, 0, f, proto)
  if tag then R.hidden(proto, R.sym_toStringTag, tag) end
  return f, proto
end
R.ctor("Object", 1, function(this) end, R.ObjectPrototype)
R.ctor("Function", 1, function(this) end, R.FunctionPrototype)
R.ctor("Array", 1, function(this) end, R.ArrayPrototype)
R.method(R.ObjectPrototype, "toString", 0, function(this) return "[object Object]" end)
R.method(R.ObjectPrototype, "valueOf", 0, function(this) return this end)
R.method(R.ArrayPrototype, "toString", 0, function(this)
  local t = {}
  for i = 0, rawget(this, "length") - 1 do local v = rawget(this, i); t[i + 1] = v == nil and "" or R.tostr(v) end
  return table.concat(t, ",")
end)

local Error, ErrorProto = ctor("Error")
R.hidden(ErrorProto, "name", "Error")
R.hidden(ErrorProto, "message", "")
R.method(ErrorProto, "toString", 0, function(this)
  local name, msg = this.name, this.message
  name = name == nil and "Error" or R.tostr(name)
  msg = msg == nil and "" or R.tostr(msg)
  if name == "" then return msg end
  if msg == "" then return name end
  return name .. ": " .. msg
end)
for _, k in ipairs({"TypeError", "RangeError"}) do
  local _, p = ctor(k, ErrorProto)
  R.hidden(p, "name", k)
end

local parents = setmetatable({}, {__mode = "k"})
R.class_parent = function(f) return parents[f] end

local ckinds, cdata = {}, {}
R.coll_kind = function(o) return ckinds[o] end
R.coll_each = function(o)
  local d, i = cdata[o] or {}, 0
  return function()
    i = i + 1
    local e = d[i]
    if e then return e[1], e[2] end
  end
end
local _, MapProto = ctor("Map", nil, "Map")
local _, SetProto = ctor("Set", nil, "Set")
local _, WeakMapProto = ctor("WeakMap", nil, "WeakMap")
local _, WeakSetProto = ctor("WeakSet", nil, "WeakSet")

local tkinds, tprotos, buffers = {}, {}, {}
R.typed_kind = function(o) return tkinds[o] end
R.arraybuffer_bytes = function(o) return buffers[o] end
local _, BufferProto = ctor("ArrayBuffer", nil, "ArrayBuffer")
for _, k in ipairs({"Float64Array", "Uint8Array", "Int32Array", "Int16Array"}) do
  local _, p = ctor(k, nil, k)
  tprotos[k] = p
end

local pstates = {}
R.promise_state = function(p) local s = pstates[p]; if s then return s[1], s[2] end end
local _, PromiseProto = ctor("Promise", nil, "Promise")

local regexps = {}
R.isregexp = function(v) return regexps[v] == true end
local _, RegExpProto = ctor("RegExp")

-- building values from specs (see gen_inspect_cases.js)
local build

local function key_of(k, ids)
  if type(k) == "string" then return R.tokey(k) end
  return build(k, ids)
end

local function add_entry(o, k, v, ids)
  local key = key_of(k, ids)
  local kind = type(v) == "table" and v["$"]
  if kind == "getter" or kind == "setter" or kind == "getset" then
    local d = {enumerable = true, configurable = true}
    if kind ~= "setter" then d.get = function() return build(v.value, ids) end end
    if kind ~= "getter" then d.set = function() end end
    R.defprop(o, key, d)
  else
    rawset(o, key, build(v, ids))
    R.addkey(o, key)
  end
end

local function add_entries(o, list, ids)
  if not list then return end
  if type(o) == "function" then o = R.fprop_table(o) end
  for i = 1, list.n do
    local e = list.items[i]
    add_entry(o, e.items[1], e.items[2], ids)
  end
end

local function fill_array(a, items, ids)
  for i = 1, items.n do
    local s = items.items[i]
    if not (type(s) == "table" and s["$"] == "hole") then rawset(a, i - 1, build(s, ids))
    else rawset(a, R.HOLES, true) end   -- as an array literal with an elision marks its array
  end
end

local function make_class(spec, ids)
  if spec.builtin then return rawget(R.G, spec.name) end
  if spec.id and ids[spec.id] then return ids[spec.id] end
  local parent = spec.extends and build(spec.extends, ids)
  local f = function(this) end
  R.fn(f, spec.name)
  local t = R.fprop_table(f)
  rawset(t, "__class", true)
  local proto = R.newobj(parent and rawget(R.fprops[parent], "prototype") or nil)
  rawset(proto, "constructor", f)
  rawset(t, "prototype", proto)
  parents[f] = parent
  if spec.tag then R.defprop(proto, R.sym_toStringTag, {value = spec.tag, configurable = true}) end
  add_entries(f, spec.static, ids)
  add_entries(proto, spec.proto, ids)
  if spec.id then ids[spec.id] = f end
  return f
end

local NUMS = {["-0"] = -0.0, NaN = 0/0, Infinity = 1/0, ["-Infinity"] = -1/0}

build = function(spec, ids)
  if type(spec) ~= "table" then return spec end
  local kind = spec["$"]
  if kind == "null" then return null end
  if kind == "list" then
    local a = setmetatable({length = spec.n}, R.ArrayMT)
    fill_array(a, spec, ids)
    return a
  end
  if kind == "undefined" then return nil end
  if kind == "num" then return NUMS[spec.v] end
  if kind == "sym" then return R.newsymbol(spec.d) end
  if kind == "wksym" then return R["sym_" .. spec.n] end
  if kind == "ref" then return ids[spec.id] end
  if kind == "obj" then
    local o = R.newobj(spec.proto ~= nil and build(spec.proto, ids) or nil)
    if spec.id then ids[spec.id] = o end
    add_entries(o, spec.entries, ids)
    if spec.hidden then
      for i = 1, spec.hidden.n do
        local e = spec.hidden.items[i]
        rawset(o, key_of(e.items[1], ids), build(e.items[2], ids))
      end
    end
    return o
  end
  if kind == "arr" then
    local a = setmetatable({length = spec.items.n}, R.ArrayMT)
    if spec.id then ids[spec.id] = a end
    fill_array(a, spec.items, ids)
    add_entries(a, spec.props, ids)
    return a
  end
  if kind == "fn" then
    local f = function(this) end
    if spec.arrow then R.arrow(f, spec.name) else R.fn(f, spec.name) end
    add_entries(f, spec.props, ids)
    return f
  end
  if kind == "class" then return make_class(spec, ids) end
  if kind == "new" then
    local C = build(spec.class, ids)
    local o = R.newobj(rawget(R.fprops[C], "prototype"))
    if spec.id then ids[spec.id] = o end
    add_entries(o, spec.entries, ids)
    return o
  end
  if kind == "map" or kind == "set" then
    local o = R.newobj(kind == "map" and MapProto or SetProto)
    if spec.id then ids[spec.id] = o end
    local d = {}
    if kind == "map" then
      for i = 1, spec.entries.n do
        local e = spec.entries.items[i]
        d[i] = {build(e.items[1], ids), build(e.items[2], ids)}
      end
    else
      for i = 1, spec.items.n do local v = build(spec.items.items[i], ids); d[i] = {v, v} end
    end
    ckinds[o], cdata[o] = kind == "map" and "Map" or "Set", d
    return o
  end
  if kind == "weakmap" or kind == "weakset" then
    local o = R.newobj(kind == "weakmap" and WeakMapProto or WeakSetProto)
    ckinds[o] = kind == "weakmap" and "WeakMap" or "WeakSet"
    return o
  end
  if kind == "typed" then
    local o = R.newobj(tprotos[spec.kind])
    for i = 1, spec.items.n do rawset(o, i - 1, spec.items.items[i]) end
    rawset(o, "length", spec.items.n)
    tkinds[o] = spec.kind
    return o
  end
  if kind == "buffer" then
    local o = R.newobj(BufferProto)
    local b = {}
    for i = 1, spec.bytes.n do b[i] = string.char(spec.bytes.items[i]) end
    buffers[o] = table.concat(b)
    rawset(o, "byteLength", spec.bytes.n)
    tkinds[o] = "ArrayBuffer"
    return o
  end
  if kind == "promise" then
    local o = R.newobj(PromiseProto)
    pstates[o] = {spec.state, build(spec.value, ids)}
    return o
  end
  if kind == "regexp" then
    local o = R.newobj(RegExpProto)
    rawset(o, "source", spec.source)
    rawset(o, "flags", spec.flags)
    regexps[o] = true
    return o
  end
  if kind == "error" then
    local proto
    if spec.class then proto = rawget(R.fprops[build(spec.class, ids)], "prototype")
    else proto = rawget(R.fprops[rawget(R.G, spec.kind)], "prototype") end
    local e = R.newobj(proto)
    rawset(e, "message", spec.message)
    local stack = build(spec.stack, ids)
    if stack ~= null then
      rawset(e, "stack", stack or (R.tostr(e.name) .. ": " .. spec.message .. "\n    at <anonymous>"))
    end
    if spec.cause ~= nil then rawset(e, "cause", build(spec.cause, ids)) end
    add_entries(e, spec.entries, ids)
    return e
  end
  error("unknown spec " .. tostring(kind))
end

local H = {}
H.build = function(spec) return build(spec, {}) end

function H.inspect(spec, opts)
  local v = build(spec, {})
  if opts then
    local o = {}
    for k, s in pairs(opts) do o[k] = build(s, {}) end
    return R.inspect(v, o)
  end
  return R.inspect(v)
end

local function build_args(list)
  local args = {}
  for i = 1, list.n do args[i] = build(list.items[i], {}) end
  return args, list.n
end

function H.format(list)
  local args, n = build_args(list)
  return R.format(unpack(args, 1, n))
end

function H.console(calls)
  local out, err = {}, {}
  R.write_out = function(s) out[#out + 1] = s end
  R.write_err = function(s) err[#err + 1] = s end
  for i = 1, calls.n do
    local call = calls.items[i]
    local method = call.items[1]
    local args, n = {}, call.n - 1
    for j = 2, call.n do args[j - 1] = build(call.items[j], {}) end
    local f = rawget(R.G, "console")[method]
    f(rawget(R.G, "console"), unpack(args, 1, n))
  end
  return table.concat(out), table.concat(err)
end

H.format_time = R.console_format_time
return H
"""


def new_harness():
    lua = luajit21.LuaRuntime()
    lua.execute("package.path = ... .. package.path", str(REPO / "runtime" / "lua" / "?.lua") + ";")
    return lua, lua.execute(HARNESS)


def to_lua(lua, spec):
    """JSON spec -> Lua tables: lists keep their length and holes, dicts without "$" become
    ordered entry lists, null becomes a marker."""
    if spec is None:
        return lua.table_from({"$": "null"})
    if isinstance(spec, bool) or isinstance(spec, str):
        return spec
    if isinstance(spec, int):
        return float(spec) if abs(spec) > 2 ** 53 else spec
    if isinstance(spec, float):
        return spec
    if isinstance(spec, list):
        return lua.table_from({"$": "list", "n": len(spec), "items": lua.table_from([to_lua(lua, s) for s in spec])})
    if "$" not in spec:
        entries = [[k, v] for k, v in spec.items()]
        return to_lua(lua, {"$": "obj", "entries": entries})
    return lua.table_from({k: to_lua(lua, v) for k, v in spec.items()})


@pytest.fixture(scope="module")
def harness():
    return new_harness()


def case_id(c):
    return c["name"]


@pytest.mark.parametrize("case", CASES["inspect"], ids=case_id)
def test_inspect(harness, case):
    lua, H = harness
    opts = case.get("opts")
    value = to_lua(lua, case["value"])
    if opts is None:
        got = H.inspect(value)
    else:
        got = H.inspect(value, lua.table_from({k: to_lua(lua, v) for k, v in opts.items()}))
    assert got == case["expected"]


@pytest.mark.parametrize("case", CASES["format"], ids=case_id)
def test_format(harness, case):
    lua, H = harness
    assert H.format(to_lua(lua, case["args"])) == case["expected"]


@pytest.mark.parametrize("case", CASES["console"], ids=case_id)
def test_console(case):
    lua, H = new_harness()   # console state (groups, counters) is per runtime
    out, err = H.console(to_lua(lua, case["calls"]))
    assert (out, err) == (case["expected"]["out"], case["expected"]["err"])


def test_format_time(harness):
    _, H = harness
    got = [H.format_time(float(c["ms"])) for c in CASES["formatTime"]]
    assert got == [c["expected"] for c in CASES["formatTime"]]


def test_console_published(harness):
    lua, _ = harness
    assert lua.eval('require("ljs.core").typeof(rawget(require("ljs.core").G, "console").log)') == "function"
    assert lua.eval('require("ljs.inspect").inspect(rawget(require("ljs.core").G, "console"))').startswith(
        "Object [console] {")


def test_default_writers():
    lua = luajit21.LuaRuntime()
    lua.execute("package.path = ... .. package.path", str(REPO / "runtime" / "lua" / "?.lua") + ";")
    assert lua.eval('(function() local R = require("ljs.core"); require("ljs.console"); '
                    'return type(R.write_out) == "function" and type(R.write_err) == "function" end)()')
