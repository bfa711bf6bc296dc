"""What the types of locals (luascript/transform/numeric.py) change in the generated Lua: a typed
local reaches Lua's own operators and tests; the assignments that keep a local untyped keep the
runtime's helpers. tests/programs/typed_locals.ljs checks the same shapes' results against node."""
import re

from luascript import compile_source


def lua_of(src):
    return compile_source(src, "typed.ljs").lua.decode()


def test_boolean_local_is_tested_without_truthy():
    lua = lua_of("""
        function scan(limit) {
          let done = false, steps = 0;
          while (!done && steps < 10) { steps++; if (steps > 3) done = steps > 2 && true; }
          return done || steps;
        }
        console.log(scan(9));
    """)
    assert re.search(r"while not done and steps < 10 do", lua), lua
    assert "return done or steps" in lua
    assert "truthy" not in lua


def test_other_assignments_keep_truthy():
    lua = lua_of("""
        function f(v) { let a = true; a = v; let b = false; const g = () => { b = 1; }; g();
          let c = true; c++; return [a ? 1 : 2, b ? 1 : 2, c ? 1 : 2]; }
        console.log(f(0));
    """)
    assert lua.count("J0_truthy(") == 3, lua


def test_incremented_string_is_no_string():
    lua = lua_of('let s = "1"; s++; console.log(s + 1);')
    assert "J0_add(s, 1)" in lua and '" ..' not in lua
