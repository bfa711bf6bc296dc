"""What a Runtime keeps in its Lua heap, which every GC cycle of the program goes through, and
the order of the built-ins' keys, which must not follow LuaJIT's per-process string hashes."""
import subprocess
import sys

import luascript


def _heap_kb(rt):
    return rt.lua.eval('(function() collectgarbage(); collectgarbage(); return collectgarbage("count") end)()')


def test_no_memory_reserve_without_a_memory_limit(tmp_path):
    # the 256 KB reserve (ljs/sandbox.lua) is for returning to Python at a memory limit
    p = tmp_path / "empty.ljs"
    p.write_text("")
    rt = luascript.Runtime()
    before = _heap_kb(rt)
    assert rt.run_file(str(p)) == 0
    assert _heap_kb(rt) - before < 64


def test_memory_limited_runtime_keeps_its_reserve(tmp_path):
    p = tmp_path / "empty.ljs"
    p.write_text("")
    rt = luascript.Runtime(memory_limit=64 << 20)
    before = _heap_kb(rt)
    assert rt.run_file(str(p)) == 0
    assert _heap_kb(rt) - before >= 256


def test_hrtime_of_a_start_time_loads_no_node_library(tmp_path):
    p = tmp_path / "t.ljs"
    p.write_text("const t = process.hrtime(); const d = process.hrtime(t);\n"
                 "globalThis.ok = d.length === 2 && d[0] >= 0;")
    rt = luascript.Runtime()
    assert rt.run_file(str(p)) == 0
    assert rt.get("ok") is True
    assert rt.lua.eval('package.loaded["ljs.nodelib"]') is None


ORDER = """
for (const o of [Function.prototype, Math, Number, String.prototype, Error.prototype, Array.prototype,
                 Object, Promise.prototype, Reflect, console, JSON])
  console.log(Object.getOwnPropertyNames(o).join(","));
"""


def test_builtin_keys_list_in_the_same_order_in_every_process(tmp_path):
    p = tmp_path / "order.ljs"
    p.write_text(ORDER)
    outs = {subprocess.run([sys.executable, "-m", "luascript", "run", str(p)], capture_output=True, text=True,
                           check=True).stdout for _ in range(3)}
    assert len(outs) == 1
    lines = outs.pop().splitlines()
    assert len(lines) == 11
    # methods in the order the runtime defines them, as node lists them in the order it does
    assert lines[7].split(",")[:3] == ["then", "catch", "finally"]
    assert set(lines[1].split(",")) >= {"PI", "E", "abs", "max", "random"}


# GC cycles while the program allocates short-lived objects: a counter a finalizer re-arms at
# the end of every cycle (as ljs/gcbudget.lua's own does)
_COUNT_CYCLES = """
local n = 0
local function arm() getmetatable(newproxy(true)).__gc = function() n = n + 1; arm() end end
arm()
local keep = {}
for i = 1, 400000 do keep[i % 64 + 1] = {i, i, i, i} end   -- about 32 MB, 64 objects live
return n, collectgarbage("setpause", 200)
"""


def test_a_cycle_waits_for_the_gc_budget_of_allocation():
    from luascript.runtime import GC_BUDGET
    cycles, pause = luascript.Runtime().lua.execute(_COUNT_CYCLES)
    # without the budget (a memory-limited runtime keeps LuaJIT's default) a cycle comes after
    # every heap's worth of allocation, a MB or two here
    plain_cycles, plain_pause = luascript.Runtime(memory_limit=256 << 20).lua.execute(_COUNT_CYCLES)
    assert plain_pause == 200
    assert plain_cycles > 3 * cycles, (plain_cycles, cycles)
    # the pause the last cycle set: the heap it left live plus the budget
    live_kb = _heap_kb(luascript.Runtime())
    assert 100 * (live_kb + GC_BUDGET / 1024) / live_kb / 2 < pause < 100 * (live_kb + GC_BUDGET / 1024) / live_kb * 2


def test_a_heap_larger_than_the_budget_doubles_between_cycles():
    from luascript.runtime import GC_BUDGET
    rt = luascript.Runtime()
    pause = rt.lua.execute("""
    local big = {}
    for i = 1, %d do big[i] = {i} end    -- about 4 budgets live
    collectgarbage()
    return collectgarbage("setpause", 200), #big
    """ % (GC_BUDGET * 4 // 48))
    assert pause[0] == 200
