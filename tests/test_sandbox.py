"""The sandbox (issue 10): a corpus of escape attempts, the limits, a reachability audit, a soak.

Each tests/sandbox/NAME.ljs tries one route out and says on its `// expect:` line how it must end:
`output` (it runs to the end and prints tests/sandbox/NAME.expected: these are the sandbox's own
answers, which node cannot give, so `tests/sandbox/regen.py` writes them from a reviewed run) or
`error NAME[: MESSAGE]` (the run raises that error, a limit or a JS error, with that message).
"""
import io
import os
import re
import sys
import threading
import time

import pytest

import luascript
from luascript.runtime import ProcessExit
from luascript.sandbox import Interrupted, LimitError, MemoryLimitError, TimeLimitError

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "sandbox")
TIME_LIMIT = 0.5
MEMORY_LIMIT = 64 << 20


def sandboxed(**kw):
    out = io.StringIO()
    opts = dict(stdout=out, stderr=out, sandbox=True, time_limit=TIME_LIMIT, memory_limit=MEMORY_LIMIT)
    opts.update(kw)
    return luascript.Runtime(**opts), out


def run_corpus_file(path, **kw):
    """(outcome, printed): outcome is "output" or "error NAME: MESSAGE"."""
    rt, out = sandboxed(**kw)
    try:
        rt.run_file(path)
        outcome = "output"
    except LimitError as e:
        outcome = "error " + type(e).__name__
    except luascript.JSError as e:
        outcome = "error %s: %s" % (e.name, e.message)
    except ProcessExit as e:
        outcome = "error exit %d" % e.code
    return outcome, out.getvalue()


def corpus():
    return sorted(f for f in os.listdir(CORPUS) if f.endswith(".ljs"))


def expectation(path):
    with open(path, encoding="utf-8") as f:
        m = re.search(r"^// expect: (.*)$", f.read(), re.M)
    assert m, "%s has no // expect: line" % path
    return m.group(1).strip()


@pytest.mark.parametrize("name", corpus())
def test_escape_attempt_is_stopped(name):
    path = os.path.join(CORPUS, name)
    want = expectation(path)
    t0 = time.monotonic()
    # a memory bomb reaches 64 MB in about 0.5 s here: the time limit must not race it
    outcome, printed = run_corpus_file(path, **({"time_limit": 10} if "MemoryLimitError" in want else {}))
    if want == "output":
        assert outcome == "output", printed
        with open(path[:-4] + ".expected", encoding="utf-8") as f:
            assert printed == f.read()
    else:
        assert outcome.startswith(want), (outcome, printed)
    if "TimeLimitError" in want:
        # stopped at the limit, not long after it
        assert time.monotonic() - t0 < TIME_LIMIT + 1.5


def test_corpus_covers_the_routes_the_issue_names():
    names = " ".join(corpus())
    for route in ("lua_globals", "prototype_pollution", "string_metatable", "constructor_constructor",
                  "coroutine_tricks", "error_internals", "huge_string", "deep_nesting", "lua_import",
                  "node_modules_blocked", "eval_lua_code", "typed_arrays", "jit_loop"):
        assert route in names


# ---- limits --------------------------------------------------------------------------------

def test_time_limit_stops_a_jit_compiled_loop_and_the_runtime_is_reusable():
    rt, _ = sandboxed()
    for src in ("for (;;) {}", "let x = 0; while (true) x++", "const g = () => { while (true) {} }; g()",
                "try { for (;;) {} } catch (e) {} finally { for (;;) {} }"):
        t0 = time.monotonic()
        with pytest.raises(TimeLimitError):
            rt.eval(src)
        assert time.monotonic() - t0 < TIME_LIMIT + 1
        assert rt.eval("[1, 2, 3].map(x => x * 2)") == [2, 4, 6]


def test_time_limit_covers_eval_and_timers():
    rt, _ = sandboxed()
    with pytest.raises(TimeLimitError):
        rt.eval("Function('while (true) {}')()")
    with pytest.raises(TimeLimitError):
        rt.eval("setTimeout(() => {}, 1e9)")
    with pytest.raises(TimeLimitError):
        rt.eval("setInterval(() => {}, 1)")
    # the stopped program's timers are gone: this run's event loop has nothing left to do
    assert rt.eval("globalThis.n = 0; setTimeout(() => n++, 1); 'queued'") == "queued"
    assert rt.eval("n") == 1


def test_memory_limit_stops_allocation_bombs_and_the_runtime_is_reusable():
    rt, _ = sandboxed(time_limit=10)
    for src in ("let s = 'x'; while (true) s += s",
                "const a = []; for (;;) a.push({ a: [1, 2, 3] })",
                "globalThis.keep = []; for (;;) keep.push('x'.repeat(1000) + keep.length)",
                "for (;;) { try { const a = []; for (;;) a.push([1]) } catch (e) {} }"):
        with pytest.raises(MemoryLimitError) as e:
            rt.eval(src)
        assert "64 MiB" in str(e.value)
        rt.eval("globalThis.keep = undefined")
        assert rt.eval("Array.from({ length: 1000 }, (_, i) => i).reduce((a, b) => a + b)") == 499500


def test_memory_limit_counts_from_the_runtime_and_allows_ordinary_programs():
    rt, _ = sandboxed(memory_limit=16 << 20)
    assert rt.eval("const a = []; for (let i = 0; i < 100000; i++) a.push(i); a.length") == 100000
    with pytest.raises(MemoryLimitError):
        rt.eval("'x'.repeat(64 << 20)")


def test_limits_without_the_sandbox_still_apply():
    rt = luascript.Runtime(time_limit=TIME_LIMIT)
    with pytest.raises(TimeLimitError):
        rt.eval("for (;;) {}")
    # no sandbox: the host's modules stay reachable
    assert rt.eval("typeof require('lua:os').time") == "function"


def test_globals_loaded_on_first_use_work_in_the_sandbox():
    """The web APIs and Buffer load on a program's first read elsewhere; the sandbox loads them before
    it guards the string library, so they work (or refuse, as typed arrays do) as they always did."""
    rt, _ = sandboxed()
    assert rt.eval("new URL('https://h/a/../b').pathname + btoa('x')") == "/beA=="
    with pytest.raises(luascript.JSError, match="typed arrays, DataView and Buffer are not available"):
        rt.eval("Buffer.from('x')")


def test_interrupt_from_another_thread():
    rt, _ = sandboxed(time_limit=None)
    threading.Timer(0.2, rt.interrupt).start()
    t0 = time.monotonic()
    with pytest.raises(Interrupted):
        rt.eval("while (true) {}")
    assert time.monotonic() - t0 < 2
    assert rt.eval("1 + 1") == 2


def test_limit_inside_a_python_callback_stops_the_outer_program():
    rt, _ = sandboxed()

    def inner():
        rt.eval("for (;;) {}")   # raises TimeLimitError into the JS caller

    rt.set("inner", inner)
    with pytest.raises(TimeLimitError):
        rt.eval("try { inner() } catch (e) {} for (;;) {}")
    assert rt.eval("'alive'") == "alive"


def test_process_exit_does_not_exit_the_host():
    rt, _ = sandboxed()
    with pytest.raises(ProcessExit) as e:
        rt.eval("process.exit(3)")
    assert e.value.code == 3
    assert rt.eval("'host alive'") == "host alive"


def test_sandbox_eval_has_no_file_system():
    rt, _ = sandboxed()
    inside = os.path.join(CORPUS, "helpers", "inside.js")
    with pytest.raises(luascript.JSError) as e:
        rt.eval("require(%r)" % inside)
    assert "the sandbox loads modules only from the program's directory" in e.value.message


# ---- what compiled code can reach ----------------------------------------------------------

AUDIT = r"""
local R = require("ljs.rt")
local G, Reflect = R.G, R.G.Reflect
local forbidden = {[R] = "R", [_G] = "_G", [package] = "package", [package.loaded] = "package.loaded"}
local function mark(t, name)
  forbidden[t] = name
  for k, v in pairs(t) do
    if type(v) == "function" and forbidden[v] == nil then forbidden[v] = name .. "." .. tostring(k) end
  end
end
for _, lib in ipairs({"debug", "io", "os", "jit", "package", "coroutine", "string", "table"}) do mark(_G[lib], lib) end
mark(require("ffi"), "ffi")
for _, f in ipairs({"load", "loadstring", "dofile", "loadfile", "require", "setfenv", "getfenv", "rawset",
                    "rawget", "setmetatable", "getmetatable", "collectgarbage", "newproxy", "module"}) do
  if _G[f] then forbidden[_G[f]] = f end
end
local seen, queue, found = {}, {}, {}
local function visit(v, path)
  local t = type(v)
  if t == "cdata" or t == "userdata" or t == "thread" then found[#found + 1] = path .. " is a " .. t; return end
  if (t ~= "table" and t ~= "function") or v == R.null then return end
  if forbidden[v] then found[#found + 1] = path .. " is " .. forbidden[v]; return end
  if seen[v] then return end
  seen[v] = true
  queue[#queue + 1] = {v, path}
end
visit(G, "globalThis")
for name, load in pairs(R.builtin_modules) do
  local ok, exports = pcall(load)
  if ok then visit(exports, "require('" .. name .. "')") end
end
local head = 1
while head <= #queue do
  local v, path = queue[head][1], queue[head][2]
  head = head + 1
  local ok, proto = pcall(Reflect.getPrototypeOf, nil, v)
  if ok then visit(proto, path .. ".[[Prototype]]") end
  local ok2, keys = pcall(Reflect.ownKeys, nil, v)
  if ok2 and type(keys) == "table" then
    for i = 0, (rawget(keys, "length") or 0) - 1 do
      local k = rawget(keys, i)
      local ok3, d = pcall(Reflect.getOwnPropertyDescriptor, nil, v, k)
      if ok3 and type(d) == "table" then
        local name = type(k) == "string" and k or tostring(k)
        visit(rawget(d, "value"), path .. "." .. name)
        visit(rawget(d, "get"), path .. ".get " .. name)
        visit(rawget(d, "set"), path .. ".set " .. name)
      end
    end
  end
end
return #queue, table.concat(found, "\n")
"""


def test_nothing_of_the_host_is_reachable_from_the_global_object():
    """Walk every object a program can reach through properties, accessors and prototypes from
    globalThis and the built-in modules: no FFI value, Python object, coroutine, Lua library
    function or runtime table may be among them."""
    rt, _ = sandboxed()
    count, found = rt.lua.execute(AUDIT)
    assert count > 500
    assert found == "", found
    # the audit finds what it looks for
    rt.lua.execute("local R = require('ljs.rt'); rawset(R.G.Math, 'planted', require('ffi').new('int[1]'))")
    assert "globalThis.Math.planted is a cdata" in rt.lua.execute(AUDIT)[1]


def test_poll_points_only_in_sandbox_mode():
    from luascript.cache import cache_key
    from luascript.compiler import compile_source
    src = "function f(n) { let s = 0; for (let i = 0; i < n; i++) s += i; while (s > 0) s--; return s }"
    plain = compile_source(src, "p.ljs").lua
    polled = compile_source(src, "p.ljs", {"poll": True}).lua
    assert b"J0_poll" not in plain
    # the function body, the for loop and the while loop
    assert polled.count(b"J0_poll()") == 3
    assert cache_key(src, "p.ljs") != cache_key(src, "p.ljs", poll=True)


def test_outside_the_sandbox_typed_arrays_and_lua_imports_still_work():
    rt = luascript.Runtime()
    assert rt.eval("new Float64Array([1, 2, 3]).reduce((a, b) => a + b)") == 6
    assert rt.eval("typeof require('lua:string').format") == "function"


# ---- soak ----------------------------------------------------------------------------------

SOAK_PROGRAMS = """globalThis.progs = [
  () => [1, 2, 3].map(x => x * 2).join(),
  () => { const o = {}; for (let i = 0; i < 10; i++) o["k" + i] = i; return Object.keys(o).length },
  () => JSON.stringify({ a: [1, { b: 2 }], s: "x".repeat(10) }),
  () => { try { undefined.x } catch (e) { return e.name } },
  () => { let s = ""; for (let i = 0; i < 20; i++) s += i; return s.length },
  () => { let r; Promise.resolve(5).then(v => { r = v }); setTimeout(() => {}, 0); return "async" },
  () => { const m = new Map(); for (let i = 0; i < 20; i++) m.set("k" + i, [i]); return m.size },
  () => [...gen()].length,
]
function* gen() { yield 1; yield 2 }"""


def test_soak_ten_thousand_runs_memory_flat():
    rt, _ = sandboxed(time_limit=5)
    rt.eval(SOAK_PROGRAMS)
    run = rt.eval("(i) => progs[i % progs.length]()")

    def used():
        rt.lua.execute("collectgarbage(); collectgarbage()")
        return rt.lua.get_memory_used()
    for i in range(400):
        run(i)
    before = used()
    for i in range(9500):
        run(i)
    for i in range(100):   # whole programs too: loaded, run, dropped
        assert rt.eval("let a%d = [1, 2, 3]; a%d.length" % (i % 7, i % 7)) == 3
    after = used()
    assert after - before < 256 * 1024, (before, after)


def _growth_over_calls(src, calls=2000):
    rt, _ = sandboxed(time_limit=5)
    f = rt.eval(src)
    for _ in range(calls):   # the weak side tables grow to the entries a GC cycle leaves them first
        f()
    rt.lua.execute("collectgarbage(); collectgarbage()")
    before = rt.lua.get_memory_used()
    for _ in range(calls):
        f()
    rt.lua.execute("collectgarbage(); collectgarbage()")
    return rt.lua.get_memory_used() - before


def test_fresh_prototypes_are_collected():
    # each prototype's instance metatable is cached in a table weak in both keys and values: the
    # metatable refers to the prototype, and LuaJIT has no ephemerons, so a weak-keyed cache kept
    # every fresh prototype (Object.create({}), 1.7 MB over these calls) forever
    assert _growth_over_calls("() => Object.create({ a: 1 }).a") < 64 * 1024


def test_fresh_classes_are_collected():
    # a function's own properties refer back to it (prototype.constructor) and LuaJIT has no
    # ephemerons, so before classes held their runtime data through their constructor (R.keep)
    # every class made at run time stayed: 1.3 KB each, 13 MB over these calls. (What is left,
    # 100-230 KB however many calls, is the capacity of the weak tables and the last classes that
    # compiled traces hold as constants.)
    assert _growth_over_calls("() => { class A {}; return new A() && 1 }", 10000) < 1024 * 1024
    assert _growth_over_calls("""(() => {
        class Base { static make() { return new this(); } }
        return () => {
            const C = class extends Base { constructor() { super(); this.v = 1; } static s = 2; m() { return this.v; } };
            return C.make().m() + C.s;
        };
    })()""", 10000) < 1024 * 1024


def test_a_kept_class_keeps_its_runtime_data_through_collections():
    rt, out = sandboxed()
    rt.eval("""() => {
        function make(i) {
            return class K { constructor() { this.i = i; } static tag = "t" + i; get() { return this.i; } };
        }
        globalThis.C = make(7);
        for (let n = 0; n < 1000; n++) new C();
    }""")()
    rt.lua.execute("collectgarbage(); collectgarbage()")
    rt.eval("""() => {
        const c = new C();
        console.log(c.get(), C.tag, C.name, C.prototype.constructor === C, c instanceof C,
                    Object.getPrototypeOf(c) === C.prototype);
    }""")()
    assert out.getvalue() == "7 t7 K true true true\n"


# ---- command line --------------------------------------------------------------------------

def cli(*args, **kw):
    import subprocess
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "luascript", *args], capture_output=True, text=True, env=env,
                          timeout=60, **kw)


@pytest.mark.parametrize("sandbox", [False, True])
def test_cli_time_limit_stops_a_program_waiting_for_stdin(tmp_path, sandbox):
    """A program waiting for input that never comes (an inherited stdin that stays open) still
    stops at its time limit: the event loop waits for input in slices between which it checks
    the limit, and so does fs.readFileSync(0). In the sandbox stdin is empty and readFileSync
    is not there at all: it is the timer that runs into the limit."""
    import subprocess
    progs = {
        "stream.js": "process.stdin.on('data', (d) => console.log('data', d.length));\n"
                     "process.stdin.on('end', () => { console.log('end'); setInterval(() => {}, 1000); });\n",
        "readline.js": "const rl = require('readline').createInterface({ input: process.stdin });\n"
                       "rl.on('line', (l) => console.log('line', l));\n"
                       "rl.on('close', () => setTimeout(() => {}, 1e6));\n",
        "readall.js": "console.log(require('fs').readFileSync(0, 'utf8'));\n",
    }
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for name, src in progs.items():
        if sandbox and name == "readall.js":
            continue
        (tmp_path / name).write_text(src)
        args = [sys.executable, "-m", "luascript", "run", "--time-limit", "1"] + (["--sandbox"] if sandbox else [])
        t0 = time.monotonic()
        proc = subprocess.Popen(args + [str(tmp_path / name)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env)
        try:
            proc.stdin.write(b"first\n")
            proc.stdin.flush()
            rc = proc.wait(timeout=60)   # stdin stays open: only the limit can end the program
            out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdin.close()
        assert rc == 1, (name, out, err)
        assert err == "luascript: the program ran past its time limit of 1s\n", (name, err)
        assert time.monotonic() - t0 < 30
        want = {"stream.js": "data 6\n", "readline.js": "line first\n", "readall.js": ""}[name]
        assert out == ("end\n" if sandbox and name == "stream.js" else "" if sandbox else want), (name, out)


def test_sandbox_stdin_is_empty():
    rt, out = sandboxed()
    rt.eval("process.stdin.setEncoding('utf8');"
            "process.stdin.on('data', (d) => console.log('data', d));"
            "process.stdin.on('end', () => console.log('end', process.stdin.readableEnded));"
            "require('readline').createInterface({ input: process.stdin }).on('close', () => console.log('closed'))")
    assert out.getvalue() == "end true\nclosed\n"
    with pytest.raises(luascript.JSError, match="not available in the LuaScript sandbox"):
        rt.eval("require('fs').readFileSync(0)")


def test_cli_sandbox_limits(tmp_path):
    spin = tmp_path / "spin.ljs"
    spin.write_text("console.log('start'); let x = 0; while (true) x++\n")
    r = cli("run", "--sandbox", "--time-limit", "0.5", str(spin))
    assert r.returncode == 1 and r.stdout == "start\n"
    assert r.stderr == "luascript: the program ran past its time limit of 0.5s\n"
    bomb = tmp_path / "bomb.ljs"
    bomb.write_text("let s = 'x'; for (;;) s += s\n")
    r = cli("run", "--sandbox", "--memory-limit", "32", str(bomb))
    assert r.returncode == 1 and r.stderr == "luascript: the program used more than its memory limit of 32 MiB\n"
    escape = tmp_path / "escape.ljs"
    escape.write_text("require('fs').readFileSync('/etc/passwd')\n")
    r = cli("run", "--sandbox", str(escape))
    assert r.returncode == 1 and "not available in the LuaScript sandbox" in r.stderr and "Traceback" not in r.stderr
    r = cli("run", "--help")
    assert "--sandbox" in r.stdout and "--time-limit SECONDS" in r.stdout and "--memory-limit MIB" in r.stdout
