"""Tests for runtime/lua/ljs/nodelib.lua: node's core modules `events`, `util`, `assert` and
`path` as LuaScript built-in modules.

Programs run through `luascript run` (subprocess) and their stdout / stderr are compared with
what node 20 (v20.20.2) printed for the same programs (run there without PRELUDE), written
here as literals so node is not needed to run these tests. Stderr holds node's process warnings;
their `(node:PID)` is normalised. Snippets in EVAL_CASES run through luascript.Runtime().eval,
compared with the JSON of what node's vm.runInThisContext returned for them.

rt.lua does not load ljs.nodelib yet, so every program starts with require("lua:ljs.nodelib").
"""
import io
import re
import subprocess
import sys

import pytest

import luascript

PRELUDE = 'require("lua:ljs.nodelib");\n'
ESM_PRELUDE = 'import "lua:ljs.nodelib";\n'


def run_program(tmp_path, src, name="prog.js"):
    path = tmp_path / name
    path.write_text(src, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from luascript.cli import main; sys.exit(main())", "run", str(path)],
        capture_output=True, text=True, timeout=120, cwd=str(tmp_path))
    return proc.returncode, proc.stdout, proc.stderr


def normalise_pid(s):
    return re.sub(r"\(node:\d+\)", "(node:PID)", s)


@pytest.fixture(scope="module")
def rt():
    out = io.StringIO()
    r = luascript.Runtime(stdout=out, stderr=out)
    r.eval('require("lua:ljs.nodelib")')
    return r


PROGRAMS = {
    'events': (
        r'''const EventEmitter = require('events');
const { once, EventEmitter: EE2, errorMonitor } = require('events');
console.log(EE2 === EventEmitter, typeof once, EventEmitter.defaultMaxListeners, typeof errorMonitor);
const e = new EventEmitter();
const log = [];
e.on('newListener', (ev, fn) => log.push('new:' + String(ev)));
e.on('removeListener', (ev, fn) => log.push('rm:' + String(ev)));
function a(x, y) { log.push('a' + x + y + (this === e)); }
const b = (x) => log.push('b' + x);
e.on('foo', a);
e.prependListener('foo', b);
e.once('foo', (x) => log.push('once' + x));
e.prependOnceListener('foo', (x) => log.push('ponce' + x));
console.log(e.listenerCount('foo'), e.listeners('foo').length, e.rawListeners('foo').length);
console.log(e.rawListeners('foo').map(f => f.name), e.listeners('foo').map(f => f.name));
console.log(e.emit('foo', 1, 2), e.emit('bar'), e.emit('foo', 3, 4));
console.log(log.join(' '));
log.length = 0;
console.log(e.eventNames());
e.off('foo', a);
e.removeListener('foo', b);
console.log(e.eventNames(), log.join(' '));
const s = Symbol('sym');
e.on(s, () => log.push('sym'));
e.emit(s);
console.log(e.eventNames(), e.listenerCount(s));
e.removeAllListeners(s);
console.log(e.eventNames());
e.removeAllListeners();
console.log(e.eventNames(), log.join(' '));
console.log(e.getMaxListeners(), e.setMaxListeners(3) === e, e.getMaxListeners());
try { e.setMaxListeners(-1) } catch (x) { console.log(x.name, x.code, x.message) }
try { e.on('x', 'notfn') } catch (x) { console.log(x.name, x.code, x.message) }
try { e.emit('error', new TypeError('boom')) } catch (x) { console.log('caught', x.message, x instanceof TypeError) }
try { e.emit('error', 42) } catch (x) { console.log('caught', x.message, x.context) }
e.on(errorMonitor, (err) => console.log('monitor', err.message));
e.on('error', (err) => console.log('handled', err.message));
console.log(e.emit('error', new Error('E')));
class Foo extends EventEmitter {
  constructor(name) { super(); this.name = name; }
  greet() { this.emit('greet', this.name); }
}
const f = new Foo('bob');
f.on('greet', function (n) { console.log('hello', n, this instanceof Foo, this === f); });
f.greet();
console.log(f instanceof EventEmitter, Object.keys(f));
console.log(f);
function Old() { EventEmitter.call(this); this.v = 1; }
require('util').inherits(Old, EventEmitter);
const o = new Old();
o.once('x', (v) => console.log('old x', v));
o.emit('x', 5); o.emit('x', 6);
console.log(o instanceof EventEmitter, Old.super_ === EventEmitter, o.listenerCount('x'));
const m = new EventEmitter();
m.on('x', function h1() {}); m.on('x', function h2() {});
console.log(m.listenerCount('x', m.listeners('x')[0]), EventEmitter.listenerCount(m, 'x'));
once(m, 'ready').then(([v, w]) => console.log('once resolved', v, w));
m.emit('ready', 1, 2);
once(m, 'data').catch(err => console.log('once rejected', err.message));
m.emit('error', new Error('bad'));
const ee = new EventEmitter();
ee.on('a', () => { ee.removeAllListeners('a'); console.log('a1'); });
ee.on('a', () => console.log('a2'));
ee.emit('a'); ee.emit('a');
console.log(ee.emit('a'));
const r = new EventEmitter();
r.on('ev', function () { return 1; });
console.log(r.listeners('missing'), r.rawListeners('ev')[0]());
console.log(Object.getOwnPropertyNames(EventEmitter.prototype).length > 10, typeof EventEmitter.prototype.on, EventEmitter.prototype.on === EventEmitter.prototype.addListener, EventEmitter.prototype.off === EventEmitter.prototype.removeListener);
console.log(EventEmitter.name, EventEmitter.length, EventEmitter.prototype.emit.name, EventEmitter.prototype.on.name);
''',
        (
            'true function 10 symbol\n'
            '4 4 4\n'
            "[ 'bound onceWrapper', 'b', 'a', 'bound onceWrapper' ] [ '', 'b', 'a', '' ]\n"
            'true false true\n'
            'new:removeListener new:foo new:foo new:foo new:foo rm:foo ponce1 b1 a12true rm:foo once1 b3 a34true\n'
            "[ 'newListener', 'removeListener', 'foo' ]\n"
            "[ 'newListener', 'removeListener' ] rm:foo rm:foo\n"
            "[ 'newListener', 'removeListener', Symbol(sym) ] 1\n"
            "[ 'newListener', 'removeListener' ]\n"
            '[] rm:foo rm:foo new:Symbol(sym) sym rm:Symbol(sym) rm:newListener\n'
            '10 true 3\n'
            'RangeError ERR_OUT_OF_RANGE The value of "setMaxListeners" is out of range. It must be >= 0. Received -1\n'
            'TypeError ERR_INVALID_ARG_TYPE The "listener" argument must be of type function. Received type string (\'notfn\')\n'
            'caught boom true\n'
            'caught Unhandled error. (42) 42\n'
            'monitor E\n'
            'handled E\n'
            'true\n'
            'hello bob true true\n'
            "true [ '_events', '_eventsCount', '_maxListeners', 'name' ]\n"
            'Foo {\n'
            '  _events: [Object: null prototype] { greet: [Function (anonymous)] },\n'
            '  _eventsCount: 1,\n'
            '  _maxListeners: undefined,\n'
            "  name: 'bob',\n"
            '  [Symbol(shapeMode)]: false,\n'
            '  [Symbol(kCapture)]: false\n'
            '}\n'
            'old x 5\n'
            'true true 0\n'
            '1 2\n'
            'a1\n'
            'a2\n'
            'false\n'
            '[] 1\n'
            'true function true true\n'
            'EventEmitter 1 emit addListener\n'
            'once resolved 1 2\n'
            'once rejected bad\n'
        ),
        "",
    ),
    'events_async': (
        r'''const { EventEmitter, on, once } = require('events');
async function main() {
  const e = new EventEmitter();
  setTimeout(() => { e.emit('data', 1); e.emit('data', 2, 'x'); }, 1);
  const it = on(e, 'data');
  console.log(typeof it[Symbol.asyncIterator], it[Symbol.asyncIterator]() === it);
  console.log(JSON.stringify(await it.next()), JSON.stringify(await it.next()));
  console.log(JSON.stringify(await it.return()), e.listenerCount('data'), e.listenerCount('error'));
  const e2 = new EventEmitter();
  setTimeout(() => e2.emit('error', new Error('it failed')), 1);
  try { for await (const x of on(e2, 'foo')) { console.log('unexpected', x); } } catch (err) { console.log('iter error', err.message); }
  const p = once(e, 'go');
  e.emit('go', 42, 'b');
  console.log('once', await p);
  const p2 = once(e, 'never');
  e.emit('error', new Error('rejected'));
  try { await p2; } catch (err) { console.log('once error', err.message, e.listenerCount('never')); }
  const cap = new EventEmitter({ captureRejections: true });
  cap.on('error', (err) => console.log('captured', err.message));
  cap.on('job', async () => { throw new Error('async failure'); });
  cap.emit('job');
  await new Promise((r) => setTimeout(r, 5));
  console.log('done');
}
main();
''',
        (
            'function true\n'
            '{"value":[1],"done":false} {"value":[2,"x"],"done":false}\n'
            '{"done":true} 0 0\n'
            'iter error it failed\n'
            "once [ 42, 'b' ]\n"
            'once error rejected 0\n'
            'captured async failure\n'
            'done\n'
        ),
        "",
    ),
    'util': (
        r'''const util = require('util');
console.log(util.format('%s=%d %j', 'a', 42, {x: 1}), util.format('x', 1, 'y'));
console.log(util.inspect({a: {b: {c: {d: 1}}}}), util.inspect({a: {b: {c: {d: 1}}}}, {depth: 0}));
console.log(util.inspect({a: {b: {c: {d: 1}}}}, false, null), util.inspect({a: {b: {c: {d: {e: 1}}}}}, {depth: Infinity}));
console.log(util.inspect('str'), util.inspect([1, [2, [3, [4, [5]]]]]), util.inspect(new Map([[1, 2]])));
console.log(util.inspect({ a: 1, b: 'two', c: [1, 2, 3] }, { compact: false }));
console.log(util.inspect({ a: 1, b: 'two', c: [1, 2, 3], d: { e: { f: 1 } } }, { breakLength: 20 }));
class P { constructor() { this.x = 1 } [util.inspect.custom](depth, opts, insp) { return 'P<' + this.x + '>' + (insp === util.inspect) } }
console.log(util.inspect(new P()), [new P()], util.inspect.custom === Symbol.for('nodejs.util.inspect.custom'));
function Animal(name) { this.name = name; }
Animal.prototype.speak = function () { return this.name + ' speaks'; };
function Dog(name) { Animal.call(this, name); }
util.inherits(Dog, Animal);
const d = new Dog('rex');
console.log(d.speak(), d instanceof Animal, Dog.super_ === Animal, Object.keys(Dog));
try { util.inherits(Dog, null) } catch (e) { console.log(e.code, e.message) }
const fs = { read(x, cb) { setTimeout(() => x < 0 ? cb(new Error('neg')) : cb(null, x * 2), 1); } };
const read = util.promisify(fs.read);
console.log(typeof read, read.name, read.length);
read(21).then(v => console.log('promisified', v));
read(-1).catch(e => console.log('promisified err', e.message));
const sleep = util.promisify(setTimeout);
sleep(5, 'val').then(v => console.log('slept', v));
function custom() {}
custom[util.promisify.custom] = () => Promise.resolve('custom!');
util.promisify(custom)().then(v => console.log(v));
try { util.promisify(5) } catch (e) { console.log(e.code, e.message) }
const cbf = util.callbackify(async (x) => { if (x) throw new Error('nope'); return 'yes'; });
cbf(0, (err, v) => console.log('cb', err, v));
cbf(1, (err, v) => console.log('cb', err.message, v));
console.log(cbf.name, cbf.length);
console.log(util.isDeepStrictEqual({a: [1, 2, {b: 3}]}, {a: [1, 2, {b: 3}]}), util.isDeepStrictEqual([1], ['1']), util.isDeepStrictEqual(new Set([1, {a: 1}]), new Set([{a: 1}, 1])));
console.log(util.isDeepStrictEqual(NaN, NaN), util.isDeepStrictEqual(0, -0), util.isDeepStrictEqual(new Map([[{k: 1}, 'v']]), new Map([[{k: 1}, 'v']])));
const circ1 = {a: 1}; circ1.self = circ1; const circ2 = {a: 1}; circ2.self = circ2;
console.log(util.isDeepStrictEqual(circ1, circ2), util.isDeepStrictEqual([1, , 3], [1, undefined, 3]), util.isDeepStrictEqual(Object.create(null), {}));
const t = util.types;
console.log(t.isPromise(Promise.resolve()), t.isPromise({then() {}}), t.isRegExp(/x/), t.isDate(new Date()), t.isMap(new Map()), t.isSet(new Set()), t.isTypedArray(new Uint8Array(2)), t.isTypedArray([]));
console.log(t.isAsyncFunction(async () => {}), t.isGeneratorFunction(function* () {}), t.isNativeError(new TypeError()), t.isBoxedPrimitive(new Number(1)), t.isUint8Array(new Uint8Array()), t.isArrayBuffer(new ArrayBuffer(1)));
console.log(util.TextEncoder === TextEncoder, util.TextDecoder === TextDecoder, new util.TextEncoder().encode('hi'));
console.log(util.isArray([]), util.isArray({}), util.stripVTControlCharacters('\u001b[31mred\u001b[39m'));
console.log(util.types.isPromise(5), util.isDeepStrictEqual(new Date(5), new Date(5)), util.isDeepStrictEqual(/a/g, /a/g), util.isDeepStrictEqual(new Error('x'), new Error('x')), util.isDeepStrictEqual(new Error('x'), new Error('y')));
const dep = util.deprecate(function old(a) { return a + 1; }, 'old() is deprecated', 'DEP0001');
console.log(dep(1), dep(2));
const debug = util.debuglog('foo');
debug('hidden %d', 1);
console.log(typeof debug, debug.enabled);
console.log(util.format('%o', [1]), util.format('%%s %s', 'x'), util.format('%i', '42.5'), util.format(1, 2), util.format('%s', null, undefined));
console.log(util.formatWithOptions({ compact: false }, 'v: %O', {a: 1}));
console.log(util.inspect(new Map([[1, {a: [1, 2]}]]), {depth: 0}), util.inspect(Object.create(null)));
''',
        (
            'a=42 {"x":1} x 1 y\n'
            '{ a: { b: { c: [Object] } } } { a: [Object] }\n'
            '{\n'
            '  a: { b: { c: { d: 1 } } }\n'
            '} {\n'
            '  a: {\n'
            '    b: { c: { d: { e: 1 } } }\n'
            '  }\n'
            '}\n'
            "'str' [ 1, [ 2, [ 3, [Array] ] ] ] Map(1) { 1 => 2 }\n"
            '{\n'
            '  a: 1,\n'
            "  b: 'two',\n"
            '  c: [\n'
            '    1,\n'
            '    2,\n'
            '    3\n'
            '  ]\n'
            '}\n'
            '{\n'
            '  a: 1,\n'
            "  b: 'two',\n"
            '  c: [\n'
            '    1,\n'
            '    2,\n'
            '    3\n'
            '  ],\n'
            '  d: {\n'
            '    e: {\n'
            '      f: 1\n'
            '    }\n'
            '  }\n'
            '}\n'
            'P<1>true [ P<1>true ] true\n'
            'rex speaks true true []\n'
            'ERR_INVALID_ARG_TYPE The "superCtor" argument must be of type function. Received null\n'
            'function read 2\n'
            'ERR_INVALID_ARG_TYPE The "original" argument must be of type function. Received type number (5)\n'
            'Callbackified 2\n'
            'true false true\n'
            'true false true\n'
            'true false false\n'
            'true false true true true true true false\n'
            'true true true true true true\n'
            'true true Uint8Array(2) [ 104, 105 ]\n'
            'true false red\n'
            'false true true true false\n'
            '2 3\n'
            'function false\n'
            '[ 1, [length]: 1 ] %s x 42 1 2 null undefined\n'
            'v: {\n'
            '  a: 1\n'
            '}\n'
            'Map(1) { 1 => [Object] } [Object: null prototype] {}\n'
            'custom!\n'
            'cb null yes\n'
            'cb nope undefined\n'
            'promisified 42\n'
            'promisified err neg\n'
            'slept val\n'
        ),
        (
            '(node:PID) [DEP0001] DeprecationWarning: old() is deprecated\n'
            '(Use `node --trace-deprecation ...` to show where the warning was created)\n'
        ),
    ),
    'path': (
        r'''const path = require('path');
const cases = ['', '.', '..', '/', '//', '///a//b/', 'a/b/c', '/a/b/c/', 'a/../b', '../../x/y', '/../a', 'a/./b/.', './a', 'a//b', '/a/b/../../..', 'foo/bar/../../../baz', '.hidden', 'file.txt', 'a/b.tar.gz', '/x/.bashrc', 'dir/', '..a', 'a..', '.a.b.', 'é/ü.txt', '/foo/bar/baz/asdf/quux.html'];
for (const p of cases) {
  console.log(JSON.stringify(p), path.normalize(p), path.dirname(p), path.basename(p), path.extname(p), path.isAbsolute(p), JSON.stringify(path.parse(p)));
}
console.log(path.join('/foo', 'bar', 'baz/asdf', 'quux', '..'), path.join(), path.join('', ''), path.join('a', '', 'b'), path.join('/a/', '/b/'));
console.log(path.resolve('/foo/bar', './baz'), path.resolve('/foo/bar', '/tmp/file/'), path.resolve('/a', 'b', '../c', './d'));
console.log(path.resolve('x') === process.cwd() + '/x', path.resolve() === process.cwd(), path.resolve('') === process.cwd());
console.log(path.relative('/data/orandea/test/aaa', '/data/orandea/impl/bbb'), path.relative('/a/b', '/a/b'), path.relative('/a/b', '/a/b/c/d'), path.relative('/a/b/c', '/a'), path.relative('/', '/x'), path.relative('/x', '/'), path.relative('/foo/bar', '/foo/barbaz'));
console.log(path.basename('/foo/bar/baz/asdf/quux.html', '.html'), path.basename('/a/b.html', 'html'), path.basename('aaa', 'a'), path.basename('a.js', 'a.js'), path.basename('/x/y/', 'y'), path.basename('/dir/file.js/', '.js'));
console.log(path.format({ root: '/ignored', dir: '/home/user/dir', base: 'file.txt' }), path.format({ root: '/', base: 'file.txt', ext: 'ignored' }), path.format({ root: '/', name: 'file', ext: '.txt' }), path.format({ name: 'file', ext: 'txt' }), path.format({dir: 'd', name: 'n'}));
console.log(path.sep, path.delimiter, path.posix === path, path.toNamespacedPath('a/b'));
try { path.join('a', 5) } catch (e) { console.log(e.name, e.code, e.message) }
try { path.basename(null) } catch (e) { console.log(e.message) }
try { path.format('x') } catch (e) { console.log(e.message) }
try { path.resolve({}) } catch (e) { console.log(e.message) }
try { path.dirname(undefined) } catch (e) { console.log(e.message) }
const { join, dirname } = require('node:path');
console.log(join('x', 'y'), dirname('/p/q'), require('path/posix') === path);
''',
        (
            '"" . .   false {"root":"","dir":"","base":"","ext":"","name":""}\n'
            '"." . . .  false {"root":"","dir":"","base":".","ext":"","name":"."}\n'
            '".." .. . ..  false {"root":"","dir":"","base":"..","ext":"","name":".."}\n'
            '"/" / /   true {"root":"/","dir":"/","base":"","ext":"","name":""}\n'
            '"//" / /   true {"root":"/","dir":"/","base":"","ext":"","name":""}\n'
            '"///a//b/" /a/b/ ///a/ b  true {"root":"/","dir":"///a/","base":"b","ext":"","name":"b"}\n'
            '"a/b/c" a/b/c a/b c  false {"root":"","dir":"a/b","base":"c","ext":"","name":"c"}\n'
            '"/a/b/c/" /a/b/c/ /a/b c  true {"root":"/","dir":"/a/b","base":"c","ext":"","name":"c"}\n'
            '"a/../b" b a/.. b  false {"root":"","dir":"a/..","base":"b","ext":"","name":"b"}\n'
            '"../../x/y" ../../x/y ../../x y  false {"root":"","dir":"../../x","base":"y","ext":"","name":"y"}\n'
            '"/../a" /a /.. a  true {"root":"/","dir":"/..","base":"a","ext":"","name":"a"}\n'
            '"a/./b/." a/b a/./b .  false {"root":"","dir":"a/./b","base":".","ext":"","name":"."}\n'
            '"./a" a . a  false {"root":"","dir":".","base":"a","ext":"","name":"a"}\n'
            '"a//b" a/b a/ b  false {"root":"","dir":"a/","base":"b","ext":"","name":"b"}\n'
            '"/a/b/../../.." / /a/b/../.. ..  true {"root":"/","dir":"/a/b/../..","base":"..","ext":"","name":".."}\n'
            '"foo/bar/../../../baz" ../baz foo/bar/../../.. baz  false {"root":"","dir":"foo/bar/../../..","base":"baz","ext":"","name":"baz"}\n'
            '".hidden" .hidden . .hidden  false {"root":"","dir":"","base":".hidden","ext":"","name":".hidden"}\n'
            '"file.txt" file.txt . file.txt .txt false {"root":"","dir":"","base":"file.txt","ext":".txt","name":"file"}\n'
            '"a/b.tar.gz" a/b.tar.gz a b.tar.gz .gz false {"root":"","dir":"a","base":"b.tar.gz","ext":".gz","name":"b.tar"}\n'
            '"/x/.bashrc" /x/.bashrc /x .bashrc  true {"root":"/","dir":"/x","base":".bashrc","ext":"","name":".bashrc"}\n'
            '"dir/" dir/ . dir  false {"root":"","dir":"","base":"dir","ext":"","name":"dir"}\n'
            '"..a" ..a . ..a .a false {"root":"","dir":"","base":"..a","ext":".a","name":"."}\n'
            '"a.." a.. . a.. . false {"root":"","dir":"","base":"a..","ext":".","name":"a."}\n'
            '".a.b." .a.b. . .a.b. . false {"root":"","dir":"","base":".a.b.","ext":".","name":".a.b"}\n'
            '"é/ü.txt" é/ü.txt é ü.txt .txt false {"root":"","dir":"é","base":"ü.txt","ext":".txt","name":"ü"}\n'
            '"/foo/bar/baz/asdf/quux.html" /foo/bar/baz/asdf/quux.html /foo/bar/baz/asdf quux.html .html true {"root":"/","dir":"/foo/bar/baz/asdf","base":"quux.html","ext":".html","name":"quux"}\n'
            '/foo/bar/baz/asdf . . a/b /a/b/\n'
            '/foo/bar/baz /tmp/file /a/c/d\n'
            'true true true\n'
            '../../impl/bbb  c/d ../.. x .. ../barbaz\n'
            'quux b. aa  y file\n'
            '/home/user/dir/file.txt /file.txt /file.txt file.txt d/n\n'
            '/ : true a/b\n'
            'TypeError ERR_INVALID_ARG_TYPE The "path" argument must be of type string. Received type number (5)\n'
            'The "path" argument must be of type string. Received null\n'
            'The "pathObject" argument must be of type object. Received type string (\'x\')\n'
            'The "paths[0]" argument must be of type string. Received an instance of Object\n'
            'The "path" argument must be of type string. Received undefined\n'
            'x/y /p true\n'
        ),
        "",
    ),
    'deep_equal': (
        r'''const util = require('util'); const assert = require('assert');
const loose = (a, b) => { try { assert.deepEqual(a, b); return true } catch { return false } };
const pairs = [
  [1, 1], [1, '1'], [0, -0], [NaN, NaN], [null, undefined], [null, null], ['a', 'a'], [true, 1],
  [{}, {}], [{a: 1}, {a: 1}], [{a: 1}, {a: '1'}], [{a: 1, b: 2}, {b: 2, a: 1}], [{a: 1}, {a: 1, b: undefined}],
  [[1, 2], [1, 2]], [[1, 2], [2, 1]], [[1, [2, [3]]], [1, [2, [3]]]], [[1, , 3], [1, , 3]], [[1, , 3], [1, null, 3]],
  [[], {}], [Object.create(null), {}], [new Date(1), new Date(1)], [new Date(1), new Date(2)], [/a/g, /a/g], [/a/g, /a/m],
  [new Map([[1, 'a'], [2, 'b']]), new Map([[2, 'b'], [1, 'a']])], [new Map([[1, 'a']]), new Map([[1, 'b']])], [new Map([['1', 'a']]), new Map([[1, 'a']])],
  [new Set([1, 2, 3]), new Set([3, 2, 1])], [new Set([1]), new Set(['1'])], [new Set([{a: 1}, {b: 2}]), new Set([{b: 2}, {a: 1}])], [new Set([[1]]), new Set([[2]])],
  [new Map([[{k: 1}, {v: 1}]]), new Map([[{k: 1}, {v: 1}]])], [new Map([[{k: 1}, {v: 1}]]), new Map([[{k: 1}, {v: 2}]])],
  [new Error('a'), new Error('a')], [new Error('a'), new TypeError('a')], [new Error('a'), new Error('b')],
  [new Number(1), new Number(1)], [new String('a'), new String('a')], [new String('a'), 'a'], [new Boolean(true), new Boolean(false)],
  [new Uint8Array([1, 2]), new Uint8Array([1, 2])], [new Uint8Array([1, 2]), new Int8Array([1, 2])], [new Float64Array([NaN]), new Float64Array([NaN])], [new Float64Array([0]), new Float64Array([-0])],
  [new ArrayBuffer(2), new ArrayBuffer(2)], [Symbol.iterator, Symbol.iterator], [Symbol('a'), Symbol('a')],
  [{[Symbol.for('s')]: 1}, {[Symbol.for('s')]: 1}], [{[Symbol.for('s')]: 1}, {}], [function f() {}, function f() {}],
  [class A {}, class A {}], [Object.assign([1, 2], {x: 1}), Object.assign([1, 2], {x: 1})], [Object.assign([1, 2], {x: 1}), [1, 2]],
  [{a: [1, {b: new Map([[1, new Set([2])]])}]}, {a: [1, {b: new Map([[1, new Set([2])]])}]}],
  [new (class P { constructor() { this.x = 1 } })(), {x: 1}], [Promise.resolve(1), Promise.resolve(1)],
  [new Set([1, {}]), new Set([1, {}])], [new Set([null, undefined]), new Set([undefined, null])], [[undefined], [null]],
];
const c1 = {a: [1]}; c1.self = c1; c1.a.push(c1); const c2 = {a: [1]}; c2.self = c2; c2.a.push(c2); pairs.push([c1, c2]);
const c3 = {n: 1}; c3.self = c3; const c4 = {n: 2}; c4.self = c4; pairs.push([c3, c4]);
console.log(pairs.map(([a, b]) => (util.isDeepStrictEqual(a, b) ? 'S' : 's') + (loose(a, b) ? 'L' : 'l')).join(' '));
''',
        (
            'SL sL sL SL sL SL SL sL SL SL sL SL sl SL sl SL SL sl sl sL SL sl SL sl SL sl sL SL sL SL sl SL sl SL sl sl SL SL sl sl SL sl Sl sL SL SL sl SL sL sl sl SL sl SL sL SL SL SL sL SL sl\n'
        ),
        "",
    ),
    'assert_basic': (
        r'''const assert = require('assert');
function t(f) { try { f(); console.log('no throw'); } catch (e) { console.log(JSON.stringify(e.message), e.generatedMessage, e.operator, e.name, e.code); } }
const x = 1;
t(() => { assert(x === 2); });
t(() => { assert.ok(typeof x === 'string'); });
t(function () {
  assert.ok(
    x === 2 &&
      x === 3
  );
});
t(() => { const ok = assert.ok; ok(null); });
t(() => assert(false, 'custom msg'));
t(() => assert());
t(() => assert.equal(1, 2));
t(() => assert.equal('a', 'b'));
t(() => assert.notEqual(1, '1'));
t(() => assert.strictEqual(1, 2));
t(() => assert.strictEqual('hello world', 'hello there'));
t(() => assert.strictEqual('a', 'b'));
t(() => assert.strictEqual(1, '1'));
t(() => assert.strictEqual({a:1}, {a:1}));
t(() => assert.strictEqual([1,2,3], [1,2,4]));
t(() => assert.notStrictEqual(1, 1));
t(() => assert.notStrictEqual('some long string', 'some long string'));
t(() => assert.deepEqual({a:1}, {a:2}));
t(() => assert.deepEqual([1,2], [1,3]));
t(() => assert.notDeepEqual({a:1}, {a:1}));
t(() => assert.deepStrictEqual({a:1, b:[1,2]}, {a:1, b:[1,3]}));
t(() => assert.deepStrictEqual({a:1}, {a:'1'}));
t(() => assert.deepStrictEqual([1,2,3,4,5,6,7,8,9,10], [1,2,3,4,5,6,7,8,9,11]));
t(() => assert.notDeepStrictEqual({a:1}, {a:1}));
t(() => assert.deepStrictEqual({ a: Symbol() }, { a: Symbol() }));
t(() => assert.fail());
t(() => assert.fail('boom'));
t(() => assert.fail(new TypeError('te')));
t(() => assert.match('abc', /x/));
t(() => assert.match(123, /x/));
t(() => assert.doesNotMatch('abc', /b/));
t(() => assert.throws(() => {}));
t(() => assert.throws(() => {}, TypeError));
t(() => assert.throws(() => {}, 'msg here'));
t(() => assert.throws(() => { throw new Error('e1') }, TypeError));
t(() => assert.throws(() => { throw new Error('e1') }, /e2/));
t(() => assert.throws(() => { throw new Error('e1') }, { message: 'e2' }));
t(() => assert.throws(() => { throw new Error('e1') }, { message: 'e1', name: 'Error' }));
t(() => assert.throws(() => { throw new Error('e1') }, (e) => e.message === 'e2'));
t(() => assert.throws(() => { throw new Error('e1') }, function check(e) { return false }));
t(() => assert.throws(() => { throw 'str' }, { a: 1 }));
t(() => assert.doesNotThrow(() => { throw new Error('e1') }));
t(() => assert.doesNotThrow(() => { throw new Error('e1') }, 'why'));
t(() => assert.ifError(null));
t(() => assert.ifError(new Error('bad')));
t(() => assert.ifError('x'));
t(() => assert.strict.equal(1, '1'));
t(() => assert.deepEqual(new Map([[1, {a:1}]]), new Map([[1, {a:1}]])));
t(() => assert.deepEqual(new Set([1, 2]), new Set([2, 1])));
t(() => assert.deepStrictEqual(new Set([{a:1}]), new Set([{a:2}])));
t(() => assert.deepEqual(1, '1'));
t(() => assert.deepStrictEqual(1, '1'));
t(() => assert.deepStrictEqual(NaN, NaN));
t(() => assert.deepStrictEqual(0, -0));
t(() => assert.deepEqual(0, -0));
t(() => assert.deepStrictEqual(new Date(0), new Date(1)));
t(() => assert.deepStrictEqual(/a/g, /a/i));
const e = new assert.AssertionError({actual: 1, expected: 2, operator: 'strictEqual'});
console.log(String(e), Object.keys(e), e instanceof Error, Object.getOwnPropertyNames(e).sort());
console.log(assert.strict.strict === assert.strict, assert.strict.equal === assert.strictEqual, assert.name, assert.ok.name, assert.strict.name);
assert.rejects(Promise.reject(new Error('x')), /x/).then(() => console.log('rejects ok'));
assert.rejects(Promise.resolve(1)).catch(e => console.log('rej', e.message));
assert.rejects(async () => { throw new TypeError('y') }, TypeError).then(() => console.log('rejects fn ok'));
assert.doesNotReject(Promise.reject(new Error('z'))).catch(e => console.log('dnr', e.message));
console.log(require('util').inspect(e).split('\n').filter((l) => !l.startsWith('    at ')).join('\n'));
''',
        (
            '"The expression evaluated to a falsy value:\\n\\n  assert(x === 2)\\n" true == AssertionError ERR_ASSERTION\n'
            '"The expression evaluated to a falsy value:\\n\\n  assert.ok(typeof x === \'string\')\\n" true == AssertionError ERR_ASSERTION\n'
            '"The expression evaluated to a falsy value:\\n\\n  assert.ok(\\n    x === 2 &&\\n      x === 3\\n  )\\n" true == AssertionError ERR_ASSERTION\n'
            '"The expression evaluated to a falsy value:\\n\\n  ok(null)\\n" true == AssertionError ERR_ASSERTION\n'
            '"custom msg" false == AssertionError ERR_ASSERTION\n'
            '"No value argument passed to `assert.ok()`" true == AssertionError ERR_ASSERTION\n'
            '"1 == 2" true == AssertionError ERR_ASSERTION\n'
            '"\'a\' == \'b\'" true == AssertionError ERR_ASSERTION\n'
            '"1 != \'1\'" true != AssertionError ERR_ASSERTION\n'
            '"Expected values to be strictly equal:\\n\\n1 !== 2\\n" true strictEqual AssertionError ERR_ASSERTION\n'
            '"Expected values to be strictly equal:\\n+ actual - expected\\n\\n+ \'hello world\'\\n- \'hello there\'\\n         ^" true strictEqual AssertionError ERR_ASSERTION\n'
            '"Expected values to be strictly equal:\\n\\n\'a\' !== \'b\'\\n" true strictEqual AssertionError ERR_ASSERTION\n'
            '"Expected values to be strictly equal:\\n\\n1 !== \'1\'\\n" true strictEqual AssertionError ERR_ASSERTION\n'
            '"Values have same structure but are not reference-equal:\\n\\n{\\n  a: 1\\n}\\n" true strictEqual AssertionError ERR_ASSERTION\n'
            '"Expected \\"actual\\" to be reference-equal to \\"expected\\":\\n+ actual - expected\\n\\n  [\\n    1,\\n    2,\\n+   3\\n-   4\\n  ]" true strictEqual AssertionError ERR_ASSERTION\n'
            '"Expected \\"actual\\" to be strictly unequal to: 1" true notStrictEqual AssertionError ERR_ASSERTION\n'
            '"Expected \\"actual\\" to be strictly unequal to:\\n\\n\'some long string\'" true notStrictEqual AssertionError ERR_ASSERTION\n'
            '"Expected values to be loosely deep-equal:\\n\\n{\\n  a: 1\\n}\\n\\nshould loosely deep-equal\\n\\n{\\n  a: 2\\n}" true deepEqual AssertionError ERR_ASSERTION\n'
            '"Expected values to be loosely deep-equal:\\n\\n[\\n  1,\\n  2\\n]\\n\\nshould loosely deep-equal\\n\\n[\\n  1,\\n  3\\n]" true deepEqual AssertionError ERR_ASSERTION\n'
            '"Expected \\"actual\\" not to be loosely deep-equal to:\\n\\n{\\n  a: 1\\n}" true notDeepEqual AssertionError ERR_ASSERTION\n'
            '"Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n  {\\n    a: 1,\\n    b: [\\n      1,\\n+     2\\n-     3\\n    ]\\n  }" true deepStrictEqual AssertionError ERR_ASSERTION\n'
            '"Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n  {\\n+   a: 1\\n-   a: \'1\'\\n  }" true deepStrictEqual AssertionError ERR_ASSERTION\n'
            '"Expected values to be strictly deep-equal:\\n+ actual - expected ... Lines skipped\\n\\n  [\\n    1,\\n...\\n    8,\\n    9,\\n+   10\\n-   11\\n  ]" true deepStrictEqual AssertionError ERR_ASSERTION\n'
            '"Expected \\"actual\\" not to be strictly deep-equal to:\\n\\n{\\n  a: 1\\n}\\n" true notDeepStrictEqual AssertionError ERR_ASSERTION\n'
            '"Values have same structure but are not reference-equal:\\n\\n{\\n  a: Symbol()\\n}\\n" true deepStrictEqual AssertionError ERR_ASSERTION\n'
            '"Failed" true fail AssertionError ERR_ASSERTION\n'
            '"boom" false fail AssertionError ERR_ASSERTION\n'
            '"te" undefined undefined TypeError undefined\n'
            '"The input did not match the regular expression /x/. Input:\\n\\n\'abc\'\\n" true match AssertionError ERR_ASSERTION\n'
            '"The \\"string\\" argument must be of type string. Received type number (123)" true match AssertionError ERR_ASSERTION\n'
            '"The input was expected to not match the regular expression /b/. Input:\\n\\n\'abc\'\\n" true doesNotMatch AssertionError ERR_ASSERTION\n'
            '"Missing expected exception." false throws AssertionError ERR_ASSERTION\n'
            '"Missing expected exception (TypeError)." false throws AssertionError ERR_ASSERTION\n'
            '"Missing expected exception: msg here" false throws AssertionError ERR_ASSERTION\n'
            '"The error is expected to be an instance of \\"TypeError\\". Received \\"Error\\"\\n\\nError message:\\n\\ne1" true throws AssertionError ERR_ASSERTION\n'
            '"The input did not match the regular expression /e2/. Input:\\n\\n\'Error: e1\'\\n" true throws AssertionError ERR_ASSERTION\n'
            '"Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n  Comparison {\\n+   message: \'e1\'\\n-   message: \'e2\'\\n  }" true throws AssertionError ERR_ASSERTION\n'
            'no throw\n'
            '"The validation function is expected to return \\"true\\". Received false\\n\\nCaught error:\\n\\nError: e1" true throws AssertionError ERR_ASSERTION\n'
            '"The \\"check\\" validation function is expected to return \\"true\\". Received false\\n\\nCaught error:\\n\\nError: e1" true throws AssertionError ERR_ASSERTION\n'
            '"Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n+ \'str\'\\n- {\\n-   a: 1\\n- }" true throws AssertionError ERR_ASSERTION\n'
            '"Got unwanted exception.\\nActual message: \\"e1\\"" false doesNotThrow AssertionError ERR_ASSERTION\n'
            '"Got unwanted exception: why\\nActual message: \\"e1\\"" false doesNotThrow AssertionError ERR_ASSERTION\n'
            'no throw\n'
            '"ifError got unwanted exception: bad" false ifError AssertionError ERR_ASSERTION\n'
            '"ifError got unwanted exception: \'x\'" false ifError AssertionError ERR_ASSERTION\n'
            '"Expected values to be strictly equal:\\n\\n1 !== \'1\'\\n" true strictEqual AssertionError ERR_ASSERTION\n'
            'no throw\n'
            'no throw\n'
            '"Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n  Set(1) {\\n    {\\n+     a: 1\\n-     a: 2\\n    }\\n  }" true deepStrictEqual AssertionError ERR_ASSERTION\n'
            'no throw\n'
            '"Expected values to be strictly deep-equal:\\n\\n1 !== \'1\'\\n" true deepStrictEqual AssertionError ERR_ASSERTION\n'
            'no throw\n'
            '"Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n+ 0\\n- -0" true deepStrictEqual AssertionError ERR_ASSERTION\n'
            'no throw\n'
            '"Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n+ 1970-01-01T00:00:00.000Z\\n- 1970-01-01T00:00:00.001Z\\n                        ^" true deepStrictEqual AssertionError ERR_ASSERTION\n'
            '"Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n+ /a/g\\n- /a/i" true deepStrictEqual AssertionError ERR_ASSERTION\n'
            'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n'
            '\n'
            '1 !== 2\n'
            " [ 'generatedMessage', 'code', 'actual', 'expected', 'operator' ] true [\n"
            "  'actual',\n"
            "  'code',\n"
            "  'expected',\n"
            "  'generatedMessage',\n"
            "  'message',\n"
            "  'name',\n"
            "  'operator',\n"
            "  'stack'\n"
            ']\n'
            'true true ok ok strict\n'
            'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n'
            '\n'
            '1 !== 2\n'
            '\n'
            '  generatedMessage: true,\n'
            "  code: 'ERR_ASSERTION',\n"
            '  actual: 1,\n'
            '  expected: 2,\n'
            "  operator: 'strictEqual'\n"
            '}\n'
            'rejects ok\n'
            'rej Missing expected rejection.\n'
            'rejects fn ok\n'
            'dnr Got unwanted rejection.\n'
            'Actual message: "z"\n'
        ),
        "",
    ),
    'assert_more': (
        r'''const assert = require('node:assert');
const strict = require('assert/strict');
function t(f) { try { f(); console.log('ok'); } catch (e) { console.log(e.name + ' | ' + JSON.stringify(e.message) + ' | ' + e.code + ' | ' + e.operator + ' | ' + e.generatedMessage); } }
t(() => strict.equal(1, '1'));
t(() => strict.deepEqual([1], ['1']));
t(() => assert.deepEqual([1], ['1']));
t(() => assert.deepEqual({a: 1, b: 2}, {b: 2, a: 1}));
t(() => assert.deepEqual({a: undefined}, {}));
t(() => assert.deepStrictEqual({a: undefined}, {}));
t(() => assert.deepStrictEqual([1, 2, 3], [1, 2, 3, 4]));
t(() => assert.deepStrictEqual({ a: { b: { c: [1, 2, { d: 'x' }] } } }, { a: { b: { c: [1, 2, { d: 'y' }] } } }));
t(() => assert.deepStrictEqual(Array.from({length: 30}, (_, i) => i), Array.from({length: 30}, (_, i) => i === 15 ? -1 : i)));
t(() => assert.deepStrictEqual(new Map([['a', 1]]), new Map([['a', 2]])));
t(() => assert.deepStrictEqual(Object.create(null), {}));
t(() => assert.deepEqual(Object.create(null), {}));
t(() => assert.deepStrictEqual(new Number(1), new Number(2)));
t(() => assert.deepStrictEqual([new Date(0)], [new Date(0)]));
t(() => assert.deepStrictEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3])));
t(() => assert.deepEqual(new Set([1, '2']), new Set(['1', 2])));
t(() => assert.deepStrictEqual('a'.repeat(20), 'a'.repeat(19) + 'b'));
t(() => assert.strictEqual('line1\nline2', 'line1\nline3'));
t(() => assert.strictEqual(NaN, NaN));
t(() => assert.equal(NaN, NaN));
t(() => assert.notEqual(NaN, NaN));
t(() => assert.equal(null, undefined));
t(() => assert.strictEqual(null, undefined));
t(() => assert.notStrictEqual({}, {}));
const o = {}; t(() => assert.notStrictEqual(o, o));
t(() => assert.strictEqual(() => 1, () => 1));
t(() => assert.equal(1));
t(() => assert.strictEqual());
t(() => assert.throws(() => { throw new TypeError('x') }, TypeError, 'message'));
t(() => assert.throws(() => { throw new TypeError('x') }, 'x'));
t(() => assert.throws(() => { throw new TypeError('x') }, 5));
t(() => assert.throws('notfn'));
t(() => assert.throws(() => { throw new TypeError('wrong value') }, { name: 'TypeError', message: /wrong/ }));
t(() => assert.throws(() => { throw new TypeError('wrong value') }, { name: 'RangeError', message: /wrong/ }));
t(() => assert.throws(() => { throw new TypeError('wrong value') }, new TypeError('wrong value')));
t(() => assert.throws(() => { throw new TypeError('wrong value') }, {}));
class MyErr extends Error {}
t(() => assert.throws(() => { throw new MyErr('m') }, MyErr));
t(() => assert.throws(() => { throw new Error('m') }, MyErr));
t(() => assert.throws(() => { throw 5 }, MyErr));
t(() => assert.doesNotThrow(() => { throw new TypeError('x') }, RangeError));
t(() => assert.doesNotThrow(() => { throw new TypeError('x') }, TypeError, 'msg'));
t(() => assert.doesNotThrow(() => 1));
t(() => assert.ok(0, new RangeError('custom')));
t(() => assert.fail('a', 'b'));
t(() => assert.match('abc', 'x'));
t(() => assert.ifError(new Error('')));
t(() => new assert.AssertionError({ actual: {a: 1}, expected: {a: 2}, operator: 'deepEqual' }).message);
t(() => { throw new assert.AssertionError({ message: 'given', actual: 1, expected: 2, operator: 'strictEqual' }) });
t(() => { throw new assert.AssertionError({ actual: 1, expected: 2, operator: 'myop' }) });
try { assert.strictEqual('a\n'.repeat(15), 'b') } catch (e) { console.log(require('util').inspect(e).split('\n').filter(l => !l.startsWith('    at ')).join('\n')) }
console.log(typeof assert.strict, assert.strict.strict === assert.strict, strict === assert.strict, Object.keys(strict).filter((k) => k !== 'CallTracker').length);
assert(true); assert.ok(1); strict(1);
console.log(assert.AssertionError.name, new assert.AssertionError({}).name, Object.prototype.toString.call(new assert.AssertionError({})), new assert.AssertionError({}) instanceof Error);
const noStack = (s) => s.split('\n').filter((l) => !l.startsWith('    at ')).join('\n');
try { assert.deepStrictEqual({a: 'x'.repeat(5)}, {a: 'y'}) } catch (e) { console.log(noStack(require('util').inspect(e))) }
try { assert.strictEqual('a\n'.repeat(15), 'b') } catch (e) { console.log(noStack(require('util').inspect(e))) }
''',
        (
            'AssertionError | "Expected values to be strictly equal:\\n\\n1 !== \'1\'\\n" | ERR_ASSERTION | strictEqual | true\n'
            'AssertionError | "Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n  [\\n+   1\\n-   \'1\'\\n  ]" | ERR_ASSERTION | deepStrictEqual | true\n'
            'ok\n'
            'ok\n'
            'AssertionError | "Expected values to be loosely deep-equal:\\n\\n{\\n  a: undefined\\n}\\n\\nshould loosely deep-equal\\n\\n{}" | ERR_ASSERTION | deepEqual | true\n'
            'AssertionError | "Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n+ {\\n+   a: undefined\\n+ }\\n- {}" | ERR_ASSERTION | deepStrictEqual | true\n'
            'AssertionError | "Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n  [\\n    1,\\n    2,\\n    3,\\n-   4\\n  ]" | ERR_ASSERTION | deepStrictEqual | true\n'
            'AssertionError | "Expected values to be strictly deep-equal:\\n+ actual - expected ... Lines skipped\\n\\n  {\\n    a: {\\n...\\n          2,\\n          {\\n+           d: \'x\'\\n-           d: \'y\'\\n          }\\n...\\n      }\\n    }\\n  }" | ERR_ASSERTION | deepStrictEqual | true\n'
            'AssertionError | "Expected values to be strictly deep-equal:\\n+ actual - expected ... Lines skipped\\n\\n  [\\n    0,\\n...\\n    13,\\n    14,\\n+   15,\\n-   -1,\\n    16,\\n...\\n    28,\\n    29\\n  ]" | ERR_ASSERTION | deepStrictEqual | true\n'
            'AssertionError | "Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n  Map(1) {\\n+   \'a\' => 1\\n-   \'a\' => 2\\n  }" | ERR_ASSERTION | deepStrictEqual | true\n'
            'AssertionError | "Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n+ [Object: null prototype] {}\\n- {}" | ERR_ASSERTION | deepStrictEqual | true\n'
            'ok\n'
            'AssertionError | "Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n+ [Number: 1]\\n- [Number: 2]\\n           ^" | ERR_ASSERTION | deepStrictEqual | true\n'
            'ok\n'
            'AssertionError | "Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n  Uint8Array(2) [\\n    1,\\n+   2\\n-   3\\n  ]" | ERR_ASSERTION | deepStrictEqual | true\n'
            'ok\n'
            'AssertionError | "Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n+ \'aaaaaaaaaaaaaaaaaaaa\'\\n- \'aaaaaaaaaaaaaaaaaaab\'\\n                      ^" | ERR_ASSERTION | deepStrictEqual | true\n'
            'AssertionError | "Expected values to be strictly equal:\\n+ actual - expected\\n\\n+ \'line1\\\\nline2\'\\n- \'line1\\\\nline3\'\\n              ^" | ERR_ASSERTION | strictEqual | true\n'
            'ok\n'
            'ok\n'
            'AssertionError | "NaN != NaN" | ERR_ASSERTION | != | true\n'
            'ok\n'
            'AssertionError | "Expected values to be strictly equal:\\n+ actual - expected\\n\\n+ null\\n- undefined" | ERR_ASSERTION | strictEqual | true\n'
            'ok\n'
            'AssertionError | "Expected \\"actual\\" not to be reference-equal to \\"expected\\": {}" | ERR_ASSERTION | notStrictEqual | true\n'
            'AssertionError | "Values have same structure but are not reference-equal:\\n\\n[Function (anonymous)]\\n" | ERR_ASSERTION | strictEqual | true\n'
            'TypeError | "The \\"actual\\" and \\"expected\\" arguments must be specified" | ERR_MISSING_ARGS | undefined | undefined\n'
            'TypeError | "The \\"actual\\" and \\"expected\\" arguments must be specified" | ERR_MISSING_ARGS | undefined | undefined\n'
            'ok\n'
            'TypeError | "The \\"error/message\\" argument is ambiguous. The error message \\"x\\" is identical to the message." | ERR_AMBIGUOUS_ARGUMENT | undefined | undefined\n'
            'TypeError | "The \\"error\\" argument must be of type function or an instance of Error, RegExp, or Object. Received type number (5)" | ERR_INVALID_ARG_TYPE | undefined | undefined\n'
            'TypeError | "The \\"fn\\" argument must be of type function. Received type string (\'notfn\')" | ERR_INVALID_ARG_TYPE | undefined | undefined\n'
            'ok\n'
            'AssertionError | "Expected values to be strictly deep-equal:\\n+ actual - expected\\n\\n  Comparison {\\n    message: \'wrong value\',\\n+   name: \'TypeError\'\\n-   name: \'RangeError\'\\n  }" | ERR_ASSERTION | throws | true\n'
            'ok\n'
            'TypeError | "The argument \'error\' may not be an empty object. Received {}" | ERR_INVALID_ARG_VALUE | undefined | undefined\n'
            'ok\n'
            'AssertionError | "The error is expected to be an instance of \\"MyErr\\". Received \\"Error\\"\\n\\nError message:\\n\\nm" | ERR_ASSERTION | throws | true\n'
            'AssertionError | "The error is expected to be an instance of \\"MyErr\\". Received \\"5\\"" | ERR_ASSERTION | throws | true\n'
            'TypeError | "x" | undefined | undefined | undefined\n'
            'AssertionError | "Got unwanted exception: msg\\nActual message: \\"x\\"" | ERR_ASSERTION | doesNotThrow | false\n'
            'ok\n'
            'RangeError | "custom" | undefined | undefined | undefined\n'
            'AssertionError | "\'a\' != \'b\'" | ERR_ASSERTION | != | true\n'
            'TypeError | "The \\"regexp\\" argument must be an instance of RegExp. Received type string (\'x\')" | ERR_INVALID_ARG_TYPE | undefined | undefined\n'
            'AssertionError | "ifError got unwanted exception: Error" | ERR_ASSERTION | ifError | false\n'
            'ok\n'
            'AssertionError | "given\\n\\n1 !== 2\\n" | ERR_ASSERTION | strictEqual | false\n'
            'AssertionError | "1 myop 2" | ERR_ASSERTION | myop | true\n'
            'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n'
            '+ actual - expected\n'
            '\n'
            "+ 'a\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\n'\n"
            "- 'b'\n"
            '  generatedMessage: true,\n'
            "  code: 'ERR_ASSERTION',\n"
            "  actual: 'a\\na\\na\\na\\na\\na\\na\\na\\na\\na\\n...',\n"
            "  expected: 'b',\n"
            "  operator: 'strictEqual'\n"
            '}\n'
            'function true true 19\n'
            'AssertionError AssertionError [object Error] true\n'
            'AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:\n'
            '+ actual - expected\n'
            '\n'
            '  {\n'
            "+   a: 'xxxxx'\n"
            "-   a: 'y'\n"
            '  }\n'
            '  generatedMessage: true,\n'
            "  code: 'ERR_ASSERTION',\n"
            '  actual: [Object],\n'
            '  expected: [Object],\n'
            "  operator: 'deepStrictEqual'\n"
            '}\n'
            'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n'
            '+ actual - expected\n'
            '\n'
            "+ 'a\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\na\\n'\n"
            "- 'b'\n"
            '  generatedMessage: true,\n'
            "  code: 'ERR_ASSERTION',\n"
            "  actual: 'a\\na\\na\\na\\na\\na\\na\\na\\na\\na\\n...',\n"
            "  expected: 'b',\n"
            "  operator: 'strictEqual'\n"
            '}\n'
        ),
        (
            '(node:PID) [DEP0094] DeprecationWarning: assert.fail() with more than one argument is deprecated. Please use assert.strictEqual() instead or only pass a message.\n'
            '(Use `node --trace-deprecation ...` to show where the warning was created)\n'
        ),
    ),
}


EVAL_CASES = [
    (r'''const path = require('path'); [path.join('/a', '../b', 'c/'), path.resolve('/x', 'y', '..', 'z'), path.relative('/a/b/c', '/a/d'), path.basename('/q/w.e.js', '.js'), path.extname('x.tar.gz'), path.dirname('/a/b/'), path.normalize('./a//b/../c/.'), path.isAbsolute('a'), path.format(path.parse('/home/u/f.txt'))]''',
     ['/b/c/', '/x/z', '../../d', 'w.e', '.gz', '/a', 'a/c', False, '/home/u/f.txt']),
    (r'''const EE = require('events'); class A extends EE { constructor() { super(); this.n = 0; } } const a = new A(); a.on('inc', function (k) { this.n += k; }); a.emit('inc', 2); a.emit('inc', 3); [a.n, a instanceof EE, a.listenerCount('inc'), a.emit('nothing'), A.defaultMaxListeners, typeof A.once, Object.keys(a)]''',
     [5, True, 1, False, 10, 'function', ['_events', '_eventsCount', '_maxListeners', 'n']]),
    (r'''const u = require('util'); [u.format('%s:%i', 'x', 3.9), u.inspect({a: [1, {b: 2}]}), u.isDeepStrictEqual({a: 1}, {a: 1}), u.types.isMap(new Map()), u.inspect('x'.repeat(3)), u.inspect({a: {b: {c: {}}}}, {depth: 0}), u.format('%o', 'x')]''',
     ['x:3', '{ a: [ 1, { b: 2 } ] }', True, True, "'xxx'", '{ a: [Object] }', "'x'"]),
    (r'''const assert = require('assert'); let m; try { assert.deepStrictEqual([1, 2], [1, 3]) } catch (e) { m = [e.name, e.code, e.operator, e.message, e instanceof assert.AssertionError, e.actual, e.expected] } m''',
     ['AssertionError', 'ERR_ASSERTION', 'deepStrictEqual', 'Expected values to be strictly deep-equal:\n+ actual - expected\n\n  [\n    1,\n+   2\n-   3\n  ]', True, [1, 2], [1, 3]]),
    (r'''[require('node:events') === require('events'), require('assert').strict === require('assert/strict'), require('node:path').posix === require('path'), require('util/types') === require('util').types, require('events').EventEmitter === require('events')]''',
     [True, True, True, True, True]),
    (r'''const EE = require('events'); const e = new EE(); const out = []; try { e.emit('error', 'boom') } catch (x) { out.push(x.message, x.code, x.context, String(x)) } try { e.emit('error', new RangeError('r')) } catch (x) { out.push(x.name) } out''',
     ["Unhandled error. ('boom')", 'ERR_UNHANDLED_ERROR', 'boom', "Error [ERR_UNHANDLED_ERROR]: Unhandled error. ('boom')", 'RangeError']),
    (r'''const { inherits } = require('util'); const EE = require('events'); function S() { EE.call(this); } inherits(S, EE); const s = new S(); const got = []; s.once('x', (v) => got.push(v)); s.emit('x', 1); s.emit('x', 2); [got, s.listenerCount('x'), S.super_ === EE]''',
     [[1], 0, True]),
    (r'''const assert = require('assert'); const r = []; for (const f of [() => assert.throws(() => { throw new TypeError('bad input') }, TypeError), () => assert.throws(() => { throw new TypeError('bad input') }, /bad/), () => assert.throws(() => { throw new TypeError('bad input') }, { name: 'TypeError', message: 'bad input' }), () => assert.throws(() => { throw new TypeError('bad input') }, (e) => e instanceof TypeError), () => assert.doesNotThrow(() => 1), () => assert.match('abc', /b/), () => assert.deepEqual({a: [1, '2']}, {a: ['1', 2]}), () => assert.notDeepStrictEqual({a: 1}, {a: '1'})]) { try { f(); r.push('ok') } catch (e) { r.push(e.message) } } r''',
     ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']),
    (r'''const e = new (require('events'))(); const seen = []; e.on('removeListener', (n) => seen.push('-' + n)); e.on('newListener', (n) => seen.push('+' + n)); const f = () => {}; e.on('a', f); e.once('b', f); e.emit('b'); e.off('a', f); e.removeAllListeners(); [seen, e.eventNames(), e.listenerCount('newListener')]''',
     [['+a', '+b', '-b', '-a', '-newListener'], [], 0]),
    (r'''const assert = require('assert'); let m; try { assert.strictEqual({ name: 'x', list: [1, 2, 3] }, { name: 'y', list: [1, 2, 3] }) } catch (e) { m = e.message } m''',
     'Expected "actual" to be reference-equal to "expected":\n+ actual - expected ... Lines skipped\n\n  {\n    list: [\n...\n      3\n    ],\n+   name: \'x\'\n-   name: \'y\'\n  }'),
]


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_node(tmp_path, name):
    src, expected_out, expected_err = PROGRAMS[name]
    rc, out, err = run_program(tmp_path, PRELUDE + src)
    assert out == expected_out
    assert normalise_pid(err) == expected_err
    assert rc == 0


@pytest.mark.parametrize("src, expected", EVAL_CASES, ids=range(len(EVAL_CASES)))
def test_eval_matches_node(rt, src, expected):
    assert rt.eval(src) == expected


ESM_PROGRAM = r'''import { EventEmitter, once } from 'events';
import EE from 'node:events';
import path, { join, basename } from 'path';
import assert, { strictEqual, deepStrictEqual } from 'assert';
import util, { format, promisify } from 'node:util';
console.log(EE === EventEmitter, join('a', 'b'), basename('/x/y.js', '.js'), path.sep, typeof assert, typeof strictEqual, format('%d-%s', 3, 'z'), typeof util.inspect);
class Job extends EventEmitter {
  run() { setTimeout(() => this.emit('done', 'result'), 1); return this; }
}
const [value] = await once(new Job().run(), 'done');
strictEqual(value, 'result');
deepStrictEqual({ list: [1, 2] }, { list: [1, 2] });
const wait = promisify((ms, cb) => setTimeout(() => cb(null, ms * 2), ms));
console.log(value, await wait(2));
'''


def test_esm_imports(tmp_path):
    rc, out, err = run_program(tmp_path, ESM_PRELUDE + ESM_PROGRAM, "prog.mjs")
    assert (rc, err) == (0, "")
    assert out == "true a/b y / function function 3-z function\nresult 4\n"


def test_uncaught_assertion_error(tmp_path):
    rc, out, err = run_program(tmp_path, PRELUDE + "console.log('before');\nrequire('assert').strictEqual(1, 2);\n")
    assert rc == 1
    assert out == "before\n"
    assert "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n\n1 !== 2\n" in err


def test_uncaught_error_event(tmp_path):
    rc, out, err = run_program(tmp_path, PRELUDE + "new (require('events'))().emit('error', 'boom');\n")
    assert rc == 1
    assert "Error [ERR_UNHANDLED_ERROR]: Unhandled error. ('boom')" in err


def test_registers_when_loaded_before_rt():
    # rt.lua's module list loads its modules before it creates R.builtin_modules: nodelib then
    # registers its loaders as soon as that table is assigned.
    from lupa import luajit21
    lua = luajit21.LuaRuntime()
    lua.globals().package.path = luascript.runtime.find_lua_root() + "/?.lua;" + lua.globals().package.path
    lua.execute('R0 = require("ljs.core"); require("ljs.nodelib"); require("ljs.rt")')
    assert lua.eval("getmetatable(R0)") is None
    for name in ("events", "util", "assert", "path", "assert/strict", "util/types", "path/posix"):
        assert lua.eval('type(R0.builtin_modules["%s"])' % name) == "function"
    assert lua.eval('R0.builtin_modules.path().join(nil, "a", "..", "b")') == "b"


def test_exports_are_built_once(rt):
    assert rt.eval("require('util') === require('node:util') && require('path') === require('node:path')") is True
    assert rt.eval("Object.keys(require('path')).join()") == \
        "resolve,normalize,isAbsolute,join,relative,toNamespacedPath,dirname,basename,extname,format,parse,sep,delimiter,win32,posix,_makeLong"
