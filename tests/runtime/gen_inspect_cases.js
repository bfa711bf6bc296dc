#!/usr/bin/env node
// Generates tests/runtime/inspect_cases.json: values described as JSON specs, with what
// node's util.inspect / util.format / console print for them. Run it with
// `node tests/runtime/gen_inspect_cases.js` after changing the cases; the JSON is checked
// in so the tests need no node. test_inspect.py builds the same values in Lua from the
// same specs.
//
// Value specs:
//   JSON number / string / boolean      themselves; null is null
//   [a, b, ...]                         array ({"$": "hole"} marks a hole)
//   {k: v, ...} (no "$" key)            plain object, keys in this order
//   {"$": "undefined"}  {"$": "num", "v": "-0" | "NaN" | "Infinity" | "-Infinity"}
//   {"$": "sym", "d": desc?}            Symbol(desc);  {"$": "wksym", "n": "iterator"}
//   {"$": "obj", "id"?, "proto"?: null, "entries": [[key, spec], ...], "hidden"?: [[k, spec]]}
//        key: string or symbol spec; spec may be {"$": "getter", "value"?}, {"$": "setter"},
//        {"$": "getset", "value"?} (accessors)
//   {"$": "arr", "id"?, "items": [...], "props": [[k, spec], ...]}
//   {"$": "ref", "id": "a"}             the object built with that id (cycles)
//   {"$": "fn", "name": "f", "arrow"?: true, "props"?: [[k, spec]]}
//   {"$": "class", "id"?, "name": "A", "extends"?: classSpec, "static"?: [[k, spec]], "tag"?: "T",
//    "proto"?: [[k, spec]] (properties of the prototype)}
//   {"$": "new", "class": classSpec, "entries": [[k, spec], ...]}
//   {"$": "map", "id"?, "entries": [[k, v], ...]}   {"$": "set", "items": [...]}
//   {"$": "weakmap"}  {"$": "weakset"}
//   {"$": "typed", "kind": "Float64Array", "items": [...]}   {"$": "buffer", "bytes": [...]}
//   {"$": "promise", "state": "fulfilled" | "pending" | "rejected", "value"?: spec}
//   {"$": "regexp", "source": "a+", "flags": "g"}
//   {"$": "error", "kind": "Error", "message": "m", "stack"?: string | null,
//    "cause"?: spec, "entries"?: [[k, spec]], "class"?: classSpec}
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const { Console } = require('console');
const { Writable } = require('stream');
const { execFileSync } = require('child_process');

// ---- building values from specs -------------------------------------------------------------
function build(spec, ids = new Map()) {
  if (spec === null || typeof spec !== 'object') return spec;
  if (Array.isArray(spec)) {
    const a = new Array(spec.length);
    spec.forEach((s, i) => {
      if (!(s && s.$ === 'hole')) a[i] = build(s, ids);
    });
    return a;
  }
  const kind = spec.$;
  if (kind === undefined) {
    const o = {};
    for (const k of Object.keys(spec)) o[k] = build(spec[k], ids);
    return o;
  }
  switch (kind) {
    case 'undefined': return undefined;
    case 'num': return { '-0': -0, NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }[spec.v];
    case 'sym': return spec.d === undefined ? Symbol() : Symbol(spec.d);
    case 'wksym': return Symbol[spec.n];
    case 'ref': return ids.get(spec.id);
    case 'obj': {
      const o = spec.proto === null ? Object.create(null) : {};
      if (spec.id) ids.set(spec.id, o);
      addEntries(o, spec.entries || [], ids);
      for (const [k, v] of spec.hidden || []) {
        Object.defineProperty(o, buildKey(k, ids), { value: build(v, ids), enumerable: false, writable: true, configurable: true });
      }
      return o;
    }
    case 'arr': {
      const a = build(spec.items, ids);
      if (spec.id) ids.set(spec.id, a);
      // items may refer to the array itself: rebuild them now that the id is known
      spec.items.forEach((s, i) => { if (!(s && s.$ === 'hole')) a[i] = build(s, ids); });
      addEntries(a, spec.props || [], ids);
      return a;
    }
    case 'fn': {
      let f;
      if (spec.arrow) f = { [spec.name]: () => {} }[spec.name];
      else if (spec.name === '') f = [function () {}][0];
      else f = { [spec.name]: function () {} }[spec.name];
      addEntries(f, spec.props || [], ids);
      return f;
    }
    case 'class': {
      if (spec.builtin) return globalThis[spec.name];   // e.g. Error as a base class
      if (spec.id && ids.has(spec.id)) return ids.get(spec.id);
      const Base = spec.extends ? build(spec.extends, ids) : null;
      let C;
      if (Base) C = spec.name === '' ? [class extends Base {}][0] : { [spec.name]: class extends Base {} }[spec.name];
      else C = spec.name === '' ? [class {}][0] : { [spec.name]: class {} }[spec.name];
      if (spec.tag !== undefined) {
        Object.defineProperty(C.prototype, Symbol.toStringTag, { value: spec.tag, configurable: true });
      }
      addEntries(C, spec.static || [], ids);
      addEntries(C.prototype, spec.proto || [], ids);
      if (spec.id) ids.set(spec.id, C);
      return C;
    }
    case 'new': {
      const C = build(spec.class, ids);
      const o = new C();
      if (spec.id) ids.set(spec.id, o);
      addEntries(o, spec.entries || [], ids);
      return o;
    }
    case 'map': {
      const m = new Map();
      if (spec.id) ids.set(spec.id, m);
      for (const [k, v] of spec.entries) m.set(build(k, ids), build(v, ids));
      return m;
    }
    case 'set': return new Set(spec.items.map((v) => build(v, ids)));
    case 'weakmap': return new WeakMap();
    case 'weakset': return new WeakSet();
    case 'typed': return new globalThis[spec.kind](spec.items);
    case 'buffer': return new Uint8Array(spec.bytes).buffer;
    case 'promise': {
      if (spec.state === 'pending') return new Promise(() => {});
      if (spec.state === 'fulfilled') return Promise.resolve(build(spec.value, ids));
      const p = Promise.reject(build(spec.value, ids));
      p.catch(() => {});
      return p;
    }
    case 'regexp': return new RegExp(spec.source, spec.flags);
    case 'error': {
      const C = spec.class ? build(spec.class, ids) : globalThis[spec.kind];
      const e = spec.cause !== undefined ? new C(spec.message, { cause: build(spec.cause, ids) }) : new C(spec.message);
      if (spec.stack === null) delete e.stack;
      else if (spec.stack !== undefined) e.stack = spec.stack;
      addEntries(e, spec.entries || [], ids);
      return e;
    }
    default: throw new Error('unknown spec ' + kind);
  }
}

function buildKey(k, ids) {
  return typeof k === 'string' ? k : build(k, ids);
}

function addEntries(o, entries, ids) {
  for (const [k, v] of entries) {
    const key = buildKey(k, ids);
    if (v && (v.$ === 'getter' || v.$ === 'setter' || v.$ === 'getset')) {
      const val = v.value;
      const d = { enumerable: true, configurable: true };
      if (v.$ !== 'setter') d.get = () => build(val, ids);
      if (v.$ !== 'getter') d.set = () => {};
      Object.defineProperty(o, key, d);
    } else if (key === '__proto__') {
      // an own property, not the prototype
      Object.defineProperty(o, key, { value: build(v, ids), enumerable: true, writable: true, configurable: true });
    } else {
      o[key] = build(v, ids);
    }
  }
}

// ---- spec helpers ----------------------------------------------------------------------------
const U = { $: 'undefined' };
const num = (v) => ({ $: 'num', v });
const sym = (d) => (d === undefined ? { $: 'sym' } : { $: 'sym', d });
const hole = { $: 'hole' };
const obj = (entries, extra = {}) => ({ $: 'obj', entries, ...extra });
const ref = (id) => ({ $: 'ref', id });
const fn = (name, extra = {}) => ({ $: 'fn', name, ...extra });
const cls = (name, extra = {}) => ({ $: 'class', name, ...extra });
const inst = (c, entries = []) => ({ $: 'new', class: c, entries });
const range = (n, f = (i) => i) => Array.from({ length: n }, (_, i) => f(i));
const keysObj = (n, f = (i) => i) => Object.fromEntries(range(n, (i) => ['k' + i, f(i)]));
const err = (kind, message, extra = {}) => ({ $: 'error', kind, message, ...extra });
const STACK = (head) => `${head}\n    at f (/app/file.js:1:2)\n    at g (/app/file.js:3:4)\n    at Object.<anonymous> (/app/main.js:10:1)`;

// ---- inspect cases ---------------------------------------------------------------------------
const inspectCases = [];
function I(name, value, opts) {
  inspectCases.push(opts === undefined ? { name, value } : { name, value, opts });
}

// primitives
I('int', 1); I('neg zero', num('-0')); I('zero', 0); I('float', 1.5); I('NaN', num('NaN'));
I('Infinity', num('Infinity')); I('-Infinity', num('-Infinity')); I('1e21', 1e21); I('1e-7', 1e-7);
I('big', 123456789012345680000); I('small float', 0.1 + 0.2); I('neg', -42.25);
I('true', true); I('false', false); I('null', null); I('undefined', U);
I('string', 'hello'); I('empty string', ''); I('single quote', "it's");
I('double quote', 'say "hi"'); I('both quotes', `both ' and "`); I('all quotes', 'a\'b"c`d');
I('dollar brace', 'a\'b"c${d}'); I('newline', 'line\nbreak'); I('controls', '\t\u0001\u001b\u007f\u0085\\');
I('unicode', 'é ü 中文 😀'); I('symbol', sym('sym')); I('symbol empty', sym());
I('symbol with quote', sym("it's")); I('well-known symbol', { $: 'wksym', n: 'iterator' });
I('long string', 'x'.repeat(100));
I('long multiline string', 'first line of a long text\n'.repeat(4) + 'and the end');
I('long multiline trailing newline', 'a long line that keeps going on and on\n'.repeat(3));
I('long string nested', { s: 'nested text that is long enough to be split\nacross two lines because it is long' });
I('maxStringLength', 'abcdefghij', { maxStringLength: 5 });
I('maxStringLength one', 'abcdef', { maxStringLength: 5 });

// arrays
I('empty array', []); I('small array', [1, 2, 3]); I('string array', ['a', 'b']);
I('quoted strings', ["it's", 'say "hi"', `both ' and "`, 'back`tick']);
I('escaped strings', ['line\nbreak', 'tab\there', 'back\\slash', '\u0001']);
I('mixed primitives', [null, true, 0, num('-0'), num('NaN'), '']);
I('nested arrays', [[1, [2, [3, [4, [5]]]]]]);
I('holes', [hole, 1, hole, 2, hole, hole]);
I('all holes', [hole, hole, hole]);
I('trailing holes', [1, 2, 3, hole, hole]);
I('array with prop', { $: 'arr', items: [1, 2], props: [['extra', 'prop']] });
I('array with symbol prop', { $: 'arr', items: [1], props: [[sym('s'), 1], ['k', 2]] });
I('array of objects', [{ a: 1 }, { b: { c: { d: { e: 1 } } } }]);
I('array of functions', [fn('named'), fn('', {}), fn('arrowFn', { arrow: true }), cls('K')]);
I('range 6', range(6)); I('range 6 thousands', range(6, (i) => i * 1000));
I('five words', ['alpha', 'beta', 'gamma', 'delta', 'epsilon']);
I('range 7', range(7)); I('range 10', range(10)); I('cubes', range(10, (i) => i * i * i));
I('range 26', range(26)); I('range 30', range(30));
I('range 30 signed', range(30, (i) => ((i * 37) % 101) - 50));
I('range 30 quarters', range(30, (i) => (i % 3 === 0 ? -i : i) / 4));
I('range 100', range(100)); I('range 101', range(101)); I('range 120', range(120));
I('range 101 mod', range(101, (i) => i % 10));
I('mixed lengths', range(30, (i) => [1, 22, 333][i % 3]));
I('mixed lengths 2', range(24, (i) => [1, 22, 333, 4444, 55555][i % 5]));
I('letters', range(26, (i) => String.fromCharCode(97 + i)));
I('words', range(12, (i) => 'word' + 's'.repeat(i % 4)));
I('odd strings', range(16, (i) => (i % 2 ? 'odd' : i)));
I('nulls', range(8, () => null));
I('booleans', range(9, (i) => i % 2 === 0));
I('long strings array', ['a fairly long string that takes up space', 'another fairly long string value', 'third']);
I('rows of three', [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12], [13, 14, 15], [16, 17, 18], [19, 20, 21]]);
I('three rows of twelve', range(3, (i) => range(12, (j) => i * 12 + j)));
I('matrix', { matrix: range(4, (i) => range(4, (j) => (i === j ? 1 : 0))) });
I('list and label', { list: range(30), label: 'numbers' });
I('unicode array', range(10, (i) => 'é'.repeat(i % 3 + 1)));
I('cjk array', range(10, (i) => '中'.repeat(i % 3 + 1)));
I('emoji array', range(8, (i) => '😀'.repeat(i % 2 + 1)));
I('many long words', range(40, (i) => 'item_' + 'x'.repeat(i % 7)));
I('floats array', range(12, (i) => i / 3));
I('negative zero array', range(8, (i) => (i % 2 ? num('-0') : i)));
I('array of 7 objects', range(7, (i) => ({ id: i })));
I('array nested grouping', { a: { b: range(30) } });
I('array with holes long', [...range(8), hole, hole, ...range(5)]);
I('maxArrayLength 3', range(10), { maxArrayLength: 3 });
I('maxArrayLength 0', range(10), { maxArrayLength: 0 });
I('sparse maxArrayLength', [hole, hole, 1, 2, 3, hole], { maxArrayLength: 2 });

// objects
I('empty object', {}); I('object', { a: 1, b: 'two', c: null, d: U, e: [1, 2], f: { g: true } });
I('keys needing quotes', { 'key with space': 1, 'kebab-case': 2, valid_id: 3, $dollar: 4, _under: 5, 123: 6, '1a': 7, é: 8, '': 9 });
I('deep object', { nested: { level2: { level3: { level4: 'too deep' } } } });
I('deep arrays in object', { arr: [[1, [2, [3]]]] });
I('string values', { s: 'string value', q: "it's", dq: 'say "x"' });
I('symbol key', obj([[sym('k'), 'symbol key'], ['regular', 1]]));
I('special values', { undef: U, nul: null, nan: num('NaN'), negz: num('-0') });
I('small', { a: 1, b: 2, c: 3 });
I('5 keys', keysObj(5)); I('6 keys', keysObj(6)); I('7 keys', keysObj(7)); I('10 keys', keysObj(10));
I('26 keys', Object.fromEntries(range(26, (i) => [String.fromCharCode(97 + i), i])));
I('30 keys', keysObj(30, (i) => i * 7));
I('30 string keys', keysObj(30, (i) => 'v' + i));
I('wide', Object.fromEntries(range(5, (i) => ['property_number_' + i, 'value number ' + i])));
I('product', { id: 1, name: 'Widget', price: 9.99, tags: ['a', 'b'], stock: { warehouse: 10, store: 2 } });
I('product long', { id: 2, name: 'Gadget with a considerably longer name', price: 19.5, tags: ['x', 'y', 'z'], stock: null });
I('records', range(4, (i) => ({ id: i, name: `user${i}`, active: i % 2 === 0 })));
I('depth 3', { l1: { l2: { l3: { l4: { l5: {} } } } } });
I('depth arrays', [[[[['five']]]]]);
I('mixed depth', { a: [{ b: [{ c: 1 }] }] });
I('depth with empties', { l1: { l2: { arr: [1, 2], obj: {}, emptyArr: [] } } });
I('depth 4 wide', { a: { b: { c: { d: 1 } }, e: [1, 2, 3] }, f: 'x' });
I('compact 3 rule', { a: { b: { c: {} } } });
I('compact 3 rule 2', { a: 1, b: { c: { d: 2 } }, e: { f: 3 } });
I('nested objects many', { one: { x: 1, y: 2 }, two: { x: 3, y: 4 }, three: { x: 5, y: 6 }, four: { x: 7, y: 8 } });
I('config', { server: { host: 'localhost', port: 8080, tls: { enabled: false, cert: null } }, routes: ['/', '/api', '/health'], debug: true });
for (const n of [60, 68, 70, 72, 74, 76, 78, 80, 84]) {
  I(`width array ${n}`, ['x'.repeat(n - 6)]);
  I(`width object ${n}`, { k: 'x'.repeat(n - 10) });
  I(`width nested ${n}`, { outer: { k: 'y'.repeat(n - 20) } });
}
I('six short strings', range(6, (i) => 'abcdefghij'.slice(0, i + 5)));
I('six equal strings', range(6, () => 'abcdefghijkl'));
I('null prototype', obj([], { proto: null }));
I('null prototype keys', obj([['a', 1], ['b', { c: 2 }]], { proto: null }));
I('getters', obj([['a', { $: 'getter', value: 1 }], ['b', { $: 'setter' }], ['c', { $: 'getset', value: 2 }], ['d', 4]]));
I('getters option', obj([['a', { $: 'getter', value: 1 }], ['o', { $: 'getter', value: { x: 1 } }], ['n', { $: 'getset', value: null }]]), { getters: true });
I('hidden props', obj([['a', 1]], { hidden: [['h', 2]] }));
I('hidden props showHidden', obj([['a', 1]], { hidden: [['h', 2]] }), { showHidden: true });
I('proto key', obj([['__proto__', 1]]));

// cycles
I('circular object', obj([['name', 'circ'], ['self', ref('c')]], { id: 'c' }));
I('circular array', { $: 'arr', id: 'a', items: [1, ref('a')] });
I('circular nested', obj([['kids', [obj([['parent', ref('p')]])]]], { id: 'p' }));
I('two cycles', obj([['a', obj([['self', ref('a')], ['top', ref('top')]], { id: 'a' })], ['b', obj([['self', ref('b')]], { id: 'b' })]], { id: 'top' }));
I('shared not circular', (() => { const s = { x: 1 }; return { a: s, b: s }; })());

// functions and classes
I('function', fn('plainFn')); I('anonymous function', fn('')); I('arrow', fn('arrowFn', { arrow: true }));
I('class', cls('Animal')); I('class extends', cls('Dog', { extends: cls('Animal') }));
I('anonymous class', cls('')); I('anonymous class extends', cls('', { extends: cls('Base') }));
I('function with props', fn('withProps', { props: [['custom', 1], ['other', 'x']] }));
I('class with static', cls('Config', { static: [['defaults', { a: 1 }]] }));
I('object with methods', { fn: fn('fn'), arrow: fn('arrow', { arrow: true }), named: fn('foo') });
I('function showHidden', fn('foo', { arrow: true }), { showHidden: true });
I('function depth', { a: { b: { c: fn('deep', { props: [['x', 1]] }) } } });

// class instances
const Point = cls('Point', { id: 'Point' });
I('instance', inst(Point, [['x', 1], ['y', 2]]));
I('empty instance', inst(cls('Empty')));
I('instances nested', [inst(Point, [['x', 0], ['y', 0]]), { p: inst(Point, [['x', -1], ['y', 0.5]]) }]);
I('subclass instance', inst(cls('Temp', { extends: Point }), [['x', 3], ['y', 4], ['label', 't']]));
I('anonymous class instance', inst(cls('')));
I('anonymous class instance props', inst(cls(''), [['a', 1]]));
I('tagged instance', inst(cls('Foo', { tag: 'Bar' }), [['a', 1]]));
I('tagged empty instance', inst(cls('Foo', { tag: 'Bar' })));
I('tag same as name', inst(cls('Same', { tag: 'Same' })));
I('own tag', obj([[{ $: 'wksym', n: 'toStringTag' }, 'X'], ['a', 1]]));
I('instance beyond depth', { a: { b: { c: inst(Point, [['x', 1]]) } } });
I('null proto beyond depth', { a: { b: { c: obj([['x', 1]], { proto: null }) } } });

// collections
I('empty map', { $: 'map', entries: [] });
I('map', { $: 'map', entries: [['a', 1], ['b', { c: 2 }]] });
I('map object keys', { $: 'map', entries: [[{ k: 1 }, [1, 2]], [num('NaN'), null]] });
I('empty set', { $: 'set', items: [] });
I('set', { $: 'set', items: [1, 'two', [3], { four: 4 }] });
I('set 30', { $: 'set', items: range(30) });
I('map 5', { $: 'map', entries: range(5, (i) => [`key${i}`, i * 10]) });
I('map nested', { $: 'map', entries: range(3, (i) => [i, { nested: range(3, (j) => j + i) }]) });
I('map in object', { m: { $: 'map', entries: [[1, { $: 'set', items: [2] }]] } });
I('collections in array', [{ $: 'set', items: ['x'] }, { $: 'map', entries: [['y', 'z']] }]);
I('map beyond depth', { a: { b: { c: { $: 'map', entries: [[1, 2]] } } } });
I('map 120', { $: 'map', entries: range(120, (i) => [i, i]) });
I('weakmap', { $: 'weakmap' }); I('weakset', { $: 'weakset' });

// typed arrays, buffers, promises, regexps
I('float64array', { $: 'typed', kind: 'Float64Array', items: [1, 2.5, -3] });
I('uint8array 30', { $: 'typed', kind: 'Uint8Array', items: range(30, (i) => (i * 37) % 256) });
I('int32array empty', { $: 'typed', kind: 'Int32Array', items: [] });
I('typed in object', { t: { $: 'typed', kind: 'Int16Array', items: [1, -2] } });
I('arraybuffer', { $: 'buffer', bytes: [0, 1, 255, 16] });
I('promise fulfilled', { $: 'promise', state: 'fulfilled', value: 1 });
I('promise object', { $: 'promise', state: 'fulfilled', value: { a: [1, 2] } });
I('promise pending', { $: 'promise', state: 'pending' });
I('promise rejected', { $: 'promise', state: 'rejected', value: err('Error', 'nope', { stack: null }) });
I('promise undefined', { $: 'promise', state: 'fulfilled', value: U });
I('regexp', { $: 'regexp', source: 'ab+c', flags: 'gi' });
I('regexps nested', [{ $: 'regexp', source: 'x', flags: '' }, { re: { $: 'regexp', source: 'y', flags: 'm' } }]);

// errors
I('error without stack', err('Error', 'boom', { stack: null }));
I('type error without stack', err('TypeError', 'bad type', { stack: null }));
I('error with stack', err('Error', 'boom', { stack: STACK('Error: boom') }));
I('error empty message', err('RangeError', '', { stack: null }));
I('error with props', err('Error', 'boom', { stack: null, entries: [['code', 'E_BOOM'], ['errno', 5]] }));
I('error with props and stack', err('Error', 'boom', { stack: STACK('Error: boom'), entries: [['code', 'E_BOOM']] }));
I('error nested', { e: err('Error', 'inner', { stack: STACK('Error: inner') }) });
I('error nested no stack', { list: [err('TypeError', 'x', { stack: null })] });
I('error cause', err('Error', 'outer', { stack: null, cause: err('Error', 'inner', { stack: null }) }));
I('error cause primitive', err('Error', 'outer', { stack: null, cause: 'why' }));
const VE = cls('ValidationError', { extends: { $: 'class', name: 'Error', builtin: true } });
I('custom error', err('Error', 'invalid', { class: VE, stack: STACK('Error: invalid') }));
I('custom error no stack', err('Error', 'invalid', { class: VE, stack: null }));
I('stack without frames', err('Error', 'msg', { stack: 'Error: msg' }));

// options
I('depth 0', { a: { b: 1 }, c: [1], d: 1 }, { depth: 0 });
I('depth 0 array', [[1], { a: 1 }], { depth: 0 });
I('depth null', { l1: { l2: { l3: { l4: { l5: 'deep' } } } } }, { depth: null });
I('depth infinity', [[[[[[1]]]]]], { depth: num('Infinity') });
I('breakLength infinity', range(30), { breakLength: num('Infinity') });
I('breakLength infinity object', keysObj(30), { breakLength: num('Infinity') });
I('breakLength 40', { a: 'some text', b: 'more text', c: [1, 2, 3] }, { breakLength: 40 });
I('compact false', { a: 1, b: { c: [1, 2] } }, { compact: false });
I('compact true', { a: 1, b: { c: [1, 2] } }, { compact: true });
I('compact true long', keysObj(20, (i) => 'value' + i), { compact: true });
I('compact 1', { a: { b: { c: 1 } }, d: 2 }, { compact: 1 });
I('compact 1 array', range(30), { compact: 1 });
I('sorted', { c: 1, a: 2, b: 3 }, { sorted: true });
I('sorted array props', { $: 'arr', items: [3, 1], props: [['z', 1], ['y', 2]] }, { sorted: true });
I('showHidden array', [1, 2], { showHidden: true });
I('showHidden object', { a: 1 }, { showHidden: true });

// more shapes
I('map circular', { $: 'map', id: 'm', entries: [['self', ref('m')], ['n', 1]] });
I('prototype accessor', inst(cls('WithAccessor', { proto: [['double', { $: 'getter', value: 2 }], ['kind', 'k']] }), [['v', 1]]));
I('prototype accessor showHidden', inst(cls('WithAccessor', { proto: [['double', { $: 'getter', value: 2 }], ['kind', 'k']] }), [['v', 1]]), { showHidden: true });
I('grouped multiline entries', range(8, (i) => (i % 4 === 0 ? keysObj(6, (j) => 'value' + j) : i)));
I('grouped nested numbers', { level1: { level2: range(40, (i) => i * 3) } });
I('grouped in array', [range(20), range(20, (i) => i * 100)]);
I('range 1000', range(1000));
I('floats typed', { $: 'typed', kind: 'Float64Array', items: range(12, (i) => i / 4) });
I('escaped keys', { 'a\nb': 1, "it's": 2, 'q"': 3, 'tab\t': 4 });
I('symbol key escapes', obj([[sym('new\nline'), 1], [sym("it's"), 2]]));
I('long key values', Object.fromEntries(range(4, (i) => ['key_' + i, 'v'.repeat(20 + i * 5)])));
I('array 7 long strings', range(7, (i) => 'string number ' + i + ' is here'));
I('array 27 short strings', range(27, (i) => 'ab'.repeat(i % 3 + 1)));
I('nested sets', { $: 'set', items: [{ $: 'set', items: [1, 2] }, [{ a: 1 }]] });
I('object with 3 arrays', { a: range(8), b: range(8, (i) => 'x' + i), c: [] });
I('instance with array', inst(cls('Bag'), [['items', range(10)], ['name', 'bag']]));
I('deep mixed', [{ a: [{ b: { c: [1, { d: 2 }] } }] }]);
I('multi-line string in array', ['short', 'a string long enough to wrap past the break length of eighty chars\nsecond line']);
I('function in depth', [[[fn('x')]]]);
I('class with props beyond depth', { a: { b: { c: cls('Deep', { static: [['s', 1]] }) } } });
I('regexp with depth', { a: { b: { c: { $: 'regexp', source: 'z', flags: 'y' } } } });
I('error in array with stack', [err('TypeError', 'bad', { stack: STACK('TypeError: bad') })]);
I('error in map', { $: 'map', entries: [['e', err('Error', 'm', { stack: null })]] });
I('empty collections nested', { m: { $: 'map', entries: [] }, s: { $: 'set', items: [] }, a: [], o: {} });
I('breakLength 0', [1, 2], { breakLength: 0 });
I('depth 1 instance', { p: inst(cls('P'), [['x', { y: 1 }]]) }, { depth: 1 });

// ---- format cases ----------------------------------------------------------------------------
const formatCases = [];
function F(name, ...args) { formatCases.push({ name, args }); }
F('no args');
F('one string', 'hello');
F('s', 'hello %s', 'world');
F('s numbers', '%s + %s', 1, 2.5);
F('s specials', '%s|%s|%s|%s', null, U, true, num('-0'));
F('s missing', '%s and %s', 'only one');
F('s extra', '%s', 'a', 'extra', 3);
F('s array', '[%s]', [1, 2, 3]);
F('s string array', '[%s]', ['a', 'b']);
F('s symbol', '%s', sym('sym'));
F('s object', '%s', { a: { b: 1 } });
F('s instance', '%s', inst(cls('Thing'), [['a', 1]]));
F('s error', '%s', err('Error', 'e', { stack: null }));
F('d', '%d', 42); F('d float', '%d', 42.9); F('d neg', '%d', -7.5); F('d string', '%d', '12');
F('d nan', '%d', 'abc'); F('d null', '%d', null); F('d neg zero', '%d', num('-0'));
F('d symbol', '%d', sym('x'));
F('i', '%i', 42.9); F('i neg', '%i', -42.9); F('i hex', '%i', '0x1f'); F('i px', '%i', '12.5px');
F('d twice', '%d items cost %d', 3, 4.5);
F('f', '%f', 3.14159); F('f string', '%f', '2.5e3'); F('f nan', '%f', 'abc'); F('f int', '%f', 10);
F('f neg zero', '%f', num('-0'));
F('j', '%j', { a: 1, b: [true, null] }); F('j string', '%j', 'string'); F('j array', '%j', [1, 'two']);
F('j undefined', '%j', U);
F('j circular', '%j', obj([['name', 'loop'], ['self', ref('l')]], { id: 'l' }));
F('o', '%o', { a: 1, nested: { b: 'x' } });
F('o array', '%o', [1, 2]);
F('O', '%O', { a: 1, nested: { b: { c: { d: 1 } } } });
F('o string', '%o', 'str'); F('o number', '%o', 42);
F('c', '%cstyled%c', 'color: red', 'x');
F('percent', '100%%'); F('percent one arg', '100%%', 1);
F('percent mid', '%% %s %%', 'mid');
F('unknown', '%x %y', 1, 2); F('lone percent', '%', 5); F('suffix', '50%s', '!');
F('percent s', '%%s', 'literal?'); F('trailing percent', 'trailing %'); F('trailing percent arg', 'trailing %', 1);
F('three', '%s%s%s', 'a', 'b', 'c');
F('mixed', '%s-%d-%i-%f-%j', 's', 1.5, 2.5, '3.5', { j: 1 });
F('number first', 5, '%s', 'x');
F('object first', { a: '%s' }, 'y');
F('null first', null, '%d', 1);
F('many', 'a', 1, true, null, U, [1], { k: 'v' });
F('labels', 'count:', 3, 'items:', ['x', 'y']);
F('cart', '%s has %d items:', 'cart', 2, ['apple', 'pear'], { total: 3.5 });
F('strings raw', 'top', "with 'quotes'", 'and\nnewline');
F('empty strings', 'a', '', 'b');
F('only undefined', U);
F('s class instance with toString', '%s', inst(cls('T', { proto: [['toString', fn('toString')]] })));
F('O deep', '%O', { a: { b: { c: { d: { e: 1 } } } } });
F('o depth 4', '%o', { a: { b: { c: { d: { e: { f: 1 } } } } } });
F('s map', '%s', { $: 'map', entries: [['a', 1]] });
F('s nested array', '%s', [[1, [2]], 3]);
F('percent c only', '%c');
F('d object', '%d', {});
F('j nested', '%j and %j', [1, { a: 'x' }], 'tail');

// ---- console cases ---------------------------------------------------------------------------
const consoleCases = [];
function C(name, calls) { consoleCases.push({ name, calls }); }
C('log and error', [['log', 'out', 1], ['error', 'err %s', 'x'], ['warn', { a: 1 }], ['info', 'info'], ['debug', 'debug']]);
C('group', [['log', 'top'], ['group', 'Group A'], ['log', 'inside', { a: [1, 2] }], ['group'], ['log', 'multi\nline'],
  ['error', 'nested err'], ['groupEnd'], ['log', 'back'], ['groupEnd'], ['groupEnd'], ['log', 'end']]);
C('group long object', [['group', 'g'], ['log', keysObj(10)], ['groupEnd']]);
C('count', [['count'], ['count'], ['count', 'x'], ['count'], ['countReset'], ['count'], ['count', 'x']]);
C('assert', [['assert', true, 'not shown'], ['assert', false], ['assert', false, 'msg %s', 'arg'], ['assert', 0, { a: 1 }],
  ['assert', null, 'plain']]);
C('dir', [['dir', { a: { b: { c: { d: 1 } } } }], ['dir', { a: { b: { c: { d: 1 } } } }, { depth: 0 }], ['dir', 'str']]);
C('table array of objects', [['table', [{ a: 1, b: 'x' }, { a: 2, c: true }]]]);
C('table primitives', [['table', ['apple', 'pear', 3]]]);
C('table object of objects', [['table', { r1: { x: 1, y: 2 }, r2: { x: 3, y: 4 } }]]);
C('table columns', [['table', [{ a: 1, b: 2 }, { a: 3, b: 4 }], ['a']]]);
C('table primitive', [['table', 5], ['table', 'text']]);
C('table map', [['table', { $: 'map', entries: [['k1', 'v1'], ['k2', { n: 2 }]] }]]);
C('table set', [['table', { $: 'set', items: ['a', 'b'] }]]);

function runConsole(calls) {
  let out = '';
  let errOut = '';
  const sink = (fnc) => new Writable({ write(chunk, enc, cb) { fnc(chunk.toString()); cb(); } });
  const con = new Console({ stdout: sink((s) => { out += s; }), stderr: sink((s) => { errOut += s; }) });
  for (const [method, ...args] of calls) {
    con[method](...args.map((a) => build(a)));
  }
  return { out, err: errOut };
}

// ---- formatTime ------------------------------------------------------------------------------
const times = [0, 0.0004, 0.05, 1.23456, 12.5, 999.9996, 1000, 1500.25, 59999, 60000, 61234.5, 3599999, 3600000, 3723004.5];
const timeExpected = JSON.parse(execFileSync(process.execPath, ['--expose-internals', '-e', `
  const { formatTime } = require('internal/console/constructor');
  console.log(JSON.stringify(${JSON.stringify(times)}.map(formatTime)));
`]).toString());

// ---- write -----------------------------------------------------------------------------------
const out = {
  node: process.version,
  inspect: inspectCases.map((c) => {
    const opts = c.opts && Object.fromEntries(Object.entries(c.opts).map(([k, v]) => [k, build(v)]));
    return { ...c, expected: opts ? util.inspect(build(c.value), opts) : util.inspect(build(c.value)) };
  }),
  format: formatCases.map((c) => ({ ...c, expected: util.format(...c.args.map((a) => build(a))) })),
  console: consoleCases.map((c) => ({ ...c, expected: runConsole(c.calls) })),
  formatTime: times.map((t, i) => ({ ms: t, expected: timeExpected[i] })),
};
// -0, NaN and the infinities are not JSON: write them as number specs.
const replacer = (k, v) => {
  if (typeof v !== 'number') return v;
  if (Object.is(v, -0)) return num('-0');
  if (Number.isNaN(v)) return num('NaN');
  if (!Number.isFinite(v)) return num(v > 0 ? 'Infinity' : '-Infinity');
  return v;
};
fs.writeFileSync(path.join(__dirname, 'inspect_cases.json'), JSON.stringify(out, replacer, 1) + '\n');
console.log(`wrote ${out.inspect.length} inspect, ${out.format.length} format, ${out.console.length} console cases`);
