#!/usr/bin/env node
// Generates tests/runtime/string_cases.json: calls of String.prototype methods, String
// statics and RegExp operations with the results node gives for them.  Run with
// `node tests/runtime/gen_string_cases.js` after changing the inputs; the JSON is checked in
// so the tests need no node.
//
// Values travel as JSON with markers for what JSON lacks (the Lua side of
// test_strings.py decodes and encodes the same way):
//   {"$u":1} undefined        {"$n":"NaN"|"Infinity"|"-Infinity"|"-0"} special numbers
//   {"$re":[source, flags]}   a RegExp argument (a result RegExp is {"$re": "/src/flags"})
//   {"$fn":name}              a replacer function from FUNCS below (same in test_strings.py)
//   {"$obj":[[k, v], ...]}    a plain object (own enumerable string keys in order)
//   {"$arr":[...], k: v}      an array with extra own properties (match results)
//   {"$sym":desc}             a symbol
//   {"$throw":name}           the call threw an error of that name
// Plain JSON arrays are arrays; strings may hold lone surrogates (JSON \ud800 escapes).
'use strict';
const fs = require('fs');
const path = require('path');

// Replacer functions; test_strings.py has Lua twins with the same behaviour.
const FUNCS = {
  upper: (m) => m.toUpperCase(),
  // every argument, joined: shows captures, offset, input and groups
  args: (...a) => a.map((x) => (x !== null && typeof x === 'object'
    ? '{' + Object.keys(x).map((k) => k + ':' + String(x[k])).join(',') + '}'
    : String(x))).join('|'),
  double: (d) => d * 2,
  undef: () => undefined,
  offset: (m, off) => `<${off}>`,
};

function dec(v) {
  if (Array.isArray(v)) return v.map(dec);
  if (v !== null && typeof v === 'object') {
    if ('$u' in v) return undefined;
    if ('$n' in v) return { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 }[v.$n];
    if ('$re' in v) return new RegExp(v.$re[0], v.$re[1]);
    if ('$fn' in v) return FUNCS[v.$fn];
    if ('$obj' in v) return Object.fromEntries(v.$obj.map(([k, x]) => [k, dec(x)]));
    if ('$sym' in v) return Symbol(v.$sym);
  }
  return v;
}

function enc(v) {
  if (v === undefined) return { $u: 1 };
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $n: 'NaN' };
    if (v === Infinity) return { $n: 'Infinity' };
    if (v === -Infinity) return { $n: '-Infinity' };
    if (Object.is(v, -0)) return { $n: '-0' };
    return v;
  }
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'symbol') return { $sym: v.description };
  if (typeof v === 'function') return { $fn: 1 };
  if (v instanceof RegExp) return { $re: String(v) };
  if (Array.isArray(v)) {
    const items = [];
    for (let i = 0; i < v.length; i++) items.push(enc(v[i]));
    const extra = Object.keys(v).filter((k) => !/^\d+$/.test(k));
    if (extra.length === 0) return items;
    const o = { $arr: items };
    for (const k of extra) o[k] = enc(v[k]);
    return o;
  }
  return { $obj: Object.keys(v).map((k) => [k, enc(v[k])]) };
}

function attempt(f) {
  try {
    return enc(f());
  } catch (e) {
    return { $throw: e.name };
  }
}

const U = { $u: 1 };
const num = (x) => enc(x);                 // arguments use the same markers as results
const re = (src, flags = '') => ({ $re: [src, flags] });
const fn = (name) => ({ $fn: name });

const cases = [];

// String.prototype[m].call(t, ...args); iterators are spread into arrays
function call(m, t, ...args) {
  const c = { k: 'call', m, t, a: args };
  c.r = attempt(() => {
    const f = m === '@@iterator' ? String.prototype[Symbol.iterator] : String.prototype[m];
    const r = f.call(dec(t), ...dec(args));
    return (m === '@@iterator' || m === 'matchAll') ? [...r] : r;
  });
  cases.push(c);
}
function stat(m, ...args) {
  cases.push({ k: 'static', m, a: args, r: attempt(() => String[m](...dec(args))) });
}
// a RegExp object and a sequence of operations on it (lastIndex carries over)
function reops(src, flags, ...ops) {
  const c = { k: 're', src, flags, ops, r: [] };
  let rx;
  try {
    rx = new RegExp(src, flags);
  } catch (e) {
    c.r = { $throw: e.name };
    cases.push(c);
    return;
  }
  for (const [op, ...a] of ops) {
    const args = dec(a);
    c.r.push(attempt(() => {
      switch (op) {
        case 'get': return rx[args[0]];
        case 'set': rx[args[0]] = args[1]; return rx[args[0]];
        case 'toString': return String(rx);
        case 'exec': return rx.exec(args[0]);
        case 'test': return rx.test(args[0]);
        case 'matchAll': return [...args[0].matchAll(rx)];
        default: return args[0][op](rx, ...args.slice(1));  // match, replace, split, search...
      }
    }));
  }
  cases.push(c);
}

const SAMPLES = ['', 'abc', 'Hello, World', 'héllo', 'a😀b中', '😀', '中文字', 'e\u0301',
  'ñandú', 'x\ud800y', '\udc00', 'naïve café', '  \t spaced \n ', '\u00a0\ufeffx\u2028\u3000'];

// ---- access
for (const s of SAMPLES) {
  call('@@iterator', s);
  call('split', s, '');
  for (const i of [0, 1, 2, 3, -1, 99]) {
    call('charAt', s, i);
    call('charCodeAt', s, i);
    call('codePointAt', s, i);
    call('at', s, i);
  }
  call('toUpperCase', s);
  call('toLowerCase', s);
  call('trim', s);
  call('trimStart', s);
  call('trimEnd', s);
}
call('charAt', 'abc', num(1.7));
call('charAt', 'abc', '1');
call('charAt', 'abc', U);
call('charAt', 'abc', num(NaN));
call('charCodeAt', 'abc', num(-0.5));
call('at', 'abc', num(-Infinity));
call('at', 'a😀', -1);
call('codePointAt', 'a😀', 1);
call('codePointAt', 'a😀', 2);
call('codePointAt', '\ud83d', 0);
call('charAt', null, 0);
call('charAt', U, 0);
call('slice', 12345, 1, 3);
call('toUpperCase', true);

// ---- searching
const H = 'Hello, World';
for (const [sub, pos] of [['o', U], ['o', 5], ['xyz', U], ['', U], ['', 99], ['l', -5], ['World', 7], ['d', 12]]) {
  call('indexOf', H, sub, pos);
  call('lastIndexOf', H, sub, pos);
  call('includes', H, sub, pos);
  call('startsWith', H, sub, pos);
  call('endsWith', H, sub, pos);
}
call('lastIndexOf', 'canal', 'a', 0);
call('lastIndexOf', 'canal', 'a', num(NaN));
call('lastIndexOf', 'canal', '', 2);
call('lastIndexOf', 'aaaa', 'aa');
call('indexOf', 'a😀b中', 'b');
call('indexOf', 'a😀b中', '中');
call('indexOf', 'a😀b中', '😀');
call('indexOf', 'a😀b😀', '😀', 2);
call('indexOf', 'a😀b😀', 'b', 2);
call('lastIndexOf', 'a😀b😀', '😀');
call('lastIndexOf', 'a😀b😀', '😀', 3);
call('lastIndexOf', 'a😀b😀', 'a', 2);
call('includes', 'a😀', '😀');
call('startsWith', '中文字', '中文');
call('startsWith', '中文字', '文', 1);
call('endsWith', '中文字', '文', 2);
call('endsWith', 'a😀', '😀');
call('includes', 'abc', re('b'));
call('startsWith', 'abc', re('a'));
call('indexOf', 'a null b', null);
call('includes', 'undefined', U);
call('search', H, re('o\\s'));
call('search', H, 'W');
call('search', H, 'x');
call('search', 'a.b', '.');
call('search', 'a😀b', re('b'));

// ---- slicing
for (const s of [H, 'a😀b中', 'héllo']) {
  for (const [a, b] of [[1, 3], [7, U], [-5, U], [0, -7], [5, 2], [-3, 4], [2, 2], [U, U], [1, 99], [num(NaN), 2]]) {
    call('slice', s, a, b);
    call('substring', s, a, b);
    call('substr', s, a, b);
  }
}
call('slice', 'a😀b', 1, 2);
call('slice', 'a😀b', 2, 4);
call('substring', '😀😀', 1, 3);
call('substr', '😀', 0, 1);

// ---- case mapping
for (const s of ['café déjà vu', 'ΑΒΓ', 'ÉCOLE', 'Ωmega', 'straße', 'ΟΔΟΣ ΑΣ.', 'Σ', 'ΑΣΑ', 'ﬁ', 'İstanbul',
  'ǅ', 'Привет Мир', 'ԱԲԳ', 'ÿŸ', 'µ', '𐐀𐐨', 'ŉ', 'ǰ', 'ΐ', 'mIxEd 123 ÀÉÎÕÜ']) {
  call('toUpperCase', s);
  call('toLowerCase', s);
  call('toLocaleUpperCase', s);
  call('toLocaleLowerCase', s);
}

// ---- padding, repeat, concat
for (const [s, n, f] of [['abc', 8, U], ['abc', 8, '*'], ['abc', 8, '12'], ['abc', 2, U], ['abc', 6, ''],
  ['é', 3, '*'], ['中', 4, '-'], ['ab', 5, '中'], ['x', 4, '😀'], ['x', 3, '😀'], ['7', 3, 0], ['a', num(NaN), U],
  ['a', '3', U], ['a', -1, U]]) {
  call('padStart', s, n, f);
  call('padEnd', s, n, f);
}
for (const n of [0, 1, 3, 2.5, '2', -1, num(Infinity), num(NaN), U]) call('repeat', 'ab', n);
call('repeat', '😀', 3);
call('repeat', '', 5);
call('concat', 'a', 'b', 1, null, U, true, 2.5);
call('concat', 'a');

// ---- split with strings
for (const [s, sep, lim] of [[H, ', ', U], ['abc', '', U], ['abc', U, U], [H, 'l', U], ['a,b,c,d', ',', 2],
  ['abc', 'x', U], ['', ',', U], ['', '', U], [',a,,b,', ',', U], ['a,b', ',', 0], ['a,b', ',', -1],
  ['abc', '', 2], ['a😀b', '', U], ['a😀b', '😀', U], ['a中b中c', '中', U], ['aaa', 'aa', U], ['a1b', 1, U],
  ['anullb', null, U]]) {
  call('split', s, sep, lim);
}

// ---- replace / replaceAll with strings
const R2 = [
  ['aaa', 'a', 'b'], ['abc', 'x', 'y'], ['cat', 'a', '[$&]'], ['abc', 'b', "($`|$')"], ['price', 'price', '$$5'],
  ['abc', 'b', '$0$1$<n>$'], ['abc', '', '.'], ['', '', 'x'], ['a-b-c', '-', fn('offset')], ['a.b.c', '.', '$&$&'],
  ['a+b+c', '+', '-'], ['héllo wörld', 'ö', fn('args')], ['a😀b😀', '😀', fn('offset')], ['x', 'x', fn('undef')],
  ['1 2', ' ', 42], ['abc', 'b', null], ['😀', '', '-'], ['aXbX', 'X', '$`'],
];
for (const [s, p, r] of R2) {
  call('replace', s, p, r);
  call('replaceAll', s, p, r);
}
call('replace', 'abc', U, 'x');
call('replace', 'a undefined', U, 'x');
call('replaceAll', 'abc', re('b'), 'x');

// ---- localeCompare
for (const [a, b] of [['a', 'b'], ['b', 'a'], ['same', 'same'], ['a', 'B'], ['B', 'a'], ['a', 'A'], ['A', 'a'],
  ['résumé', 'resume'], ['é', 'f'], ['e', 'é'], ['ä', 'ae'], ['æ', 'af'], ['ß', 'st'], ['z', 'ä'],
  ['apple', 'Apple'], ['10', '9'], ['a b', 'ab'], ['', 'a'], ['a', ''], ['_x', 'x'], ['α', 'z'], ['Б', 'а'],
  ['pear', 'fig'], ['kiwi', 'apple'], ['a1', 'a-'], ['hello world', 'hello-world']]) {
  call('localeCompare', a, b);
}

// ---- misc
call('normalize', 'abc');
call('normalize', 'abc', 'NFD');
call('normalize', 'abc', 'bogus');
call('toString', 'abc');
call('valueOf', 'abc');
call('toString', 5);
call('trim', '\u1680\u2000x\u200a\u202f\u205f');
call('trim', '\u200bx');
call('trim', '\u180ex');

// ---- statics
stat('fromCharCode', 72, 105);
stat('fromCharCode', 0x263a);
stat('fromCharCode', 0xd83d, 0xde00);
stat('fromCharCode', 0xd83d);
stat('fromCharCode', 0xde00, 0xd83d);
stat('fromCharCode', 65.9, -1, 65536 + 66, '67', num(NaN));
stat('fromCharCode');
stat('fromCharCode', 0xe9, 0x4e2d, 0x80, 0x7ff, 0x800);
stat('fromCodePoint', 0x1f600);
stat('fromCodePoint', 0x4e2d, 0x6587, 0x1f600, 0xe9);
stat('fromCodePoint', 0xd83d, 0xde00);
stat('fromCodePoint', -1);
stat('fromCodePoint', 0x110000);
stat('fromCodePoint', 1.5);
stat('fromCodePoint', num(NaN));
stat('fromCodePoint');
stat('raw', { $obj: [['raw', ['x', 'y', 'z']]] }, 1, 2, 3);
stat('raw', { $obj: [['raw', ['a', 'b']]] });
stat('raw', { $obj: [['raw', ['a', 'b', 'c']]] }, 1);
stat('raw', { $obj: [['raw', 'xyz']] }, '-', '+');
stat('raw', { $obj: [['raw', []]] });

// ---- RegExp
reops('abc', '', ['test', 'xabcx'], ['test', 'ab'], ['exec', 'xxabc'], ['get', 'lastIndex'], ['get', 'source'],
  ['get', 'flags'], ['get', 'global'], ['toString']);
reops('(\\d{4})-(\\d{2})-(\\d{2})', '', ['exec', 'Date: 2024-03-15, later'], ['exec', 'none']);
reops('(a)(b)?(c)', '', ['exec', 'ac']);
reops('(?<year>\\d{4})-(?<month>\\d{2})', '', ['exec', 'on 1999-12 we'], ['replace', '1999-12', '$<month>/$<year>'],
  ['replace', '1999-12', fn('args')], ['match', 'x 2000-01']);
reops('(?<a>x)|(?<b>y)', 'g', ['exec', 'y'], ['replace', 'xy', '[$<a>|$<b>]']);
reops('o', 'g', ['exec', 'foo boo'], ['get', 'lastIndex'], ['exec', 'foo boo'], ['get', 'lastIndex'],
  ['exec', 'foo boo'], ['exec', 'foo boo'], ['exec', 'foo boo'], ['get', 'lastIndex'], ['exec', 'foo boo']);
reops('a', 'g', ['test', 'aa'], ['get', 'lastIndex'], ['test', 'aa'], ['get', 'lastIndex'], ['test', 'aa'],
  ['get', 'lastIndex']);
reops('foo', 'y', ['set', 'lastIndex', 3], ['test', 'barfoo'], ['get', 'lastIndex'], ['set', 'lastIndex', 1],
  ['test', 'barfoo'], ['get', 'lastIndex'], ['exec', 'foo'], ['get', 'lastIndex']);
reops('\\s*(\\d+|[+*()-])', 'y', ['exec', '12 + 3*(4 - 5)'], ['exec', '12 + 3*(4 - 5)'], ['get', 'lastIndex'],
  ['match', '1 2x'], ['search', 'x1'], ['search', '1']);
reops('ab', 'gimsy', ['get', 'flags'], ['get', 'global'], ['get', 'ignoreCase'], ['get', 'multiline'],
  ['get', 'dotAll'], ['get', 'sticky'], ['get', 'unicode'], ['get', 'hasIndices'], ['get', 'source']);
reops('a/b', '', ['get', 'source'], ['toString']);
reops('[/]', '', ['get', 'source']);
reops('a\nb', '', ['get', 'source']);
reops('', '', ['get', 'source'], ['toString'], ['split', 'abc'], ['replace', 'abc', '-']);
reops('(unclosed', '', ['toString']);
reops('a', 'gg', ['toString']);
reops('a', 'q', ['toString']);
reops('\\d+', '', ['match', 'a1b22c333'], ['split', 'a1b22c333d'], ['search', 'ab1']);
reops('\\d+', 'g', ['match', 'a1b22c333'], ['match', 'abc'], ['replace', '1 2 3', fn('double')],
  ['replaceAll', 'a1b2', '#'], ['get', 'lastIndex'], ['matchAll', 'a1b22']);
reops('a*', 'g', ['match', 'baaac'], ['replace', 'baaac', '-'], ['matchAll', 'baa']);
reops('(?:)', 'g', ['replace', 'abc', '-'], ['split', 'abc'], ['replace', 'a😀b', '-'], ['match', 'a😀']);
reops('x*', 'g', ['replace', 'abc', '-']);
reops('\\b', 'g', ['replace', 'one two', '|'], ['split', 'hi there']);
reops('(\\w+)\\s(\\w+)', '', ['replace', 'John Smith', '$2, $1'], ['replace', 'John Smith', '$& $` $\' $$ $3 $10']);
reops('(b)', '', ['replace', 'abc', '$10'], ['replace', 'abc', '$9'], ['replace', 'abc', '$01'],
  ['replace', 'abc', '$00'], ['replace', 'abc', '$<x>'], ['replace', 'abc', fn('args')]);
reops('(a)(x)?', '', ['replace', 'ac', '[$2]'], ['replace', 'ac', fn('args')]);
reops('(\\w)(\\d)', 'g', ['replace', 'a1 b2 c3', '$2$1']);
reops('cat', 'gi', ['replace', 'Cat cAt CAT dog', 'pet']);
reops('\\b\\w', 'g', ['replace', 'hello big world', fn('upper')]);
reops('(\\d)(\\d+)', 'g', ['replace', 'x-12-y-345', fn('args')]);
reops('(?<key>\\w+)=(?<val>\\w+)', 'g', ['replace', 'k1=v1;k2=v2', fn('args')], ['matchAll', 'x=1, y=22']);
reops('[^\\x00-\\x7f]', 'g', ['replace', 'naïve café 😀', '?']);
reops('é', 'g', ['replace', 'héllo wé', fn('args')], ['exec', 'aé'], ['get', 'lastIndex'], ['exec', 'aé'],
  ['matchAll', '😀é中é']);
reops('(\\d)', '', ['split', 'a1b2c']);
reops('(-|(_))', '', ['split', 'a-b_c']);
reops('\\d', '', ['split', 'a1b2c3d', 2], ['split', 'a1b2c3d', 0], ['split', '', U]);
reops(',', '', ['split', ''], ['split', 'a,b', U]);
reops('x*', '', ['split', ''], ['split', 'axbxxc']);
reops('-', '', ['split', '-a-b-']);
reops('<=?>', '', ['split', 'a<>b<=>c']);
reops('\\r\\n|\\r|\\n', '', ['split', 'l1\r\nl2\nl3\rl4']);
reops('\\s*,\\s*', '', ['split', 'a, b,c ,  d']);
reops('(\\d+)', '', ['split', 'one1two22three']);
reops('', '', ['split', 'a😀中']);
reops('(?:)', 'u', ['split', 'a😀中'], ['replace', 'a😀', '-']);
reops('中', '', ['split', 'a中b中'], ['exec', 'xx中'], ['search', '文中']);
reops('\\d', 'g', ['exec', '😀1😀2'], ['get', 'lastIndex'], ['exec', '😀1😀2'], ['get', 'lastIndex'],
  ['set', 'lastIndex', 99], ['exec', '😀1😀2'], ['get', 'lastIndex']);
reops('(?<d>\\d)', 'dg', ['exec', 'a1'], ['exec', 'x😀2']);
reops('b', '', ['matchAll', 'abc']);
reops('o', 'g', ['set', 'lastIndex', 3], ['matchAll', 'foo boo'], ['get', 'lastIndex']);
reops('a', 'g', ['set', 'lastIndex', 5], ['replace', 'aaa', 'b'], ['get', 'lastIndex']);
reops('a', '', ['set', 'lastIndex', 5], ['replace', 'aaa', 'b'], ['get', 'lastIndex'], ['exec', 'a'],
  ['get', 'lastIndex']);
reops('a', 'y', ['replace', 'aab', 'x'], ['get', 'lastIndex'], ['replace', 'aab', 'x'], ['get', 'lastIndex']);
reops('a', 'gy', ['replace', 'aaba', 'x'], ['match', 'aaba']);
reops('^line\\d$', 'gm', ['match', 'line1\nline2\nline3']);
reops('(?<=\\$)\\d+', 'g', ['match', '$10 €20 $30']);
reops('[.*+?^${}()|[\\]\\\\]', 'g', ['replace', '1+1=2? (yes) [x] $5 a.b', '\\$&']);

fs.writeFileSync(path.join(__dirname, 'string_cases.json'),
  JSON.stringify({ generator: 'gen_string_cases.js', node: process.version, cases }, null, 0)
    .replace(/\},\{"k"/g, '},\n{"k"') + '\n');
console.log(`${cases.length} cases`);
