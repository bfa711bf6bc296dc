"""The command line: build, run, check, diagnostics and exit codes."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def luascript(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "luascript", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env=ENV)


def test_syntax_error_is_reported_with_position_and_caret(tmp_path):
    src = tmp_path / "bad.ljs"
    src.write_text("let a = 1;\nlet b = (2 + ;\n")
    for cmd in ("check", "run", "build"):
        r = luascript(cmd, str(src))
        assert r.returncode == 1, cmd
        assert "Traceback" not in r.stderr
        first = r.stderr.splitlines()[0]
        assert first.startswith(str(src) + ":2:"), first
        assert ": error: " in first
        assert "let b = (2 + ;" in r.stderr
        assert "^" in r.stderr.splitlines()[2]


def test_a_module_that_does_not_compile_throws_a_syntax_error_where_it_is_loaded(tmp_path):
    # as in node: require() and import() of it throw a SyntaxError the program may catch, and
    # uncaught it names the module's line and column (not the main file's compile error)
    (tmp_path / "bad.js").write_text("const x = ;\n")
    (tmp_path / "gpu.js").write_text("const a = [];\n// @gpu\nfor (let i = 0; i < 2; i++) a[i] = {};\n")
    main = tmp_path / "main.js"
    main.write_text('for (const m of ["./bad.js", "./gpu.js"]) {\n'
                    '  try { require(m); } catch (e) { console.log(m, e.name, e.message); }\n}\n'
                    'import("./bad.js").catch((e) => { console.log("import()", e.name); require("./bad.js"); });\n')
    r = luascript("run", str(main))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stdout.splitlines() == ["./bad.js SyntaxError unexpected token ';'",
                                     "./gpu.js SyntaxError this @gpu loop cannot run on the GPU: it allocates an object",
                                     "import() SyntaxError"]
    assert r.stderr.startswith(str(tmp_path / "bad.js") + ":1:11\n  const x = ;\n            ^\n")
    assert "Uncaught SyntaxError: unexpected token ';'" in r.stderr


def test_unsupported_construct_is_a_compile_error(tmp_path):
    src = tmp_path / "using.ljs"
    src.write_text("function f() {\n  using x = null;\n}\n")
    r = luascript("check", str(src))
    assert r.returncode == 1
    assert r.stderr.startswith(str(src) + ":2:3: error: unsupported statement: using declaration")


def test_duplicate_let_is_an_early_error(tmp_path):
    src = tmp_path / "dup.ljs"
    src.write_text("let a = 1;\nlet a = 2;\n")
    r = luascript("check", str(src))
    assert r.returncode == 1
    assert ":2:5: error: SyntaxError: Identifier 'a' has already been declared" in r.stderr


def test_runtime_error_prints_js_error_and_ljs_stack(tmp_path):
    src = tmp_path / "boom.ljs"
    src.write_text("function f() {\n  throw new RangeError('too far');\n}\nf();\n")
    r = luascript("run", str(src))
    assert r.returncode == 1
    assert "Uncaught RangeError: too far" in r.stderr
    assert "boom.ljs:2" in r.stderr
    assert "Traceback" not in r.stderr


def test_exit_code_and_argv(tmp_path):
    src = tmp_path / "exit.ljs"
    src.write_text("console.log(process.argv.slice(2).join(','));\nprocess.exit(3);\n")
    r = luascript("run", str(src), "a", "b")
    assert r.stdout == "a,b\n"
    assert r.returncode == 3


def test_build_writes_lua_source_map_and_imported_modules(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "util.ljs").write_text("export const twice = (x) => x * 2;\n")
    (tmp_path / "app.ljs").write_text("import { twice } from './lib/util';\nconsole.log(twice(21));\n")
    r = luascript("build", "app.ljs", "-o", "out/app.lua", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "app.lua").is_file()
    assert (tmp_path / "out" / "lib" / "util.lua").is_file()
    m = json.loads((tmp_path / "out" / "app.lua.map").read_text())
    assert m["version"] == 3 and m["sources"] == ["app.ljs"] and m["mappings"]
    r = luascript("run", "app.ljs", cwd=tmp_path)
    assert r.stdout == "42\n"


def test_help_and_version():
    r = luascript("--help")
    assert r.returncode == 0 and "build" in r.stdout and "run" in r.stdout and "check" in r.stdout
    for cmd in ("build", "run", "check"):
        r = luascript(cmd, "--help")
        assert r.returncode == 0 and "usage: luascript " + cmd in r.stdout
    r = luascript("--version")
    assert r.returncode == 0 and r.stdout.startswith("luascript ")


def test_missing_file(tmp_path):
    r = luascript("run", str(tmp_path / "nope.ljs"))
    assert r.returncode == 1 and "cannot read" in r.stderr and "Traceback" not in r.stderr


def test_functions_past_luas_local_and_upvalue_limits(tmp_path):
    """Lua allows 200 locals per function and 60 upvalues per closure; JS has no such limits."""
    lines = ["const c%d = %d;" % (i, i) for i in range(90)]
    lines.append("function sum() { return " + " + ".join("c%d" % i for i in range(90)) + "; }")
    lines.append("function big() {")
    lines += ["  let v%d = %d;" % (i, i) for i in range(250)]
    lines.append("  return " + " + ".join("v%d" % i for i in range(0, 250, 10)) + ";")
    lines.append("}")
    lines += ["let w%d = c%d * 2;" % (i, i % 90) for i in range(250)]
    # an object literal of 300 computed keys (TypeScript's tables of node kinds)
    lines.append("const table = {" + ", ".join("[%d + 1]: c%d" % (i, i % 90) for i in range(300)) + "};")
    lines.append("console.log(sum(), big(), w249, Object.keys(table).length, table[300]);")
    src = tmp_path / "limits.ljs"
    src.write_text("\n".join(lines) + "\n")
    r = luascript("run", str(src))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "4005 3000 138 300 29\n"


SCRIPT_SRC = """var a = 1, u;
function f() { return this; }
console.log(this === globalThis, globalThis.a, "u" in globalThis, globalThis.hasOwnProperty("f"));
console.log(f() === globalThis, typeof globalThis.f);
var console;
for (var i = 0; i < 3; i++) {}
a = 5;
let l = 2;
console.log(typeof console, globalThis.i, globalThis.a, globalThis.l);
const m = require("./mod");
console.log(m.kind, globalThis.hidden);
"""


def test_script_mode_puts_top_level_declarations_on_the_global_object(tmp_path):
    # the expected lines are what node prints for the same source through vm.runInThisContext;
    # the required module stays a CommonJS module with its own scope
    (tmp_path / "classic.ljs").write_text(SCRIPT_SRC)
    (tmp_path / "mod.ljs").write_text("var hidden = 1;\nexports.kind = typeof this;\n")
    r = luascript("run", "--script", str(tmp_path / "classic.ljs"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["true 1 true true", "true function", "object 3 5 undefined",
                                     "object undefined"]
    # the same file as a CommonJS module: `var console` shadows the global one
    r = luascript("run", str(tmp_path / "classic.ljs"))
    assert r.returncode == 1
    assert "Cannot read properties of undefined (reading 'log')" in r.stderr
    assert luascript("check", "--script", str(tmp_path / "classic.ljs")).returncode == 0
    assert luascript("build", "--script", str(tmp_path / "classic.ljs")).returncode == 0
    assert 'J0.script_var("a")' in (tmp_path / "classic.lua").read_text()


def test_warm_start_imports_neither_compiler_nor_parser(tmp_path):
    # Start-up is the cost every `luascript run` pays; a warm cache must keep the compiler's ~35 ms of
    # imports off it (a cache-key helper once pulled the whole transform package in).
    src = tmp_path / "hello.ljs"
    src.write_text("console.log('hi');\n")
    env = dict(ENV, LUASCRIPT_CACHE=str(tmp_path / "cache"))
    probe = ("import runpy, sys\nsys.argv = ['luascript', 'run', %r]\n"
             "try:\n    runpy.run_module('luascript', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith(('luascript.transform', 'luascript.syntax', "
             "'tree_sitter'))))\n") % str(src)
    for warm in (False, True):
        r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env)
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()
        assert lines[0] == "hi"
        loaded = eval(lines[1])
        if warm:
            assert loaded == [], loaded
        else:
            assert "luascript.transform" in loaded   # the cold run did compile


# ---- node's -e / -p, and programs on standard input -------------------------------------------------
def luascript_in(stdin, *args, cwd=None):
    return subprocess.run([sys.executable, "-m", "luascript", *args], input=stdin, cwd=cwd, capture_output=True,
                          text=True, timeout=60, env=ENV)


def test_eval_runs_code_as_node_e_does(tmp_path):
    (tmp_path / "m.js").write_text("module.exports = 'from m';\n")
    r = luascript("-e", "var g = 1; console.log(process.argv.slice(1), globalThis.g, this === globalThis, "
                        "require('./m'), typeof __filename)", "a", "-b", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    # as node: process.argv is [execPath, ...args] (no script name), top-level var is global
    assert r.stdout == "[ 'a', '-b' ] 1 true from m string\n"
    assert luascript("--eval=console.log(2)").stdout == "2\n"
    # node drops a `--` right after the code
    assert luascript("-e", "console.log(process.argv.length)", "--", "x").stdout == "2\n"
    r = luascript("-e", "setTimeout(() => console.log('later'), 5); process.exitCode = 4")
    assert (r.stdout, r.returncode) == ("later\n", 4)


def test_print_shows_the_last_value_as_node_p_does():
    assert luascript("-p", "'raw string'").stdout == "raw string\n"
    assert luascript("-p", "({a: 1, s: 'x'})").stdout == "{ a: 1, s: 'x' }\n"
    assert luascript("-p", "let x = 3").stdout == "undefined\n"
    assert luascript("-pe", "[1, 2].map(x => x * 2)").stdout == "[ 2, 4 ]\n"
    assert luascript("--print", "1; var y = 2").stdout == "1\n"      # declarations have no value
    assert luascript("-p", "process.argv.slice(1)", "x", "y").stdout == "[ 'x', 'y' ]\n"
    # the value prints when the program's synchronous part has run, before its timers
    assert luascript("-p", "setTimeout(() => console.log('t')); 5").stdout == "5\nt\n"
    assert luascript("-p", "Promise.resolve(3)").stdout == "Promise { 3 }\n"
    assert luascript("-p", "await Promise.resolve(6)").stdout == "6\n"
    r = luascript("-p", "await Promise.reject(new Error('no'))")
    assert r.returncode == 1 and r.stdout == "" and "Uncaught Error: no" in r.stderr
    r = luascript("-p", "process.exit(2); 5")
    assert (r.stdout, r.returncode) == ("", 2)


def test_eval_errors_point_into_the_code():
    r = luascript("-e", "let a = 1;\nnull.x")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("[eval]:2:1\n  null.x\n  ^\n\nUncaught TypeError: Cannot read properties of null")
    assert "at [eval]:2:1" in r.stderr and "Traceback" not in r.stderr
    r = luascript("-p", "1 +")
    assert r.returncode == 1 and r.stderr.startswith("[eval]:1:1: error: SyntaxError: ")
    r = luascript("-e")
    assert r.returncode == 2 and "-e requires an argument" in r.stderr


def test_run_reads_the_program_from_standard_input(tmp_path):
    (tmp_path / "m.js").write_text("exports.n = 5;\n")
    src = "var v = 1;\nconsole.log(process.argv.slice(1), require('./m').n, globalThis.v);\n"
    r = luascript_in(src, "run", "-", "a", "b", cwd=tmp_path)
    assert (r.stdout, r.returncode) == ("[ '-', 'a', 'b' ] 5 1\n", 0), r.stderr
    assert luascript_in(src, "-", "a", cwd=tmp_path).stdout == "[ '-', 'a' ] 5 1\n"
    # `luascript` alone with a pipe for standard input runs it, as `node < app.js` does
    assert luascript_in(src, cwd=tmp_path).stdout == "[] 5 1\n"
    r = luascript_in("console.log(1);\nthrow new RangeError('in stdin');\n", "run", "-")
    assert r.returncode == 1 and r.stdout == "1\n"
    # (the position where the error was made, as node's stack has it: [stdin]:2:7)
    assert r.stderr.startswith("[stdin]:2:7\n  throw new RangeError('in stdin');\n")
    assert "Uncaught RangeError: in stdin" in r.stderr
    r = luascript_in("process.exit(7)", "run", "-")
    assert r.returncode == 7


def test_help_lists_eval_and_repl():
    r = luascript("--help")
    assert r.returncode == 0
    for word in ("-e CODE", "-p CODE", "repl", "-i, --interactive", "standard input"):
        assert word in r.stdout, word
    r = luascript("repl", "--help")
    assert r.returncode == 0 and "usage: luascript repl" in r.stdout and ".exit" in r.stdout


def test_warm_eval_imports_neither_compiler_nor_parser(tmp_path):
    env = dict(ENV, LUASCRIPT_CACHE=str(tmp_path / "cache"))
    probe = ("import runpy, sys\nsys.argv = ['luascript', '-p', '6 * 7']\n"
             "try:\n    runpy.run_module('luascript', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith(('luascript.transform', 'luascript.syntax', "
             "'luascript.repl', 'tree_sitter'))))\n")
    for warm in (False, True):
        r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env)
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()
        assert lines[0] == "42"
        if warm:
            assert eval(lines[1]) == []


def test_file_as_first_argument_runs_it(tmp_path):
    # `luascript app.js args` runs the file as `luascript run app.js args` (and `node app.js`) does;
    # process.execPath runs a file the same way
    (tmp_path / "app.js").write_text(
        "console.log(process.argv.slice(2).join(','));\n"
        "console.log(require('fs').existsSync(process.execPath));\n")
    proc = subprocess.run([sys.executable, "-c", "import sys; from luascript.cli import main; sys.exit(main())",
                           "app.js", "a", "--b"], cwd=str(tmp_path), capture_output=True, text=True, timeout=120)
    assert proc.stdout == "a,--b\ntrue\n", proc.stderr
    assert proc.returncode == 0


def test_mjs_and_type_module_files_are_es_modules_without_imports(tmp_path):
    # node decides by the extension, then by package.json's "type"; nothing in the file needs to say
    body = ('console.log(typeof this, typeof require, typeof module, typeof arguments);\n'
            'try { undeclared = 1; console.log("sloppy"); } catch (e) { console.log(e.name); }\n')
    (tmp_path / "a.mjs").write_text(body)
    (tmp_path / "c.js").write_text(body)
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "package.json").write_text('{"type": "module"}')
    (pkg / "b.js").write_text(body)
    esm = "undefined undefined undefined undefined\nReferenceError\n"
    assert luascript("run", str(tmp_path / "a.mjs")).stdout == esm
    assert luascript("run", str(pkg / "b.js")).stdout == esm
    assert luascript("run", str(tmp_path / "c.js")).stdout == "object function object object\nsloppy\n"


def test_callee_names_and_positions_under_a_path_lua_shortens(tmp_path):
    # Lua's error messages give a chunk name past 60 bytes as "..." and its tail
    deep = tmp_path / ("d" * 40) / ("e" * 40)
    deep.mkdir(parents=True)
    src = deep / "calls.js"
    src.write_text('const o = {}, k = "x";\ntry { o[k](); } catch (e) { console.log(e.message); }\no.missing();\n')
    r = luascript("run", str(src))
    assert r.stdout == "o[k] is not a function\n"
    assert "o.missing is not a function" in r.stderr
    assert "at %s:3:" % src in r.stderr
