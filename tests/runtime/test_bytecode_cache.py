"""The runtime's modules load from cached string.dump bytecode (runtime/lua/ljs/bytecode.lua),
which drops the array part of table constructors' templates; the loader gives it back."""
import os

import luascript
from lupa import luajit21

# Reads a table's array size from its header: the 32-bit word that holds n + 1 for table.new(n, 0)
# (found, not assumed, so that a LuaJIT with another layout fails here plainly).
ASIZE = """
local ffi, tnew = require("ffi"), require("table.new")
local function words(t) return ffi.cast("uint32_t*", tonumber(string.format("%p", t))) end
local slot
for i = 0, 15 do
  if words(tnew(5, 0))[i] == 6 and words(tnew(9, 0))[i] == 10 and words(tnew(17, 0))[i] == 18 then slot = i; break end
end
assert(slot, "no array size in a table header")
function asize(t) return words(t)[slot] end
function template(f)   -- f's first table constant
  for n = -1, -1000, -1 do
    local k = require("jit.util").funck(f, n)
    if k == nil then return nil end
    if type(k) == "table" then return k end
  end
end
"""


def lua():
    L = luajit21.LuaRuntime()
    L.execute(ASIZE)
    return L


def test_dumped_templates_keep_their_array_slots():
    L = lua()
    L.execute('package.path = ... .. "/?.lua;" .. package.path',
              os.path.join(os.path.dirname(luascript.__file__), "..", "runtime", "lua"))
    got = L.execute("""
      local B = require("ljs.bytecode")
      local src = load("local a, b = ...; return {[0] = a, b, length = 2}")
      local plain = load(string.dump(src))
      local bc, fix = B.dump(src)
      local loaded = load(bc)
      B.unmark(loaded, fix)
      local function keys(t) local n = 0; for _ in pairs(t) do n = n + 1 end; return n end
      local t, u = loaded("x", "y"), src("p", "q")
      return asize(template(src)), asize(template(plain)), asize(template(loaded)), fix,
        t[0], t[1], t.length, keys(t), u[0], u[1], keys(u)
    """)
    from_source, plain_dump, loaded, fix, *values = got
    assert from_source == 2 and plain_dump < from_source   # (what string.dump alone does)
    assert loaded == from_source and fix == "-1 1"
    # the slot filled for the dump is empty again, in the loaded chunk and in the source's
    assert values == ["x", "y", 2, 3, "p", "q", 3]


def test_runtime_modules_from_the_cache_keep_their_templates(tmp_path, monkeypatch):
    monkeypatch.setenv("LUASCRIPT_CACHE", str(tmp_path))
    sizes = []
    for _ in range(2):   # the second runtime loads what the first one cached
        rt = luascript.Runtime()
        assert rt.eval("((...xs) => xs.length)(1, 2, 3) + (function () { return arguments.length; })(4, 5)") == 5
        assert rt.eval("[...new Map([[1, 2], [3, 4]])].map(([k, v]) => k + v).join()") == "3,7"
        rt.lua.execute(ASIZE)
        # R.pack's array of up to 8 values: {[0] = a, b, c, d, e, f, g, h, length = n}
        sizes.append(rt.lua.eval('asize(template(require("ljs.core").pack))'))
    assert sizes[0] >= 8 and sizes[1] == sizes[0]
    cached = os.listdir(tmp_path / "bytecode")
    assert any(name.startswith("ljs.varargs-") and name.endswith(".bc") for name in cached)
    assert any(name.startswith("ljs.varargs-") and name.endswith(".bc.fix") for name in cached)
