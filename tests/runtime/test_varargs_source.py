"""ljs.varargs (rest parameters, the arguments object) loads from source while the other runtime
modules load from cached bytecode: LuaJIT's traces through a vararg function loaded from
string.dump bytecode go back to the interpreter on every call (runtime/lua/ljs/varargs.lua)."""
import os

import luascript


def test_vararg_helpers_load_from_source_with_the_bytecode_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LUASCRIPT_CACHE", str(tmp_path))
    for _ in range(2):   # the second runtime loads what the first one cached
        rt = luascript.Runtime()
        assert rt.eval("((...xs) => xs.length)(1, 2, 3) + (function () { return arguments.length; })(4, 5)") == 5
        source = rt.lua.eval('debug.getinfo(require("ljs.core").pack, "S").source')
        assert source.endswith("varargs.lua")
    cached = os.listdir(tmp_path / "bytecode")
    assert any(name.startswith("ljs.core-") for name in cached)
    assert not any("varargs" in name for name in cached)
