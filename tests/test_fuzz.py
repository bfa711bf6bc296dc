"""The compiler on broken, random and deeply nested input (issue 10): a short seeded fuzzing run
(tests/fuzz_compiler.py; docs/fuzzing.md has the long run) and one regression test per bug it found."""
import os
import subprocess
import sys
import threading

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fuzz_compiler as fuzz  # noqa: E402
from luascript.compiler import compile_source  # noqa: E402
from luascript.errors import CompileError  # noqa: E402
from luascript.syntax import MAX_NESTING  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def compile_error(src):
    with pytest.raises(CompileError) as e:
        compile_source(src, "t.js")
    problem = fuzz.diagnostic_problem(e.value.format(), src, "t.js")
    assert problem is None, problem + "\n" + e.value.format()
    return e.value


def compiles_and_loads(src):
    res = compile_source(src, "t.js")
    assert fuzz.lua_load_error(res.lua) is None
    return res


def run_program(src, tmp_path):
    path = tmp_path / "p.ljs"
    path.write_text(src)
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, "-m", "luascript", "run", "--no-cache", str(path)], capture_output=True,
                       text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout


# ---- the seeded run ------------------------------------------------------------------------------

def test_seeded_fuzz_run_finds_nothing(tmp_path):
    """10,000 cases of every generator (20-30 s here), every 1,000th also through the CLI."""
    failures = []
    stats = fuzz.run(seed="ci", cases=10000, cli_every=1000, out_dir=str(tmp_path), shrink_s=5.0,
                     log=failures.append)
    print(stats.summary())
    assert not stats.failures, "\n".join(failures)
    # the run reaches the transform and the load check, not only the parser
    assert stats.outcomes.get("ok", 0) > 1000
    assert stats.cli_cases >= 6


def test_a_case_replays_exactly():
    assert fuzz.make_case("ci", 17) == fuzz.make_case("ci", 17)
    assert fuzz.make_case("ci", 17) != fuzz.make_case("ci", 18)


def test_the_checks_can_fail():
    # a diagnostic without the source line and caret, or a column past the line, is reported
    assert fuzz.diagnostic_problem("t.js:1:1: error: x", "a;", "t.js") is not None
    assert fuzz.diagnostic_problem("t.js:1:9: error: x\n  a;\n          ^", "a;", "t.js") is not None
    assert fuzz.diagnostic_problem("t.js:1:2: error: x\n  a;\n   ^", "a;", "t.js") is None
    assert fuzz.lua_load_error(b"local x = = 1") is not None
    assert fuzz.lua_load_error(b"local x = 1") is None


# ---- regressions: exceptions other than CompileError ---------------------------------------------

@pytest.mark.parametrize("src", [
    "try { (function () { break; }); } catch {}",
    "try {} catch { (function () { continue; }); } finally {}",
    "for (;;) { try { (() => { break; })(); } finally {} }",
])
def test_early_error_inside_a_function_inside_try_is_reported(src):
    # was IndexError: pop from empty list (try's cleanup popped the nested function's empty list)
    e = compile_error(src)
    assert "Illegal" in e.message


@pytest.mark.parametrize("src", [
    "var o = {}; o[1e400] = 1; o[NaN] = 2;",
    "var o = { 1e400: 1, [1e400]: 2 };",
    "for (let i = 0; i < 1e400; i++) { break; }",
    "for (let i = 1e400; i > 0; i -= 1e400) { break; }",
    "for (let i = 0; i < 3; i += 1e400) {}",
    "for (let i = 0; i < NaN; i++) {}",
])
def test_infinite_number_literals_compile(src):
    # was OverflowError: cannot convert float infinity to integer
    compiles_and_loads(src)


@pytest.mark.parametrize("body", ["arr[i] = 1e400;", "arr[i] = -1e400 * i;"])
def test_infinite_literal_in_a_gpu_loop_compiles(body):
    # was OverflowError in the kernel IR (luascript/kernels/ir.py)
    res = compiles_and_loads("const arr = new Float64Array(4), n = 4;\n// @gpu\nfor (let i = 0; i < n; i++) { %s }" % body)
    assert res.kernels and "js_inf()" in res.kernels[0].source


def test_infinite_step_of_a_gpu_loop_compiles():
    src = "const arr = new Float64Array(4), n = 4;\n// @gpu\nfor (let i = 0; i < n; i += 1e400) { arr[i] = 1; }"
    try:
        compiles_and_loads(src)
    except CompileError as e:      # a loop the GPU cannot take is a diagnostic, never an exception
        assert fuzz.diagnostic_problem(e.format(), src, "t.js") is None


def test_infinite_keys_and_bounds_run_as_in_node(tmp_path):
    src = ("let n = 0;\n"
           "for (let i = 0; i < 1e400; i++) { if (++n > 3) break; }\n"
           "for (let i = 0; i < 3; i += 1e400) { n++; }\n"
           "for (let i = 0; i < NaN; i++) { n += 100; }\n"
           "const o = { 1e400: 'a', 2: 'two' }; o[1e400] += 'b';\n"
           "console.log(n, o.Infinity, Object.keys(o).join());\n")
    assert run_program(src, tmp_path) == "5 ab 2,Infinity\n"     # node v20 prints the same


# ---- regressions: diagnostics ---------------------------------------------------------------------

def test_column_after_bytes_that_are_not_utf8(tmp_path):
    # the CLI reads such bytes as escaped surrogates; columns counted each as 3 (their re-encoding)
    path = tmp_path / "bad.ljs"
    path.write_bytes(b"let s = \"\xff\xfe\" +;\n")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, "-m", "luascript", "check", str(path)], capture_output=True, env=env,
                       timeout=120)
    assert r.returncode == 1
    assert r.stderr.decode().split("\n")[:3] == [
        "%s:1:15: error: SyntaxError: unexpected token ';'" % path,
        '  let s = "??" +;',
        "                ^"]


def test_escape_before_a_byte_that_is_not_utf8():
    # bytes E6 96 5C 87 in a string, as the CLI reads them; the escape node ended inside the 3 bytes
    # of an escaped surrogate and decoding it raised UnicodeDecodeError
    text = b'let s = "\xe4\xb8\xad\xe6\x96\\\x87";\n'.decode("utf-8", "surrogateescape")
    compiles_and_loads(text)


def test_regex_literal_with_bytes_that_are_not_utf8():
    # the early regex check handed lupa a str with surrogates: UnicodeEncodeError
    text = b'var r = /\xed\xa0\x80|\xff/;\n'.decode("utf-8", "surrogateescape")
    compiles_and_loads(text)
    # and its message quoted those bytes back: UnicodeDecodeError in lupa
    e = compile_error(b'var r = /\xff)/;\n'.decode("utf-8", "surrogateescape"))
    assert e.message.startswith("Invalid regular expression: ") and e.message.endswith(": Unmatched ')'")


def test_caret_under_tabs_and_control_characters():
    e = compile_error("\t\tlet b = (;\n")
    assert e.format().split("\n")[1:] == ["  \t\tlet b = (;", "  \t\t         ^"]
    # a lone CR or an ESC in the shown line would move the terminal's cursor
    e = compile_error("let a = 1;\rlet \x1b[31m b = (;\n")
    assert e.format().split("\n")[1:] == ["  let a = 1;?let ?[31m b = (;", "                            ^"]


def test_a_long_line_shows_a_window_around_the_column():
    # a minified library is one long line: the diagnostic shows 120 characters of it, not 100 KB
    src = "var a=1;" * 300 + "var b = (1 +;" + "var c=2;" * 300
    e = compile_error(src)
    shown, caret = e.format().split("\n")[1:]
    assert shown.startswith("  ...") and shown.endswith("...") and len(shown) == 2 + 3 + 120 + 3
    assert shown[len(caret) - 4:len(caret)] == "1 +;"
    # near either end the window stops at the line's end, with one marker
    e = compile_error("var b = (1 +;" + "var c=2;" * 300)
    shown, caret = e.format().split("\n")[1:]
    assert shown.startswith("  var b = (1 +;") and shown.endswith("...") and caret == "  " + " " * 12 + "^"
    e = compile_error("var c=2;" * 300 + "var b = (1 +;")
    shown, caret = e.format().split("\n")[1:]
    assert shown.startswith("  ...") and shown.endswith("(1 +;") and len(caret) == len(shown)


# ---- deep nesting --------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", sorted(fuzz.DEEP_SHAPES))
def test_ten_thousand_levels_give_a_clear_error(shape):
    # was RecursionError (and up to 16 s of work first) for every shape but "unclosed"
    e = compile_error(fuzz.DEEP_SHAPES[shape](10000))
    if shape == "unclosed":
        assert e.message == "unexpected end of input"
    else:
        assert e.message == "nesting too deep (more than %d levels of syntax)" % MAX_NESTING
        assert e.kind is None


def test_nesting_error_points_at_the_first_node_past_the_limit():
    src = "let a = 1;\nlet x = " + "[" * 600 + "]" * 600 + ";\n"
    e = compile_error(src)
    # levels 1-2 are the declaration and its declarator; array k is at level 2 + k and its "[" token
    # at 3 + k, so the first node past the limit is the "[" of array MAX_NESTING - 2
    assert (e.line, e.col) == (2, 9 + MAX_NESTING - 3)


def test_deep_input_within_the_limit_compiles_on_a_big_stack():
    # 240 nested else-ifs are 480 levels of tree-sitter's tree: far past the default recursion limit, flat in Lua
    src = "let x = 7, y;\n" + "".join("if (x === %d) { y = %d; } else " % (i, i) for i in range(240)) + "{ y = -1; }"
    before = sys.getrecursionlimit()
    compiles_and_loads(src)
    assert sys.getrecursionlimit() == before


def test_deep_compile_from_a_thread_with_a_small_stack():
    # the deep compile runs on a stack of its own: the caller's 256 KiB would not hold 480 levels
    out = []
    src = "let x = 7, y;\n" + "".join("if (x === %d) { y = %d; } else " % (i, i) for i in range(240)) + "{}"
    old = threading.stack_size(256 * 1024)
    try:
        t = threading.Thread(target=lambda: out.append(compile_source(src, "t.js")))
        t.start()
    finally:
        threading.stack_size(old)
    t.join()
    assert out and fuzz.lua_load_error(out[0].lua) is None


def test_an_else_if_chain_counts_one_level_per_link(tmp_path):
    # 490 else-ifs: 980 levels of tree-sitter's tree (an else clause under each if), read flat
    src = ("function f(x) {\n  if (x === 0) return 'v0';\n" +
           "".join("  else if (x === %d) return 'v%d';\n" % (i, i) for i in range(1, 490)) +
           "  else return 'none';\n}\nconsole.log(f(0), f(489), f(-1));\n")
    assert run_program(src, tmp_path) == "v0 v489 none\n"


def test_long_chains_print_flat_enough_for_luajit(tmp_path):
    # `?:` chains were right-nested `or`s and string concatenations nested `..`s: 200 of either was
    # past LuaJIT's 200 levels of syntax
    src = ("let x = 198;\n"
           "let t = " + "".join("x === %d ? %d : " % (i, i) for i in range(240)) + "-1;\n"
           "let s = " + " + ".join("'<%d>' + x" % i for i in range(240)) + ";\n"
           "console.log(t, s.length, s.slice(0, 18), s.slice(-9));\n")
    expected = "198 1810 <0>198<1>198<2>198 8<239>198\n"      # node v20 prints the same
    assert run_program(src, tmp_path) == expected


def test_wide_flat_constructs_compile_and_run(tmp_path):
    # a switch's case tests nested one else per case (2,000 cases: "chunk has too many syntax
    # levels"), a template's pieces one `..` per substitution (8,000: a RecursionError traceback),
    # and an array literal's keys took quadratic time (20,000 elements: 12 s)
    src = ("function f(x) { switch (x) {\n" + "".join('case %d: return "c%d";\n' % (i, i) for i in range(2000))
           + "default: return 'none'; } }\nconsole.log(f(0), f(1999), f(2000), f('7'));\n"
           "const s = `" + "".join("${%d}." % i for i in range(8000)) + "`;\n"
           "console.log(s.length, s.slice(0, 10), s.slice(-10));\n"
           "const a = [" + ", ".join(str(i * 7 % 1000) for i in range(20000)) + "];\n"
           "console.log(a.length, a[0], a[1], a[19999], a.reduce((x, y) => x + y, 0));\n")
    expected = "c0 c1999 none none\n38890 0.1.2.3.4. 7998.7999.\n20000 0 7 993 9990000\n"   # node v20's
    assert run_program(src, tmp_path) == expected


def test_hundreds_of_temporaries_in_one_statement_stay_within_luas_locals(tmp_path):
    # each operand of a comma expression and each declarator of a var statement needs a
    # temporary here (a.b is read once); held together they passed Lua's 200 locals per function,
    # as lodash.min.js's `Z.after=Pa,Z.ary=Ga,...` did
    sets = ["a.b.k%d = %d" % (i, i) for i in range(300)]
    src = ("function f(a) { " + ", ".join(sets) + "; return a.b.k0 + a.b.k299; }\n"
           "function g(a) { return " + ", ".join(sets) + ", a.b.k150; }\n"
           "function h(a) { var " + ", ".join("x%d = (%s)" % (i, e) for i, e in enumerate(sets)) + "; return x1 + x299; }\n"
           "console.log(f({b: {}}), g({b: {}}), h({b: {}}));\n")
    assert run_program(src, tmp_path) == "299 150 300\n"     # node v20's


def test_hundreds_of_values_saved_for_a_later_one_stay_within_luas_locals(tmp_path):
    # a getter after them makes the literal a sequence of statements, so the 300 values before it
    # are saved first, in order; each in a local of its own passed Lua's 200 (npm's
    # @npmcli/config/lib/definitions/definitions.js)
    src = ("class D { constructor(n, o) { this.n = n; this.o = o; } }\nlet log = [];\n"
           "function v(i) { log.push(i); return i; }\n"
           "const defs = {" + ", ".join("k%d: new D(v(%d), { a: %d })" % (i, i, i) for i in range(300))
           + ", last: { get g() { return 1; }, x: v(999) } };\n"
           "console.log(Object.keys(defs).length, defs.k0.n, defs.k299.o.a, defs.last.g, log.length, log[0], log[299], log[300]);\n")
    assert run_program(src, tmp_path) == "301 0 299 1 301 0 299 999\n"     # node v20's


def test_columns_far_into_a_long_line_of_wide_characters():
    # columns count characters; a line's wide characters are counted once, not per position asked
    src = "let s = '" + "é€𝄞" * 3000 + "', t = " + "1 + " * 2000 + ";\n"
    e = compile_error(src)
    assert (e.line, e.col) == (1, len(src) - 1)


@pytest.mark.parametrize("shape,n", [("arrays", 150), ("calls", 150), ("arrows", 120), ("tries", 80),
                                     ("functions", 120), ("ifs", 200)])
def test_past_luajits_limits_is_a_compile_error_at_the_source(shape, n):
    # these loaded into LuaJIT only at run time, where they failed with "chunk has too many syntax
    # levels" or "function or expression too complex"
    src = "let a = 1, p = Promise.resolve();\n" + fuzz.DEEP_SHAPES[shape](n)
    e = compile_error(src)
    assert e.message.startswith("too deeply nested or too large for LuaJIT: "), e.message
    assert e.line >= 2


def test_cli_reports_deep_nesting_without_a_traceback(tmp_path):
    path = tmp_path / "deep.ljs"
    path.write_text("let a;\n" + fuzz.DEEP_SHAPES["blocks"](10000) + "\n")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for cmd in ("check", "build"):
        r = subprocess.run([sys.executable, "-m", "luascript", cmd, str(path)], capture_output=True, text=True,
                           timeout=120, env=env, cwd=str(tmp_path))
        assert r.returncode == 1
        assert "Traceback" not in r.stderr
        assert r.stderr.startswith("%s:2:%d: error: nesting too deep" % (path, MAX_NESTING)), r.stderr


@pytest.mark.parametrize("output", ["adir", "afile/x.lua"])
def test_build_reports_an_output_it_cannot_write(tmp_path, output):
    # was a PermissionError/IsADirectoryError/NotADirectoryError traceback
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("")
    (tmp_path / "ok.ljs").write_text("console.log(1);\n")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, "-m", "luascript", "build", "ok.ljs", "-o", output], capture_output=True,
                       text=True, timeout=120, env=env, cwd=str(tmp_path))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("luascript: cannot write %s" % (tmp_path / output.split("/")[0])), r.stderr


def test_a_luajit_message_quoting_bytes_that_are_not_utf8():
    # LuaJIT quotes the token it stopped at; lupa decoded the message as strict UTF-8 and raised
    from luascript.compiler import _load_error
    err = _load_error(b'return "\xed\xa0\x80" "\xff"')
    assert err.startswith("lua:1: '<eof>' expected near ")
