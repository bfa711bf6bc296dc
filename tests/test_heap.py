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

