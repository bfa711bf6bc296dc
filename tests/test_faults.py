"""Runtime faults (issue 10): deep recursion is a RangeError, running out of memory is an error
the host survives, uncaught errors in promises and timers report their .ljs stack with a non-zero
exit, and Ctrl-C stops a program (even a JIT-compiled loop) with status 130 and no traceback.

Runs that could crash the interpreter (deep generator nesting once segfaulted) or that need an
address-space limit go through a subprocess."""
import io
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import luascript

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))


def luascript_run(path, *opts, timeout=60):
    return subprocess.run([sys.executable, "-m", "luascript", "run", *opts, str(path)], capture_output=True,
                          text=True, env=ENV, timeout=timeout)


@pytest.fixture(scope="module")
def rt():
    return luascript.Runtime()


# ---- deep recursion ------------------------------------------------------------------------

RECURSION = {
    "plain": "function f() { return f() + 1 } f()",
    "method": "class A { m(n) { return this.m(n + 1) + 1 } } new A().m(0)",
    "getter": "const o = { get g() { return this.g + 1 } }; o.g",
    "toString": "const o = { toString() { return '' + this } }; String(o)",
    "valueOf": "const q = { valueOf() { return q + 1 } }; q + 1",
    "constructor": "class B { constructor() { new B() } } new B()",
    "JSON.stringify": "let d = {}; for (let i = 0; i < 100000; i++) d = { a: d }; JSON.stringify(d)",
    "join": "let a = []; for (let i = 0; i < 100000; i++) a = [a]; a.join()",
    "proxy chain": "let p = {}; for (let i = 0; i < 100000; i++) p = new Proxy(p, {}); p.x",
    "apply": "function g() { return 1 + g.apply(null, []) } g()",
    "bound": "let h; const g = function () { return 1 + h() }; h = g.bind(null); h()",
    "callbacks": "function g(n) { return [1].map(() => g(n + 1)) } g(0)",
    "sort comparator": "function g() { return [2, 1].sort(() => g()) } g()",
    "replace callback": "function g() { return 'a'.replace(/a/, () => g()) } g()",
    "generators": "function* g() { yield* g() } [...g()]",
}


@pytest.mark.parametrize("name", sorted(RECURSION))
def test_deep_recursion_is_a_catchable_range_error(rt, name):
    src = "try { %s; globalThis.r = 'no error' } catch (e) { globalThis.r = e.name + ': ' + e.message }" \
        % RECURSION[name]
    rt.eval(src)
    assert rt.get("r") == "RangeError: Maximum call stack size exceeded"
    assert rt.eval("[1, 2].map(x => x * 3)") == [3, 6]


def test_uncaught_deep_recursion_in_eval_is_a_jserror(rt):
    with pytest.raises(luascript.JSError) as e:
        rt.eval("function f() { return f() + 1 }\nf()")
    assert e.value.name == "RangeError" and e.value.message == "Maximum call stack size exceeded"
    assert rt.eval("1 + 1") == 2


def test_deep_async_recursion_rejects_with_range_error(rt):
    rt.eval("async function a() { return 1 + await a() }\n"
            "a().catch(e => { globalThis.r = e.name })")
    assert rt.get("r") == "RangeError"


def test_cli_deep_recursion(tmp_path):
    src = tmp_path / "rec.ljs"
    src.write_text("function f() { return f() + 1 }\n"
                   "try { f() } catch (e) { console.log('caught', e instanceof RangeError) }\n"
                   "function* g() { yield* g() }\n"
                   "try { [...g()] } catch (e) { console.log('generators', e.name) }\n"
                   "f()\n")
    r = luascript_run(src)
    assert r.returncode == 1, r.stderr   # not a crash (a signal gives a negative code)
    assert r.stdout == "caught true\ngenerators RangeError\n"
    # the .ljs line and its caret come first when the overflow happens in compiled code, not when
    # it happens inside a runtime helper that JS called
    lines = r.stderr.splitlines()
    assert "Uncaught RangeError: Maximum call stack size exceeded" in lines
    assert lines[0] == "Uncaught RangeError: Maximum call stack size exceeded" \
        or lines[0].startswith(str(src) + ":1:") and lines[1] == "  function f() { return f() + 1 }"
    assert "Traceback" not in r.stderr


# ---- out of memory -------------------------------------------------------------------------

def test_out_of_memory_under_a_memory_limit_without_sandbox():
    rt = luascript.Runtime(memory_limit=32 << 20)
    with pytest.raises(luascript.JSError) as e:
        rt.eval("const a = []; for (;;) a.push([1, 2, 3])")
    assert "memory" in e.value.message
    # a catch block sees a RangeError (the frames it unwound are collected first)
    rt.eval("try { const b = []; for (;;) b.push({}) } catch (e) { globalThis.r = e.name + ': ' + e.message }")
    assert rt.get("r") == "RangeError: Out of memory"
    assert rt.eval("Array.from({ length: 100 }, (_, i) => i).length") == 100


OOM_HOST = textwrap.dedent("""
    import resource, sys
    limit = 500 << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import luascript
    rt = luascript.Runtime()
    try:
        rt.eval("const a = []; for (;;) a.push([1, 2, 3, 4])")
    except luascript.JSError as e:
        print("stopped:", e.message)
    rt.eval("try { const b = []; for (;;) b.push({}) } catch (e) { globalThis.r = e.name + ': ' + e.message }")
    print("caught:", rt.get("r"))
    print("reusable:", rt.eval("[1, 2, 3].map(x => x + 1).join()"))
""")


def test_out_of_memory_without_limits_leaves_the_host_alive():
    """The system allocator failing (here: an address-space limit) is an error, not lupa's
    'unprotected error' abort, and the runtime keeps working."""
    r = subprocess.run([sys.executable, "-c", OOM_HOST], capture_output=True, text=True, env=ENV, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("stopped: the program ran out of memory\ncaught: RangeError: Out of memory\n"
                        "reusable: 2,3,4\n")


# ---- uncaught errors in promises and timers ------------------------------------------------

UNCAUGHT = {
    "timer": ("function boom() { throw new TypeError('bad thing') }\nsetTimeout(() => { boom() }, 1)\n",
              "{f}:1:25\n  function boom() { throw new TypeError('bad thing') }\n                          ^\n\n"
              "Uncaught TypeError: bad thing\n    at boom ({f}:1:25)\n    at {f}:2:20\n"),
    "async": ("async function f() {\n  await null\n  null.x\n}\nf()\n",
              "{f}:3:3\n    null.x\n    ^\n\n"
              "Uncaught TypeError: Cannot read properties of null (reading 'x')\n    at {f}:3:3\n"),
    "rejection": ("Promise.reject(new Error('rejected!'))\n",
                  "{f}:1:16\n  Promise.reject(new Error('rejected!'))\n                 ^\n\n"
                  "Uncaught Error: rejected!\n    at {f}:1:16\n"),
    # (a reason that is no Error: node's UnhandledPromiseRejection names it)
    "string reason": ("Promise.resolve().then(() => { throw 'a string' })\n",
                      "Uncaught UnhandledPromiseRejection: This error originated either by throwing inside of an "
                      "async function without a catch block, or by rejecting a promise which was not handled with "
                      ".catch(). The promise rejected with the reason \"a string\".\n"),
    "microtask": ("queueMicrotask(() => { undefinedFn() })\n",
                  "{f}:1:24\n  queueMicrotask(() => { undefinedFn() })\n                         ^\n\n"
                  "Uncaught ReferenceError: undefinedFn is not defined\n    at {f}:1:24\n"),
}


@pytest.mark.parametrize("name", sorted(UNCAUGHT))
def test_uncaught_async_error_reports_its_ljs_stack(tmp_path, name):
    src, want = UNCAUGHT[name]
    f = tmp_path / "app.ljs"
    f.write_text(src)
    r = luascript_run(f)
    assert r.returncode == 1
    assert r.stderr == want.replace("{f}", str(f))


# ---- Ctrl-C --------------------------------------------------------------------------------

def interrupt(tmp_path, src, *opts, after=1.0):
    f = tmp_path / "spin.ljs"
    f.write_text(src)
    # SIGINT default in the child even where the test runner was started with it ignored
    p = subprocess.Popen([sys.executable, "-m", "luascript", "run", *opts, str(f)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=ENV,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(after)
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        pytest.fail("Ctrl-C did not stop the program")
    return p.returncode, out, err, time.monotonic() - t0


@pytest.mark.parametrize("src", [
    "console.log('start'); for (;;) {}",
    "console.log('start'); let x = 0; while (true) x++",
    "console.log('start'); const f = () => [1, 2].map(x => x + 1); for (;;) f()",
    "console.log('start'); setTimeout(() => {}, 1e9)",
])
def test_ctrl_c_stops_with_130_and_no_traceback(tmp_path, src):
    code, out, err, took = interrupt(tmp_path, src)
    assert code == 130
    assert out == "start\n"      # what the program printed is flushed
    assert err == ""
    assert took < 3


def test_ctrl_c_in_the_sandbox_stops_at_a_poll_point(tmp_path):
    code, out, err, took = interrupt(tmp_path, "console.log('start'); let x = 0; while (true) x++", "--sandbox")
    assert (code, out, err) == (130, "start\n", "")
    assert took < 0.5   # the poll point answers; no grace period spent


def test_endless_tail_recursion_is_a_range_error_not_a_hang(tmp_path):
    # JS has no tail calls: `return f(n + 1)` overflows like any other recursion
    rt = luascript.Runtime(stdout=io.StringIO())
    got = rt.eval("function f(n) { return f(n + 1); }\n"
                  "let r; try { f(0); } catch (e) { r = [e instanceof RangeError, e.message]; } r")
    assert got == [True, "Maximum call stack size exceeded"]


def test_an_exit_listener_that_throws_runs_once(tmp_path):
    # the error it throws ends the program with 1; 'exit' is not announced to it a second time
    p = tmp_path / "exit_throw.ljs"
    p.write_text("process.on('exit', () => { console.log('in exit'); throw new Error('boom'); });\n")
    r = luascript_run(p)
    assert r.returncode == 1 and r.stdout == "in exit\n"
    assert "Error: boom" in r.stderr and "Traceback" not in r.stderr
