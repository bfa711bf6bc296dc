"""Brands (classes.devirtualised, R.brand): which instances carry one, and what takes it off.
tests/programs/class_this_calls.ljs checks the calls' results against node; this checks that the
fast path is the one taken, so that a change which silently stops branding does not go unseen."""
import luascript
from luascript import compile_source

SOURCE = """
class Point {
  constructor(x, y) { this.x = x; this.y = y; }
  norm() { return this.dot(this); }
  dot(p) { return this.x * p.x + this.y * p.y; }
}
class Point3 extends (Point) {   // (as if from another module: see extended_names)
  constructor(x, y, z) { super(x, y); this.z = z; }
}
class Empty {}
class Named extends Empty {
  constructor(name) { super(); this.name = name; this.uses = 0; }
  hello() { return this.greet(); }
  greet() { return 'hi ' + this.name; }
}
class Base {                                   // extended below, in this module: never branded
  constructor() { this.a = 1; this.b = 2; }
  f() { return this.g(); }
  g() { return 1; }
}
class Sub extends Base {}
globalThis.p = new Point(3, 4);
globalThis.q = new Point(1, 2);
globalThis.r = new Point(5, 6);
globalThis.s = new Point(7, 8);
globalThis.p3 = new Point3(1, 2, 3);
globalThis.n = new Named("x");
globalThis.Point = Point;
globalThis.base = new Base();
"""


def branded(rt, name):
    check = rt.lua.eval("""function(name)
      local R = require("ljs.core")
      local s = rawget(rawget(R.G, name), R.SHAPE)
      return s ~= nil and s.brand ~= nil
    end""")
    return check(name)


def test_direct_instances_carry_the_brand_and_lose_it():
    rt = luascript.Runtime()
    rt.eval(SOURCE)
    assert rt.eval("p.norm()") == 25
    assert branded(rt, "p") and branded(rt, "n")       # made by an allocator, by shape_init
    assert not branded(rt, "p3")                        # a subclass instance: its own lookups
    rt.eval("q.extra = 1")                              # a new enumerable key: a new shape
    assert not branded(rt, "q")
    rt.eval("Object.defineProperty(r, 'dot', {value() { return -1 }})")
    assert not branded(rt, "r") and rt.eval("r.norm()") == -1
    rt.eval("Object.setPrototypeOf(s, {dot() { return 'other' }, norm: Point.prototype.norm})")
    assert not branded(rt, "s") and rt.eval("s.norm()") == "other"
    rt.eval("p.x = 6; p.y = 8")                         # stores to its own keys keep it
    assert branded(rt, "p") and rt.eval("p.norm()") == 100
    assert not branded(rt, "base") and rt.eval("base.f()") == 1


def test_this_calls_compile_to_this_method_when_optimizing(monkeypatch):
    lua = compile_source(SOURCE, "brands.ljs").lua.decode()
    assert 'J0_this_method(this, J0_brand' in lua and '"dot")(this, this)' in lua
    assert "this:" not in lua.split("norm")[1].split("end")[0]
    monkeypatch.setenv("LUASCRIPT_OPTIMIZE", "0")
    plain = compile_source(SOURCE, "brands.ljs").lua.decode()
    assert "this_method" not in plain and "brand" not in plain and "this:dot(this)" in plain
