"""ljs.jitguard: root traces at a runtime function's entry that do not return are flushed, so that
the traces of a program's loops run through the runtime's helpers instead of stopping at them."""
import importlib.util
from pathlib import Path

import luascript

# The micro-benchmark's stores to a field that holds undefined in between go through obj_newindex and
# addkey, which the runtime's own loading makes hot on its shape-extending path: without the guard,
# their root traces end in links to other traces, and the loop's trace stops at the store.
def _micro_case(name):
    spec = importlib.util.spec_from_file_location("micro", Path(__file__).parents[1] / "benchmarks" / "micro.py")
    micro = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(micro)
    return micro.CASES[name][0]


PROGRAM = _micro_case("undefined field store") + "\nglobalThis.__result = run(300000);\n"

WATCH = """
local guard, jutil = require("ljs.jitguard"), require("jit.util")
local roots = {}
guard.listen(function(what, tr, func, pc, otr)
  if what == "start" then   -- every start: an aborted trace's number comes back for another trace
    local src = jutil.funcinfo(func, pc).source or ""
    roots[tr] = otr == nil and src:find("/ljs/", 1, true) == nil and src:find("/lupa/", 1, true) == nil or nil
  end
end)
return function()   -- link types of the program's root traces still in the cache
  local out = {}
  for tr in pairs(roots) do
    local info = jutil.traceinfo(tr)
    if info then out[#out + 1] = info.linktype end
  end
  table.sort(out)
  return table.concat(out, " ")
end
"""


def test_program_loop_traces_through_runtime_helpers():
    rt = luascript.Runtime()
    links = rt.lua.execute(WATCH)
    rt.eval(PROGRAM)
    assert rt.eval("__result") == 300000
    found = links().split()
    assert "loop" in found, found
    # a trace of the program that links to a root trace is one that stopped at a helper's entry
    assert "root" not in found, found


def test_guard_passes_trace_events_to_listeners_until_they_leave():
    rt = luascript.Runtime()
    listened, after = rt.lua.execute("""
      local guard = require("ljs.jitguard")
      local n = 0
      local function count(what) if what == "stop" then n = n + 1 end end
      guard.listen(count)
      local s = 0
      for i = 1, 1000 do s = s + i end
      local listened = n
      guard.unlisten(count)
      for i = 1, 1000 do s = s + i end
      return listened, n
    """)
    assert listened >= 1 and after == listened


def test_program_with_more_traces_than_luajit_default_cache_is_not_flushed():
    # 1,500 functions with a hot loop each, past the 1,000 traces LuaJIT holds by default, where it
    # drops every trace and records them all again (the limits that ljs.jitguard sets)
    n = 1500
    program = "\n".join("globalThis.f%d = function (n) { let s = 0; for (let i = 0; i < n; i++) s += i * %d; return s; };"
                        % (k, k) for k in range(n))
    program += "\nlet total = 0;\nfor (let k = 0; k < %d; k++) total += globalThis['f' + k](200);\nglobalThis.__total = total;" % n
    rt = luascript.Runtime()
    flushes = rt.lua.eval("function() return require('ljs.jitguard').flushed_all end")
    before = flushes()   # (setting the metatables of strings and numbers flushes, as the runtime loads)
    rt.eval(program)
    assert rt.eval("__total") == sum(k * 199 * 200 // 2 for k in range(n))
    assert flushes() == before
    traces = rt.lua.execute("""
      local traceinfo, n = require("jit.util").traceinfo, 0
      for tr = 1, 20000 do if traceinfo(tr) then n = n + 1 end end
      return n""")
    assert traces > 1000


def test_abort_storm_at_one_place_flushes_all_traces_a_bounded_number_of_times():
    # what LuaJIT reports when a recursive function and a trace into it keep undoing each other
    rt = luascript.Runtime()
    # (flushed_all counts LuaJIT's own "flush" events: a real flush of every trace)
    flushes = rt.lua.eval("function() return require('ljs.jitguard').flushed_all end")
    storm = rt.lua.eval("function(n, f) for _ = 1, n do require('ljs.jitguard').abort_storm(f, 7) end end")
    place = rt.lua.eval("function() end")
    start = flushes()
    storm(99, place)
    assert flushes() == start
    storm(1, place)                     # the 100th abort at one place
    assert flushes() == start + 1
    for _ in range(20):
        storm(100, place)
    assert flushes() == start + 8       # at most 8 times per runtime


def test_up_recursion_traces_at_a_program_function_entry_are_recorded_again_three_times():
    # (recorded early, such a trace takes the function before its loops have traces: AWFY's
    # Permute ran 3-4x slower in the processes where that happened)
    rt = luascript.Runtime()
    count = rt.lua.execute("""
      local guard, jutil = require("ljs.jitguard"), require("jit.util")
      local recorded, entry = {}, {}
      guard.listen(function(what, tr, func, pc, otr)
        if what == "start" then entry[tr] = otr == nil and pc == 0 and func or nil
        elseif what == "stop" and entry[tr] and jutil.traceinfo(tr).linktype == "up-recursion" then
          recorded[#recorded + 1] = tr
        end
      end)
      -- (LuaJIT records a start point again only once its trace is gone)
      return function() return #recorded end""")
    rt.eval("function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }\n"
            "let total = 0;\nfor (let i = 0; i < 3000; i++) total += depth(40);\nglobalThis.__total = total;")
    assert rt.eval("__total") == 3000 * 40
    assert count() == 4   # the first three flushed, the fourth kept


def test_a_function_blacklisted_by_its_own_root_traces_is_re_enabled_for_a_trace_that_calls_it():
    # g's own root trace ends in a tail call, which LuaJIT cannot compile; called from an
    # interpreted loop it is blacklisted, and a trace that calls it then aborts at its entry
    rt = luascript.Runtime()
    was_blacklisted, loop_compiled = rt.lua.execute("""
      local guard, jutil = require("ljs.jitguard"), require("jit.util")
      local floor = math.floor
      local function g(x) return floor(x) end
      local function op(f) return jutil.funcbc(f, 0) % 256 end
      local FUNCF = op(function() end)
      local s = 0
      for i = 1, 300000 do local f = function() end; s = s + g(i) end   -- (FNEW: interpreted)
      local was = op(g) == FUNCF + 1                                      -- (IFUNCF)
      local function hot(n) local t = 0 for i = 1, n do t = t + g(i) end return t end
      local looped = false
      local function watch(what, tr, func)
        if what == "stop" and func == hot and jutil.traceinfo(tr).linktype == "loop" then looped = true end
      end
      guard.listen(watch)
      for _ = 1, 20 do hot(10000) end
      guard.unlisten(watch)
      return was, looped""")
    assert was_blacklisted
    assert loop_compiled


def test_hot_helpers_do_not_end_in_tail_calls():
    # a root trace started at a function's entry must return from it: one that tail-calls fails
    # each time, and the function is blacklisted for every trace that calls it. (Not vararg
    # functions: LuaJIT returns from none of them to a lower frame, and R.new(C, ...) passes on
    # the arguments of `new C(...spread)`, which a call that keeps its frame would overflow.)
    from luascript.transform.context import HOT_HELPERS
    rt = luascript.Runtime()
    tail_calls = rt.lua.execute("""
      local jutil, R = require("jit.util"), require("ljs.core")
      local FUNCF = jutil.funcbc(function() end, 0) % 256
      local CALLMT, CALLT = FUNCF - 22, FUNCF - 21   -- (lj_bc.h order)
      return function(name)
        local f, lines = R[name], {}
        if type(f) ~= "function" or not jutil.funcinfo(f).source or jutil.funcinfo(f).isvararg then
          return ""
        end
        local pc = 1
        while jutil.funcbc(f, pc) do
          local op = jutil.funcbc(f, pc) % 256
          if op == CALLT or op == CALLMT then lines[#lines + 1] = jutil.funcinfo(f, pc).currentline end
          pc = pc + 1
        end
        return table.concat(lines, " ")
      end""")
    found = {name: tail_calls(name) for name in HOT_HELPERS}
    assert {k: v for k, v in found.items() if v} == {}
    # the check sees tail calls where they are
    probe = rt.lua.eval("function(f) require('ljs.core').__probe = f end")
    probe(rt.lua.eval("function(x) return math.floor(x) end"))
    assert tail_calls("__probe") != ""
