"""The REPL (luascript/repl.py): `luascript repl` driven through a pipe (no prompts then, only each
input's output and value), its session API in-process, the detection of incomplete input, and
a terminal session through a pseudo-terminal (prompts, Ctrl-C, history)."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from luascript.errors import CompileError

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           LUASCRIPT_REPL_HISTORY="")


def repl(*lines, args=("repl",), cwd=None):
    """Run `luascript repl` with lines on standard input: (stdout lines, exit status, stderr)."""
    r = subprocess.run([sys.executable, "-m", "luascript", *args], input="\n".join(lines) + "\n", cwd=cwd,
                       capture_output=True, text=True, timeout=60, env=ENV)
    assert "Traceback" not in r.stderr, r.stderr
    return r.stdout.splitlines(), r.returncode, r.stderr


# ---- through a pipe ----------------------------------------------------------------------------------
def test_declarations_persist_across_inputs():
    out, code, _ = repl(
        "let q = 5",
        "q",
        "const c = {a: 1, list: [1, 2]}",
        "c",
        "class Point { constructor(x) { this.x = x } twice() { return this.x * 2 } }",
        "new Point(q).twice()",
        "function add(a, b) { return a + b }",
        "add(q, c.a)",
        "var v = 'str'",
        "v",
        "q = q + 1; q",
        "let [d1, {e1}] = [3, {e1: 4}]",
        "d1 + e1",
    )
    assert code == 0
    assert out == ["undefined", "5", "undefined", "{ a: 1, list: [ 1, 2 ] }", "undefined", "10", "undefined",
                   "6", "undefined", "'str'", "6", "undefined", "7"]


def test_lexical_names_stay_out_of_the_global_object_and_functions_are_globals():
    out, _, _ = repl("let hidden = 1; var shown = 2; function f() {}",
                     "[typeof globalThis.hidden, globalThis.shown, typeof globalThis.f]")
    assert out == ["undefined", "[ 'undefined', 2, 'function' ]"]


def test_functions_see_declarations_of_later_inputs():
    # as in node's REPL, every input shares one scope: a name a function reads may be declared later
    out, _, _ = repl(
        "function show() { return later + 1 }",
        "typeof later",
        "let later = 41",
        "show()",
        "function setConst() { k = 2 }",
        "const k = 1",
        "setConst()",
        "k",
        "function setGlobal() { g = 7 }",
        "setGlobal(); g",
    )
    assert out == ["undefined", "'undefined'", "undefined", "42", "undefined", "undefined",
                   "Uncaught TypeError: Assignment to constant variable.", "    at setConst (REPL5:1:23)",
                   "1", "undefined", "7"]


def test_multi_line_input():
    out, _, _ = repl(
        "function f(x) {",
        "  if (x > 1) {",
        "    return x * 2",
        "  }",
        "  return 0",
        "}",
        "f(3) +",
        "  1",
        "[1, 2,",
        " 3].map(x =>",
        "   x * 10)",
        "`a",
        "b`",
        "let o = {",
        "  k: 1 }",
        "o.k",
    )
    assert out == ["undefined", "7", "[ 10, 20, 30 ]", "'a\\nb'", "undefined", "1"]


def test_errors_do_not_end_the_session():
    out, code, _ = repl(
        "null.x",
        "1",
        "throw 5",
        "throw new RangeError('too far')",
        "function deep() { throw new TypeError('bad') }",
        "deep()",
        "1 2",
        "let q = 1",
        "let q = 2",
        "const k = 1",
        "k = 2",
        "q",
    )
    assert code == 0
    assert out == [
        "Uncaught TypeError: Cannot read properties of null (reading 'x')",
        "1",
        "Uncaught 5",
        "Uncaught RangeError: too far",
        "undefined",
        "Uncaught TypeError: bad",
        "    at deep (REPL5:1:25)",
        "1 2",
        "  ^",
        "",
        "Uncaught SyntaxError: unexpected token '2'",
        "undefined",
        "let q = 2",
        "    ^",
        "",
        "Uncaught SyntaxError: Identifier 'q' has already been declared",
        "undefined",
        "Uncaught TypeError: Assignment to constant variable.",
        "1",
    ]


def test_a_declaration_that_threw_stays_uninitialised():
    out, _, _ = repl("let z = (() => { throw new Error('init') })()", "z", "function rz() { return z }", "rz()",
                     "let ok = 1; null.y", "ok")
    assert out == ["Uncaught Error: init", "    at REPL1:1:24",
                   "Uncaught ReferenceError: Cannot access 'z' before initialization",
                   "undefined", "Uncaught ReferenceError: Cannot access 'z' before initialization",
                   "    at rz (REPL3:1:17)",
                   "Uncaught TypeError: Cannot read properties of null (reading 'y')", "1"]


def test_top_level_await():
    out, _, _ = repl(
        "await Promise.resolve(7)",
        "let v = await new Promise(r => setTimeout(() => r('later'), 10))",
        "v",
        "const { x } = await Promise.resolve({ x: 3 }); x * 2",
        "x",
        "await Promise.reject(new Error('no'))",
        "1",
    )
    assert out == ["7", "undefined", "'later'", "6", "3", "Uncaught Error: no", "1"]


def test_underscore_holds_the_last_value_and_error():
    out, _, _ = repl("6 * 7", "_ + 1", "let s = 1", "_", "null.x", "_error.message", "_ = 3", "4", "_")
    assert out == ["42", "43", "undefined", "undefined",
                   "Uncaught TypeError: Cannot read properties of null (reading 'x')",
                   "\"Cannot read properties of null (reading 'x')\"",
                   "Expression assignment to _ now disabled.", "3", "4", "3"]


def test_output_of_timers_and_promises_comes_before_the_next_input():
    out, _, _ = repl(
        "setTimeout(() => console.log('timer'), 20); 'sync'",
        "Promise.resolve(1).then(x => console.log('then', x)); 2",
        "Promise.resolve(1).then(x => x + 1)",
        "_",
        "setTimeout(() => { throw new Error('late') }, 5); 3",
        "4",
    )
    assert out == ["'sync'", "timer", "2", "then 1", "Promise { <pending> }", "Promise { 2 }", "3",
                   "Uncaught Error: late", "4"]


def test_values_print_as_node_prints_them():
    out, _, _ = repl("'s'", "{a: 1}", "{ let b = 2 }", "undefined", "null", "[1, 'x', {y: [2]}]", "new Map([[1, 2]])",
                     "x => x", "Symbol('s')", "10n ** 20n", ".5 + 1", "-0", "1e300")
    assert out == ["'s'", "{ a: 1 }", "undefined", "undefined", "null", "[ 1, 'x', { y: [ 2 ] } ]",
                   "Map(1) { 1 => 2 }", "[Function (anonymous)]", "Symbol(s)", "100000000000000000000n", "1.5", "-0",
                   "1e+300"]


def test_commands_and_exit():
    out, code, _ = repl(".help", ".nope", "1", ".exit", "2")
    assert code == 0
    assert out[0].startswith(".break") and any(line.startswith(".exit") for line in out)
    assert out[-2:] == ["Invalid REPL keyword", "1"]
    # .break abandons an unfinished input
    out, _, _ = repl("function f() {", ".break", "typeof f")
    assert out == ["'undefined'"]
    out, code, _ = repl("process.exitCode = 1; 'x'", "process.exit(3)", "4")
    assert (out, code) == (["'x'"], 3)
    out, code, _ = repl("1")              # end of input
    assert (out, code) == (["1"], 0)


def test_load_and_save(tmp_path):
    (tmp_path / "lib.js").write_text("function twice(x) {\n  return 2 * x\n}\nlet base = 20\n")
    out, _, _ = repl(".load lib.js", "twice(base)", ".save session.js", cwd=tmp_path)
    assert out == ["undefined", "40", "Session saved to: session.js"]
    assert (tmp_path / "session.js").read_text() == "function twice(x) {\n  return 2 * x\n}\nlet base = 20\n\n" \
                                                    "twice(base)\n"


def test_require_resolves_from_the_working_directory(tmp_path):
    (tmp_path / "m.js").write_text("module.exports = { n: 5 };\n")
    out, _, _ = repl("const m = require('./m')", "m.n", "require('path').join('a', 'b')", "import('./m.js').then(x => x.default.n)",
                     "import x from './m.js'", cwd=tmp_path)
    assert out[:4] == ["undefined", "5", "'a/b'", "Promise { <pending> }"]
    assert out[-1].startswith("Uncaught SyntaxError: Cannot use import statement inside the REPL")


def test_function_source_text():
    out, _, _ = repl("function f(a) { return a }", "f.toString()", "const g = x => x * 2; `${g}`")
    assert out == ["undefined", "'function f(a) { return a }'", "'x => x * 2'"]


def test_use_strict_applies_to_its_input():
    out, _, _ = repl("const fz = Object.freeze({a: 1})", "fz.a = 2; fz.a", "'use strict'; fz.a = 2")
    assert out[:2] == ["undefined", "1"]
    assert out[2].startswith("Uncaught TypeError: Cannot assign to read only property 'a'")


def test_interactive_option_starts_the_repl_and_nothing_else_does_on_a_pipe():
    out, code, _ = repl("let a = 2", "a * 3", args=("-i",))
    assert (out, code) == (["undefined", "6"], 0)
    # without a terminal, `luascript` alone runs the program on standard input, as node does
    out, code, _ = repl("let a = 2", "console.log(a * 3, process.argv.length)", args=())
    assert (out, code) == (["6 1"], 0)


# ---- in-process --------------------------------------------------------------------------------------
def test_session_api():
    import io
    from luascript.repl import Session, Incomplete
    buf = io.StringIO()
    s = Session(out=buf)
    assert s.evaluate("let a = [1, 2]") == "undefined"
    s.evaluate("console.log('printed', a.length)")
    assert buf.getvalue() == "printed 2\n"
    assert s.evaluate("a.map(x => x * 2)") == "[ 2, 4 ]"
    assert s.evaluate("setTimeout(() => console.log('later'), 1); 'now'") == "'now'"
    s.drain()
    assert buf.getvalue() == "printed 2\nlater\n"
    with pytest.raises(Incomplete):
        s.evaluate("a.map(x =>")
    assert s.names == {"a": "let"}


@pytest.mark.parametrize("source", [
    "function f(x) {", "function f(x) {\n  return x * 2", "1 +", "[1,2].map(x =>", "foo(1,", "`abc", "`a ${",
    "let x =", "class A {\n m() {", "if (x)", "if (x) {} else", "/* comment", "x.", "{", "({", "a ? b", "a ? b :",
    "const {a,", "x = [1,\n2,", "'a' +\n", "new", "() =>", "switch (x) {\n case 1:", "f(/[(]/,",
])
def test_incomplete_input(source):
    from luascript.repl import incomplete
    from luascript.syntax import parse
    with pytest.raises(CompileError) as e:
        parse(source, "REPL1")
    assert incomplete(source, e.value)


@pytest.mark.parametrize("source", ["1 2", "\"abc", "'abc", "1 + )", "let = ;", "}", "a b c", "x = 1 +* 2",
                                    "f(/[)]/))"])
def test_wrong_input_is_no_continuation(source):
    from luascript.repl import incomplete
    from luascript.syntax import parse
    with pytest.raises(CompileError) as e:
        parse(source, "REPL1")
    assert not incomplete(source, e.value)


def test_compile_options_keep_the_default_output():
    """Without the REPL's options the compiler's output is what it always was: no J0_L, no return."""
    from luascript.compiler import compile_source
    src = "let q = 1; const k = q + 1; class C {}; function f() { return q + k }\nf()"
    plain = compile_source(src, "x.js").lua.decode()
    assert "J0_L" not in plain and "return J0_cv" not in plain
    res = compile_source(src, "REPL1", {"repl": {}, "completion": True})
    assert res.repl_names == {"q": "let", "k": "const", "C": "let"}
    lua = res.lua.decode()
    assert lua.startswith("local J0, J0_M, J0_L = ...") and "J0_L.q = 1" in lua and "return J0_cv" in lua
    res = compile_source("q + r", "REPL2", {"repl": {"q": "let"}, "completion": True})
    assert "J0_L.q" in res.lua.decode() and 'J0.repl_get(J0_L, "r")' in res.lua.decode()
    assert res.repl_names == {}


# ---- on a terminal -----------------------------------------------------------------------------------
def _read_until(fd, marker, timeout=30.0):
    """Read from fd until marker appears in what was read."""
    import select
    got = b""
    end = time.monotonic() + timeout
    while marker.encode() not in got:
        left = end - time.monotonic()
        if left <= 0:
            raise AssertionError("no %r in %r" % (marker, got.decode(errors="replace")))
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            got += chunk
    return got.decode(errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_session(tmp_path):
    import pty
    history = tmp_path / "history"
    env = dict(ENV, LUASCRIPT_REPL_HISTORY=str(history), TERM="dumb")
    master, slave = pty.openpty()

    def controlling_terminal():   # the pty is the child's terminal: Ctrl-C there is its SIGINT
        import fcntl
        import termios
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    p = subprocess.Popen([sys.executable, "-m", "luascript"], stdin=slave, stdout=slave, stderr=slave, env=env,
                         cwd=str(tmp_path), preexec_fn=controlling_terminal)
    os.close(slave)
    try:
        banner = _read_until(master, "> ")
        assert "Welcome to LuaScript" in banner and ".help" in banner
        os.write(master, b"let q = 5\n")
        _read_until(master, "undefined")
        os.write(master, b"function f(x) {\n")
        _read_until(master, "... ")
        os.write(master, b"  return x + q }\n")
        _read_until(master, "> ")
        os.write(master, b"f(2)\n")
        assert "7" in _read_until(master, "> ")
        # Tab completes variables and properties
        os.write(master, b"const settings = {verbose: 41}\n")
        _read_until(master, "> ")
        os.write(master, b"sett\t")
        _read_until(master, "settings")
        os.write(master, b".verb\t")
        _read_until(master, "verbose")
        os.write(master, b" + 1\n")
        assert "42" in _read_until(master, "> ")
        # Ctrl-C stops a running input, and the session goes on
        os.write(master, b"while (true) {}\n")
        time.sleep(0.5)
        os.write(master, b"\x03")
        assert "Script execution was interrupted" in _read_until(master, "> ")
        os.write(master, b"q\n")
        assert "5" in _read_until(master, "> ")
        # Ctrl-C on an empty line twice exits
        time.sleep(0.2)
        os.write(master, b"\x03")
        _read_until(master, "To exit")
        time.sleep(0.2)
        os.write(master, b"\x03")
        assert p.wait(timeout=30) == 0
    finally:
        if p.poll() is None:
            p.kill()
        os.close(master)
    assert history.read_text().splitlines()[-3:] == ["settings.verbose + 1", "while (true) {}", "q"]
