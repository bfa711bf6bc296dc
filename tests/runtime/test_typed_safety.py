"""Typed arrays, Buffers and ArrayBuffers cannot be made to reach memory outside their own.

Their element pointer and bounds live under private keys of runtime/lua/ljs/typedarray.lua; the
"length" field JS reads is only a copy, and byteOffset, buffer and byteLength are getters. The
programs in tests/runtime/typed_safety try every store a JS program has (plain, computed, strict,
sloppy, Object.assign, Reflect.set, defineProperty, ES module) and print what the array then
holds; their expected output is node 20's, written by typed_safety/gen_expected.py, so node is
not needed here. The other tests check, below JS, that nothing touching memory trusts the copy.
"""
import io
from pathlib import Path

import pytest

import luascript

PROGRAMS_DIR = Path(__file__).resolve().parent / "typed_safety"
PROGRAMS = sorted(p.name for p in PROGRAMS_DIR.iterdir() if p.suffix in (".js", ".mjs"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_matches_node(name):
    out, err = io.StringIO(), io.StringIO()
    rt = luascript.Runtime(stdout=out, stderr=err)
    code = rt.run_file(str(PROGRAMS_DIR / name))
    assert err.getvalue() == ""
    assert code == 0
    assert out.getvalue() == (PROGRAMS_DIR / name).with_suffix(".expected").read_text("utf-8")


@pytest.fixture
def rt():
    return luascript.Runtime()


def test_no_internal_key_is_reachable_from_js(rt):
    # the private keys are plain Lua tables, not symbols: no reflection API hands them out
    assert rt.eval("""
        const ta = new Float64Array(3), ab = ta.buffer;
        [Object.getOwnPropertySymbols(ta).length, Reflect.ownKeys(ta).join(),
         Object.getOwnPropertyNames(ta).join(), Object.getOwnPropertySymbols(ab).length,
         Reflect.ownKeys(ab).length, Object.entries(Object.getOwnPropertyDescriptors(ta)).length,
         typeof ta.ptr, Object.keys(Buffer.from("ab")).join()]
    """) == [0, "0,1,2", "0,1,2", 0, 0, 3, "undefined", "0,1"]


def test_memory_access_ignores_the_visible_length(rt):
    # A raw store to the "length" copy (what a path that bypasses __newindex would make) changes
    # what `ta.length` reads, and nothing else: indexing, every method, Buffers, ArrayBuffer
    # views and the Python bridge still use the real bounds.
    np = pytest.importorskip("numpy")
    rt.eval("globalThis.ta = new Int32Array([1, 2, 3, 4]); globalThis.b = Buffer.from('abcd');"
            "globalThis.ab = new ArrayBuffer(8);")
    rt.lua.execute("""
        local G = require("ljs.core").G
        rawset(G.ta, "length", 1000000)
        rawset(G.b, "length", 1000000)
        rawset(G.ab, "byteLength", 1000000)
    """)
    assert rt.eval("""
        ta[100] = 7; b[100] = 7;
        [ta.length, ta[100], ta.at(-1), ta.byteLength, ta.slice().length, ta.subarray(1).length,
         ta.fill(5, 2).join(), [...ta].length, ta.map((x) => x).join(), Array.from(ta).length,
         new Int32Array(ta).length, ta.buffer.byteLength,
         b.length, b.toString(), b.toString('hex'), b.subarray(2).toString(), Buffer.concat([b]).length,
         b[100], ab.byteLength, new Uint8Array(ab).length]
    """) == [1000000, None, 4, 16, 4, 3, "1,2,5,5", 4, "1,2,5,5", 4, 4, 16,
             1000000, "abcd", "61626364", "cd", 4, None, 1000000, 8]
    a = rt.get("ta")
    assert isinstance(a, np.ndarray) and a.tolist() == [1, 2, 5, 5]
    assert rt.eval("(() => { try { ta.set([1, 2], 3); return 'stored'; } catch (e) { return e.name; } })()") == "RangeError"
    assert rt.eval("(() => { try { b.readUInt32LE(1); return 'read'; } catch (e) { return e.code; } })()") == "ERR_OUT_OF_RANGE"


def test_numpy_views_keep_their_bounds(rt):
    np = pytest.importorskip("numpy")
    a = np.arange(4, dtype=np.float32)
    rt.set("arr", a)
    # strict code: each store throws, and none of them lands
    assert rt.eval("""
        "use strict";
        const seen = [];
        for (const f of [() => { arr.length = 1e6; }, () => { arr['len' + 'gth'] = 1e6; },
                         () => { arr.byteOffset = 64; }, () => Object.assign(arr, {length: 9})]) {
            try { f(); seen.push('stored'); } catch (e) { seen.push(e.name); }
        }
        arr[5] = 9;
        [seen.join(), arr.length, arr.byteOffset, arr[5]]
    """) == ["TypeError,TypeError,TypeError,TypeError", 4, 0, None]
    back = rt.get("arr")
    assert back.tolist() == [0.0, 1.0, 2.0, 3.0]
