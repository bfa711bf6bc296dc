"""Declarations sunk into their only assignment (luascript/lua/sink.py): which bindings become
`local x = e` (immutable upvalues, constants in LuaJIT's traces) and which must stay declared
ahead. tests/programs/sunk_bindings.ljs checks the same shapes' results against node."""
import re

import pytest

from luascript import compile_source
from luascript.lua import ast as L
from luascript.lua.sink import sink_declarations

SOURCE = """
const LIMIT = 10;
const NONE = null;
let reassigned = 1;
reassigned = 2;
function early() { return LATER; }
const LATER = 3;
function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }
function twice(n) { return fact(n) * 2; }
class Point { constructor(x) { this.x = x; this.y = 0; } }
const { floor } = Math;
module.exports = { LIMIT, NONE, reassigned, early, twice, Point, floor };
"""


def lua_of(src):
    return compile_source(src, "sink.ljs").lua.decode()


def declared_with_value(lua, name):
    return re.search(r"^local %s = " % name, lua, re.M) is not None


def declared_ahead(lua, name):
    return re.search(r"^local (?:[\w, ]*\b)?%s\b(?:[\w, ]*)$" % name, lua, re.M) is not None


def test_sunk_and_kept():
    lua = lua_of(SOURCE)
    for name in ("LIMIT", "NONE", "twice", "early", "Point", "floor"):
        assert declared_with_value(lua, name), name
    # assigned twice, read by a function declared above it, calling itself: declared ahead
    assert declared_ahead(lua, "reassigned") and re.search(r"^reassigned = 2$", lua, re.M)
    # (read by a function declared above it, which nothing can call before it is set: no TDZ)
    assert declared_ahead(lua, "LATER") and re.search(r"^LATER = 3$", lua, re.M)
    assert declared_ahead(lua, "fact") and re.search(r"^fact = function\b", lua, re.M)
    # a class leaves its block through the one shared local
    assert lua.count("local J0_sunk\n") == 1
    assert "local Point = J0_sunk" in lua


def test_off_without_optimisation(monkeypatch):
    monkeypatch.setenv("LUASCRIPT_OPTIMIZE", "0")
    lua = lua_of(SOURCE)
    assert not declared_with_value(lua, "LIMIT") and "J0_sunk" not in lua


def _chunk(*stmts):
    return L.Chunk(list(stmts))


def test_label_in_block_keeps_declaration():
    # `goto` may not jump into a local's scope: a block with a label is left as it is
    body = [L.Local(["x"]), L.Goto("skip"), L.Assign([L.Name("x")], [L.Num(1)]),
            L.Label("skip"), L.ExprStat(L.Call(L.Name("print"), [L.Name("x")]))]
    chunk = sink_declarations(_chunk(*body))
    assert isinstance(chunk.body[0], L.Local) and chunk.body[0].names == ["x"] and not chunk.body[0].exprs
    assert isinstance(chunk.body[2], L.Assign)


def test_read_before_assignment_keeps_declaration():
    f = L.Func([], [L.Return([L.Name("x")])])
    body = [L.Local(["x"]), L.Local(["get"], [f]), L.Assign([L.Name("x")], [L.Num(1)])]
    chunk = sink_declarations(_chunk(*body))
    assert chunk.body[0].names == ["x"] and isinstance(chunk.body[2], L.Assign)


def test_read_in_own_value_keeps_declaration():
    body = [L.Local(["x"]), L.Assign([L.Name("x")], [L.Func([], [L.Return([L.Name("x")])])])]
    chunk = sink_declarations(_chunk(*body))
    assert chunk.body[0].names == ["x"] and isinstance(chunk.body[1], L.Assign)


def test_shadowing_name_is_a_different_binding():
    # the inner x is assigned twice; the outer one once, after which only it is read
    inner = L.Do([L.Local(["x"]), L.Assign([L.Name("x")], [L.Num(2)]), L.Assign([L.Name("x")], [L.Num(3)])])
    body = [L.Local(["x", "y"]), inner, L.Assign([L.Name("x")], [L.Num(1)]),
            L.ExprStat(L.Call(L.Name("print"), [L.Name("x")]))]
    chunk = sink_declarations(_chunk(*body))
    assert chunk.body[0].names == ["y"]
    assert isinstance(chunk.body[2], L.Local) and chunk.body[2].names == ["x"]
    assert [type(s) for s in inner.body] == [L.Local, L.Assign, L.Assign]


def test_multiple_targets_keep_declaration():
    body = [L.Local(["a", "b"]), L.Assign([L.Name("a"), L.Name("b")], [L.Num(1), L.Num(2)])]
    chunk = sink_declarations(_chunk(*body))
    assert chunk.body[0].names == ["a", "b"] and isinstance(chunk.body[1], L.Assign)


@pytest.mark.parametrize("stmt", [
    L.Repeat([L.Local(["q"]), L.Assign([L.Name("q")], [L.Num(1)])], L.Name("q")),
    L.NumFor("i", L.Num(1), L.Num(3), None, [L.Local(["q"]), L.Assign([L.Name("q")], [L.Name("i")])]),
])
def test_loop_bodies(stmt):
    chunk = sink_declarations(_chunk(stmt))
    assert [type(s) for s in stmt.body] == [L.Local] and stmt.body[0].exprs
