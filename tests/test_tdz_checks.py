"""Reads of a let/const/class from a function that may run before the declaration: checked for
the temporal dead zone (J0.tdzcheck) unless no code before the declaration can reach a closure
(transform/statements.py, early_safe). tests/programs/tdz_early_safe.ljs checks the results."""
from luascript import compile_source


def lua_of(src, **options):
    return compile_source(src, "tdz.ljs", options).lua.decode()


def test_nothing_before_can_reach_the_function():
    lua = lua_of("""
const fs = require("fs");
const Op = Object.freeze({ A: 0, B: 1 });
const table = [1, 2, 3].map(x => x * 2);
function run(c) { return c === Op.A ? table[0] : fs.constants; }
console.log(run(0));
""")
    assert "tdzcheck" not in lua


def test_a_call_that_reaches_it_keeps_the_check():
    lua = lua_of("""
const early = run(1);
const Op = Object.freeze({ A: 0 });
function run(c) { return c === Op.A; }
""")
    assert 'J0.tdzcheck(Op, "Op")' in lua


def test_a_closure_that_names_it_keeps_the_check():
    # the callback reads the binding before its declaration has run
    lua = lua_of("""
const xs = [1].map(x => x + LATER);
const LATER = 1;
function f() { return LATER; }
""")
    assert 'J0.tdzcheck(LATER, "LATER")' in lua


def test_reachable_from_the_start():
    # an exported function can be called by a cyclic import before the module body runs; a
    # script's functions are globals
    src = "const K = 1;\nexport function f() { return K; }\n"
    assert 'J0.tdzcheck(K, "K")' in lua_of(src)
    assert 'J0.tdzcheck(K, "K")' in lua_of("const K = 1;\nfunction f() { return K; }\n", script=True)
