"""luascript.Runtime: evaluating code, values across the bridge, errors, NumPy without copies."""
import pytest

import luascript


@pytest.fixture(scope="module")
def rt():
    return luascript.Runtime()


def test_eval_returns_last_expression(rt):
    assert rt.eval("1 + 2") == 3
    assert rt.eval("'a' + 1") == "a1"
    assert rt.eval("[1, 'x', null, true]") == [1, "x", None, True]
    assert rt.eval("({b: 1, a: [2]})") == {"b": 1, "a": [2]}
    assert rt.eval("let q = 5; q * 2") == 10


def test_get_set_and_python_values(rt):
    rt.set("cfg", {"name": "n", "list": [1, 2.5], "flag": False, "none": None})
    assert rt.eval("cfg.list[1] * 2") == 5
    assert rt.eval("typeof cfg.none") == "undefined"
    rt.eval("globalThis.answer = 42")
    assert rt.get("answer") == 42


def test_call_js_function_and_python_callable(rt):
    rt.eval("globalThis.add = (a, b) => a + b")
    assert rt.call("add", 2, 3) == 5
    assert rt.call("add", "a", "b") == "ab"
    rt.set("py_upper", lambda s: s.upper())
    assert rt.eval("py_upper('abc') + '!'") == "ABC!"
    add = rt.get("add")
    assert add(1, 1) == 2


def test_python_callable_called_after_an_await(rt):
    # code after an await runs in a Lua coroutine; lupa 2.8 indexed Lua tables on that coroutine's
    # stack there, and the bridge's conversions got tuples back instead of values
    seen = []
    rt.set("py_take", lambda v: seen.append(v) or len(seen))
    rt.eval("(async () => { await null; py_take({a: [1, 'x', {b: null}], n: 2.5}); py_take([[1], 'y']); })()")
    assert seen == [{"a": [1, "x", {"b": None}], "n": 2.5}, [[1], "y"]]


def test_settled_promises_come_back_as_their_values(rt):
    # eval and call run the event loop before they return, so an async function's result is there
    rt.eval("globalThis.twice = async (x) => { await null; return [x * 2, {a: 1}]; }")
    assert rt.call("twice", 21) == [42, {"a": 1}]
    assert rt.eval("new Promise((r) => setTimeout(() => r('later'), 5))") == "later"
    with pytest.raises(luascript.JSError) as e:
        rt.eval("globalThis.p2 = Promise.reject(new TypeError('no')); p2.catch(() => {}); p2")
    assert (e.value.name, e.value.message) == ("TypeError", "no")
    assert rt.eval("typeof new Promise(() => {})") == "object"


def test_js_exception_becomes_jserror(rt):
    with pytest.raises(luascript.JSError) as e:
        rt.eval("function inner() { throw new TypeError('bad value'); }\ninner();")
    assert e.value.name == "TypeError"
    assert e.value.message == "bad value"
    assert "<eval>" in e.value.stack or e.value.stack


def test_compile_error_is_raised(rt):
    with pytest.raises(luascript.CompileError) as e:
        rt.eval("let x = ;")
    assert e.value.line == 1


def test_numpy_arrays_share_memory_both_ways(rt):
    np = pytest.importorskip("numpy")
    a = np.zeros(4, dtype=np.float32)
    rt.set("buf", a)
    rt.eval("for (let i = 0; i < buf.length; i++) buf[i] = i * 1.5;")
    assert a.tolist() == [0.0, 1.5, 3.0, 4.5]
    a[0] = 7
    assert rt.eval("buf[0]") == 7
    out = rt.eval("new Int32Array([5, 6, 7])")
    assert out.dtype == np.int32 and out.tolist() == [5, 6, 7]


def test_a_read_only_numpy_array_goes_over_as_a_copy(rt):
    np = pytest.importorskip("numpy")
    a = np.arange(4, dtype=np.float64)
    a.flags.writeable = False
    rt.set("ro", a)
    assert rt.eval("ro[0] = 99; ro[0]") == 99
    assert a.tolist() == [0, 1, 2, 3]          # JS's store went to the copy, not the read-only memory


def test_run_file_with_argv(tmp_path):
    p = tmp_path / "prog.ljs"
    p.write_text("globalThis.seen = process.argv.slice(2);")
    rt = luascript.Runtime()
    assert rt.run_file(str(p), argv=["x", "y"]) == 0
    assert rt.get("seen") == ["x", "y"]


def test_python_is_unreachable_from_js(tmp_path):
    """Even through deliberate Lua imports, JS code finds no path back into Python."""
    p = tmp_path / "escape.ljs"
    p.write_text('const G = require("lua:_G");\nglobalThis.py = typeof G.python;\n'
                 'let reached = "no";\n'
                 'try { const rt = require("lua:ljs.rt"); reached = String(rt.host_read.__class__); } catch (e) {}\n'
                 'globalThis.reached = reached;\n')
    rt = luascript.Runtime()
    try:
        rt.run_file(str(p))
    except luascript.JSError:
        pass
    assert rt.get("py") == "undefined"
    assert rt.get("reached") in (None, "no")


def test_proxy_traps(rt):
    rt.eval("""
    globalThis.plog = [];
    globalThis.px = new Proxy({ a: 1 }, {
      get(t, k) { plog.push('get ' + String(k)); return k in t ? t[k] : 0; },
      set(t, k, v) { t[k] = v * 2; return true; },
      has(t, k) { return k !== 'secret'; },
    });
    px.b = 4;
    """)
    assert rt.eval("[px.a, px.b, px.zz, 'secret' in px, 'other' in px]") == [1, 8, 0, False, True]
    assert rt.eval("plog") == ["get a", "get b", "get zz"]
