"""A compiled function's name, length, kind and constructibility are listed in its chunk's table
by the line where the function begins (luascript/lua/printer.py, R.code_mode in core.lua): no
two functions may begin on one line."""
import re

import luascript
from luascript.compiler import compile_source

SOURCE = """
const pair = [function a() {}, function b(x) {}], arrows = [(p, q) => p, async () => 1, function* () {}];
call(function c() {}, function d() {}, (x = 1) => x, { m() {}, get g() { return 1; }, n: function () {} });
class K { constructor(a) {} static s(b, c) {} #p() {} }
function call() {}
"""


def test_each_listed_function_begins_on_its_own_line():
    lua = compile_source(SOURCE, "facts.js").lua.decode("latin-1")
    lines = lua.split("\n")
    table = re.search(r"code_mode\((?:\{[^}]*\}|true), (\{.*\})\)$", lua, re.M).group(1)
    listed = [(int(line), name) for line, name in re.findall(r'\[(\d+)\] = \{"([^"]*)"', table)]
    names = [name for _, name in listed]
    for name in ("a", "b", "c", "d", "m", "get g", "n", "s", "#p", "call"):
        assert name in names
    for line, name in listed:
        assert lines[line - 1].count("function") == 1, (name, lines[line - 1])
    assert len({line for line, _ in listed}) == len(listed)


def test_facts_read_back_at_run_time():
    rt = luascript.Runtime()
    got = rt.eval(SOURCE.replace("function call() {}", "function call(...fs) { return fs; }") + """
      const fs = call(function c() {}, function d() {}, (x = 1) => x);
      [pair[0].name, pair[1].length, arrows[0].length, Object.prototype.toString.call(arrows[1]),
       arrows[2].constructor.name, fs.map((f) => f.name + f.length).join(), K.length, K.s.length,
       typeof pair[0].prototype, arrows[0].prototype].join("|")""")
    assert got == "a|1|2|[object AsyncFunction]|GeneratorFunction|c0,d0,0|1|2|object|"
