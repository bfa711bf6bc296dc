#!/usr/bin/env node
// Generates tests/runtime/builtins_data_cases.json for test_builtins_data.py: each case is a
// JS function body run here and the equivalent Lua chunk run against the runtime modules
// (collections, json, math, number, symbol); the JSON records what node printed for it.
// Run with `node tests/runtime/gen_builtins_data_cases.js` after changing the cases; the
// JSON is checked in so the tests need no node.
//
// Both sides print their result with show(): numbers as String(x) (with -0), strings as
// JSON.stringify, arrays [..], objects {k:v} in Object.keys order, Map{k=>v}, Set{v}, and
// errors as "throws Name: message". Case options: approx (a list of numbers compared with a
// relative tolerance, for libm functions), nameonly (errors compared by name only).
'use strict';
const fs = require('fs');
const path = require('path');

function show(v) {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number': return Object.is(v, -0) ? '-0' : String(v);
    case 'string': return JSON.stringify(v);
    case 'boolean': return String(v);
    case 'function': return 'fn';
    case 'symbol': return 'sym:' + String(v);
  }
  if (Array.isArray(v)) {
    const parts = [];
    for (let i = 0; i < v.length; i++) parts.push(show(v[i]));
    return '[' + parts.join(',') + ']';
  }
  if (v instanceof Map) return 'Map{' + [...v].map(([k, x]) => show(k) + '=>' + show(x)).join(',') + '}';
  if (v instanceof Set) return 'Set{' + [...v].map(show).join(',') + '}';
  return '{' + Object.keys(v).map((k) => JSON.stringify(k) + ':' + show(v[k])).join(',') + '}';
}

function run(js, opts) {
  try {
    const v = new Function('"use strict";\n' + js)();
    return show(v);
  } catch (e) {
    if (opts.nameonly) return 'throws ' + e.name;
    return 'throws ' + e.name + ': ' + e.message;
  }
}

const cases = [];
const names = new Set();
function c(name, js, lua, opts = {}) {
  if (names.has(name)) throw new Error('duplicate case ' + name);
  names.add(name);
  cases.push({ name, lua, expect: run(js, opts), ...opts });
}
const L = String.raw;

// Deterministic PRNG so the case file is reproducible.
let seed = 12345;
function rnd(n) { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; }

// A Lua string literal holding s's UTF-8 bytes (quoted with \ddd escapes, so CR and other
// control bytes survive, which Lua long strings would normalise).
function lstr(s) {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    if (b >= 32 && b < 127 && b !== 34 && b !== 92) out += String.fromCharCode(b);
    else out += '\\' + String(b).padStart(3, '0');
  }
  return out + '"';
}

// JS numbers written as Lua expressions.
function lnum(x) {
  if (Number.isNaN(x)) return '(0/0)';
  if (x === Infinity) return '(1/0)';
  if (x === -Infinity) return '(-1/0)';
  if (Object.is(x, -0)) return '(-0.0)';
  return '(' + String(x).replace('e+', 'e') + ')';
}

// ------------------------------------------------------------------------------------------
// Map / Set
c('map basics',
  L`const m = new Map(); const r = m.set(1, 'a'); m.set('1', 'b');
    return [r === m, m.size, m.get(1), m.get('1'), m.has(2), m.get(2), m.has('1')]`,
  L`local m = new(G.Map); local r = m:set(1, "a"); m:set("1", "b")
    return A(r == m, m.size, m:get(1), m:get("1"), m:has(2), m:get(2), m:has("1"))`);
c('map NaN key',
  L`const m = new Map([[NaN, 1]]); m.set(0 / 0, 2); return [m.size, m.get(NaN), m.has(NaN), m.delete(NaN), m.size, m.has(NaN)]`,
  L`local m = new(G.Map, A(A(0/0, 1))); m:set(0/0, 2); return A(m.size, m:get(0/0), m:has(0/0), m:delete(0/0), m.size, m:has(0/0))`);
c('map signed zero keys',
  L`const m = new Map(); m.set(-0, 'z'); m.set(0, 'p'); return [m.size, m.get(-0), [...m.keys()][0]]`,
  L`local m = new(G.Map); m:set(-0.0, "z"); m:set(0, "p"); return A(m.size, m:get(-0.0), m:keys():next().value)`);
c('map undefined and null keys',
  L`const m = new Map(); m.set(undefined, 1); m.set(null, 2); return [m.size, m.get(undefined), m.get(null), m.has(undefined), m.get(), m]`,
  L`local m = new(G.Map); m:set(nil, 1); m:set(R.null, 2); return A(m.size, m:get(nil), m:get(R.null), m:has(nil), m:get(), m)`);
c('map object keys by identity',
  L`const a = {}, b = {}; const m = new Map([[a, 'a'], [b, 'b']]); return [m.get(a), m.get(b), m.get({}), m.size]`,
  L`local a, b = O(), O(); local m = new(G.Map, A(A(a, "a"), A(b, "b"))); return A(m:get(a), m:get(b), m:get(O()), m.size)`);
c('map insertion order, reset keeps place, re-add moves to end',
  L`const m = new Map([['a', 1], ['b', 2], ['c', 3]]); m.set('a', 10); m.delete('b'); m.set('b', 20); return m`,
  L`local m = new(G.Map, A(A("a", 1), A("b", 2), A("c", 3))); m:set("a", 10); m:delete("b"); m:set("b", 20); return m`);
c('map forEach args and thisArg',
  L`const m = new Map([[1, 'x'], [2, 'y']]); const out = [];
    m.forEach(function (v, k, mm) { out.push([this.tag, v, k, mm === m]); }, { tag: 't' }); return out`,
  L`local m = new(G.Map, A(A(1, "x"), A(2, "y"))); local out = A()
    m:forEach(function(this, v, k, mm) push(out, A(this.tag, v, k, mm == m)) end, O("tag", "t")); return out`);
c('map forEach sees additions and skips deletions',
  L`const m = new Map([[1, 1], [2, 2], [3, 3], [4, 4]]); const out = [];
    m.forEach((v, k) => { out.push(k); if (k === 1) m.delete(2); if (k === 3) m.set(5, 5); if (k === 5) m.delete(1); });
    return [out, [...m.keys()]]`,
  L`local m = new(G.Map, A(A(1, 1), A(2, 2), A(3, 3), A(4, 4))); local out = A()
    m:forEach(function(_, v, k) push(out, k); if k == 1 then m:delete(2) end; if k == 3 then m:set(5, 5) end; if k == 5 then m:delete(1) end end)
    return A(out, collect(m:keys()))`);
c('map forEach with heavy deletion (compaction mid-loop)',
  L`const m = new Map(); for (let i = 0; i < 200; i++) m.set(i, i * 2); const out = [];
    m.forEach((v, k) => { out.push(k); for (let j = k + 1; j < k + 7; j++) m.delete(j); if (k === 100) m.set('end', 1); });
    return [out, m.size]`,
  L`local m = new(G.Map); for i = 0, 199 do m:set(i, i * 2) end; local out = A()
    m:forEach(function(_, v, k) push(out, k); if type(k) == "number" then for j = k + 1, k + 6 do m:delete(j) end end; if k == 100 then m:set("end", 1) end end)
    return A(out, m.size)`);
c('map delete current entry during forEach',
  L`const m = new Map(); for (let i = 0; i < 50; i++) m.set(i, i); const out = [];
    m.forEach((v, k) => { out.push(k); m.delete(k); if (k < 10) m.set(k + 100, 0); }); return [out, m.size]`,
  L`local m = new(G.Map); for i = 0, 49 do m:set(i, i) end; local out = A()
    m:forEach(function(_, v, k) push(out, k); m:delete(k); if k < 10 then m:set(k + 100, 0) end end); return A(out, m.size)`);
c('map iterator across deletions and compaction',
  L`const m = new Map(); for (let i = 0; i < 100; i++) m.set(i, i); const it = m.keys(); const out = [];
    out.push(it.next().value, it.next().value); for (let i = 0; i < 90; i++) m.delete(i);
    m.set('x', 1); let r; while (!(r = it.next()).done) out.push(r.value); return out`,
  L`local m = new(G.Map); for i = 0, 99 do m:set(i, i) end; local it = m:keys(); local out = A()
    push(out, it:next().value); push(out, it:next().value); for i = 0, 89 do m:delete(i) end
    m:set("x", 1); while true do local r = it:next(); if r.done then break end; push(out, r.value) end; return out`);
c('map entries iterator and for-of',
  L`const m = new Map([['a', 1], ['b', 2]]); const out = []; for (const [k, v] of m) out.push(k + v);
    return [out, [...m.entries()], [...m.values()], m[Symbol.iterator] === m.entries]`,
  L`local m = new(G.Map, A(A("a", 1), A("b", 2))); local out = A(); for _, e in R.iter(m) do push(out, e[0] .. e[1]) end
    return A(out, collect(m:entries()), collect(m:values()), rawequal(m[R.sym_iterator], m.entries))`);
c('map for-of with deletion ahead',
  L`const m = new Map([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]); const out = [];
    for (const [k] of m) { out.push(k); m.delete(k + 1); } return out`,
  L`local m = new(G.Map, A(A(1, 1), A(2, 2), A(3, 3), A(4, 4), A(5, 5))); local out = A()
    for _, e in R.iter(m) do local k = e[0]; push(out, k); m:delete(k + 1) end; return out`);
c('map iterator object protocol',
  L`const m = new Map([[1, 'a']]); const it = m.entries(); const a = it.next(); const b = it.next(); m.set(2, 'b');
    return [a, b, it.next(), it[Symbol.iterator]() === it, Object.prototype.toString.call(it)]`,
  L`local m = new(G.Map, A(A(1, "a"))); local it = m:entries(); local a = it:next(); local b = it:next(); m:set(2, "b")
    return A(a, b, it:next(), it[R.sym_iterator](it) == it, "[object " .. it[R.sym_toStringTag] .. "]")`);
c('map clear during iteration',
  L`const m = new Map([[1, 1], [2, 2], [3, 3]]); const it = m.keys(); it.next(); m.clear(); m.set(9, 9);
    return [m.size, it.next(), it.next()]`,
  L`local m = new(G.Map, A(A(1, 1), A(2, 2), A(3, 3))); local it = m:keys(); it:next(); m:clear(); m:set(9, 9)
    return A(m.size, it:next(), it:next())`);
c('map queue churn',
  L`const m = new Map(); for (let i = 0; i < 1000; i++) { m.set(i, i); if (i >= 10) m.delete(i - 10); }
    return [m.size, [...m.keys()], m.get(995), m.has(989)]`,
  L`local m = new(G.Map); for i = 0, 999 do m:set(i, i); if i >= 10 then m:delete(i - 10) end end
    return A(m.size, collect(m:keys()), m:get(995), m:has(989))`);
c('map from map and set from set',
  L`const m = new Map([[1, 2], [3, 4]]); const s = new Set([1, 1, 2]); return [new Map(m), new Set(s), new Map(), new Set(null)]`,
  L`local m = new(G.Map, A(A(1, 2), A(3, 4))); local s = new(G.Set, A(1, 1, 2)); return A(new(G.Map, m), new(G.Set, s), new(G.Map), new(G.Set, R.null))`);
c('map delete return values',
  L`const m = new Map([[1, 1]]); return [m.delete(1), m.delete(1), m.size, m.delete(undefined)]`,
  L`local m = new(G.Map, A(A(1, 1))); return A(m:delete(1), m:delete(1), m.size, m:delete(nil))`);
c('map toStringTag', L`return [new Map()[Symbol.toStringTag], new Set()[Symbol.toStringTag], new WeakMap()[Symbol.toStringTag], new WeakSet()[Symbol.toStringTag]]`,
  L`return A(new(G.Map)[R.sym_toStringTag], new(G.Set)[R.sym_toStringTag], new(G.WeakMap)[R.sym_toStringTag], new(G.WeakSet)[R.sym_toStringTag])`);
c('frozen map and set keep working',
  L`const m = Object.freeze(new Map([[1, 'a']])); const s = Object.freeze(new Set([1])); m.set(2, 'b'); s.add(2);
    return [m.get(2), m.size, s.has(2), s.size, [...m.keys()], m]`,
  L`local m = R.freeze(new(G.Map, A(A(1, "a"))), "freeze"); local s = R.freeze(new(G.Set, A(1)), "freeze"); m:set(2, "b"); s:add(2)
    return A(m:get(2), m.size, s:has(2), s.size, collect(m:keys()), m)`);
c('map requires new', L`Map()`, L`G.Map(nil)`);
c('set requires new', L`Set()`, L`G.Set(nil)`);
c('map bad entry', L`new Map([1])`, L`new(G.Map, A(1))`);
c('map incompatible receiver', L`Map.prototype.get.call({}, 1)`, L`G.Map.prototype.get(O(), 1)`);
c('set method on map', L`Set.prototype.has.call(new Map(), 1)`, L`G.Set.prototype.has(new(G.Map), 1)`, { nameonly: true });
for (const [js, lua] of [['5', '5'], ['"a"', '"a"'], ['undefined', 'nil'], ['null', 'R.null'], ['{}', 'O()'], ['true', 'true'], ['Symbol()', 'G.Symbol(nil)']]) {
  c('map forEach non-function ' + js, 'new Map([[1, 1]]).forEach(' + js + ')', 'new(G.Map, A(A(1, 1))):forEach(' + lua + ')');
}
c('map incompatible receiver primitive', L`Map.prototype.get.call(5, 1)`, L`G.Map.prototype.get(5, 1)`);
c('map incompatible receiver array', L`Map.prototype.get.call([], 1)`, L`G.Map.prototype.get(A(), 1)`);
c('map bad entry null', L`new Map([null])`, L`new(G.Map, A(R.null))`);

c('set basics',
  L`const s = new Set(); const r = s.add(1); s.add('1'); s.add(1); s.add(NaN); s.add(NaN); s.add(-0);
    return [r === s, s.size, s.has(1), s.has(NaN), s.has(0), s, [...s.entries()], s.keys === s.values]`,
  L`local s = new(G.Set); local r = s:add(1); s:add("1"); s:add(1); s:add(0/0); s:add(0/0); s:add(-0.0)
    return A(r == s, s.size, s:has(1), s:has(0/0), s:has(0), s, collect(s:entries()), rawequal(s.keys, s.values))`);
c('set forEach args',
  L`const s = new Set(['a', 'b']); const out = []; s.forEach(function (v, k, ss) { out.push([v, k, ss === s, this]); }, 7); return out`,
  L`local s = new(G.Set, A("a", "b")); local out = A(); s:forEach(function(this, v, k, ss) push(out, A(v, k, ss == s, this)) end, 7); return out`);
c('set forEach delete and re-add',
  L`const s = new Set(); for (let i = 1; i <= 100; i++) s.add(i); let seen = 0;
    s.forEach((v) => { seen++; s.delete(v); if (v < 50) s.add(v + 1000); }); return [seen, s.size]`,
  L`local s = new(G.Set); for i = 1, 100 do s:add(i) end; local seen = 0
    s:forEach(function(_, v) seen = seen + 1; s:delete(v); if v < 50 then s:add(v + 1000) end end); return A(seen, s.size)`);
c('set iterator done stays done',
  L`const s = new Set([1]); const it = s.values(); it.next(); const d = it.next(); s.add(2); return [d, it.next(), s.size]`,
  L`local s = new(G.Set, A(1)); local it = s:values(); it:next(); local d = it:next(); s:add(2); return A(d, it:next(), s.size)`);
c('set for-of adds during loop',
  L`const s = new Set([1]); const out = []; for (const v of s) { out.push(v); if (v < 5) s.add(v + 1); } return out`,
  L`local s = new(G.Set, A(1)); local out = A(); for _, v in R.iter(s) do push(out, v); if v < 5 then s:add(v + 1) end end; return out`);
c('set clear and reuse',
  L`const s = new Set([1, 2, 3]); s.clear(); s.add(4); return [s.size, s, s.has(1)]`,
  L`local s = new(G.Set, A(1, 2, 3)); s:clear(); s:add(4); return A(s.size, s, s:has(1))`);
c('set of mixed values',
  L`const o = {}; const s = new Set([undefined, null, true, 'x', 1, o, o]); return [s.size, s.has(undefined), s.has(null), s.has(o), s]`,
  L`local o = O(); local s = new(G.Set, A(nil, R.null, true, "x", 1, o, o)); return A(s.size, s:has(nil), s:has(R.null), s:has(o), s)`);

c('weakmap basics',
  L`const a = {}, b = function () {}; const w = new WeakMap([[a, 1]]); const r = w.set(b, undefined);
    return [r === w, w.get(a), w.has(b), w.get(b), w.has({}), w.get(1), w.has(1), w.delete(a), w.delete(a), w.has(a)]`,
  L`local a, b = O(), function() end; local w = new(G.WeakMap, A(A(a, 1))); local r = w:set(b, nil)
    return A(r == w, w:get(a), w:has(b), w:get(b), w:has(O()), w:get(1), w:has(1), w:delete(a), w:delete(a), w:has(a))`);
c('weakmap primitive key', L`new WeakMap().set(1, 1)`, L`new(G.WeakMap):set(1, 1)`);
c('weakmap symbol key', L`new WeakMap().set('k', 1)`, L`new(G.WeakMap):set("k", 1)`);
c('weakset basics',
  L`const a = {}; const w = new WeakSet([a]); return [w.has(a), w.has({}), w.add(a) === w, w.delete(a), w.has(a), w.has(null)]`,
  L`local a = O(); local w = new(G.WeakSet, A(a)); return A(w:has(a), w:has(O()), w:add(a) == w, w:delete(a), w:has(a), w:has(R.null))`);
c('weakset primitive', L`new WeakSet().add(1)`, L`new(G.WeakSet):add(1)`);

// ------------------------------------------------------------------------------------------
// JSON.parse
function jsonCase(name, text, extra = '') {
  c(name, 'return JSON.parse(' + JSON.stringify(text) + extra + ')',
    'return J.parse(nil, ' + lstr(text) + ')');
}
jsonCase('parse scalars', '[1, -0, 2.5e3, 1E400, -1e-400, 0.1, true, false, null, "s", 12345678901234567890]');
jsonCase('parse nested', ' {"a": [1, {"b": null}], "c": {"d": {"e": []}}, "f": {}} ');
jsonCase('parse key order', '{"b":1,"a":2,"1":3,"0":4,"10":5,"01":6,"-1":7,"4294967295":8,"4294967294":9}');
jsonCase('parse duplicate keys', '{"a":1,"b":2,"a":3}');
jsonCase('parse proto key', '{"__proto__":1,"constructor":2,"toString":3}');
jsonCase('parse escapes', String.raw`["\"\\\/\b\f\n\r\t", "\u00e9\u4e2d\uD83D\uDE00", "\u0041\u0000z", "a\u2028b"]`);
jsonCase('parse lone surrogates', String.raw`["\ud800", "\udc00x", "\ud800\u0041", "\uDBFF\uDFFF"]`);
jsonCase('parse utf8 passthrough', '["héllo wörld ✓ 😀"]');
jsonCase('parse whitespace', ' \t\n\r[ 1 ,\n 2 ] \r\n');
jsonCase('parse deep nesting', '['.repeat(500) + ']'.repeat(500));
jsonCase('parse -0', '-0');
jsonCase('parse empty string value', '""');
for (const [i, text] of ['{a', '[1 2]', '{"a" "b"}', '"\\x"', '', '[', '{"a":1,}', 'tru', '"abc', '1e', '-', '01',
  '"\u0001"', '[1,]', '{"a":1', 'nul', '\u00e9', '"\\u12g4"', '{', 'trux', 'nulL', '-a', '1.', '1.a', '1ea', '1e+',
  '"\\u12', '"\\', '"a" "b"', '1 2', '[1] x', 'undefined', 'NaN', '[object Object]', 'Infinity', '{"a":1 "b":2}',
  '{"a":1,"b"}', '{"a":1, 2}', '[1,2,3,4,5,6,7,8,9,10,11, x]', 'x234567890123456789012345',
  '12345678901234567890123x', '123456789012345678901234567890x2345678901234', ' ', '[-]', '[+1]', '[.5]',
  '{"a" 1}', '[1,,2]', '"\t"', '\u00a0 1', '[1}', '{]', '[\u00e9]', '"é\\q"', '[1 "a"]', '"😀" x',
  '{"a":1,"b" "c"}', '{"a":1,"b" 2}', '[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,x'].entries()) {
  jsonCase('parse error ' + i + ' ' + JSON.stringify(text), text);
}
c('parse undefined argument', L`return JSON.parse(undefined)`, L`return J.parse(nil, nil)`);
c('parse number argument', L`return JSON.parse(12)`, L`return J.parse(nil, 12)`);
c('parse reviver transforms',
  L`return JSON.parse('{"a":1,"b":[1,2],"c":{"d":3}}', (k, v) => typeof v === 'number' ? v * 10 : v)`,
  L`return J.parse(nil, '{"a":1,"b":[1,2],"c":{"d":3}}', function(_, k, v) if type(v) == "number" then return v * 10 end return v end)`);
c('parse reviver deletes and sees keys in order',
  L`const seen = []; const r = JSON.parse('{"a":1,"b":[5,6],"c":{"d":2}}', function (k, v) { seen.push([k, this === undefined]); return k === 'a' || k === '0' ? undefined : v; });
    return [r, seen]`,
  L`local seen = A(); local r = J.parse(nil, '{"a":1,"b":[5,6],"c":{"d":2}}', function(this, k, v) push(seen, A(k, this == nil)); if k == "a" or k == "0" then return nil end return v end)
    return A(r, seen)`);
c('parse reviver root',
  L`return JSON.parse('[1]', function (k, v) { return k === '' ? [this[''] === v, k] : v; })`,
  L`return J.parse(nil, '[1]', function(this, k, v) if k == "" then return A(this[""] == v, k) end return v end)`);

// ------------------------------------------------------------------------------------------
// JSON.stringify
c('stringify scalars',
  L`return [JSON.stringify(1), JSON.stringify(-0), JSON.stringify(NaN), JSON.stringify(-Infinity), JSON.stringify(1e21), JSON.stringify(1.5e-7),
    JSON.stringify(0.1 + 0.2), JSON.stringify(true), JSON.stringify(null), JSON.stringify('x'), JSON.stringify(undefined),
    JSON.stringify(function () {}), JSON.stringify(Symbol('s'))]`,
  L`local S = function(v) return J.stringify(nil, v) end
    return A(S(1), S(-0.0), S(0/0), S(-1/0), S(1e21), S(1.5e-7), S(0.1 + 0.2), S(true), S(R.null), S("x"), S(nil), S(function() end), S(G.Symbol(nil, "s")))`);
c('stringify string escapes',
  L`return JSON.stringify(['"\\/\b\f\n\r\t', '\u0000\u0001\u001f\u007f', '\u2028\u2029', '\ud800', 'a\udc00b', '\ud83d\ude00', 'é中'])`,
  L`return J.stringify(nil, A('"\\/\b\f\n\r\t', "\0\1\31\127", "\226\128\168\226\128\169", "\237\160\128", "a\237\176\128b", "\240\159\152\128", "é中"))`);
c('stringify joined surrogate halves',
  L`return JSON.stringify('\ud83d' + '\ude00')`,
  L`return J.stringify(nil, "\237\160\189\237\184\128")`);
c('stringify object key order and skipping',
  L`return JSON.stringify({ b: 1, a: undefined, 2: 'two', 1: 'one', f() {}, s: Symbol('x'), n: null, z: [undefined, function () {}, Symbol('y'), NaN] })`,
  L`return J.stringify(nil, O("b", 1, "a", nil, "2", "two", "1", "one", "f", function() end, "s", G.Symbol(nil, "x"), "n", R.null, "z", A(nil, function() end, G.Symbol(nil, "y"), 0/0)))`);
c('stringify key escapes', L`return JSON.stringify({ 'a"b': 1, '\n': 2, 'é': 3, '': 4 })`,
  L`return J.stringify(nil, O('a"b', 1, "\n", 2, "é", 3, "", 4))`);
c('stringify indent 2',
  L`return JSON.stringify({ a: [1, { b: 2 }, []], c: {}, d: 'x' }, null, 2)`,
  L`return J.stringify(nil, O("a", A(1, O("b", 2), A()), "c", O(), "d", "x"), R.null, 2)`);
c('stringify indent clamp and strings',
  L`const v = { a: [1, [2]], b: { c: 3 } };
    return [JSON.stringify(v, null, 20), JSON.stringify(v, null, 0), JSON.stringify(v, null, -3), JSON.stringify(v, null, '\t'),
      JSON.stringify(v, null, 'abcdefghijkl'), JSON.stringify(v, null, ''), JSON.stringify(v, null, 3.7), JSON.stringify([], null, 2), JSON.stringify({}, null, 2),
      JSON.stringify(v, null, new Number(1)), JSON.stringify([undefined], null, 1)]`,
  L`local v = O("a", A(1, A(2)), "b", O("c", 3)); local S = function(sp) return J.stringify(nil, v, R.null, sp) end
    return A(S(20), S(0), S(-3), S("\t"), S("abcdefghijkl"), S(""), S(3.7), J.stringify(nil, A(), R.null, 2), J.stringify(nil, O(), R.null, 2),
      S(new(G.Number, 1)), J.stringify(nil, A(nil), R.null, 1))`);
c('stringify replacer function',
  L`const calls = []; const out = JSON.stringify({ a: 1, b: [2, 3], c: { d: 'x' } }, function (k, v) { calls.push(k); return typeof v === 'number' ? v + 1 : v; });
    return [out, calls]`,
  L`local calls = A(); local out = J.stringify(nil, O("a", 1, "b", A(2, 3), "c", O("d", "x")), function(this, k, v) push(calls, k); if type(v) == "number" then return v + 1 end return v end)
    return A(out, calls)`);
c('stringify replacer removes and root',
  L`return [JSON.stringify({ a: 1, b: 2 }, (k, v) => (k === 'a' ? undefined : v)), JSON.stringify(5, (k, v) => (k === '' ? [v] : v)),
    JSON.stringify({ a: 1 }, function (k, v) { return k === '' ? (this[''] === v) : v; })]`,
  L`return A(J.stringify(nil, O("a", 1, "b", 2), function(_, k, v) if k == "a" then return nil end return v end),
    J.stringify(nil, 5, function(_, k, v) if k == "" then return A(v) end return v end),
    J.stringify(nil, O("a", 1), function(this, k, v) if k == "" then return this[""] == v end return v end))`);
c('stringify replacer array',
  L`return JSON.stringify({ a: 1, b: 2, 1: 3, c: { a: 4, b: 5, c: 6 }, d: [{ a: 7, d: 8 }] }, ['b', 'a', 1, 'c', 'd', 'b', {}, new String('zz')])`,
  L`return J.stringify(nil, O("a", 1, "b", 2, "1", 3, "c", O("a", 4, "b", 5, "c", 6), "d", A(O("a", 7, "d", 8))), A("b", "a", 1, "c", "d", "b", O()))`);
c('stringify toJSON',
  L`const t = { toJSON(k) { return 'K' + k; } };
    return JSON.stringify({ a: t, b: [t, t], c: { toJSON() { return undefined; } }, d: { toJSON() { return { e: 1 }; } } })`,
  L`local t = O("toJSON", function(this, k) return "K" .. k end)
    return J.stringify(nil, O("a", t, "b", A(t, t), "c", O("toJSON", function() return nil end), "d", O("toJSON", function() return O("e", 1) end)))`);
c('stringify boxed primitives and collections',
  L`return JSON.stringify([new Number(3), new Boolean(false), new Map([[1, 2]]), new Set([1]), new WeakMap()])`,
  L`return J.stringify(nil, A(new(G.Number, 3), new(G.Boolean, false), new(G.Map, A(A(1, 2))), new(G.Set, A(1)), new(G.WeakMap)))`);
c('stringify sparse array and getters',
  L`const a = [1, , 3]; const o = { get g() { return 5; }, x: 1 }; return JSON.stringify([a, o])`,
  L`local a = R.arr({[0] = 1, [2] = 3}, 3); local o = O(); R.defprop(o, "g", {get = function() return 5 end, enumerable = true, configurable = true}); o.x = 1
    return J.stringify(nil, A(a, o))`);
c('stringify circular object',
  L`const a = { x: 1 }; a.self = a; return JSON.stringify(a)`,
  L`local a = O("x", 1); a.self = a; return J.stringify(nil, a)`);
c('stringify circular array path',
  L`const a = []; const b = { list: [a] }; a.push(b); return JSON.stringify({ root: a })`,
  L`local a = A(); local b = O("list", A(a)); push(a, b); return J.stringify(nil, O("root", a))`);
c('stringify circular long path',
  L`const a = { b: { c: { d: { e: {} } } } }; a.b.c.d.e.back = a.b; return JSON.stringify(a)`,
  L`local a = O("b", O("c", O("d", O("e", O())))); a.b.c.d.e.back = a.b; return J.stringify(nil, a)`);
c('stringify repeated non-circular', L`const x = { v: 1 }; return JSON.stringify([x, x, { y: x }])`,
  L`local x = O("v", 1); return J.stringify(nil, A(x, x, O("y", x)))`);
c('stringify nested indent with replacer array',
  L`return JSON.stringify([{ a: 1, b: { a: 2, c: 3 } }], ['a', 'b'], '--')`,
  L`return J.stringify(nil, A(O("a", 1, "b", O("a", 2, "c", 3))), A("a", "b"), "--")`);

// round trips over a generated document
function gen(depth) {
  const k = rnd(depth > 3 ? 5 : 8);
  switch (k) {
    case 0: return rnd(1000000) - 500000;
    case 1: return (rnd(2000000) - 1000000) / 997;
    case 2: return ['', 'x', 'héllo', 'tab\there', 'quote"q', 'nl\n', 'emoji😀', '\u0001', 'back\\slash'][rnd(9)];
    case 3: return [true, false, null][rnd(3)];
    case 4: return rnd(5) === 0 ? 1e300 * rnd(3) : rnd(100) / 8;
    case 5: case 6: { const a = []; const n = rnd(6); for (let i = 0; i < n; i++) a.push(gen(depth + 1)); return a; }
    default: { const o = {}; const n = rnd(6); for (let i = 0; i < n; i++) o[['id', 'name', 'value', 'list', 'x', '0', '12', 'key with space'][rnd(8)] + (rnd(3) ? '' : rnd(10))] = gen(depth + 1); return o; }
  }
}
for (let i = 0; i < 6; i++) {
  const doc = [];
  for (let j = 0; j < 30; j++) doc.push(gen(0));
  const text = JSON.stringify(doc, null, i % 2 ? 2 : undefined);
  c('round trip ' + i, 'return JSON.stringify(JSON.parse(' + JSON.stringify(text) + '))',
    'return J.stringify(nil, J.parse(nil, ' + lstr(text) + '))');
  c('round trip indented ' + i, 'return JSON.stringify(JSON.parse(' + JSON.stringify(text) + '), null, "  ")',
    'return J.stringify(nil, J.parse(nil, ' + lstr(text) + '), nil, "  ")');
}

// ------------------------------------------------------------------------------------------
// Math
const edge = [0, -0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 4503599627370495.5,
  -4503599627370495.5, 2 ** 53, -(2 ** 53), NaN, Infinity, -Infinity, -0.2, 0.2, 1e300, -1e-300, 7, -7, 3.7, -3.7];
function numCase(name, fn, xs, opts) {
  c(name, 'return [' + xs.map((x) => 'Math.' + fn + '(' + (Object.is(x, -0) ? '-0' : String(x)) + ')').join(', ') + ']',
    'return A(' + xs.map((x) => 'M:' + fn + '(' + lnum(x) + ')').join(', ') + ')', opts);
}
numCase('math round', 'round', edge);
numCase('math floor', 'floor', edge);
numCase('math ceil', 'ceil', edge);
numCase('math trunc', 'trunc', edge);
numCase('math sign', 'sign', edge);
numCase('math abs', 'abs', edge);
numCase('math sqrt', 'sqrt', [0, -0, 4, 2, -1, Infinity, NaN, 1e-310, 0.25]);
numCase('math cbrt', 'cbrt', [27, -8, 0, -0, 1e-320, 2, 3, 1e300, -1e-300, Infinity, -Infinity, NaN, 0.001, 64, 1000, 123456789]);
{
  // many magnitudes, subnormals included, in a loop long enough for the JIT to compile it
  const xs = [];
  for (let i = 0; i < 400; i++) {
    const e = rnd(2100) - 1080;
    const x = (1 + rnd(1000000) / 1000000) * 2 ** e * (rnd(2) ? -1 : 1);
    xs.push(x);
  }
  c('math cbrt many', 'return [' + xs.map((x) => 'Math.cbrt(' + String(x) + ')').join(', ') + ']',
    'local xs = {' + xs.map(lnum).join(', ') + '}; local out = A(); for i = 1, #xs do push(out, M:cbrt(xs[i])) end; return out');
  c('math fround many', 'return [' + xs.map((x) => 'Math.fround(' + String(x) + ')').join(', ') + ']',
    'local xs = {' + xs.map(lnum).join(', ') + '}; local out = A(); for i = 1, #xs do push(out, M:fround(xs[i])) end; return out');
  c('math round many', 'return [' + xs.map((x) => 'Math.round(' + String(x / 2 ** (Math.round(Math.log2(Math.abs(x))) - 3)) + ')').join(', ') + ']',
    'local xs = {' + xs.map((x) => lnum(x / 2 ** (Math.round(Math.log2(Math.abs(x))) - 3))).join(', ') + '}; local out = A(); for i = 1, #xs do push(out, M:round(xs[i])) end; return out');
}
numCase('math fround', 'fround', [5.5, 5.05, 1e40, -1e40, NaN, -0, 2 ** -149, 2 ** -150, 1.337, 16777217, 3.4028235677973366e38]);
numCase('math clz32', 'clz32', [0, 1, -1, 2 ** 31, 2 ** 32, 0.5, NaN, 65535, 65536, 2 ** 32 + 3, -(2 ** 31)]);
const libm = [[0, -0, 0.5, -0.5, 1, 2, 10, 100, 0.001, 3.14159], ['sin', 'cos', 'tan', 'atan', 'exp', 'sinh', 'cosh', 'tanh', 'asinh', 'expm1', 'log1p']];
for (const fn of libm[1]) numCase('math ' + fn, fn, libm[0].concat([NaN, Infinity, -Infinity]), { approx: true });
numCase('math asin', 'asin', [0, -0, 0.5, -0.5, 1, -1, 2, NaN], { approx: true });
numCase('math acos', 'acos', [0, 0.5, -0.5, 1, -1, 2, NaN], { approx: true });
numCase('math atanh', 'atanh', [0, -0, 0.5, -0.5, 1, -1, 2, NaN], { approx: true });
numCase('math acosh', 'acosh', [1, 2, 10, 0.5, Infinity, NaN], { approx: true });
numCase('math log', 'log', [1, Math.E, 10, 0, -0, -1, Infinity, NaN, 0.5], { approx: true });
numCase('math log10', 'log10', [1, 10, 1000, 1e-5, 0, -1, 2, Infinity], { approx: true });
numCase('math log2', 'log2', [1, 2, 8, 1024, 0.5, 0, -1, 3, Infinity], { approx: true });
c('math atan2', L`return [Math.atan2(1, 1), Math.atan2(0, -0), Math.atan2(-0, -0), Math.atan2(-0, 0), Math.atan2(1, 0), Math.atan2(Infinity, -Infinity), Math.atan2(NaN, 1), Math.atan2(-1, -1)]`,
  L`return A(M:atan2(1, 1), M:atan2(0, -0.0), M:atan2(-0.0, -0.0), M:atan2(-0.0, 0), M:atan2(1, 0), M:atan2(1/0, -1/0), M:atan2(0/0, 1), M:atan2(-1, -1))`, { approx: true });
c('math max min',
  L`return [Math.max(), Math.min(), Math.max(1, 3, 2), Math.min(1, 3, 2), Math.max(NaN, 1), Math.max(1, NaN), Math.min(1, NaN),
    Math.max(-0, 0), Math.max(0, -0), Math.min(-0, 0), Math.min(0, -0), Math.max(-0, -0), Math.max('3', 2), Math.min(true, '2'), Math.max(-Infinity),
    Math.max(undefined, 1), Math.min(null, 1), Math.max(-1, -2), Math.min(-1, -2)]`,
  L`return A(M:max(), M:min(), M:max(1, 3, 2), M:min(1, 3, 2), M:max(0/0, 1), M:max(1, 0/0), M:min(1, 0/0),
    M:max(-0.0, 0), M:max(0, -0.0), M:min(-0.0, 0), M:min(0, -0.0), M:max(-0.0, -0.0), M:max("3", 2), M:min(true, "2"), M:max(-1/0),
    M:max(nil, 1), M:min(R.null, 1), M:max(-1, -2), M:min(-1, -2))`);
c('math pow',
  L`return [Math.pow(NaN, 0), Math.pow(1, Infinity), Math.pow(-1, -Infinity), Math.pow(1, NaN), Math.pow(2, 0.5), Math.pow(-8, 1 / 3), Math.pow(0, -1),
    Math.pow(-0, -1), Math.pow(-0, -2), Math.pow(-0, 3), Math.pow(2, 1024), Math.pow(2, -1074), Math.pow(-2, 3), Math.pow(10, 2), Math.pow('2', '3'), Math.pow(0.5, -Infinity), Math.pow(-Infinity, 3)]`,
  L`return A(M:pow(0/0, 0), M:pow(1, 1/0), M:pow(-1, -1/0), M:pow(1, 0/0), M:pow(2, 0.5), M:pow(-8, 1 / 3), M:pow(0, -1),
    M:pow(-0.0, -1), M:pow(-0.0, -2), M:pow(-0.0, 3), M:pow(2, 1024), M:pow(2, -1074), M:pow(-2, 3), M:pow(10, 2), M:pow("2", "3"), M:pow(0.5, -1/0), M:pow(-1/0, 3))`);
c('math imul',
  L`return [Math.imul(2, 3), Math.imul(-1, 8), Math.imul(0xffffffff, 5), Math.imul(0x7fffffff, 0x7fffffff), Math.imul(0x12345678, 0x87654321),
    Math.imul(1e10, 1e10), Math.imul(NaN, 1), Math.imul(-0x80000000, -1), Math.imul(3.9, '4'), Math.imul(65537, 65537)]`,
  L`return A(M:imul(2, 3), M:imul(-1, 8), M:imul(0xffffffff, 5), M:imul(0x7fffffff, 0x7fffffff), M:imul(0x12345678, 0x87654321),
    M:imul(1e10, 1e10), M:imul(0/0, 1), M:imul(-0x80000000, -1), M:imul(3.9, "4"), M:imul(65537, 65537))`);
c('math hypot',
  L`return [Math.hypot(), Math.hypot(3, 4), Math.hypot(NaN, Infinity), Math.hypot(NaN, 1), Math.hypot(-0), Math.hypot(1e200, 1e200), Math.hypot(1, 2, 3),
    Math.hypot(-3), Math.hypot(0.1, 0.2, 0.3, 0.4), Math.hypot(1e-200, 1e-200), Math.hypot(-Infinity, NaN), Math.hypot('3', '4')]`,
  L`return A(M:hypot(), M:hypot(3, 4), M:hypot(0/0, 1/0), M:hypot(0/0, 1), M:hypot(-0.0), M:hypot(1e200, 1e200), M:hypot(1, 2, 3),
    M:hypot(-3), M:hypot(0.1, 0.2, 0.3, 0.4), M:hypot(1e-200, 1e-200), M:hypot(-1/0, 0/0), M:hypot("3", "4"))`);
c('math constants',
  L`return [Math.E, Math.LN10, Math.LN2, Math.LOG10E, Math.LOG2E, Math.PI, Math.SQRT1_2, Math.SQRT2, Math[Symbol.toStringTag], Object.keys(Math).length]`,
  L`return A(M.E, M.LN10, M.LN2, M.LOG10E, M.LOG2E, M.PI, M.SQRT1_2, M.SQRT2, M[R.sym_toStringTag], select(2, R.ownkeys(M)))`);
c('math argument conversion',
  L`return [Math.abs('-5'), Math.floor(null), Math.sqrt(undefined), Math.ceil('1.2'), Math.round(' 2.5 '), Math.trunc(true), Math.sign('-3'), Math.abs([].length), Math.floor('x')]`,
  L`return A(M:abs("-5"), M:floor(R.null), M:sqrt(nil), M:ceil("1.2"), M:round(" 2.5 "), M:trunc(true), M:sign("-3"), M:abs(0), M:floor("x"))`);

// ------------------------------------------------------------------------------------------
// Number, Boolean, globals
function methodCase(name, method, pairs) {
  c(name, 'return [' + pairs.map(([x, a]) => '(' + (Object.is(x, -0) ? '-0' : String(x)) + ').' + method + '(' + (a === undefined ? '' : String(a)) + ')').join(', ') + ']',
    'return A(' + pairs.map(([x, a]) => lnum(x) + ':' + method + '(' + (a === undefined ? '' : (typeof a === 'number' ? lnum(a) : a)) + ')').join(', ') + ')');
}
methodCase('number toString radix', 'toString', [[255, 16], [255, 2], [-255, 36], [0.5, 2], [255], [255, 10], [-0, 2], [NaN, 16], [Infinity, 2], [1e21, 36], [3.75, 8], [255, 16.9], [2 ** 53 + 2, 7]]);
methodCase('number toFixed', 'toFixed', [[1.005, 2], [1.45, 1], [-1.5, 0], [2.5], [1e21, 2], [NaN, 2], [0, 2], [-0, 2], [0.000001, 7], [123.456, 10], [-0.001, 2], [1.23e-10, 20], [99.995, 2], [Infinity, 1], [5e-324, 100]]);
methodCase('number toPrecision', 'toPrecision', [[123.456, 4], [0.00001234, 2], [1e21, 3], [123.456], [0, 5], [NaN, 200], [-1.5, 1], [123456, 2], [0.000001, 1], [1e-7, 1], [Infinity, 0], [99.99, 3], [1.25, 2]]);
methodCase('number toExponential', 'toExponential', [[123456, 2], [0], [1.5], [NaN, 200], [-0.00015, 1], [1e21], [5e-324], [25, 0], [1.45, 1], [-Infinity, -5], [0, 3], [123.456]]);
methodCase('number toLocaleString', 'toLocaleString', [[1.0005], [1e21], [-0], [NaN], [Infinity], [-Infinity], [1234567.891], [0.0001], [1e-7], [123.4565], [5e-324], [-1234.5], [-0.0001], [-0.0005], [0.0005], [999.9995], [999999.9999], [1e20], [0.1 + 0.2], [12], [1234], [-1234.0004], [2 ** 70], [1.5e300], [0.125], [1000], [100], [-999.9999]]);
c('number range errors 1', L`return (1).toString(1)`, L`return (1):toString(1)`);
c('number range errors 2', L`return (1).toString(37)`, L`return (1):toString(37)`);
c('number range errors 3', L`return (1).toFixed(101)`, L`return (1):toFixed(101)`);
c('number range errors 4', L`return (1).toFixed(-1)`, L`return (1):toFixed(-1)`);
c('number range errors 5', L`return (1).toPrecision(0)`, L`return (1):toPrecision(0)`);
c('number range errors 6', L`return (1).toPrecision(101)`, L`return (1):toPrecision(101)`);
c('number range errors 7', L`return (1).toExponential(-1)`, L`return (1):toExponential(-1)`);
c('number range errors 8', L`return (1).toFixed(Infinity)`, L`return (1):toFixed(1/0)`);
c('number this errors', L`return Number.prototype.toFixed.call('1', 2)`, L`return G.Number.prototype.toFixed("1", 2)`);
c('number valueOf and boxing',
  L`const n = new Number(5); return [n.valueOf(), typeof n, n + 1, String(n), n.toFixed(1), Number.prototype.valueOf.call(7), (3).valueOf(), typeof Number(n)]`,
  L`local n = new(G.Number, 5); return A(n:valueOf(), R.typeof(n), R.add(n, 1), R.tostr(n), n:toFixed(1), G.Number.prototype.valueOf(7), (3):valueOf(), R.typeof(G.Number(nil, n)))`);
c('number conversion',
  L`return [Number(), Number('  12  '), Number('0x1f'), Number(''), Number(null), Number(undefined), Number(true), Number('1e3'), Number('abc'), Number('-0'), Number('Infinity'), Number('0b101'), Number(' \n')]`,
  L`return A(G.Number(nil), G.Number(nil, "  12  "), G.Number(nil, "0x1f"), G.Number(nil, ""), G.Number(nil, R.null), G.Number(nil, nil), G.Number(nil, true), G.Number(nil, "1e3"), G.Number(nil, "abc"), G.Number(nil, "-0"), G.Number(nil, "Infinity"), G.Number(nil, "0b101"), G.Number(nil, " \n"))`);
c('number statics',
  L`return [Number.isInteger(5), Number.isInteger(5.5), Number.isInteger('5'), Number.isInteger(Infinity), Number.isSafeInteger(2 ** 53), Number.isSafeInteger(2 ** 53 - 1),
    Number.isFinite('5'), Number.isFinite(5), Number.isFinite(NaN), Number.isNaN('x'), Number.isNaN(NaN), Number.EPSILON, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER,
    Number.MAX_VALUE, Number.MIN_VALUE, Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, Number.parseInt === parseInt, Number.parseFloat === parseFloat, Number.isInteger(-0)]`,
  L`local N = G.Number
    return A(N:isInteger(5), N:isInteger(5.5), N:isInteger("5"), N:isInteger(1/0), N:isSafeInteger(2^53), N:isSafeInteger(2^53 - 1),
      N:isFinite("5"), N:isFinite(5), N:isFinite(0/0), N:isNaN("x"), N:isNaN(0/0), N.EPSILON, N.MAX_SAFE_INTEGER, N.MIN_SAFE_INTEGER,
      N.MAX_VALUE, N.MIN_VALUE, N.NaN, N.NEGATIVE_INFINITY, N.POSITIVE_INFINITY, rawequal(N.parseInt, G.parseInt), rawequal(N.parseFloat, G.parseFloat), N:isInteger(-0.0))`);
c('global parse functions',
  L`return [parseInt('0x1f'), parseInt('12px'), parseInt('  -42'), parseInt('101', 2), parseInt('z', 36), parseInt(''), parseInt('1e3'), parseInt(0.0000005), parseInt(null, 36),
    parseInt('12', '16'), parseInt('-0'), parseInt('9', 8), parseFloat('3.14abc'), parseFloat('.5'), parseFloat('-Infinityx'), parseFloat('e5'), parseFloat('  1e3x'), parseFloat(null),
    isNaN('abc'), isNaN('12'), isNaN(undefined), isFinite('12'), isFinite(Infinity), isFinite(null), NaN, Infinity]`,
  L`local P, F = G.parseInt, G.parseFloat
    return A(P(nil, "0x1f"), P(nil, "12px"), P(nil, "  -42"), P(nil, "101", 2), P(nil, "z", 36), P(nil, ""), P(nil, "1e3"), P(nil, 0.0000005), P(nil, R.null, 36),
      P(nil, "12", "16"), P(nil, "-0"), P(nil, "9", 8), F(nil, "3.14abc"), F(nil, ".5"), F(nil, "-Infinityx"), F(nil, "e5"), F(nil, "  1e3x"), F(nil, R.null),
      G.isNaN(nil, "abc"), G.isNaN(nil, "12"), G.isNaN(nil, nil), G.isFinite(nil, "12"), G.isFinite(nil, 1/0), G.isFinite(nil, R.null), rawget(G, "NaN"), rawget(G, "Infinity"))`);
c('number primitive store', L`(5).x = 1`, L`local n = 5; n.x = 1`);
c('boolean primitive store', L`true.x = 1`, L`local b = true; b.x = 1`);
c('boolean',
  L`return [Boolean(''), Boolean('0'), Boolean(NaN), Boolean(), Boolean({}), (true).toString(), false.toString(), !!new Boolean(false), new Boolean(false).valueOf(),
    typeof new Boolean(true), Boolean.prototype.toString.call(new Boolean(true)), true + 1, true * 3, -true, false - true]`,
  L`local B = G.Boolean; local t, f = true, false
    return A(B(nil, ""), B(nil, "0"), B(nil, 0/0), B(nil), B(nil, O()), t:toString(), f:toString(), R.truthy(new(B, false)), new(B, false):valueOf(),
      R.typeof(new(B, true)), B.prototype.toString(new(B, true)), t + 1, t * 3, -t, f - t)`);
c('boolean this error', L`return Boolean.prototype.toString.call(1)`, L`return G.Boolean.prototype.toString(1)`);
c('number method lookups on primitives',
  L`return [(12).constructor === Number, typeof (1).toFixed, true.constructor === Boolean, (5).nothing]`,
  L`return A(rawequal((12).constructor, G.Number), type((1).toFixed), rawequal((true).constructor, G.Boolean), (5).nothing)`);

// ------------------------------------------------------------------------------------------
// Symbol
c('symbol basics',
  L`const s = Symbol('x'); return [s.toString(), s.description, Symbol().description, Symbol(123).description, Symbol().toString(), typeof s, s.valueOf() === s,
    Symbol.prototype.toString.call(s), Symbol('') .description, Symbol(undefined).description, s[Symbol.toPrimitive]() === s, Symbol.prototype[Symbol.toStringTag]]`,
  L`local s = G.Symbol(nil, "x"); return A(s:toString(), s.description, G.Symbol(nil).description, G.Symbol(nil, 123).description, G.Symbol(nil):toString(), R.typeof(s), s:valueOf() == s,
    G.Symbol.prototype.toString(s), G.Symbol(nil, "").description, G.Symbol(nil, nil).description, s[R.sym_toPrimitive](s) == s, G.Symbol.prototype[R.sym_toStringTag])`);
c('symbol registry',
  L`const a = Symbol.for('k'); return [a === Symbol.for('k'), Symbol.keyFor(a), Symbol.keyFor(Symbol('k')), a === Symbol('k'), a.description, Symbol.keyFor(Symbol.iterator), Symbol.for(1) === Symbol.for('1')]`,
  L`local S = G.Symbol; local a = S["for"](S, "k"); return A(a == S["for"](S, "k"), S:keyFor(a), S:keyFor(S(nil, "k")), a == S(nil, "k"), a.description, S:keyFor(S.iterator), S["for"](S, 1) == S["for"](S, "1"))`);
c('symbol well-known',
  L`return [Symbol.iterator.toString(), Symbol.asyncIterator.description, Symbol.hasInstance.toString(), Symbol.toPrimitive.description, Symbol.toStringTag.description,
    Symbol.species.description, Symbol.match.description, Symbol.replace.description, Symbol.search.description, Symbol.split.description, Symbol.unscopables.description,
    Symbol.isConcatSpreadable.description, Symbol.matchAll.description, typeof Symbol.iterator]`,
  L`local S = G.Symbol; return A(S.iterator:toString(), S.asyncIterator.description, S.hasInstance:toString(), S.toPrimitive.description, S.toStringTag.description,
    S.species.description, S.match.description, S.replace.description, S.search.description, S.split.description, S.unscopables.description,
    S.isConcatSpreadable.description, S.matchAll.description, R.typeof(S.iterator))`);
c('symbol iterator is core symbol', L`return Symbol.iterator === Symbol.iterator`, L`return rawequal(G.Symbol.iterator, R.sym_iterator)`);
c('symbol new', L`return new Symbol()`, L`return new(G.Symbol)`);
c('symbol keyFor non-symbol', L`return Symbol.keyFor('a')`, L`return G.Symbol:keyFor("a")`);
c('symbol to string conversion', L`return '' + Symbol('x')`, L`return R.tostr(G.Symbol(nil, "x"))`, { nameonly: true });
c('symbol this error', L`return Symbol.prototype.toString.call(1)`, L`return G.Symbol.prototype.toString(1)`);
c('symbol primitive store', L`Symbol('a').x = 1`, L`local s = G.Symbol(nil, "a"); s.x = 1`);

const out = { generated_by: 'node ' + process.version, cases };
fs.writeFileSync(path.join(__dirname, 'builtins_data_cases.json'), JSON.stringify(out, null, 1) + '\n');
console.log('wrote', cases.length, 'cases');
