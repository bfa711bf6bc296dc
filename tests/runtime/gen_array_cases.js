#!/usr/bin/env node
// Generates tests/runtime/array_cases.json: the same scenario written in JavaScript (run here
// by node) and in Lua against ljs.array / ljs.typedarray (run by test_arrays.py), with the
// result node gives. Run `node tests/runtime/gen_array_cases.js` after changing the cases;
// the JSON is checked in so the tests need no node.
//
// Results travel in a canonical form that both sides produce:
//   number {"n": String(x)} ("-0" for negative zero)   string {"s": x}   boolean true/false
//   undefined (and array holes) {"u": 1}   null null   array {"a": [...]}
//   typed array {"t": kind, "v": [...]}   function {"f": 1}   ArrayBuffer {"buf": byteLength}
//   other objects {"o": [[key, value], ...]} (own enumerable string keys in order)
//   thrown error {"err": name, "msg": message}
//
// Lua snippets run with these names in scope: R (ljs.core), G (globals), A = R.pack (array
// from arguments, nil makes a hole), N(C, ...) = new C(...), O(k1, v1, ...) (plain object),
// null, Sym (Symbol.iterator), freeze(o), keys(o) (Object.keys), iterable(n) (an object whose
// iterator yields 0, 10, ..., (n-1)*10), AP (Array.prototype), every global constructor
// (Array, Int8Array, ArrayBuffer, ...).
// Lua callbacks take `this` first: function(_, x, i, arr) ... end.
'use strict';
const fs = require('fs');
const path = require('path');

function canon(v) {
  if (v === undefined) return { u: 1 };
  if (v === null) return null;
  if (typeof v === 'number') return { n: Object.is(v, -0) ? '-0' : String(v) };
  if (typeof v === 'string') return { s: v };
  if (typeof v === 'boolean') return v;
  if (typeof v === 'function') return { f: 1 };
  if (Array.isArray(v)) {
    const out = [];
    for (let i = 0; i < v.length; i++) out.push(canon(v[i]));
    return { a: out };
  }
  if (ArrayBuffer.isView(v)) {
    return { t: v.constructor.name, v: Array.from(v, canon) };
  }
  if (v instanceof ArrayBuffer) return { buf: v.byteLength };
  return { o: Object.keys(v).map((k) => [k, canon(v[k])]) };
}

function iterable(n) {
  return {
    [Symbol.iterator]() {
      let i = 0;
      return { next: () => (i < n ? { value: 10 * i++, done: false } : { value: undefined, done: true }) };
    },
  };
}

function run(js) {
  try {
    return canon(new Function('iterable', js)(iterable));
  } catch (e) {
    return { err: e.name, msg: e.message };
  }
}

// [name, js, lua, options]; options.nameOnly: compare only the error's name (our message differs)
const C = [];
function t(name, js, lua, opts) { C.push([name, js, lua, opts || {}]); }

const sq = ['x => x * x', 'function(_, x) return x * x end'];

// ------------------------------------------------------------------ construction
t('Array(n) makes holes', 'return [Array(3), new Array(3).length, new Array(0)]',
  'return A(Array(nil, 3), N(Array, 3).length, N(Array, 0))');
t('Array(a, b, c)', 'return [Array(1, 2, 3), new Array("x"), new Array(1, 2), Array(), new Array()]',
  'return A(Array(nil, 1, 2, 3), N(Array, "x"), N(Array, 1, 2), Array(nil), N(Array))');
t('Array(-1) throws', 'return new Array(-1)', 'return N(Array, -1)');
t('Array(1.5) throws', 'return Array(1.5)', 'return Array(nil, 1.5)');
t('Array(2**32) throws', 'return new Array(2 ** 32)', 'return N(Array, 2^32)');
t('Array(NaN) throws', 'return new Array(NaN)', 'return N(Array, 0/0)');
t('new Array(n) then assign', 'const a = new Array(3); a[1] = "b"; return [a, a.length]',
  'local a = N(Array, 3); a[1] = "b"; return A(a, a.length)');
t('Array.isArray', 'return [Array.isArray([]), Array.isArray({ length: 0 }), Array.isArray("abc"), Array.isArray(new Array(2)), Array.isArray(new Int8Array(2)), Array.isArray(null), Array.isArray()]',
  'return A(Array:isArray(A()), Array:isArray(O("length", 0)), Array:isArray("abc"), Array:isArray(N(Array, 2)), Array:isArray(N(Int8Array, 2)), Array:isArray(null), Array:isArray())');
t('Array.of', 'return [Array.of(7), Array.of(1, 2, 3), Array.of(), Array.of(undefined).length]',
  'return A(Array:of(7), Array:of(1, 2, 3), Array:of(), Array:of(nil).length)');
t('Array.from array', 'const a = [1, , 3]; const b = Array.from(a); return [b, b !== a]',
  'local a = A(1, nil, 3); local b = Array:from(a); return A(b, b ~= a)');
t('Array.from array-likes', 'return [Array.from({ length: 3 }), Array.from({ 0: "a", 1: "b", length: 2 }), Array.from({ length: "2" }), Array.from({}), Array.from(5)]',
  'return A(Array:from(O("length", 3)), Array:from(O(0, "a", 1, "b", "length", 2)), Array:from(O("length", "2")), Array:from(O()), Array:from(5))');
t('Array.from mapFn', 'return [Array.from({ length: 4 }, (_, i) => i * i), Array.from([1, 2], function (x, i) { return x * this.k + i; }, { k: 10 })]',
  'return A(Array:from(O("length", 4), function(_, _v, i) return i * i end), Array:from(A(1, 2), function(this, x, i) return x * this.k + i end, O("k", 10)))');
t('Array.from string', 'return [Array.from("abc"), Array.from("héllo"), Array.from("")]',
  'return A(Array:from("abc"), Array:from("héllo"), Array:from(""))');
t('Array.from iterable', 'return [Array.from(iterable(4)), Array.from(iterable(0)), Array.from(iterable(3), (x) => x + 1)]',
  'return A(Array:from(iterable(4)), Array:from(iterable(0)), Array:from(iterable(3), function(_, x) return x + 1 end))');
t('Array.from iterators', 'const a = ["a", "b"]; return [Array.from(a.keys()), Array.from(a.values()), Array.from(a.entries())]',
  'local a = A("a", "b"); return A(Array:from(a:keys()), Array:from(a:values()), Array:from(a:entries()))');
t('Array.from typed array', 'return Array.from(new Uint16Array([1, 2, 65535]))', 'return Array:from(N(Uint16Array, A(1, 2, 65535)))');
t('Array.from(null) throws', 'return Array.from(null)', 'return Array:from(null)');
t('Array.from(undefined) throws', 'return Array.from(undefined)', 'return Array:from(nil)');
t('Array.from bad mapFn', 'return Array.from([1], 5)', 'return Array:from(A(1), 5)');

// ------------------------------------------------------------------ push / pop / shift / unshift
t('push returns length', 'const a = []; return [a.push(1), a.push(2, 3), a.push(), a]',
  'local a = A(); return A(a:push(1), a:push(2, 3), a:push(), a)');
t('push undefined counts', 'const a = [1]; return [a.push(undefined), a.length]',
  'local a = A(1); return A(a:push(nil), a.length)');
t('push after holes', 'const a = new Array(2); a.push("x"); return [a, a.length]',
  'local a = N(Array, 2); a:push("x"); return A(a, a.length)');
t('pop', 'const a = [1, 2, 3]; return [a.pop(), a, [].pop(), a.pop(), a.pop(), a.pop(), a.length]',
  'local a = A(1, 2, 3); return A(a:pop(), a, A():pop(), a:pop(), a:pop(), a:pop(), a.length)');
t('shift / unshift', 'const a = [1, 2]; return [a.unshift(0), a.unshift(-2, -1), a.unshift(), a.shift(), a, [].shift()]',
  'local a = A(1, 2); return A(a:unshift(0), a:unshift(-2, -1), a:unshift(), a:shift(), a, A():shift())');
t('shift keeps holes', 'const a = [1, , 3]; a.shift(); return [a, a.length, 0 in a]',
  'local a = A(1, nil, 3); a:shift(); return A(a, a.length, rawget(a, 0) ~= nil)');
t('queue', 'const q = [1, 2, 3, 4, 5], out = []; while (q.length) { const x = q.shift(); out.push(x); if (x === 2) q.push(20); } return out',
  'local q, out = A(1, 2, 3, 4, 5), A(); while q.length > 0 do local x = q:shift(); out:push(x); if x == 2 then q:push(20) end end; return out');
t('push many then reduce', 'const a = []; for (let i = 0; i < 1000; i++) a.push(i); return [a.length, a[999], a.reduce((x, y) => x + y)]',
  'local a = A(); for i = 0, 999 do a:push(i) end; return A(a.length, a[999], a:reduce(function(_, x, y) return x + y end))');

// ------------------------------------------------------------------ splice and friends
const SPLICES = [
  ['1, 2', '1, 2'], ['2, 0, "X", "Y"', '2, 0, "X", "Y"'], ['-2, 1, "Z"', '-2, 1, "Z"'], ['3', '3'],
  ['', ''], ['1, 99', '1, 99'], ['1, undefined', '1, nil'], ['-100, 1', '-100, 1'], ['10, 1, "end"', '10, 1, "end"'],
  ['0, -1, "neg"', '0, -1, "neg"'], ['1.7, 1.2', '1.7, 1.2'], ['undefined, 1', 'nil, 1'], ['"1", "2"', '"1", "2"'],
];
for (const [js, lua] of SPLICES) {
  t(`splice(${js})`, `const a = ["a", "b", "c", "d", "e"]; const r = a.splice(${js}); return [r, a, a.length]`,
    `local a = A("a", "b", "c", "d", "e"); local r = a:splice(${lua}); return A(r, a, a.length)`);
  t(`toSpliced(${js})`, `const a = ["a", "b", "c", "d", "e"]; return [a.toSpliced(${js}), a]`,
    `local a = A("a", "b", "c", "d", "e"); return A(a:toSpliced(${lua}), a)`);
}
t('splice grows with holes', 'const a = [1, , 3]; a.splice(1, 0, 9, 9); return a', 'local a = A(1, nil, 3); a:splice(1, 0, 9, 9); return a');

const SLICES = [['1, 3', '1, 3'], ['-2', '-2'], ['3, 1', '3, 1'], ['', ''], ['-100, 2', '-100, 2'], ['1, -1', '1, -1'],
  ['undefined, 2', 'nil, 2'], ['2, undefined', '2, nil'], ['NaN, Infinity', '0/0, 1/0'], ['1.5, "4"', '1.5, "4"']];
for (const [js, lua] of SLICES) {
  t(`slice(${js})`, `return [10, 20, 30, 40, 50].slice(${js})`, `return A(10, 20, 30, 40, 50):slice(${lua})`);
}
t('slice keeps holes', 'return [1, , 3].slice(0, 3)', 'return A(1, nil, 3):slice(0, 3)');
t('concat', 'return [10].concat([60, 70], 80, [[90]], [], "s", null, undefined)',
  'return A(10):concat(A(60, 70), 80, A(A(90)), A(), "s", null, nil)');
t('concat keeps holes, not array-likes', 'const o = { 0: "x", length: 1 }; const r = [1, , 3].concat([4, , 6], o); return [r, r.length, r[6] === o]',
  'local o = O(0, "x", "length", 1); local r = A(1, nil, 3):concat(A(4, nil, 6), o); return A(r, r.length, r[6] == o)');
t('concat copies', 'const a = [1, 2]; const b = a.concat(); b.push(3); return [a, b]',
  'local a = A(1, 2); local b = a:concat(); b:push(3); return A(a, b)');

// ------------------------------------------------------------------ join / toString
t('join', 'return [[1, [2, 3]].join(";"), [].join(), [1, 2, 3].join(""), ["a"].join("|"), [[1, 2], [3]].join(), [1, 2].join(undefined), [1, 2].join(null), [1, 2].join(0)]',
  'return A(A(1, A(2, 3)):join(";"), A():join(), A(1, 2, 3):join(""), A("a"):join("|"), A(A(1, 2), A(3)):join(), A(1, 2):join(nil), A(1, 2):join(null), A(1, 2):join(0))');
t('join null and undefined', 'return [null, undefined, 1, , "x"].join("-")', 'return A(null, nil, 1, nil, "x"):join("-")');
t('join numbers', 'return [0.1 + 0.2, 1e21, -0, 1e-7, NaN, -Infinity, 255, 1.5].join(" ")',
  'return A(0.1 + 0.2, 1e21, -0.0, 1e-7, 0/0, -1/0, 255, 1.5):join(" ")');
t('join booleans and objects', 'return [true, false, { toString() { return "T"; } }, [[]], { valueOf() { return 1; }, toString() { return "S"; } }].join()',
  'return A(true, false, O("toString", function() return "T" end), A(A()), O("valueOf", function() return 1 end, "toString", function() return "S" end)):join()');
t('join cyclic', 'const a = [1, 2]; a.push(a); const b = [a, "b"]; a.push(b); return [a.join(), String(a)]',
  'local a = A(1, 2); a:push(a); local b = A(a, "b"); a:push(b); return A(a:join(), R.tostr(a))');
t('toString', 'return [[1, [2, [3]], null, "x"].toString(), String([]), String([1, 2]), [1, 2] + ""]',
  'return A(A(1, A(2, A(3)), null, "x"):toString(), R.tostr(A()), R.tostr(A(1, 2)), R.add(A(1, 2), ""))');
t('toLocaleString', 'return [1, "a", null, undefined].toLocaleString()', 'return A(1, "a", null, nil):toLocaleString()');

// ------------------------------------------------------------------ reordering, filling
t('reverse', 'const a = [1, 2, 3]; const r = a.reverse(); return [a, r === a, [1, , 3, 4].reverse(), [].reverse()]',
  'local a = A(1, 2, 3); local r = a:reverse(); return A(a, r == a, A(1, nil, 3, 4):reverse(), A():reverse())');
t('toReversed', 'const a = [1, 2, 3]; return [a.toReversed(), a, [1, , 3].toReversed()]',
  'local a = A(1, 2, 3); return A(a:toReversed(), a, A(1, nil, 3):toReversed())');
t('fill', 'return [new Array(5).fill("x"), [1, 2, 3, 4, 5].fill(0, 1, 3), [1, 2, 3].fill(9, -1), [1, 2, 3].fill(7, 5), [1, 2, 3].fill(4, -5, -1), [1, 2, 3].fill()]',
  'return A(N(Array, 5):fill("x"), A(1, 2, 3, 4, 5):fill(0, 1, 3), A(1, 2, 3):fill(9, -1), A(1, 2, 3):fill(7, 5), A(1, 2, 3):fill(4, -5, -1), A(1, 2, 3):fill())');
t('fill shares objects', 'const a = new Array(2).fill([]); a[0].push(1); return [a, a[0] === a[1]]',
  'local a = N(Array, 2):fill(A()); a[0]:push(1); return A(a, a[0] == a[1])');
const COPYWITHIN = [['0, 3', '0, 3'], ['1, 0', '1, 0'], ['1, 0, 3', '1, 0, 3'], ['-2, 0', '-2, 0'], ['0, 1, -1', '0, 1, -1'], ['2, 1, 2', '2, 1, 2'], ['5, 0', '5, 0']];
for (const [js, lua] of COPYWITHIN) {
  t(`copyWithin(${js})`, `const a = [1, 2, 3, 4, 5]; return [a.copyWithin(${js}), a]`, `local a = A(1, 2, 3, 4, 5); return A(a:copyWithin(${lua}), a)`);
}

// ------------------------------------------------------------------ searching
t('at', 'const a = [10, 20, 30, 40, 50]; return [a.at(0), a.at(-1), a.at(-5), a.at(5), a.at(-6), a.at(1.7), a.at("2"), a.at(), a.at(NaN)]',
  'local a = A(10, 20, 30, 40, 50); return A(a:at(0), a:at(-1), a:at(-5), a:at(5), a:at(-6), a:at(1.7), a:at("2"), a:at(), a:at(0/0))');
t('indexOf', 'const s = [1, 2, 3, 2, 1, NaN, "2", -0]; return [s.indexOf(2), s.indexOf(2, 2), s.indexOf("2"), s.indexOf(9), s.indexOf(NaN), s.indexOf(1, -2), s.indexOf(0), s.indexOf(2, 100), s.indexOf(1, -100), [1, , 3].indexOf(undefined), [undefined].indexOf(undefined) >= -1]',
  'local s = A(1, 2, 3, 2, 1, 0/0, "2", -0.0); return A(s:indexOf(2), s:indexOf(2, 2), s:indexOf("2"), s:indexOf(9), s:indexOf(0/0), s:indexOf(1, -2), s:indexOf(0), s:indexOf(2, 100), s:indexOf(1, -100), A(1, nil, 3):indexOf(nil), A(nil):indexOf(nil) >= -1)');
t('lastIndexOf', 'const s = [1, 2, 3, 2, 1]; return [s.lastIndexOf(2), s.lastIndexOf(1), s.lastIndexOf(2, 2), s.lastIndexOf(7), s.lastIndexOf(1, -2), s.lastIndexOf(1, -100), s.lastIndexOf(1, undefined), s.lastIndexOf(2, 100), [].lastIndexOf(1), [NaN].lastIndexOf(NaN)]',
  'local s = A(1, 2, 3, 2, 1); return A(s:lastIndexOf(2), s:lastIndexOf(1), s:lastIndexOf(2, 2), s:lastIndexOf(7), s:lastIndexOf(1, -2), s:lastIndexOf(1, -100), s:lastIndexOf(1, nil), s:lastIndexOf(2, 100), A():lastIndexOf(1), A(0/0):lastIndexOf(0/0))');
t('includes', 'const s = [1, 2, 3, NaN, "2"]; return [s.includes(3), s.includes(NaN), s.includes("3"), s.includes(2, 2), s.includes(1, -100), s.includes(3, -3), [1, , 3].includes(undefined), [1].includes(undefined), [-0].includes(0)]',
  'local s = A(1, 2, 3, 0/0, "2"); return A(s:includes(3), s:includes(0/0), s:includes("3"), s:includes(2, 2), s:includes(1, -100), s:includes(3, -3), A(1, nil, 3):includes(nil), A(1):includes(nil), A(-0.0):includes(0))');
t('find family', 'const o = [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]; return [o.find((x) => x.id > 2), o.find((x) => x.id > 9), o.findIndex((x) => x.id === 3), o.findIndex(() => false), o.findLast((x) => x.id % 2 === 1), o.findLastIndex((x) => x.id < 3), o.findLastIndex(() => false), o.findLast(() => false)]',
  'local o = A(O("id", 1), O("id", 2), O("id", 3), O("id", 4)); return A(o:find(function(_, x) return x.id > 2 end), o:find(function(_, x) return x.id > 9 end), o:findIndex(function(_, x) return x.id == 3 end), o:findIndex(function() return false end), o:findLast(function(_, x) return x.id % 2 == 1 end), o:findLastIndex(function(_, x) return x.id < 3 end), o:findLastIndex(function() return false end), o:findLast(function() return false end))');
t('find visits holes', 'const seen = []; [1, , 3].find((x, i) => { seen.push(i, x); return false; }); return seen',
  'local seen = A(); A(1, nil, 3):find(function(_, x, i) seen:push(i, x); return false end); return seen');
t('find args', 'const r = []; ["a", "b"].findLastIndex(function (x, i, arr) { r.push(x, i, arr.length, this.t); }, { t: "T" }); return r',
  'local r = A(); A("a", "b"):findLastIndex(function(this, x, i, arr) r:push(x, i, arr.length, this.t) end, O("t", "T")); return r');

// ------------------------------------------------------------------ callbacks
t('map', `return [[5, 3, 8].map(${sq[0]}), [1, , 3].map(${sq[0]}), ["a", "b"].map((x, i, arr) => x + i + arr.length), [1, 2].map(function (x) { return x * this.k; }, { k: 100 })]`,
  `return A(A(5, 3, 8):map(${sq[1]}), A(1, nil, 3):map(${sq[1]}), A("a", "b"):map(function(_, x, i, arr) return x .. i .. arr.length end), A(1, 2):map(function(this, x) return x * this.k end, O("k", 100)))`);
t('forEach', 'const seen = []; const r = [5, , 8].forEach(function (x, i, arr) { seen.push(x, i, arr.length, this.k); }, { k: "K" }); return [seen, r]',
  'local seen = A(); local r = A(5, nil, 8):forEach(function(this, x, i, arr) seen:push(x, i, arr.length, this.k) end, O("k", "K")); return A(seen, r)');
t('forEach live values fixed length', 'const a = [1, 2, 3, 4], v = []; a.forEach((x, i, arr) => { v.push(x); if (i === 0) arr.push(99); if (i === 1) arr.pop(); }); return [v, a]',
  'local a, v = A(1, 2, 3, 4), A(); a:forEach(function(_, x, i, arr) v:push(x); if i == 0 then arr:push(99) end; if i == 1 then arr:pop() end end); return A(v, a)');
t('map after shrink', 'return [1, 2, 3, 4, 5].map((v, i, arr) => { if (i === 0) arr.length = 3; return v * 10; })',
  'return A(1, 2, 3, 4, 5):map(function(_, v, i, arr) if i == 0 then R.setlength(arr, 3) end; return v * 10 end)');
t('filter', 'return [[5, 3, 8, 1].filter((n) => n % 2 === 1), [1, 2].filter(() => false), [0, 1, "", "a", null, NaN, [], {}, , 2].filter((x) => x).length, [1, , 3].filter(() => true)]',
  'return A(A(5, 3, 8, 1):filter(function(_, n) return n % 2 == 1 end), A(1, 2):filter(function() return false end), A(0, 1, "", "a", null, 0/0, A(), O(), nil, 2):filter(function(_, x) return x end).length, A(1, nil, 3):filter(function() return true end))');
t('filter truthiness of results', 'return [1, 2, 3, 4, 5, 6].filter((x) => [0, "", "0", null, NaN, []][x - 1])',
  'local r = A(0, "", "0", null, 0/0, A()); return A(1, 2, 3, 4, 5, 6):filter(function(_, x) return r[x - 1] end)');
t('some / every', 'const n = [5, 3, 8]; return [n.some((x) => x > 7), n.some((x) => x > 9), [].some(() => true), n.every((x) => x > 0), n.every((x) => x > 3), [].every(() => false)]',
  'local n = A(5, 3, 8); return A(n:some(function(_, x) return x > 7 end), n:some(function(_, x) return x > 9 end), A():some(function() return true end), n:every(function(_, x) return x > 0 end), n:every(function(_, x) return x > 3 end), A():every(function() return false end))');
t('some / every short-circuit', 'let c1 = 0, c2 = 0; [5, 3, 8, 1].some((x) => { c1++; return x === 8; }); [5, 3, 8, 1].every((x) => { c2++; return x !== 3; }); return [c1, c2]',
  'local c1, c2 = 0, 0; A(5, 3, 8, 1):some(function(_, x) c1 = c1 + 1; return x == 8 end); A(5, 3, 8, 1):every(function(_, x) c2 = c2 + 1; return x ~= 3 end); return A(c1, c2)');
t('reduce', 'const n = [5, 3, 8, 1]; return [n.reduce((a, b) => a + b), n.reduce((a, b) => a + b, 100), ["x", "y"].reduce((acc, v, i) => acc + v + i, ">"), [42].reduce(() => "called"), [].reduce((a, b) => a, undefined), [, , 7, ,].reduce((a, b) => a + b), [1, 2, 3].reduce((acc, v, i, arr) => acc + arr.length, 0)]',
  'local n = A(5, 3, 8, 1); return A(n:reduce(function(_, a, b) return a + b end), n:reduce(function(_, a, b) return a + b end, 100), A("x", "y"):reduce(function(_, acc, v, i) return acc .. v .. i end, ">"), A(42):reduce(function() return "called" end), A():reduce(function(_, a) return a end, nil), A(nil, nil, 7, nil):reduce(function(_, a, b) return a + b end), A(1, 2, 3):reduce(function(_, acc, v, i, arr) return acc + arr.length end, 0))');
t('reduce empty throws', 'return [].reduce((a, b) => a + b)', 'return A():reduce(function(_, a, b) return a + b end)');
t('reduce holes only throws', 'return [, ,].reduce((a, b) => a + b)', 'return A(nil, nil):reduce(function(_, a, b) return a + b end)');
t('reduceRight', 'return [["a", "b", "c"].reduceRight((acc, s) => acc + s, ""), [1, 2, 3, 4].reduceRight((acc, v, i) => acc.concat(`${i}=${v}`), []), [1, 2, 3].reduceRight((a, b) => a + "" + b), [].reduceRight((a) => a, "init")]',
  'return A(A("a", "b", "c"):reduceRight(function(_, acc, s) return acc .. s end, ""), A(1, 2, 3, 4):reduceRight(function(_, acc, v, i) return acc:concat(i .. "=" .. v) end, A()), A(1, 2, 3):reduceRight(function(_, a, b) return a .. "" .. b end), A():reduceRight(function(_, a) return a end, "init"))');
t('reduceRight empty throws', 'return [].reduceRight((a, b) => a)', 'return A():reduceRight(function(_, a) return a end)');
t('callback not a function', 'return [1].map(undefined)', 'return A(1):map(nil)');
t('callback not a function (number)', 'return [1].forEach(5)', 'return A(1):forEach(5)');
t('callback not a function (string)', 'return [1].filter("abc")', 'return A(1):filter("abc")');
t('callback not a function (object)', 'return [1].some({})', 'return A(1):some(O())');
t('callback on empty still checked', 'return [].every(null)', 'return A():every(null)');

// ------------------------------------------------------------------ flat
t('flat', 'const n = [1, [2, [3, [4, [5]]]]]; return [n.flat(), n.flat(2), n.flat(Infinity), [[], [[]]].flat(), [1, , [2, , 3]].flat(), n.flat(0), n.flat(-1), [[1]].flat("1")]',
  'local n = A(1, A(2, A(3, A(4, A(5))))); return A(n:flat(), n:flat(2), n:flat(1/0), A(A(), A(A())):flat(), A(1, nil, A(2, nil, 3)):flat(), n:flat(0), n:flat(-1), A(A(1)):flat("1"))');
t('flatMap', 'return [[1, 2].flatMap((n) => [n, [n * 10]]), [1, 2, 3].flatMap((n) => n % 2 ? [] : n), ["a", "b"].flatMap((x, i) => [x, i])]',
  'return A(A(1, 2):flatMap(function(_, n) return A(n, A(n * 10)) end), A(1, 2, 3):flatMap(function(_, n) if n % 2 == 1 then return A() end return n end), A("a", "b"):flatMap(function(_, x, i) return A(x, i) end))');

// ------------------------------------------------------------------ sort
t('default sort compares strings', 'return [[10, 9, 1, 100, 25, 2].sort(), [-1, -10, 5, -2, 0].sort(), ["banana", "Apple", "cherry", "apple", "Banana", "_x", "1"].sort(), [0.5, 0.25, 1e21, 1e-7, 3].sort()]',
  'return A(A(10, 9, 1, 100, 25, 2):sort(), A(-1, -10, 5, -2, 0):sort(), A("banana", "Apple", "cherry", "apple", "Banana", "_x", "1"):sort(), A(0.5, 0.25, 1e21, 1e-7, 3):sort())');
t('default sort mixed', 'return [true, false, "t", null, undefined, 3, [2, 1], "null"].sort()', 'return A(true, false, "t", null, nil, 3, A(2, 1), "null"):sort()');
t('default sort undefined and holes last', 'const a = [3, undefined, 1, , 2]; a.sort(); return [a, a.length]', 'local a = A(3, nil, 1, nil, 2); a:sort(); return A(a, a.length)');
t('default sort unicode', 'return ["é", "e", "z", "E", "ä", "Z"].sort()', 'return A("é", "e", "z", "E", "ä", "Z"):sort()');
t('sort comparators', 'const n = [10, 9, 1, 100, 25, 2, -5, 0, 3.5]; return [[...n].sort((a, b) => a - b), [...n].sort((a, b) => b - a), [3, Infinity, -Infinity, 0].sort((a, b) => a - b), [3, 1, 2].sort((a, b) => (a > b ? 1 : a < b ? -1 : 0))]',
  'local n = A(10, 9, 1, 100, 25, 2, -5, 0, 3.5); return A(n:slice():sort(function(_, a, b) return a - b end), n:slice():sort(function(_, a, b) return b - a end), A(3, 1/0, -1/0, 0):sort(function(_, a, b) return a - b end), A(3, 1, 2):sort(function(_, a, b) if a > b then return 1 elseif a < b then return -1 end return 0 end))');
t('sort returns this', 'const a = [2, 1]; return [a.sort() === a, a]', 'local a = A(2, 1); return A(a:sort() == a, a)');
t('sort comparator results coerced', 'return [[3, 1, 2].sort(() => NaN), [3, 1, 2].sort(() => undefined), [3, 1, 2].sort((a, b) => String(a - b)), [3, 1, 2].sort(() => 0)]',
  'return A(A(3, 1, 2):sort(function() return 0/0 end), A(3, 1, 2):sort(function() return nil end), A(3, 1, 2):sort(function(_, a, b) return R.tostr(a - b) end), A(3, 1, 2):sort(function() return 0 end))');
t('sort stability small', 'const r = [["d", 2], ["a", 1], ["e", 2], ["b", 1], ["f", 3], ["c", 1], ["g", 2], ["h", 3], ["i", 1], ["j", 2], ["k", 3], ["l", 1]]; return [r.slice().sort((x, y) => x[1] - y[1]).map((p) => p[0]).join(""), r.slice().sort((x, y) => y[1] - x[1]).map((p) => p[0]).join("")]',
  'local r = A(A("d", 2), A("a", 1), A("e", 2), A("b", 1), A("f", 3), A("c", 1), A("g", 2), A("h", 3), A("i", 1), A("j", 2), A("k", 3), A("l", 1)); local function first(_, p) return p[0] end; return A(r:slice():sort(function(_, x, y) return x[1] - y[1] end):map(first):join(""), r:slice():sort(function(_, x, y) return y[1] - x[1] end):map(first):join(""))');
t('sort stability 1000', 'const a = []; for (let i = 0; i < 1000; i++) a.push([(i * 7919) % 13, i]); a.sort((x, y) => x[0] - y[0]); return a.map((p) => p[1]).join(",")',
  'local a = A(); for i = 0, 999 do a:push(A((i * 7919) % 13, i)) end; a:sort(function(_, x, y) return x[0] - y[0] end); return a:map(function(_, p) return p[1] end):join(",")');
t('sort by string key', 'const w = ["bb", "a", "ccc", "dd", "e", "fff", "g"]; return w.slice().sort((a, b) => a.length - b.length)',
  'local w = A("bb", "a", "ccc", "dd", "e", "fff", "g"); return w:slice():sort(function(_, a, b) return #a - #b end)');
t('sort comparator never sees undefined', 'const seen = []; const a = [undefined, 3, , 1]; a.sort((x, y) => { seen.push(x === undefined || y === undefined); return x - y; }); return [a, seen.includes(true)]',
  'local seen = false; local a = A(nil, 3, nil, 1); a:sort(function(_, x, y) if x == nil or y == nil then seen = true end; return x - y end); return A(a, seen)');
t('sort 100 numbers', 'const b = Array.from({ length: 100 }, (_, i) => (i * 37) % 101); b.sort((x, y) => x - y); return b',
  'local b = Array:from(O("length", 100), function(_, _v, i) return (i * 37) % 101 end); b:sort(function(_, x, y) return x - y end); return b');
t('sort default many numbers', 'const b = Array.from({ length: 300 }, (_, i) => (i * 37) % 101 - 50); return b.sort()',
  'local b = Array:from(O("length", 300), function(_, _v, i) return (i * 37) % 101 - 50 end); return b:sort()');
t('sort many strings', 'const b = Array.from({ length: 300 }, (_, i) => "k" + ((i * 7919) % 307)); return b.sort()',
  'local b = Array:from(O("length", 300), function(_, _v, i) return "k" .. ((i * 7919) % 307) end); return b:sort()');
t('sort bad comparator', 'return [2, 1].sort(5)', 'return A(2, 1):sort(5)');
t('sort bad comparator null', 'return [2, 1].sort(null)', 'return A(2, 1):sort(null)');
t('toSorted', 'const a = [3, 1, 2]; return [a.toSorted(), a.toSorted((x, y) => y - x), a, [, 1].toSorted()]',
  'local a = A(3, 1, 2); return A(a:toSorted(), a:toSorted(function(_, x, y) return y - x end), a, A(nil, 1):toSorted())');
t('toSorted bad comparator', 'return [1].toSorted("x")', 'return A(1):toSorted("x")');
t('with', 'const a = [1, 2, 3]; return [a.with(1, "r"), a.with(-1, "last"), a, [1, , 3].with(0, 0)]',
  'local a = A(1, 2, 3); return A(a:with(1, "r"), a:with(-1, "last"), a, A(1, nil, 3):with(0, 0))');
t('with out of range', 'return [1, 2].with(5, 1)', 'return A(1, 2):with(5, 1)');
t('with out of range negative', 'return [1, 2].with(-3, 1)', 'return A(1, 2):with(-3, 1)');

// ------------------------------------------------------------------ iterators
t('keys / values / entries', 'const kv = ["a", "b", "c"]; return [[...kv.keys()], [...kv.values()], [...kv.entries()], [...[, , "x"].keys()], [...kv[Symbol.iterator]()]]',
  'local kv = A("a", "b", "c"); return A(Array:from(kv:keys()), Array:from(kv:values()), Array:from(kv:entries()), Array:from(A(nil, nil, "x"):keys()), Array:from(kv[Sym](kv)))');
t('iterator next protocol', 'const it = [1, 2].values(); return [it.next(), it.next(), it.next(), it.next()]',
  'local it = A(1, 2):values(); return A(it:next(), it:next(), it:next(), it:next())');
t('entries next', 'const it = ["x"].entries(); return [it.next(), it.next()]', 'local it = A("x"):entries(); return A(it:next(), it:next())');
t('iterator is iterable', 'const it = [1, 2, 3].values(); it.next(); return [it[Symbol.iterator]() === it, [...it]]',
  'local it = A(1, 2, 3):values(); it:next(); return A(it[Sym](it) == it, Array:from(it))');
t('iterator sees pushes', 'const a = [1, 2]; const it = a.values(); const out = [it.next().value]; a.push(3); out.push(it.next().value, it.next().value, it.next().done); a.push(4); out.push(it.next().done); return out',
  'local a = A(1, 2); local it = a:values(); local out = A(it:next().value); a:push(3); out:push(it:next().value, it:next().value, it:next().done); a:push(4); out:push(it:next().done); return out');
t('values is Symbol.iterator', 'return [Array.prototype.values === Array.prototype[Symbol.iterator], typeof [][Symbol.iterator]]',
  'return A(rawget(R.ArrayPrototype, "values") == rawget(R.ArrayPrototype, Sym), R.typeof(A()[Sym]))');

// ------------------------------------------------------------------ generic receivers
t('generic map/join/filter on array-likes', 'const o = { 0: "a", 1: "b", 2: "c", length: 3 }; return [Array.prototype.map.call(o, (s) => s + s), Array.prototype.join.call(o, "+"), Array.prototype.filter.call(o, (s) => s !== "b"), Array.prototype.indexOf.call(o, "c"), Array.prototype.includes.call({ length: 1 }, undefined)]',
  'local o = O(0, "a", 1, "b", 2, "c", "length", 3); return A(AP.map(o, function(_, s) return s .. s end), AP.join(o, "+"), AP.filter(o, function(_, s) return s ~= "b" end), AP.indexOf(o, "c"), AP.includes(O("length", 1), nil))');
t('generic push/pop on objects', 'const o = { length: 1, 0: "x" }; const r = [Array.prototype.push.call(o, "y", "z"), Array.prototype.pop.call(o)]; return [r, o]',
  'local o = O("length", 1, 0, "x"); local r = A(AP.push(o, "y", "z"), AP.pop(o)); return A(r, o)');
t('generic reverse/splice on objects', 'const o = { 0: 1, 1: 2, 2: 3, length: 3 }; Array.prototype.reverse.call(o); const s = Array.prototype.splice.call(o, 0, 1); return [o, s]',
  'local o = O(0, 1, 1, 2, 2, 3, "length", 3); AP.reverse(o); local s = AP.splice(o, 0, 1); return A(o, s)');
t('generic on null throws', 'return Array.prototype.map.call(null, (x) => x)', 'return AP.map(null, function(_, x) return x end)');
t('generic on typed array', 'return Array.prototype.map.call(new Int8Array([1, 2, 3]), (x) => x * 100)',
  'return AP.map(N(Int8Array, A(1, 2, 3)), function(_, x) return x * 100 end)');
t('frozen array reads', 'const f = Object.freeze([3, 1, 2]); return [f.map((x) => x * 2), f.slice(1), f.join("-"), f.indexOf(2), [...f], f.toSorted(), f.concat([4]), f.at(-1)]',
  'local f = freeze(A(3, 1, 2)); return A(f:map(function(_, x) return x * 2 end), f:slice(1), f:join("-"), f:indexOf(2), Array:from(f), f:toSorted(), f:concat(A(4)), f:at(-1))');
t('frozen array push throws', 'return Object.freeze([1]).push(2)', 'return freeze(A(1)):push(2)');
t('frozen array sort throws', 'return Object.freeze([2, 1]).sort()', 'return freeze(A(2, 1)):sort()', { nameOnly: true });
t('frozen array pop throws', 'return Object.freeze([2, 1]).pop()', 'return freeze(A(2, 1)):pop()', { nameOnly: true });
t('frozen empty reverse is fine', 'const f = Object.freeze([]); return [f.reverse() === f, f.length]', 'local f = freeze(A()); return A(f:reverse() == f, f.length)');

// ------------------------------------------------------------------ typed arrays
const TA = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array'];
const STORES = ['0', '1', '-1', '127', '128', '255', '256', '-128', '-129', '1.5', '2.5', '-1.5', '0.5', '-0.5', '3.5', '254.5', '255.5', '300.7', '65535', '65536',
  '2147483648', '-2147483649', '4294967296', '4294967295', '-4294967297', '1e20', '-1e20', '2**53 + 2', 'NaN', 'Infinity', '-Infinity', '-0', '0.1', '1/3', '16777217', '1e40', '-1e-50',
  '"12"', '"0x10"', '"abc"', '"  7 "', 'true', 'null', 'undefined', '[5]'];
const luaOf = (s) => s.replace('2**53', '2^53').replace('NaN', '0/0').replace('-Infinity', '-1/0').replace('Infinity', '1/0').replace(/^-0$/, '-0.0').replace('undefined', 'nil').replace('[5]', 'A(5)');
for (const K of TA) {
  t(`${K} store conversions`, `const t = new ${K}(1); return [${STORES.map((s) => `(t[0] = ${s}, t[0])`).join(', ')}]`,
    `local t = N(${K}, 1); local r = A(); ${STORES.map((s) => `t[0] = ${luaOf(s)}; r:push(t[0])`).join('; ')}; return r`);
  t(`${K} constructor conversions`, `return new ${K}([${STORES.join(', ')}])`, `return N(${K}, A(${STORES.map(luaOf).join(', ')}))`);
}
t('typed construction', 'return [new Int8Array(4), new Uint8Array([1, 2, 3]), new Float64Array([1.5, -2.25, 1e21]), new Int32Array(new Uint8Array([250, 251])), new Float32Array(iterable(3)), new Int16Array({ length: 2, 0: 7 }), new Uint8Array(), new Float64Array(2.7), new Int8Array("3")]',
  'return A(N(Int8Array, 4), N(Uint8Array, A(1, 2, 3)), N(Float64Array, A(1.5, -2.25, 1e21)), N(Int32Array, N(Uint8Array, A(250, 251))), N(Float32Array, iterable(3)), N(Int16Array, O("length", 2, 0, 7)), N(Uint8Array), N(Float64Array, 2.7), N(Int8Array, "3"))');
t('typed from / of', 'return [Int16Array.from([1, 2, 3], (x) => x * 100), Uint32Array.of(1, 2, 4294967295), Uint8Array.from("abc", (c) => c.charCodeAt(0) - 96), Float64Array.from({ length: 3 }, (_, i) => i / 2), Int8Array.of()]',
  'return A(Int16Array:from(A(1, 2, 3), function(_, x) return x * 100 end), Uint32Array:of(1, 2, 4294967295), Uint8Array:from("abc", function(_, c) return c:byte() - 96 end), Float64Array:from(O("length", 3), function(_, _v, i) return i / 2 end), Int8Array:of())');
t('typed bad length', 'return new Int8Array(-1)', 'return N(Int8Array, -1)');
t('typed requires new', 'return Int8Array(2)', 'return Int8Array(nil, 2)');
t('ArrayBuffer requires new', 'return ArrayBuffer(2)', 'return ArrayBuffer(nil, 2)');
t('ArrayBuffer bad length', 'return new ArrayBuffer(-1)', 'return N(ArrayBuffer, -1)');
t('BYTES_PER_ELEMENT', `return [${TA.map((k) => `${k}.BYTES_PER_ELEMENT, new ${k}(1).BYTES_PER_ELEMENT`).join(', ')}]`,
  `return A(${TA.map((k) => `${k}.BYTES_PER_ELEMENT, N(${k}, 1).BYTES_PER_ELEMENT`).join(', ')})`);
t('ArrayBuffer views', 'const b = new ArrayBuffer(8); return [b.byteLength, new Uint8Array(b), new Uint16Array(b), new Float64Array(b), new Int16Array(b, 4), new Int16Array(b, 2, 2), new Uint8Array(b, 8), b]',
  'local b = N(ArrayBuffer, 8); return A(b.byteLength, N(Uint8Array, b), N(Uint16Array, b), N(Float64Array, b), N(Int16Array, b, 4), N(Int16Array, b, 2, 2), N(Uint8Array, b, 8), b)');
t('views share memory', 'const bytes = new Uint8Array([1, 0, 0, 0, 255, 255, 255, 255]); const w = new Uint32Array(bytes.buffer); const s = new Int32Array(bytes.buffer); const r = [w, s]; bytes[0] = 2; r.push(w[0], bytes.buffer === w.buffer); return r',
  'local bytes = N(Uint8Array, A(1, 0, 0, 0, 255, 255, 255, 255)); local w = N(Uint32Array, bytes.buffer); local s = N(Int32Array, bytes.buffer); local r = A(w, s); bytes[0] = 2; r:push(w[0], bytes.buffer == w.buffer); return r');
t('float views', 'const f = new Float64Array([1, -2]); return [new Uint8Array(f.buffer), new Float32Array(new Float64Array([0.1, 1e300])), new Uint32Array(new Float32Array([1]).buffer)]',
  'local f = N(Float64Array, A(1, -2)); return A(N(Uint8Array, f.buffer), N(Float32Array, N(Float64Array, A(0.1, 1e300))), N(Uint32Array, N(Float32Array, A(1)).buffer))');
t('view offset not aligned', 'return new Int32Array(new ArrayBuffer(8), 2)', 'return N(Int32Array, N(ArrayBuffer, 8), 2)');
t('view length not aligned', 'return new Int32Array(new ArrayBuffer(6))', 'return N(Int32Array, N(ArrayBuffer, 6))');
t('view offset too far', 'return new Int32Array(new ArrayBuffer(8), 12)', 'return N(Int32Array, N(ArrayBuffer, 8), 12)');
t('view length too long', 'return new Int32Array(new ArrayBuffer(8), 4, 2)', 'return N(Int32Array, N(ArrayBuffer, 8), 4, 2)');
t('ArrayBuffer slice', 'const b = new Uint8Array([1, 2, 3, 4, 5]).buffer; return [new Uint8Array(b.slice(1, 3)), new Uint8Array(b.slice(-2)), b.slice(4, 1).byteLength]',
  'local b = N(Uint8Array, A(1, 2, 3, 4, 5)).buffer; return A(N(Uint8Array, b:slice(1, 3)), N(Uint8Array, b:slice(-2)), b:slice(4, 1).byteLength)');
t('isView', 'const d = new Int32Array(2); return [ArrayBuffer.isView(d), ArrayBuffer.isView([]), ArrayBuffer.isView(d.buffer), ArrayBuffer.isView()]',
  'local d = N(Int32Array, 2); return A(ArrayBuffer:isView(d), ArrayBuffer:isView(A()), ArrayBuffer:isView(d.buffer), ArrayBuffer:isView())');
t('typed out of bounds', 'const u = new Uint8Array(3); u[5] = 99; u[-1] = 42; u[1.5] = 7; u.foo = "prop"; return [u, u[5], u[-1], u[1.5], u.length, u.foo, Object.keys(u)]',
  'local u = N(Uint8Array, 3); u[5] = 99; u[-1] = 42; u[1.5] = 7; u.foo = "prop"; return A(u, u[5], u[-1], u[1.5], u.length, u.foo, keys(u))');
t('typed lengths', 'return [new Float64Array(4).byteLength, new Int16Array(new ArrayBuffer(16), 4, 3).byteOffset, new Int16Array(new ArrayBuffer(16), 4, 3).length, new Int16Array(new ArrayBuffer(16), 4, 3).byteLength]',
  'return A(N(Float64Array, 4).byteLength, N(Int16Array, N(ArrayBuffer, 16), 4, 3).byteOffset, N(Int16Array, N(ArrayBuffer, 16), 4, 3).length, N(Int16Array, N(ArrayBuffer, 16), 4, 3).byteLength)');
t('subarray shares, slice copies', 'const b = new Int16Array([10, 20, 30, 40, 50, 60]); const sub = b.subarray(2, 5), sl = b.slice(2, 5); sub[0] = -1; sl[1] = -2; b[3] = 333; return [b, sub, sl, sub.byteOffset, b.subarray(-2), b.slice(-3, -1), b.subarray(4, 1), b.slice(), sub.subarray(1)]',
  'local b = N(Int16Array, A(10, 20, 30, 40, 50, 60)); local sub, sl = b:subarray(2, 5), b:slice(2, 5); sub[0] = -1; sl[1] = -2; b[3] = 333; return A(b, sub, sl, sub.byteOffset, b:subarray(-2), b:slice(-3, -1), b:subarray(4, 1), b:slice(), sub:subarray(1))');
t('typed set', 'const t = new Uint8Array(8); t.set([1, 2, 3]); t.set(new Uint8Array([9, 9]), 5); t.set(new Float64Array([300.5]), 4); t.set({ length: 1, 0: 7 }, 3); return t',
  'local t = N(Uint8Array, 8); t:set(A(1, 2, 3)); t:set(N(Uint8Array, A(9, 9)), 5); t:set(N(Float64Array, A(300.5)), 4); t:set(O("length", 1, 0, 7), 3); return t');
t('typed set overlapping', 'const t = new Uint8Array([1, 2, 3, 4, 5, 6]); t.set(t.subarray(0, 4), 2); const u = new Uint16Array([1, 2, 3, 4]); new Uint8Array(u.buffer).set(u.subarray(0, 2)); return [t, u]',
  'local t = N(Uint8Array, A(1, 2, 3, 4, 5, 6)); t:set(t:subarray(0, 4), 2); local u = N(Uint16Array, A(1, 2, 3, 4)); N(Uint8Array, u.buffer):set(u:subarray(0, 2)); return A(t, u)');
t('typed set overflow', 'return new Uint8Array(8).set([1, 2, 3], 7)', 'return N(Uint8Array, 8):set(A(1, 2, 3), 7)');
t('typed set negative offset', 'return new Uint8Array(8).set([1], -1)', 'return N(Uint8Array, 8):set(A(1), -1)');
t('typed fill', 'return [new Float32Array(5).fill(1.5), new Int8Array(6).fill(-3, 2, 4), new Uint8Array(3).fill(257), new Uint8ClampedArray(2).fill(300), new Int16Array(4).fill(7, -2), new Uint8Array(4).fill(-1, 1)]',
  'return A(N(Float32Array, 5):fill(1.5), N(Int8Array, 6):fill(-3, 2, 4), N(Uint8Array, 3):fill(257), N(Uint8ClampedArray, 2):fill(300), N(Int16Array, 4):fill(7, -2), N(Uint8Array, 4):fill(-1, 1))');
t('typed copyWithin', 'return [new Int8Array([1, 2, 3, 4, 5]).copyWithin(0, 3), new Int8Array([1, 2, 3, 4, 5]).copyWithin(1, 0), new Float64Array([1, 2, 3, 4, 5]).copyWithin(-2, 0, 2)]',
  'return A(N(Int8Array, A(1, 2, 3, 4, 5)):copyWithin(0, 3), N(Int8Array, A(1, 2, 3, 4, 5)):copyWithin(1, 0), N(Float64Array, A(1, 2, 3, 4, 5)):copyWithin(-2, 0, 2))');
t('typed iteration', 'const d = new Int32Array([5, -3, 12]); const s = []; for (const v of d) s.push(v); return [s, [...d.keys()], [...d.entries()], [...d.values()], d.values().next()]',
  'local d = N(Int32Array, A(5, -3, 12)); local s = A(); for _, v in R.iter(d) do s:push(v) end; return A(s, Array:from(d:keys()), Array:from(d:entries()), Array:from(d:values()), d:values():next())');
t('typed map / filter / reduce', 'const d = new Int32Array([5, -3, 12, 0, 7, -8]); return [d.map((x) => x * 1000000), new Uint8Array([100, 200]).map((x) => x * 2), d.filter((x) => x > 0), d.reduce((a, b) => a + b, 0), d.reduce((a, b) => a + "," + b), d.reduceRight((a, b) => a + "," + b), new Float32Array([0.5, 1.5]).map((x, i, arr) => x + i + arr.length)]',
  'local d = N(Int32Array, A(5, -3, 12, 0, 7, -8)); return A(d:map(function(_, x) return x * 1000000 end), N(Uint8Array, A(100, 200)):map(function(_, x) return x * 2 end), d:filter(function(_, x) return x > 0 end), d:reduce(function(_, a, b) return a + b end, 0), d:reduce(function(_, a, b) return R.tostr(a) .. "," .. R.tostr(b) end), d:reduceRight(function(_, a, b) return R.tostr(a) .. "," .. R.tostr(b) end), N(Float32Array, A(0.5, 1.5)):map(function(_, x, i, arr) return x + i + arr.length end))');
t('typed reduce empty', 'return new Int8Array(0).reduce((a, b) => a + b)', 'return N(Int8Array, 0):reduce(function(_, a, b) return a + b end)');
t('typed search', 'const d = new Int32Array([5, -3, 12, 0, 7, -8]); const f = new Float64Array([NaN, 1, -0]); return [d.indexOf(12), d.includes(-8), d.includes(99), d.find((x) => x < 0), d.findIndex((x) => x === 0), d.findLast((x) => x > 0), d.findLastIndex((x) => x > 100), d.indexOf("12"), f.includes(NaN), f.indexOf(NaN), f.indexOf(0), d.lastIndexOf(7), d.indexOf(5, 1), d.at(-1), d.at(0), d.at(9)]',
  'local d = N(Int32Array, A(5, -3, 12, 0, 7, -8)); local f = N(Float64Array, A(0/0, 1, -0.0)); return A(d:indexOf(12), d:includes(-8), d:includes(99), d:find(function(_, x) return x < 0 end), d:findIndex(function(_, x) return x == 0 end), d:findLast(function(_, x) return x > 0 end), d:findLastIndex(function(_, x) return x > 100 end), d:indexOf("12"), f:includes(0/0), f:indexOf(0/0), f:indexOf(0), d:lastIndexOf(7), d:indexOf(5, 1), d:at(-1), d:at(0), d:at(9))');
t('typed join / reverse / every / some', 'const d = new Int32Array([5, -3, 12]); return [d.join("|"), d.join(), String(d), new Float64Array([0.5, -0, 1e21]).join(" "), new Int8Array([1, 2, 3]).reverse(), d.every((x) => x > -10), d.some((x) => x > 10), new Int8Array(0).join()]',
  'local d = N(Int32Array, A(5, -3, 12)); return A(d:join("|"), d:join(), R.tostr(d), N(Float64Array, A(0.5, -0.0, 1e21)):join(" "), N(Int8Array, A(1, 2, 3)):reverse(), d:every(function(_, x) return x > -10 end), d:some(function(_, x) return x > 10 end), N(Int8Array, 0):join())');
t('typed sort', 'return [new Int32Array([10, 9, 1, 100, -5]).sort(), new Float64Array([3.5, -1, 2, NaN, 0, -0, -Infinity]).sort(), new Uint32Array([4294967295, 0, 2147483648]).sort(), new Int32Array([5, -3, 12]).sort((a, b) => b - a), new Float32Array([3, 1, 2]).toSorted(), new Int8Array([1, 2, 3]).toReversed(), new Int8Array([1, 2, 3]).with(1, 200), new Int8Array([1, 2]).with(-1, 9)]',
  'return A(N(Int32Array, A(10, 9, 1, 100, -5)):sort(), N(Float64Array, A(3.5, -1, 2, 0/0, 0, -0.0, -1/0)):sort(), N(Uint32Array, A(4294967295, 0, 2147483648)):sort(), N(Int32Array, A(5, -3, 12)):sort(function(_, a, b) return b - a end), N(Float32Array, A(3, 1, 2)):toSorted(), N(Int8Array, A(1, 2, 3)):toReversed(), N(Int8Array, A(1, 2, 3)):with(1, 200), N(Int8Array, A(1, 2)):with(-1, 9))');
t('typed sort stable with comparator', 'const t = new Int32Array(200); for (let i = 0; i < 200; i++) t[i] = ((i * 37) % 11) * 1000 + i; t.sort((a, b) => Math.floor(a / 1000) - Math.floor(b / 1000)); return Array.from(t).map((x) => x % 1000).join(",")',
  'local t = N(Int32Array, 200); for i = 0, 199 do t[i] = ((i * 37) % 11) * 1000 + i end; t:sort(function(_, a, b) return math.floor(a / 1000) - math.floor(b / 1000) end); return Array:from(t):map(function(_, x) return x % 1000 end):join(",")');
t('typed with out of range', 'return new Int8Array(2).with(5, 1)', 'return N(Int8Array, 2):with(5, 1)');
t('typed method on non-typed', 'return Int8Array.prototype.map.call([1], (x) => x)', 'return R.TypedArrayPrototype.map(A(1), function(_, x) return x end)');
t('typed sort bad comparator', 'return new Int8Array(2).sort(3)', 'return N(Int8Array, 2):sort(3)');
t('typed instanceof / constructor', 'const d = new Int32Array(2); return [d instanceof Int32Array, d instanceof Int8Array, d.constructor === Int32Array, Int32Array.name, Object.prototype.toString.call(d), Array.isArray(d)]',
  'local d = N(Int32Array, 2); return A(R.instanceof(d, Int32Array), R.instanceof(d, Int8Array), d.constructor == Int32Array, R.fnames[Int32Array], "[object " .. d[R.sym_toStringTag] .. "]", R.isarray(d))');
t('pixels', 'const w = 4, h = 3, px = new Uint8ClampedArray(w * h * 4); for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) { const i = (y * w + x) * 4; px[i] = x * 100; px[i + 1] = y * 150; px[i + 2] = (x + y) * 60 - 50; px[i + 3] = 255; } return px',
  'local w, h = 4, 3; local px = N(Uint8ClampedArray, w * h * 4); for y = 0, h - 1 do for x = 0, w - 1 do local i = (y * w + x) * 4; px[i] = x * 100; px[i + 1] = y * 150; px[i + 2] = (x + y) * 60 - 50; px[i + 3] = 255 end end; return px');

// ------------------------------------------------------------------ write
const cases = C.map(([name, js, lua, opts]) => {
  const expect = run(js);
  const c = { name, js, lua, expect };
  if (opts.nameOnly) c.nameOnly = true;
  return c;
});
const names = new Set();
for (const c of cases) {
  if (names.has(c.name)) throw new Error('duplicate case name ' + c.name);
  names.add(c.name);
}
const out = path.join(__dirname, 'array_cases.json');
fs.writeFileSync(out, JSON.stringify({ generator: 'gen_array_cases.js', node: process.version, cases }, null, 1) + '\n');
console.log(`wrote ${cases.length} cases to ${path.relative(process.cwd(), out)}`);
