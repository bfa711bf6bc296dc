"""Tests for the web platform globals: DataView (runtime/lua/ljs/typedarray.lua) and
runtime/lua/ljs/webapi.lua (TextEncoder, TextDecoder, atob, btoa, DOMException, structuredClone,
URL, URLSearchParams).

Each case is a JS snippet run through luascript.Runtime().eval with console output captured;
the expected text is what node 20 printed for the same snippet (run as `node -e "{ snippet }"`),
written here as literals, so node is not needed to run these tests.
"""

import io
import pathlib

import pytest

import luascript
from lupa import luajit21

REPO = pathlib.Path(__file__).resolve().parents[2]
PROGRAMS = REPO / "tests" / "programs"


class _Out:
    def __init__(self):
        self.buf = io.StringIO()

    def write(self, s):
        self.buf.write(s)

    def take(self):
        s = self.buf.getvalue()
        self.buf.seek(0)
        self.buf.truncate()
        return s


@pytest.fixture(scope="module")
def rt():
    out = _Out()
    r = luascript.Runtime(stdout=out, stderr=out)
    r.out = out
    return r


def run(rt, src):
    rt.out.take()
    rt.eval("{\n" + src + "\n}\n")
    return rt.out.take()


CASES = {
    'dataview_construct': (
        r'''
const b = new ArrayBuffer(8);
const d = new DataView(b, 2, 4);
console.log(d.byteLength, d.byteOffset, d.buffer === b, ArrayBuffer.isView(d), Object.prototype.toString.call(d));
console.log(new DataView(b).byteLength, new DataView(b, 8).byteLength, new DataView(b, 1.9).byteOffset, new DataView(b, 0, null).byteLength);
console.log(DataView.length, DataView.prototype.setInt16.length, DataView.prototype.getInt16.length, Object.keys(d).length);
''',
        (
            '4 2 true true [object DataView]\n'
            '8 0 1 0\n'
            '1 2 1 0\n'
        ),
    ),
    'dataview_errors': (
        r'''
const b = new ArrayBuffer(8);
const t = (f) => { try { f(); console.log("ok"); } catch (e) { console.log(e.name + ": " + e.message); } };
t(() => DataView(b));
t(() => new DataView({}));
t(() => new DataView());
t(() => new DataView(new Uint8Array(4)));
t(() => new DataView(b, 9));
t(() => new DataView(b, -1.5));
t(() => new DataView(b, 2, 7));
t(() => new DataView(b, 1, -1));
t(() => new DataView(b, 0, Infinity));
const d = new DataView(b, 1);
t(() => d.getInt8(7));
t(() => d.getInt16(6));
t(() => d.getInt8(-1));
t(() => d.setInt8(7, 1));
t(() => d.setFloat64(0, 1));
t(() => d.getUint8(Infinity));
t(() => d.getUint8(2 ** 53));
t(() => DataView.prototype.getInt8.call({}, 0));
t(() => Object.getOwnPropertyDescriptor(DataView.prototype, "byteLength").get.call({}));
''',
        (
            "TypeError: Constructor DataView requires 'new'\n"
            'TypeError: First argument to DataView constructor must be an ArrayBuffer\n'
            'TypeError: First argument to DataView constructor must be an ArrayBuffer\n'
            'TypeError: First argument to DataView constructor must be an ArrayBuffer\n'
            'RangeError: Start offset 9 is outside the bounds of the buffer\n'
            'RangeError: Start offset -1 is outside the bounds of the buffer\n'
            'RangeError: Invalid DataView length 7\n'
            'RangeError: Invalid DataView length -1\n'
            'RangeError: Invalid DataView length Infinity\n'
            'RangeError: Offset is outside the bounds of the DataView\n'
            'RangeError: Offset is outside the bounds of the DataView\n'
            'RangeError: Offset is outside the bounds of the DataView\n'
            'RangeError: Offset is outside the bounds of the DataView\n'
            'RangeError: Offset is outside the bounds of the DataView\n'
            'RangeError: Offset is outside the bounds of the DataView\n'
            'RangeError: Offset is outside the bounds of the DataView\n'
            'TypeError: Method DataView.prototype.getInt8 called on incompatible receiver undefined\n'
            'TypeError: Method get DataView.prototype.byte_length called on incompatible receiver undefined\n'
        ),
    ),
    'dataview_values': (
        r'''
const b = new ArrayBuffer(16), d = new DataView(b);
d.setUint32(0, 0xdeadbeef); d.setFloat32(4, 1.5, true); d.setFloat64(8, Math.PI);
console.log(new Uint8Array(b).join());
console.log(d.getInt32(0), d.getUint32(0, true), d.getFloat64(8), d.getFloat32(4, true), d.getInt16(0), d.getUint16(0, 1), d.getInt8(0), d.getUint8(1));
d.setUint8(0, -1); d.setInt16(2, 70000); console.log(d.getUint8(0), d.getInt16(2), d.getUint16(2), d.getInt8(2));
d.setUint32(0, -1); console.log(d.getUint32(0), d.getInt32(0));
d.setInt32(0, 2 ** 31 + 5); console.log(d.getInt32(0), d.getUint32(0));
d.setUint16(0, -1, true); console.log(d.getInt16(0, true), d.getUint16(0, false));
d.setFloat32(0, NaN); console.log(d.getFloat32(0));
d.setFloat32(0, 1e40); console.log(d.getFloat32(0));
d.setFloat32(0, 0.1); console.log(d.getFloat32(0));
d.setFloat64(0, -0); console.log(Object.is(d.getFloat64(0), -0), d.getUint8(0));
d.setInt32(0, "12"); d.setUint8(4); console.log(d.getInt32(0), d.getUint8(4), d.setInt8(0, 1));
console.log(d.getUint8(0.5), d.getUint8("2"), d.getUint8(NaN), d.getUint8());
const v = new DataView(b, 4, 4); v.setUint8(0, 99); console.log(new Uint8Array(b)[4], Object.freeze(v).getUint8(0));
class X extends DataView {}
const x = new X(b, 8); console.log(x instanceof DataView, ArrayBuffer.isView(x), x.getFloat64(0), x.byteLength);
let s = 0;
for (let i = 0; i < 1000; i++) { d.setUint32(4, i * 7919, i & 1); s += d.getUint32(4, i & 1) + d.getUint8(4); }
console.log(s);
''',
        (
            '222,173,190,239,0,0,192,63,64,9,33,251,84,68,45,24\n'
            '-559038737 4022250974 3.141592653589793 1.5 -8531 44510 -34 173\n'
            '255 4464 4464 17\n'
            '4294967295 -1\n'
            '-2147483643 2147483653\n'
            '-1 65535\n'
            'NaN\n'
            'Infinity\n'
            '0.10000000149011612\n'
            'true 128\n'
            '12 0 undefined\n'
            '1 0 1 1\n'
            '99 99\n'
            'true true 3.141592653589793 8\n'
            '3955604612\n'
        ),
    ),
    'dataview_inspect': (
        r'''
const d = new DataView(new ArrayBuffer(4), 1, 2);
console.log(d);
console.log([new DataView(new ArrayBuffer(2))]);
class X extends DataView {}
console.log(new X(new ArrayBuffer(1)));
console.log({a: {b: {c: new DataView(new ArrayBuffer(1))}}});
''',
        (
            'DataView {\n'
            '  byteLength: 2,\n'
            '  byteOffset: 1,\n'
            '  buffer: ArrayBuffer { [Uint8Contents]: <00 00 00 00>, byteLength: 4 }\n'
            '}\n'
            '[\n'
            '  DataView {\n'
            '    byteLength: 2,\n'
            '    byteOffset: 0,\n'
            '    buffer: ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }\n'
            '  }\n'
            ']\n'
            'X [DataView] {\n'
            '  byteLength: 1,\n'
            '  byteOffset: 0,\n'
            '  buffer: ArrayBuffer { [Uint8Contents]: <00>, byteLength: 1 }\n'
            '}\n'
            '{ a: { b: { c: [DataView] } } }\n'
        ),
    ),
    'text_encoder': (
        r'''
const e = new TextEncoder();
console.log(e.encoding, e, Object.prototype.toString.call(e));
console.log(e.encode("héllo €𝄞"), e.encode(), e.encode(""), e.encode(12), e.encode("\ud800x"), e.encode("\ud83d\ude00").length);
for (const [src, n] of [["a€𝄞", 5], ["a€𝄞", 8], ["abc", 2], ["😀x", 3], ["😀x", 5], ["\ud800", 3], ["\ud800", 2]]) {
  const u = new Uint8Array(n);
  const r = e.encodeInto(src, u);
  console.log(r, u.join());
}
const sub = new Uint8Array(10).subarray(3, 6);
console.log(e.encodeInto("xyz!", sub), sub);
try { e.encodeInto("a", new Uint16Array(2)); } catch (err) { console.log(err.name, err.code, err.message); }
''',
        (
            "utf-8 { encoding: 'utf-8' } [object TextEncoder]\n"
            'Uint8Array(14) [\n'
            '  104, 195, 169, 108,\n'
            '  108, 111,  32, 226,\n'
            '  130, 172, 240, 157,\n'
            '  132, 158\n'
            '] Uint8Array(0) [] Uint8Array(0) [] Uint8Array(2) [ 49, 50 ] Uint8Array(4) [ 239, 191, 189, 120 ] 4\n'
            '{ read: 2, written: 4 } 97,226,130,172,0\n'
            '{ read: 4, written: 8 } 97,226,130,172,240,157,132,158\n'
            '{ read: 2, written: 2 } 97,98\n'
            '{ read: 0, written: 0 } 0,0,0\n'
            '{ read: 3, written: 5 } 240,159,152,128,120\n'
            '{ read: 1, written: 3 } 239,191,189\n'
            '{ read: 0, written: 0 } 0,0\n'
            '{ read: 3, written: 3 } Uint8Array(3) [ 120, 121, 122 ]\n'
            'TypeError ERR_INVALID_ARG_TYPE The "dest" argument must be an instance of Uint8Array. Received an instance of Uint16Array\n'
        ),
    ),
    'text_decoder': (
        r'''
const d = new TextDecoder();
console.log(d.encoding, d.fatal, d.ignoreBOM, d);
console.log(JSON.stringify(d.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 104, 0xC3, 0xA9]))));
console.log(JSON.stringify(new TextDecoder("utf-8", {ignoreBOM: true}).decode(new Uint8Array([0xEF, 0xBB, 0xBF, 104]))));
console.log(JSON.stringify(d.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x41]))));
console.log(d.decode(new Uint8Array([0xff, 0x41, 0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x98, 0xed, 0xa0, 0x80, 0xc0, 0xaf])));
console.log(d.decode(new Uint8Array([0xf0, 0x80, 0x80, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xc1, 0xbf, 0xe0, 0x80, 0xbf])), d.decode(new Uint8Array([0xe2, 0x82])));
console.log(JSON.stringify(d.decode()), d.decode(new Uint8Array([104, 105]).buffer), d.decode(new Uint8Array([0, 104, 105, 0]).subarray(1, 3)));
console.log(d.decode(new DataView(new Uint8Array([65, 66, 67]).buffer, 1)), d.decode(new Uint16Array([0x4241])));
console.log(new TextDecoder("utf8").encoding, new TextDecoder(" UTF-8\n").encoding, new TextDecoder("unicode-1-1-utf-8").encoding);
console.log(d.decode(new TextEncoder().encode("round ✓ trip 𝄞")));
const t = (f) => { try { console.log(f()); } catch (e) { console.log(e.name, e.code, e.message); } };
t(() => new TextDecoder("utf-8", {fatal: true}).decode(new Uint8Array([0xff])));
t(() => new TextDecoder("utf-8", {fatal: true}).decode(new Uint8Array([0xe2, 0x82, 0xac])));
t(() => new TextDecoder("foo"));
t(() => d.decode("abc"));
t(() => TextDecoder());
''',
        (
            "utf-8 false false TextDecoder { encoding: 'utf-8', fatal: false, ignoreBOM: false }\n"
            '"hé"\n'
            '"\ufeffh"\n'
            '"\ufeffA"\n'
            '�A�(�������\n'
            '������������� �\n'
            '"" hi hi\n'
            'BC AB\n'
            'utf-8 utf-8 utf-8\n'
            'round ✓ trip 𝄞\n'
            'TypeError ERR_ENCODING_INVALID_ENCODED_DATA The encoded data was not valid for encoding utf-8\n'
            '€\n'
            'RangeError ERR_ENCODING_NOT_SUPPORTED The "foo" encoding is not supported\n'
            'TypeError ERR_INVALID_ARG_TYPE The "list" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.\n'
            "TypeError undefined Class constructor TextDecoder cannot be invoked without 'new'\n"
        ),
    ),
    'text_decoder_stream': (
        r'''
const d = new TextDecoder();
const bytes = new TextEncoder().encode("a€𝄞é");
let s = "";
for (const b of bytes) s += d.decode(new Uint8Array([b]), {stream: true});
s += d.decode();
console.log(s, s.length);
const bom = new TextDecoder();
console.log(JSON.stringify(bom.decode(new Uint8Array([0xEF, 0xBB]), {stream: true}) + "|" +
  bom.decode(new Uint8Array([0xBF, 0x41]), {stream: true}) + "|" + bom.decode(new Uint8Array([0xEF, 0xBB, 0xBF]))));
const u16 = new TextDecoder("utf-16le");
console.log(u16.encoding, JSON.stringify(u16.decode(new Uint8Array([0x41, 0, 0x3d, 0xd8, 0x00, 0xde, 0x00, 0xd8, 0x42]))));
console.log(JSON.stringify(new TextDecoder("utf-16le").decode(new Uint8Array([0xff, 0xfe, 0x41, 0]))));
console.log(new TextDecoder("latin1").encoding, new TextDecoder("latin1").decode(new Uint8Array([0x41, 0xe9, 0xff])));
''',
        (
            'a€𝄞é 5\n'
            '"|A|\ufeff"\n'
            'utf-16le "A😀�"\n'
            '"A"\n'
            'windows-1252 Aéÿ\n'
        ),
    ),
    'base64': (
        r'''
console.log(btoa(""), btoa("a"), btoa("ab"), btoa("abc"), btoa("hello\xff"), btoa(12), btoa(undefined), btoa(null));
console.log(atob(""), atob("YQ"), atob("YWI"), atob("YW\nJj"), atob(" Y W J j "), atob("aGVsbG8="), atob("/w==").charCodeAt(0));
console.log(btoa(atob("AAECAwQF/w==")), btoa(String.fromCharCode(...Array.from({length: 256}, (_, i) => i))).length);
const t = (f) => { try { console.log(f()); } catch (e) { console.log(e.name, e.code, e.message, e instanceof DOMException, e instanceof Error); } };
t(() => btoa("✓"));
t(() => atob("a"));
t(() => atob("aGVsbG8=="));
t(() => atob("@@@@"));
t(() => atob("YQ=a"));
t(() => atob("Y==="));
t(() => atob("YQ="));
t(() => atob(undefined));
t(() => atob(null));
t(() => atob());
t(() => btoa());
''',
        (
            ' YQ== YWI= YWJj aGVsbG// MTI= dW5kZWZpbmVk bnVsbA==\n'
            ' a ab abc abc hello 255\n'
            'AAECAwQF/w== 344\n'
            'InvalidCharacterError 5 Invalid character true true\n'
            'InvalidCharacterError 5 The string to be decoded is not correctly encoded. true true\n'
            'InvalidCharacterError 5 Invalid character true true\n'
            'InvalidCharacterError 5 Invalid character true true\n'
            'InvalidCharacterError 5 Invalid character true true\n'
            'InvalidCharacterError 5 Invalid character true true\n'
            'InvalidCharacterError 5 Invalid character true true\n'
            'InvalidCharacterError 5 The string to be decoded is not correctly encoded. true true\n'
            '\x9eée\n'
            'TypeError ERR_MISSING_ARGS The "input" argument must be specified false true\n'
            'TypeError ERR_MISSING_ARGS The "input" argument must be specified false true\n'
        ),
    ),
    'domexception': (
        r'''
const e = new DOMException("boom", "AbortError");
console.log(e.name, e.message, e.code, String(e), e instanceof Error, e instanceof DOMException, Object.keys(e));
console.log(DOMException.ABORT_ERR, e.DATA_CLONE_ERR, DOMException.INVALID_CHARACTER_ERR, DOMException.NOT_FOUND_ERR);
const d = new DOMException();
console.log(JSON.stringify([d.name, d.message, d.code]), new DOMException("c", {name: "TimeoutError", cause: 7}).cause);
try { atob("&"); } catch (err) { console.log(err.stack.split("\n")[0]); }
''',
        (
            'AbortError boom 20 AbortError: boom true true []\n'
            '20 25 5 8\n'
            '["Error","",0] 7\n'
            'InvalidCharacterError: Invalid character\n'
        ),
    ),
    'structured_clone': (
        r'''
const o = {a: 1, b: [1, 2, {c: 3}], d: new Map([[1, {x: 1}]]), e: new Set([1, "a"]), f: null, g: undefined, h: -0, i: NaN, s: "str"};
o.self = o;
const c = structuredClone(o);
console.log(c, c.self === c, c !== o, c.b !== o.b, c.d.get(1) !== o.d.get(1), Object.is(c.h, -0));
class A { constructor() { this.x = 1; } get y() { return 2; } }
const ca = structuredClone(new A());
console.log(ca, ca.constructor === Object, structuredClone({ get g() { return 42; } }));
const arr = [1, , 3]; arr.x = 5;
const carr = structuredClone(arr);
console.log(carr, 1 in carr, carr.length);
const buf = new ArrayBuffer(4); const u = new Uint8Array(buf); u[0] = 9;
const ct = structuredClone({u, v: new Uint16Array(buf, 2, 1), buf});
console.log(ct, ct.u.buffer === ct.buf, ct.v.buffer === ct.buf, ct.buf !== buf);
const dv = structuredClone(new DataView(new ArrayBuffer(4), 1, 2));
console.log(dv.byteOffset, dv.byteLength, dv.buffer.byteLength);
const m = new Map(); m.set(m, m);
const cm = structuredClone(m);
console.log(cm.get(cm) === cm, structuredClone(5), structuredClone("s"), structuredClone(null), structuredClone(undefined));
const err = new RangeError("bad", {cause: 5}); err.extra = 1;
const ce = structuredClone(err);
console.log(ce instanceof RangeError, ce.name, ce.message, ce.extra, ce.cause, ce.stack === err.stack, Object.keys(ce));
class MyErr extends Error { constructor(msg) { super(msg); this.name = "MyErr"; } }
const cm2 = structuredClone(new MyErr("x"));
console.log(cm2.name, cm2.constructor.name, cm2.message);
console.log(structuredClone([/ab+c/gi, new Number(3), new String("s"), new Boolean(false)]));
console.log(structuredClone(Object.create(null, {x: {value: 1, enumerable: true}})), structuredClone({a: 1}, {transfer: []}));
const t = (f) => { try { console.log(f()); } catch (e) { console.log(e.name, e.code, e.message); } };
t(() => structuredClone(Symbol("x")));
t(() => structuredClone({s: Symbol("x")}));
t(() => structuredClone(new WeakMap()));
t(() => structuredClone(Promise.resolve()));
t(() => structuredClone());
try { structuredClone(() => 1); } catch (e) { console.log(e.name, e.code, e.message.endsWith(" could not be cloned.")); }
''',
        (
            '<ref *1> {\n'
            '  a: 1,\n'
            '  b: [ 1, 2, { c: 3 } ],\n'
            '  d: Map(1) { 1 => { x: 1 } },\n'
            "  e: Set(2) { 1, 'a' },\n"
            '  f: null,\n'
            '  g: undefined,\n'
            '  h: -0,\n'
            '  i: NaN,\n'
            "  s: 'str',\n"
            '  self: [Circular *1]\n'
            '} true true true true true\n'
            '{ x: 1 } true { g: 42 }\n'
            '[ 1, <1 empty item>, 3, x: 5 ] false 3\n'
            '{\n'
            '  u: Uint8Array(4) [ 9, 0, 0, 0 ],\n'
            '  v: Uint16Array(1) [ 0 ],\n'
            '  buf: ArrayBuffer { [Uint8Contents]: <09 00 00 00>, byteLength: 4 }\n'
            '} true true true\n'
            '1 2 4\n'
            'true 5 s null undefined\n'
            'true RangeError bad undefined 5 true []\n'
            'Error Error x\n'
            "[ /ab+c/gi, [Number: 3], [String: 's'], [Boolean: false] ]\n"
            '{ x: 1 } { a: 1 }\n'
            'DataCloneError 25 Symbol(x) could not be cloned.\n'
            'DataCloneError 25 Symbol(x) could not be cloned.\n'
            'DataCloneError 25 #<WeakMap> could not be cloned.\n'
            'DataCloneError 25 #<Promise> could not be cloned.\n'
            'TypeError ERR_MISSING_ARGS The value argument must be specified\n'
            'DataCloneError 25 true\n'
        ),
    ),
    'url_parse': (
        r'''
const cases = [
  ["http://example.com"], ["HTTP://EXAMPLE.COM:80/a/../b/./c?x#y"], ["https://a.com:0443/"], ["http://user:pa:ss@host/"],
  ["http://us@er:pw@host/"], ["http://@host/"], ["http://a@/"], ["http://host:65536/"], ["http://host:x/"], ["http://host:/"],
  ["http://0x7f.1/"], ["http://127.0.0.1.:8080/"], ["http://1.2.3.4.5/"], ["http://4294967296/"], ["http://4294967295/"],
  ["http://0300.0250.0.1/"], ["http://1.2.3.09/"], ["http://foo.09/"], ["http://foo.0x/"], ["http://256.256.256.256/"],
  ["http://[::1]/"], ["http://[1:0:0:0:0:0:0:1]:81/"], ["http://[::ffff:192.168.0.1]/"], ["http://[1:2:3:4:5:6:7:8:9]/"],
  ["http://[0:0:1:0:0:0:0:0]/"], ["http://[1:0:0:2:0:0:0:3]/"], ["http://[::]/"], ["http://[ABCD::EF]/"], ["http://[::1.2.3]/"],
  ["http://ExAmPle.COM/ä?ä#ä"], ["http://müller.de/"], ["http://MÜLLER.de/"], ["http://%E2%98%83.com"], ["http://xn--a.com/"],
  ["http://ＥＸＡＭＰＬＥ。com/"], ["http://日本語.jp/パス"], ["http://a b.com/"], ["http://a%25b/"], ["http://h.com./"],
  ["http://example.com/a b/c\"d<e>f`g{h}i^j|k"], ["http://h/?a b\"c'd<e>f`g#h i\"j<k>l`m"], ["non-spec://h/?a'b"],
  ["mailto:someone@example.com?subject=hi there"], ["data:text/plain,hello world"], ["javascript:alert(1)"],
  ["file:///C:/path/to/file.txt"], ["file://localhost/etc/passwd"], ["file:///etc/../passwd"], ["file://host/share/f"],
  ["file:c:\\foo\\bar"], ["file:///C|/x"], ["file:x"], ["  http://h/p  "], ["http://h/p\tq\nr"], ["http:\\\\h\\p\\q"],
  ["http:h/p"], ["http:///h/p"], ["foo://bar/baz/../qux"], ["foo://"], ["foo:"], ["foo:/..//x"], ["non-special://a b/"],
  ["non-special://[1::2]:3/"], ["ws://h:80/"], ["wss://h:443/"], ["ftp://h:21/"], ["blob:https://a.com/uuid"], ["blob:foo:bar"],
  ["http://h/%2e%2E/a/%2e/b"], ["http://h/a/.%2e/b"], ["http://h/a/b/.."], ["http://h/#"], ["http://h/?#"], ["http://h/p?q=\ud800"],
  ["a", "http://h/b/c"], ["../d", "http://h/b/c/e"], ["/x", "http://h/b/c"], ["//other/x", "http://h/b"], ["?q", "http://h/b/c?z#f"],
  ["#f2", "http://h/b/c?z#f"], ["", "http://h/b/c?z#f"], ["../../../..", "http://h/b/c"], ["g;x=1/../y", "http://a/b/c/d;p?q"],
  ["http:g", "http://a/b/c/d;p?q"], ["https:g", "http://a/b/c/d;p?q"], ["x", "mailto:a@b"], ["#x", "mailto:a@b"],
  ["x", "file:///C:/a/b"], ["/y", "file:///C:/a/b"], ["D:/y", "file:///C:/a/b"], ["\\x\\y", "http://h/a/b"], ["x", "foo:a/b"],
  ["http://1.2.3.4/", "foo"], ["foo", "bar"], ["sc::a@example.net"],
];
for (const [u, b] of cases) {
  try {
    const x = b === undefined ? new URL(u) : new URL(u, b);
    console.log(JSON.stringify([x.href, x.origin, x.protocol, x.username, x.password, x.host, x.hostname, x.port, x.pathname, x.search, x.hash]));
  } catch (e) { console.log(JSON.stringify([u, b, e.name, e.message, e.code, e.input, e.base])); }
}
console.log(URL.canParse("x:"), URL.canParse("/x", "http://a"), URL.canParse("/x"), URL.length, URL.canParse.length);
''',
        (
            '["http://example.com/","http://example.com","http:","","","example.com","example.com","","/","",""]\n'
            '["http://example.com/b/c?x#y","http://example.com","http:","","","example.com","example.com","","/b/c","?x","#y"]\n'
            '["https://a.com/","https://a.com","https:","","","a.com","a.com","","/","",""]\n'
            '["http://user:pa%3Ass@host/","http://host","http:","user","pa%3Ass","host","host","","/","",""]\n'
            '["http://us%40er:pw@host/","http://host","http:","us%40er","pw","host","host","","/","",""]\n'
            '["http://host/","http://host","http:","","","host","host","","/","",""]\n'
            '["http://a@/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://a@/",null]\n'
            '["http://host:65536/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://host:65536/",null]\n'
            '["http://host:x/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://host:x/",null]\n'
            '["http://host/","http://host","http:","","","host","host","","/","",""]\n'
            '["http://127.0.0.1/","http://127.0.0.1","http:","","","127.0.0.1","127.0.0.1","","/","",""]\n'
            '["http://127.0.0.1:8080/","http://127.0.0.1:8080","http:","","","127.0.0.1:8080","127.0.0.1","8080","/","",""]\n'
            '["http://1.2.3.4.5/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://1.2.3.4.5/",null]\n'
            '["http://4294967296/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://4294967296/",null]\n'
            '["http://255.255.255.255/","http://255.255.255.255","http:","","","255.255.255.255","255.255.255.255","","/","",""]\n'
            '["http://192.168.0.1/","http://192.168.0.1","http:","","","192.168.0.1","192.168.0.1","","/","",""]\n'
            '["http://1.2.3.09/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://1.2.3.09/",null]\n'
            '["http://foo.09/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://foo.09/",null]\n'
            '["http://foo.0x/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://foo.0x/",null]\n'
            '["http://256.256.256.256/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://256.256.256.256/",null]\n'
            '["http://[::1]/","http://[::1]","http:","","","[::1]","[::1]","","/","",""]\n'
            '["http://[1::1]:81/","http://[1::1]:81","http:","","","[1::1]:81","[1::1]","81","/","",""]\n'
            '["http://[::ffff:c0a8:1]/","http://[::ffff:c0a8:1]","http:","","","[::ffff:c0a8:1]","[::ffff:c0a8:1]","","/","",""]\n'
            '["http://[1:2:3:4:5:6:7:8:9]/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://[1:2:3:4:5:6:7:8:9]/",null]\n'
            '["http://[0:0:1::]/","http://[0:0:1::]","http:","","","[0:0:1::]","[0:0:1::]","","/","",""]\n'
            '["http://[1:0:0:2::3]/","http://[1:0:0:2::3]","http:","","","[1:0:0:2::3]","[1:0:0:2::3]","","/","",""]\n'
            '["http://[::]/","http://[::]","http:","","","[::]","[::]","","/","",""]\n'
            '["http://[abcd::ef]/","http://[abcd::ef]","http:","","","[abcd::ef]","[abcd::ef]","","/","",""]\n'
            '["http://[::1.2.3]/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://[::1.2.3]/",null]\n'
            '["http://example.com/%C3%A4?%C3%A4#%C3%A4","http://example.com","http:","","","example.com","example.com","","/%C3%A4","?%C3%A4","#%C3%A4"]\n'
            '["http://xn--mller-kva.de/","http://xn--mller-kva.de","http:","","","xn--mller-kva.de","xn--mller-kva.de","","/","",""]\n'
            '["http://xn--mller-kva.de/","http://xn--mller-kva.de","http:","","","xn--mller-kva.de","xn--mller-kva.de","","/","",""]\n'
            '["http://xn--n3h.com/","http://xn--n3h.com","http:","","","xn--n3h.com","xn--n3h.com","","/","",""]\n'
            '["http://xn--a.com/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://xn--a.com/",null]\n'
            '["http://example.com/","http://example.com","http:","","","example.com","example.com","","/","",""]\n'
            '["http://xn--wgv71a119e.jp/%E3%83%91%E3%82%B9","http://xn--wgv71a119e.jp","http:","","","xn--wgv71a119e.jp","xn--wgv71a119e.jp","","/%E3%83%91%E3%82%B9","",""]\n'
            '["http://a b.com/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://a b.com/",null]\n'
            '["http://a%25b/",null,"TypeError","Invalid URL","ERR_INVALID_URL","http://a%25b/",null]\n'
            '["http://h.com./","http://h.com.","http:","","","h.com.","h.com.","","/","",""]\n'
            '["http://example.com/a%20b/c%22d%3Ce%3Ef%60g%7Bh%7Di^j|k","http://example.com","http:","","","example.com","example.com","","/a%20b/c%22d%3Ce%3Ef%60g%7Bh%7Di^j|k","",""]\n'
            '["http://h/?a%20b%22c%27d%3Ce%3Ef`g#h%20i%22j%3Ck%3El%60m","http://h","http:","","","h","h","","/","?a%20b%22c%27d%3Ce%3Ef`g","#h%20i%22j%3Ck%3El%60m"]\n'
            '["non-spec://h/?a\'b","null","non-spec:","","","h","h","","/","?a\'b",""]\n'
            '["mailto:someone@example.com?subject=hi%20there","null","mailto:","","","","","","someone@example.com","?subject=hi%20there",""]\n'
            '["data:text/plain,hello world","null","data:","","","","","","text/plain,hello world","",""]\n'
            '["javascript:alert(1)","null","javascript:","","","","","","alert(1)","",""]\n'
            '["file:///C:/path/to/file.txt","null","file:","","","","","","/C:/path/to/file.txt","",""]\n'
            '["file:///etc/passwd","null","file:","","","","","","/etc/passwd","",""]\n'
            '["file:///passwd","null","file:","","","","","","/passwd","",""]\n'
            '["file://host/share/f","null","file:","","","host","host","","/share/f","",""]\n'
            '["file:///c:/foo/bar","null","file:","","","","","","/c:/foo/bar","",""]\n'
            '["file:///C:/x","null","file:","","","","","","/C:/x","",""]\n'
            '["file:///x","null","file:","","","","","","/x","",""]\n'
            '["http://h/p","http://h","http:","","","h","h","","/p","",""]\n'
            '["http://h/pqr","http://h","http:","","","h","h","","/pqr","",""]\n'
            '["http://h/p/q","http://h","http:","","","h","h","","/p/q","",""]\n'
            '["http://h/p","http://h","http:","","","h","h","","/p","",""]\n'
            '["http://h/p","http://h","http:","","","h","h","","/p","",""]\n'
            '["foo://bar/qux","null","foo:","","","bar","bar","","/qux","",""]\n'
            '["foo://","null","foo:","","","","","","","",""]\n'
            '["foo:","null","foo:","","","","","","","",""]\n'
            '["foo:/.//x","null","foo:","","","","","","//x","",""]\n'
            '["non-special://a b/",null,"TypeError","Invalid URL","ERR_INVALID_URL","non-special://a b/",null]\n'
            '["non-special://[1::2]:3/","null","non-special:","","","[1::2]:3","[1::2]","3","/","",""]\n'
            '["ws://h/","ws://h","ws:","","","h","h","","/","",""]\n'
            '["wss://h/","wss://h","wss:","","","h","h","","/","",""]\n'
            '["ftp://h/","ftp://h","ftp:","","","h","h","","/","",""]\n'
            '["blob:https://a.com/uuid","https://a.com","blob:","","","","","","https://a.com/uuid","",""]\n'
            '["blob:foo:bar","null","blob:","","","","","","foo:bar","",""]\n'
            '["http://h/a/b","http://h","http:","","","h","h","","/a/b","",""]\n'
            '["http://h/b","http://h","http:","","","h","h","","/b","",""]\n'
            '["http://h/a/","http://h","http:","","","h","h","","/a/","",""]\n'
            '["http://h/#","http://h","http:","","","h","h","","/","",""]\n'
            '["http://h/?#","http://h","http:","","","h","h","","/","",""]\n'
            '["http://h/p?q=%EF%BF%BD","http://h","http:","","","h","h","","/p","?q=%EF%BF%BD",""]\n'
            '["http://h/b/a","http://h","http:","","","h","h","","/b/a","",""]\n'
            '["http://h/b/d","http://h","http:","","","h","h","","/b/d","",""]\n'
            '["http://h/x","http://h","http:","","","h","h","","/x","",""]\n'
            '["http://other/x","http://other","http:","","","other","other","","/x","",""]\n'
            '["http://h/b/c?q","http://h","http:","","","h","h","","/b/c","?q",""]\n'
            '["http://h/b/c?z#f2","http://h","http:","","","h","h","","/b/c","?z","#f2"]\n'
            '["http://h/b/c?z","http://h","http:","","","h","h","","/b/c","?z",""]\n'
            '["http://h/","http://h","http:","","","h","h","","/","",""]\n'
            '["http://a/b/c/y","http://a","http:","","","a","a","","/b/c/y","",""]\n'
            '["http://a/b/c/g","http://a","http:","","","a","a","","/b/c/g","",""]\n'
            '["https://g/","https://g","https:","","","g","g","","/","",""]\n'
            '["x","mailto:a@b","TypeError","Invalid URL","ERR_INVALID_URL","x","mailto:a@b"]\n'
            '["mailto:a@b#x","null","mailto:","","","","","","a@b","","#x"]\n'
            '["file:///C:/a/x","null","file:","","","","","","/C:/a/x","",""]\n'
            '["file:///C:/y","null","file:","","","","","","/C:/y","",""]\n'
            '["d:/y","null","d:","","","","","","/y","",""]\n'
            '["http://h/x/y","http://h","http:","","","h","h","","/x/y","",""]\n'
            '["x","foo:a/b","TypeError","Invalid URL","ERR_INVALID_URL","x","foo:a/b"]\n'
            '["http://1.2.3.4/","foo","TypeError","Invalid URL","ERR_INVALID_URL","http://1.2.3.4/","foo"]\n'
            '["foo","bar","TypeError","Invalid URL","ERR_INVALID_URL","foo","bar"]\n'
            '["sc::a@example.net","null","sc:","","","","","",":a@example.net","",""]\n'
            'true true false 1 1\n'
        ),
    ),
    'url_setters': (
        r'''
const show = (x) => JSON.stringify([x.href, x.host, x.port, x.pathname, x.search, x.hash, x.searchParams.toString()]);
const ops = [
  ["http://h/p", "protocol", "https"], ["http://h/p", "protocol", "ftp:x"], ["http://h/p", "protocol", "foo"], ["foo://h/p", "protocol", "http"],
  ["https://h:80/p", "protocol", "http"], ["http://u@h/p", "protocol", "file"], ["file:///p", "protocol", "http"],
  ["http://h/p", "username", "a b@c:d"], ["http://h/p", "password", "p@ss"], ["file:///p", "username", "x"], ["http://u:p@h/p", "username", ""],
  ["http://h/p", "host", "other:99"], ["http://h/p", "host", ""], ["http://h/p", "host", "a b"], ["http://h:5/p", "host", "x"],
  ["http://h/p", "hostname", "x.y:99"], ["http://h/p", "hostname", "[::1]"], ["mailto:x", "host", "y"], ["file://h/p", "host", "localhost"],
  ["http://h/p", "port", "8080"], ["http://h/p", "port", "80"], ["http://h/p", "port", "12ab"], ["http://h/p", "port", "ab"],
  ["http://h:9/p", "port", ""], ["http://h/p", "port", "99999"], ["http://h/p", "port", 8080],
  ["http://h/p", "pathname", "a b/../c"], ["http://h/p", "pathname", ""], ["foo://h/p", "pathname", ""], ["mailto:x", "pathname", "y"],
  ["http://h/p", "search", "a=1&b=2"], ["http://h/p?x", "search", ""], ["http://h/p", "search", "?"], ["http://h/p", "search", "??a b#c"],
  ["http://h/p", "hash", "frag"], ["http://h/p#f", "hash", ""], ["http://h/p", "hash", "##a b"],
  ["http://h/p", "href", "https://other/x?y#z"], ["http://h/p", "href", "bad"],
];
for (const [u, k, v] of ops) {
  const x = new URL(u);
  try { x[k] = v; console.log(k, v, show(x)); } catch (e) { console.log(k, v, e.name, e.message, e.code); }
}
''',
        (
            'protocol https ["https://h/p","h","","/p","","",""]\n'
            'protocol ftp:x ["ftp://h/p","h","","/p","","",""]\n'
            'protocol foo ["http://h/p","h","","/p","","",""]\n'
            'protocol http ["foo://h/p","h","","/p","","",""]\n'
            'protocol http ["http://h/p","h","","/p","","",""]\n'
            'protocol file ["http://u@h/p","h","","/p","","",""]\n'
            'protocol http ["file:///p","","","/p","","",""]\n'
            'username a b@c:d ["http://a%20b%40c%3Ad@h/p","h","","/p","","",""]\n'
            'password p@ss ["http://:p%40ss@h/p","h","","/p","","",""]\n'
            'username x ["file:///p","","","/p","","",""]\n'
            'username  ["http://:p@h/p","h","","/p","","",""]\n'
            'host other:99 ["http://other:99/p","other:99","99","/p","","",""]\n'
            'host  ["http://h/p","h","","/p","","",""]\n'
            'host a b ["http://h/p","h","","/p","","",""]\n'
            'host x ["http://x:5/p","x:5","5","/p","","",""]\n'
            'hostname x.y:99 ["http://h/p","h","","/p","","",""]\n'
            'hostname [::1] ["http://[::1]/p","[::1]","","/p","","",""]\n'
            'host y ["mailto:x","","","x","","",""]\n'
            'host localhost ["file:///p","","","/p","","",""]\n'
            'port 8080 ["http://h:8080/p","h:8080","8080","/p","","",""]\n'
            'port 80 ["http://h/p","h","","/p","","",""]\n'
            'port 12ab ["http://h:12/p","h:12","12","/p","","",""]\n'
            'port ab ["http://h/p","h","","/p","","",""]\n'
            'port  ["http://h/p","h","","/p","","",""]\n'
            'port 99999 ["http://h/p","h","","/p","","",""]\n'
            'port 8080 ["http://h:8080/p","h:8080","8080","/p","","",""]\n'
            'pathname a b/../c ["http://h/c","h","","/c","","",""]\n'
            'pathname  ["http://h/","h","","/","","",""]\n'
            'pathname  ["foo://h","h","","","","",""]\n'
            'pathname y ["mailto:x","","","x","","",""]\n'
            'search a=1&b=2 ["http://h/p?a=1&b=2","h","","/p","?a=1&b=2","","a=1&b=2"]\n'
            'search  ["http://h/p","h","","/p","","",""]\n'
            'search ? ["http://h/p?","h","","/p","","",""]\n'
            'search ??a b#c ["http://h/p??a%20b%23c","h","","/p","??a%20b%23c","","%3Fa+b%23c="]\n'
            'hash frag ["http://h/p#frag","h","","/p","","#frag",""]\n'
            'hash  ["http://h/p","h","","/p","","",""]\n'
            'hash ##a b ["http://h/p##a%20b","h","","/p","","##a%20b",""]\n'
            'href https://other/x?y#z ["https://other/x?y#z","other","","/x","?y","#z","y="]\n'
            'href bad TypeError Invalid URL ERR_INVALID_URL\n'
        ),
    ),
    'url_misc': (
        r'''
const u = new URL("https://user:pw@example.com:8080/p/a/t/h?query=string#hash");
console.log(u);
console.log([new URL("https://a.com")], String(new URL("http://x")), JSON.stringify({u: new URL("http://x/ä")}), `${new URL("http://a.com/b")}`);
console.log(Object.keys(u), Object.prototype.toString.call(u));
const keys = []; for (const k in u) keys.push(k); console.log(keys.join());
console.log({x: {y: {z: new URL("http://x")}}});
const t = (f) => { try { console.log(f()); } catch (e) { console.log(e.name, e.code, e.message, e.input, e.base); } };
t(() => new URL("foo"));
t(() => new URL("foo", "bar"));
t(() => new URL("http://a b/"));
t(() => new URL());
t(() => URL("http://x"));
''',
        (
            'URL {\n'
            "  href: 'https://user:pw@example.com:8080/p/a/t/h?query=string#hash',\n"
            "  origin: 'https://example.com:8080',\n"
            "  protocol: 'https:',\n"
            "  username: 'user',\n"
            "  password: 'pw',\n"
            "  host: 'example.com:8080',\n"
            "  hostname: 'example.com',\n"
            "  port: '8080',\n"
            "  pathname: '/p/a/t/h',\n"
            "  search: '?query=string',\n"
            "  searchParams: URLSearchParams { 'query' => 'string' },\n"
            "  hash: '#hash'\n"
            '}\n'
            '[\n'
            '  URL {\n'
            "    href: 'https://a.com/',\n"
            "    origin: 'https://a.com',\n"
            "    protocol: 'https:',\n"
            "    username: '',\n"
            "    password: '',\n"
            "    host: 'a.com',\n"
            "    hostname: 'a.com',\n"
            "    port: '',\n"
            "    pathname: '/',\n"
            "    search: '',\n"
            '    searchParams: URLSearchParams {},\n'
            "    hash: ''\n"
            '  }\n'
            '] http://x/ {"u":"http://x/%C3%A4"} http://a.com/b\n'
            '[] [object URL]\n'
            'toString,href,origin,protocol,username,password,host,hostname,port,pathname,search,searchParams,hash,toJSON\n'
            '{ x: { y: { z: URL {} } } }\n'
            'TypeError ERR_INVALID_URL Invalid URL foo undefined\n'
            'TypeError ERR_INVALID_URL Invalid URL foo bar\n'
            'TypeError ERR_INVALID_URL Invalid URL http://a b/ undefined\n'
            'TypeError ERR_MISSING_ARGS The "url" argument must be specified undefined undefined\n'
            "TypeError undefined Class constructor URL cannot be invoked without 'new' undefined undefined\n"
        ),
    ),
    'search_params': (
        r'''
console.log(new URLSearchParams("?a=b+c%20d&e=%zz&f=%E2%82%AC&=g&h&&i=j=k").toString());
console.log([...new URLSearchParams("?a=b+c%20d&e=%zz&f=%E2%82%AC&=g&h&&i=j=k")]);
console.log(new URLSearchParams({a: 1, b: [1, 2], c: null}).toString(), new URLSearchParams(new Map([["x", "y"]])).toString());
console.log(new URLSearchParams({"a b": "c&d=e", "é": "~!*()'-._"}).toString(), new URLSearchParams({a: "\ud800"}).toString());
console.log(new URLSearchParams([["a", "b"], ["c", "d"]]).toString(), new URLSearchParams("a=%F0%9F%98%80&b=%FF").getAll("b"));
const p = new URLSearchParams("a=1&b=2&a=3");
p.set("a", "x"); p.append("z", "9"); p.delete("b");
console.log(p.toString(), p.size, p.has("a"), p.has("a", "y"), p.get("q"), p.getAll("a"));
const p2 = new URLSearchParams("a=1&b=2&a=3"); p2.delete("a", "3"); console.log(p2.toString());
const q = new URLSearchParams("z=1&a=2&Z=3&ä=4&b=5&a=6"); q.sort(); console.log(q.toString());
const q2 = new URLSearchParams("\uD83D\uDE00=1&\uFB01=2"); q2.sort(); console.log(q2.toString());
const out = [];
new URLSearchParams("a=1&b=2").forEach(function (v, k, o) { out.push(k, v, o instanceof URLSearchParams, this.q); }, {q: 1});
console.log(out);
console.log(Object.fromEntries(new URLSearchParams("a=1&b=2&a=3")), [...new URLSearchParams("a=1&b=2").keys()], [...new URLSearchParams("a=1&b=2").values()]);
const it = new URLSearchParams("a=1&b=2").entries(); console.log(it.next(), it.next(), it.next());
const live = new URLSearchParams("a=1&b=2"); const seen = [];
for (const [k, v] of live) { seen.push(k + v); if (k === "a") live.append("c", "3"); }
console.log(seen, Object.prototype.toString.call(live.keys()));
const t = (f) => { try { console.log(f()); } catch (e) { console.log(e.name, e.code, e.message); } };
t(() => new URLSearchParams([["a"]]));
t(() => new URLSearchParams([1]));
t(() => new URLSearchParams().get());
t(() => new URLSearchParams().append("a"));
t(() => URLSearchParams());
''',
        (
            'a=b+c+d&e=%25zz&f=%E2%82%AC&=g&h=&i=j%3Dk\n'
            '[\n'
            "  [ 'a', 'b c d' ],\n"
            "  [ 'e', '%zz' ],\n"
            "  [ 'f', '€' ],\n"
            "  [ '', 'g' ],\n"
            "  [ 'h', '' ],\n"
            "  [ 'i', 'j=k' ]\n"
            ']\n'
            'a=1&b=1%2C2&c=null x=y\n'
            'a+b=c%26d%3De&%C3%A9=%7E%21*%28%29%27-._ a=%EF%BF%BD\n'
            "a=b&c=d [ '�' ]\n"
            "a=x&z=9 2 true false null [ 'x' ]\n"
            'a=1&b=2\n'
            'Z=3&a=2&a=6&b=5&z=1&%C3%A4=4\n'
            '%F0%9F%98%80=1&%EF%AC%81=2\n'
            '[\n'
            "  'a',  '1', true,\n"
            "  1,    'b', '2',\n"
            '  true, 1\n'
            ']\n'
            "{ a: '3', b: '2' } [ 'a', 'b' ] [ '1', '2' ]\n"
            "{ value: [ 'a', '1' ], done: false } { value: [ 'b', '2' ], done: false } { value: undefined, done: true }\n"
            "[ 'a1', 'b2', 'c3' ] [object URLSearchParams Iterator]\n"
            'TypeError ERR_INVALID_TUPLE Each query pair must be an iterable [name, value] tuple\n'
            'TypeError ERR_INVALID_TUPLE Each query pair must be an iterable [name, value] tuple\n'
            'TypeError ERR_MISSING_ARGS The "name" argument must be specified\n'
            'TypeError ERR_MISSING_ARGS The "name" and "value" arguments must be specified\n'
            "TypeError undefined Class constructor URLSearchParams cannot be invoked without 'new'\n"
        ),
    ),
    'search_params_url_sync': (
        r'''
const u = new URL("http://h/p?a=1&b=2");
const sp = u.searchParams;
sp.set("a", "x y"); console.log(u.href);
sp.sort(); sp.append("é", "€"); console.log(u.href, u.search);
u.search = "c=3"; console.log(sp.get("c"), sp.size, [...sp]);
u.href = "http://z/?q=1"; console.log(sp.get("q"), u.searchParams === sp);
sp.delete("q"); console.log(u.href, JSON.stringify(u.search));
const v = new URL("http://h/?a=b c&d=é"); console.log(v.searchParams.get("a"), v.search);
''',
        (
            'http://h/p?a=x+y&b=2\n'
            'http://h/p?a=x+y&b=2&%C3%A9=%E2%82%AC ?a=x+y&b=2&%C3%A9=%E2%82%AC\n'
            "3 1 [ [ 'c', '3' ] ]\n"
            '1 true\n'
            'http://z/ ""\n'
            'b c ?a=b%20c&d=%C3%A9\n'
        ),
    ),
    'search_params_inspect': (
        r'''
console.log(new URLSearchParams("a=1&b=2"), new URLSearchParams(""), [new URLSearchParams("a=1")]);
console.log(new URLSearchParams("aaaaaaaaaaaaaaaaaaa=1&bbbbbbbbbbbbbbbbbbbbbbbb=2&cccccccccccccccccccccccccc=3&d=4"));
console.log({x: {y: {z: new URLSearchParams("a=1")}}});
console.log(new URLSearchParams({a: "x'y", b: "line\nbreak"}));
console.log(new URLSearchParams("a=1&b=2").keys(), new URLSearchParams("a=1&b=2").entries(), new URLSearchParams("a=1").values());
''',
        (
            "URLSearchParams { 'a' => '1', 'b' => '2' } URLSearchParams {} [ URLSearchParams { 'a' => '1' } ]\n"
            'URLSearchParams {\n'
            "  'aaaaaaaaaaaaaaaaaaa' => '1',\n"
            "  'bbbbbbbbbbbbbbbbbbbbbbbb' => '2',\n"
            "  'cccccccccccccccccccccccccc' => '3',\n"
            "  'd' => '4' }\n"
            '{ x: { y: { z: [Object] } } }\n'
            'URLSearchParams { \'a\' => "x\'y", \'b\' => \'line\\nbreak\' }\n'
            "URLSearchParams Iterator { 'a', 'b' } URLSearchParams Iterator { [ 'a', '1' ], [ 'b', '2' ] } URLSearchParams Iterator { '1' }\n"
        ),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_matches_node(rt, name):
    src, expected = CASES[name]
    assert run(rt, src.strip("\n")) == expected


def test_globals_exist(rt):
    names = ["DataView", "TextEncoder", "TextDecoder", "atob", "btoa", "DOMException", "structuredClone",
             "URL", "URLSearchParams"]
    assert rt.eval("[" + ", ".join("typeof " + n for n in names) + "]") == ["function"] * len(names)
    # non-enumerable on the global object, as in node
    assert rt.eval("Object.keys(globalThis).filter((k) => /URL|Text|btoa|atob|structured|DOMEx|DataView/.test(k))") == []


def test_values_cross_the_bridge(rt):
    assert rt.eval("new URL('../x?y=1', 'https://h/a/b/c').href") == "https://h/a/x?y=1"
    assert rt.eval("new URLSearchParams({a: '1 2', b: 'é'}).toString()") == "a=1+2&b=%C3%A9"
    assert rt.eval("Array.from(new TextEncoder().encode('é€'))") == [0xC3, 0xA9, 0xE2, 0x82, 0xAC]
    assert rt.eval("new TextDecoder().decode(new Uint8Array([0xF0, 0x9F, 0x98, 0x80]))") == "\U0001F600"
    assert rt.eval("atob(btoa('\\xff\\x00'))") == "\xff\x00"


@pytest.mark.parametrize("name", ["u_middleware", "u_cellular_automata"])
def test_programs_using_web_apis(name):
    out = _Out()
    r = luascript.Runtime(stdout=out, stderr=out)
    code = r.run_file(str(PROGRAMS / (name + ".ljs")))
    r.flush()
    assert code == 0
    assert out.take() == (PROGRAMS / (name + ".expected")).read_text("utf-8")


def test_loaded_on_first_use():
    """ljs.typedarray, ljs.webapi, ljs.node_buffer, ljs.node_crypto, ljs.regexp, ljs.date, ljs.collections,
    ljs.json, ljs.intl, ljs.webevents and ljs.weakref load when a program first reads one of their globals. The names rt.lua declares lazy are exactly the globals each module
    defines: none is left pending (an accessor on the global object) once the modules have loaded,
    and none defined outside it."""
    lua = luajit21.LuaRuntime()
    lua.execute("package.path = ... .. package.path", str(REPO / "runtime" / "lua" / "?.lua") + ";")
    lua.execute('R = require("ljs.rt")')
    keys = "(function() local t = {} for k in next, R.G do if type(k) == 'string' then t[#t + 1] = k end end return t end)()"
    pending = ("(function() local t = {} for k, d in next, rawget(R.G, R.SLOW) do if d.get then t[#t + 1] = k end end "
               "return t end)()")
    lazy = ("ljs.typedarray", "ljs.webapi", "ljs.node_buffer", "ljs.node_crypto", "ljs.regexp", "ljs.date",
            "ljs.collections", "ljs.json", "ljs.intl", "ljs.webevents", "ljs.weakref")
    assert lua.eval('package.loaded["ljs.nodelib"] == nil and package.loaded["ljs.regexp_engine"] == nil')
    assert not any(lua.eval("package.loaded[...]", m) for m in lazy)
    assert set(lua.eval(pending).values()) == {"DOMException", "atob", "btoa", "TextEncoder", "TextDecoder",
                                               "structuredClone", "URL", "URLSearchParams", "Buffer", "crypto",
                                               "RegExp", "Date", "JSON", "Intl", "Map", "Set", "WeakMap", "WeakSet",
                                               "ArrayBuffer", "SharedArrayBuffer", "DataView", "Int8Array", "Uint8Array",
                                               "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
                                               "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array",
                                               "BigUint64Array", "Event", "EventTarget", "CustomEvent",
                                               "AbortController", "AbortSignal", "WeakRef", "FinalizationRegistry"}
    for module in lazy:
        before = set(lua.eval(keys).values())
        lua.execute("require(...)", module)
        defined = set(lua.eval(keys).values()) - before
        assert defined and all(lua.eval("R.builtin_global(...) ~= nil", k) for k in defined), module
    assert list(lua.eval(pending).values()) == []
    # a read loads the module; a program's own value or delete before that stays
    out = _Out()
    r = luascript.Runtime(stdout=out, stderr=out)
    assert r.eval("typeof TextEncoder") == "function"
    assert r.lua.eval('package.loaded["ljs.webapi"] ~= nil and package.loaded["ljs.node_buffer"] == nil')
    assert r.eval("globalThis.Buffer = 5; delete globalThis.URL; require('buffer'); [Buffer, typeof URL]") == [5, "undefined"]
    assert r.eval("typeof require('url').URL + typeof require('buffer').Buffer") == "functionfunction"
    # a regular expression literal loads ljs.regexp through R.regex, string patterns need none;
    # node's fs makes its Dates with the built-in Date whatever the program calls Date
    r = luascript.Runtime(stdout=out, stderr=out)
    assert r.eval("'a-b'.split('-').length + 'abc'.replace('c', 'd')") == "2abd"
    assert r.lua.eval('package.loaded["ljs.regexp"] == nil')
    assert r.eval("/b+/.exec('abbc')[0]") == "bb"
    assert r.lua.eval('package.loaded["ljs.regexp"] ~= nil and package.loaded["ljs.date"] == nil')
    assert r.lua.eval('package.loaded["ljs.typedarray"] == nil')
    assert r.eval("new TextEncoder().encode('hi') instanceof Uint8Array") is True
    assert r.eval("globalThis.Date = 7; [Date, Object.prototype.toString.call(require('fs').statSync('.').mtime)]") \
        == [7, "[object Date]"]


def test_inspect_loads_on_first_call():
    """console.log of strings alone needs no ljs.inspect; anything else it prints loads it, and
    util.format's %j uses the built-in JSON.stringify, loading ljs.json, whatever the global holds."""
    out = _Out()
    r = luascript.Runtime(stdout=out, stderr=out)
    loaded = 'package.loaded["ljs.inspect"] ~= nil, package.loaded["ljs.json"] ~= nil'
    r.eval("console.log('a', 'b'); console.log('100%')")
    r.flush()
    assert out.take() == "a b\n100%\n"
    assert list(r.lua.eval(loaded)) == [False, False]
    r.eval("globalThis.JSON = null; console.log('%s%%', 5, 'x'); console.log(require('util').format('%j', {a: [1]}))")
    r.flush()
    assert out.take() == '5% x\n{"a":[1]}\n'
    assert list(r.lua.eval(loaded)) == [True, True]


def test_module_loaded_before_the_runtime_keeps_its_globals():
    lua = luajit21.LuaRuntime()
    lua.execute("package.path = ... .. package.path", str(REPO / "runtime" / "lua" / "?.lua") + ";")
    lua.execute('require("ljs.core"); require("ljs.regexp"); require("ljs.collections"); require("ljs.typedarray"); '
                'R = require("ljs.rt")')
    assert lua.eval('R.regex("a+", "g").source') == "a+"
    assert lua.eval('type(rawget(R.G, "RegExp")) == "function" and type(rawget(R.G, "Map")) == "function"')
    assert lua.eval('rawget(R.G, "Date") == nil and type(R.G.Date) == "function"')   # still on first use
    # DataView's console.log form: ljs.symbol gives it the key, which was not made yet
    assert lua.eval('rawget(R.DataViewPrototype, R.sym_inspect_custom) ~= nil')


def test_module_leaks_no_lua_globals():
    lua = luajit21.LuaRuntime()
    lua.execute("package.path = ... .. package.path", str(REPO / "runtime" / "lua" / "?.lua") + ";")
    lua.execute('require("ljs.rt")')
    before = set(lua.eval("(function() local t = {} for k in pairs(_G) do t[#t + 1] = k end return t end)()").values())
    lua.execute('require("ljs.webapi")')
    after = set(lua.eval("(function() local t = {} for k in pairs(_G) do t[#t + 1] = k end return t end)()").values())
    assert after == before


def test_dataview_is_compiled_in_loops():
    # DataView accessors in a hot loop stay correct when LuaJIT compiles the trace
    lua = luajit21.LuaRuntime()
    lua.execute("package.path = ... .. package.path", str(REPO / "runtime" / "lua" / "?.lua") + ";")
    total = lua.execute("""
      local R = require("ljs.rt")
      local G = R.G
      local d = R.new(G.DataView, R.new(G.ArrayBuffer, 16))
      local s = 0
      for i = 0, 99999 do
        d.setUint32(d, 0, i, i % 2 == 0)
        d.setFloat64(d, 8, i / 4, true)
        s = s + d.getUint32(d, 0, i % 2 == 0) + d.getFloat64(d, 8, true) + d.getUint8(d, 3)
      end
      return s
    """)
    # byte 3 is the high byte of a little-endian store and the low byte of a big-endian one
    expected = sum(i + i / 4 + (((i >> 24) & 0xFF) if i % 2 == 0 else (i & 0xFF)) for i in range(100000))
    assert total == expected
