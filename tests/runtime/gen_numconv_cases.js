#!/usr/bin/env node
// Generates tests/runtime/numconv_cases.json: inputs for ljs.numconv with the
// results node gives for them.  Run with `node tests/runtime/gen_numconv_cases.js`
// after changing the inputs; the JSON is checked in so the tests need no node.
//
// Numbers travel as 16-hex-digit IEEE-754 bit patterns (big endian), which
// keeps NaN, +-Infinity and -0 exact.
'use strict';
const fs = require('fs');
const path = require('path');

const dv = new DataView(new ArrayBuffer(8));
function hex(x) {
  dv.setFloat64(0, x);
  return dv.getBigUint64(0).toString(16).padStart(16, '0');
}
function fromBits(b) {
  dv.setBigUint64(0, BigInt.asUintN(64, b));
  return dv.getFloat64(0);
}
function bitsOf(x) {
  dv.setFloat64(0, x);
  return dv.getBigUint64(0);
}
function nextUp(x) {
  if (x === 0) return 5e-324;
  return x > 0 ? fromBits(bitsOf(x) + 1n) : fromBits(bitsOf(x) - 1n);
}
function nextDown(x) { return -nextUp(-x); }

// Deterministic PRNG (mulberry32) so the case file is reproducible.
let seed = 0x5eed1234;
function rnd32() {
  seed = (seed + 0x6D2B79F5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0);
}
function rndInt(n) { return rnd32() % n; }
function rndBitsDouble() {
  // Any finite double, uniform over bit patterns.
  for (;;) {
    const b = (BigInt(rnd32()) << 32n) | BigInt(rnd32());
    const x = fromBits(b);
    if (Number.isFinite(x)) return x;
  }
}
function rndUnit() { return (rnd32() * 2 ** 21 + (rnd32() >>> 11)) / 2 ** 53; }
function rndHuman() {
  // Short decimals such as 12.345 or -0.07, typical of program output.
  const digits = 1 + rndInt(8);
  let m = 0;
  for (let i = 0; i < digits; i++) m = m * 10 + rndInt(10);
  const x = m / 10 ** rndInt(8);
  return rndInt(2) ? -x : x;
}
function rndAny() {
  switch (rndInt(4)) {
    case 0: return rndBitsDouble();
    case 1: return rndUnit() * 10 ** (rndInt(40) - 20);
    case 2: return rndHuman();
    default: return (rndInt(2) ? -1 : 1) * rndUnit() * 2 ** (rndInt(200) - 100);
  }
}

function uniq(xs) {
  const seen = new Set();
  const out = [];
  for (const x of xs) {
    const k = hex(x);
    if (!seen.has(k)) { seen.add(k); out.push(x); }
  }
  return out;
}

// ---------------------------------------------------------------- numbers
const special = [
  0, -0, NaN, Infinity, -Infinity, 1, -1, 7, 42, -42, 100, 255, 1000, 65535,
  2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 2 ** 53,
  2 ** 53 + 2, -(2 ** 53), -(2 ** 53 - 1), 2 ** 63, 2 ** 64, -(2 ** 64), 2 ** 70,
  1e15, 1e16, 1e17, 1e20, 1e21, 1e22, 1e23, -1e21, 123456789012345680000,
  999999999999999900000, 999999999999999999999, 1.5e21, 4.35e20,
  0.1, 0.2, 0.3, 0.1 + 0.2, 0.7, 1 / 3, 2 / 3, -1 / 3, Math.PI, Math.E,
  -Math.PI, Math.SQRT2, Math.LN2, Number.EPSILON, Number.MAX_VALUE,
  -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2.2250738585072014e-308,
  nextDown(2.2250738585072014e-308), 2.225073858507201e-308, 4.9e-324 * 3,
  1e-323, 1.5e-323, 2 ** -1074 * 12345, 2 ** -1060, 9.881312916824931e-324,
  1e-7, 1.5e-7, -1e-7, 1e-6, 0.000001, 0.0000015, 1.234e-6, 9.99e-7,
  5e-7, 0.5, 1.5, 2.5, -2.5, 3.5, 0.25, 0.125, 0.375, 1.005, 1.45, 1.55,
  10.235, 999.995, 1.0000000000000002, 0.9999999999999999, 123.456, -123.456,
  1234.5678, 0.000123, 4.35, 8.675, 1.255, 5e-5, 0.05, 0.005, 0.015, 0.025,
  0.045, 9.995, 99.99, 1e100, 1e-100, 1.7976931348623157e308, 5e-324,
  2 ** 52 + 0.5, 4503599627370495.5, 0.1 * 3, 100 / 3, 1e21 - 65536,
  9007199254740993, 18014398509481984, 295147905179352830000, 1e300 * 1.5,
  3.0000000000000004, 1.7976931348623157e307, 8.98846567431158e307,
];

const tenPowers = [];
for (let k = -326; k <= 309; k++) {
  const x = Number('1e' + k);
  tenPowers.push(x);
  if (x !== 0 && Number.isFinite(x)) {
    if (k >= -9 && k <= 23 || k % 37 === 0) {
      tenPowers.push(nextUp(x), nextDown(x), -x, 1.5 * x, 9.5 * x);
    }
  }
}
const twoPowers = [];
for (let k = -1074; k <= 1023; k += 3) twoPowers.push(2 ** k);
for (let k = 50; k <= 75; k++) twoPowers.push(2 ** k, 2 ** k + 2 ** (k - 52), -(2 ** k));

const randoms = [];
for (let i = 0; i < 300; i++) randoms.push(rndBitsDouble());
for (let i = 0; i < 150; i++) randoms.push(rndUnit());
for (let i = 0; i < 150; i++) randoms.push(rndHuman());
for (let i = 0; i < 100; i++) randoms.push(rndAny());
for (let i = 0; i < 50; i++) randoms.push(2 ** -1074 * rnd32());  // subnormals

const tostringInputs = uniq([...special, ...tenPowers, ...twoPowers, ...randoms]);

const cases = {};
cases.tostring = tostringInputs.map((x) => [hex(x), String(x)]);

// ---------------------------------------------------------------- radix
const radixValues = uniq([
  0, -0, 1, -1, 35, 36, 255, -255, 1295, 0.5, -0.5, 0.1, 0.2, 1 / 3, 2 / 3,
  Math.PI, -Math.PI, 0.000001, 1e-7, 123.456, -123.456, 2 ** 31, 2 ** 32 - 1,
  2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 60, 2 ** 60 + 2 ** 9, 1e21, 1e21 + 2 ** 20,
  1e300, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** -1074 * 3, 2.2250738585072014e-308,
  NaN, Infinity, -Infinity, 0.999999, 1 - 2 ** -53, 4503599627370495.5,
  1e-300, 6.02214076e23, 0.0625, 3.75,
]);
cases.toradix = [];
for (const x of radixValues) {
  for (let r = 2; r <= 36; r++) cases.toradix.push([hex(x), r, x.toString(r)]);
}
for (let i = 0; i < 300; i++) {
  const x = rndAny();
  const r = 2 + rndInt(35);
  cases.toradix.push([hex(x), r, x.toString(r)]);
}

// ---------------------------------------------------------------- toFixed & co.
const fmtValues = uniq([
  0, -0, NaN, Infinity, -Infinity, 0.5, 1.5, 2.5, -2.5, 3.5, -0.5, 0.25, 0.125,
  0.375, -0.125, 1.005, 1.45, 1.55, 1.255, 10.235, 999.995, 8.675, 4.35,
  0.045, 0.015, 0.025, 0.05, 0.005, 9.995, 99.99, 99.995, 0.000001, 1e-7,
  1e-10, 1e-20, 5e-324, -5e-324, 123.456, -123.456, -0.001, -1e-30, 0.1, 0.2,
  0.1 + 0.2, 1 / 3, Math.PI, Math.E, 1e20, 1e21, -1e21, 9.999999e20,
  999999999999999900000, 1.7976931348623157e308, 25, 125, 1250, 15, 35, 45,
  2 ** 53, 2 ** 53 + 2, 2 ** 70, 1e100, 12345678901234567890, 0.9999, 0.99999,
  9.5, 99.5, 999.5, 0.95, 0.0095, 1.25e-5, 5e-7, 2.5e-7, 1e-6, 1.5e-6,
  7.0000000000000001e-7, 123e-20, 1.2345e30, 0.6, 0.7, 0.8, 0.9,
]);
const fixedDigits = [0, 1, 2, 3, 4, 5, 10, 16, 17, 20, 21, 25, 50, 100];
cases.toFixed = [];
for (const x of fmtValues) {
  for (const d of fixedDigits) cases.toFixed.push([hex(x), d, x.toFixed(d)]);
}
for (let i = 0; i < 300; i++) {
  const x = rndAny();
  const d = rndInt(25);
  cases.toFixed.push([hex(x), d, x.toFixed(d)]);
}
// Exact ties k/2^n at the rounding digit: the spec picks the larger value.
for (let i = 0; i < 100; i++) {
  const n = 1 + rndInt(12);
  const x = (2 * rndInt(100000) + 1) / 2 ** n;
  const d = n - 1;
  cases.toFixed.push([hex(x), d, x.toFixed(d)]);
  cases.toFixed.push([hex(-x), d, (-x).toFixed(d)]);
}

const precDigits = [1, 2, 3, 4, 5, 6, 7, 10, 15, 16, 17, 18, 21, 22, 30, 50, 100];
cases.toPrecision = [];
for (const x of fmtValues) {
  for (const p of precDigits) cases.toPrecision.push([hex(x), p, x.toPrecision(p)]);
}
for (const x of tenPowers.filter((_, i) => i % 3 === 0)) {
  const p = 1 + rndInt(21);
  cases.toPrecision.push([hex(x), p, x.toPrecision(p)]);
}
for (let i = 0; i < 300; i++) {
  const x = rndAny();
  const p = 1 + rndInt(30);
  cases.toPrecision.push([hex(x), p, x.toPrecision(p)]);
}

const expDigits = [null, 0, 1, 2, 3, 5, 10, 15, 16, 17, 20, 21, 50, 100];
cases.toExponential = [];
for (const x of fmtValues) {
  for (const d of expDigits) {
    cases.toExponential.push([hex(x), d, d === null ? x.toExponential() : x.toExponential(d)]);
  }
}
for (let i = 0; i < 300; i++) {
  const x = rndAny();
  const d = rndInt(3) === 0 ? null : rndInt(25);
  cases.toExponential.push([hex(x), d, d === null ? x.toExponential() : x.toExponential(d)]);
}
for (let i = 0; i < 100; i++) {
  const x = tostringInputs[rndInt(tostringInputs.length)];
  cases.toExponential.push([hex(x), null, x.toExponential()]);
}
for (let i = 0; i < 60; i++) {
  // Integer ties such as 25 -> "3e+1" and 1.25 -> "1.3e+0".
  const m = 2 * rndInt(50000) + 1;
  const x = m * 5 * 10 ** rndInt(8) / 10 ** rndInt(12);
  const d = String(m).length;
  cases.toExponential.push([hex(x), d - 1, x.toExponential(d - 1)]);
}

// ---------------------------------------------------------------- strings
const WS = ' \t\n\v\f\r\u00a0\ufeff\u2028\u2029\u1680\u2000\u2001\u2005\u200a\u202f\u205f\u3000';
const HALF_MIN = '2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125';
const HALF_ONE = '1.00000000000000011102230246251565404236316680908203125';

const strings = [
  '', ' ', '   ', '\t\n', WS, '0', '-0', '+0', '00', '007', '1', '-1', '+1',
  '12', ' 12 ', '\u00a012\u3000', '\ufeff42\ufeff', '\u2028 7 \u2029',
  '\u180e1', '1\u180e', '\u00851', '\u200b1', WS + '3.5' + WS,
  '1.5', '-1.5', '.5', '-.5', '+.5', '5.', '-5.', '.', '+', '-', '+-1', '--1',
  '1e3', '1E3', '1e+3', '1e-3', '-1.5E-3', '1e', '1e+', '1e-', 'e5', '.e5',
  '0.e5', '1.e5', '5.e-1', '1e1000', '-1e1000', '1e-1000', '1e310', '1e-330',
  '1e99999999999999999999', '1e-99999999999999999999', '0e99999999999999999999',
  '1e0000000000000000000005', '1.7976931348623157e308', '1.7976931348623158e308',
  '1.7976931348623159e308', '4.9e-324', '2.5e-324', '2.4703282292062328e-324',
  '5e-324', '2.2250738585072011e-308', '2.2250738585072012e-308',
  'Infinity', '-Infinity', '+Infinity', ' Infinity ', 'infinity', 'INFINITY',
  'Infinit', 'Infinityx', 'inf', 'nan', 'NaN', '-NaN',
  '0x10', '0X10', '0x', '0x1g', '0xg', '-0x10', '+0x10', ' 0x1F ', '0x1F ',
  '0xffffffffffffffff', '0x1fffffffffffff', '0x20000000000001', '0x20000000000003',
  '0x20000000000001000001', '0x20000000000001000000', '0x1p4', '0x1.8',
  '0o17', '0O17', '0o8', '0o', '0b101', '0B101', '0b2', '0b', '-0b1',
  '0b' + '1'.repeat(60), '0b1' + '0'.repeat(52) + '1', '0b1' + '0'.repeat(52) + '11',
  '0o' + '7'.repeat(30), '0x' + 'f'.repeat(300), '0x' + 'F'.repeat(257),
  '1_000', '1,000', '1 000', '12abc', 'abc', '0.0.1', '1..2', '--', '\0', '1\0',
  '9007199254740993', '9007199254740992.5', '9007199254740993.0000000000001',
  '123456789012345678901234567890', '0.1', '0.30000000000000004', '3.14159',
  '00012.5000', '-00000.0000', '.0000000000000000000001', '1' + '0'.repeat(308),
  '1' + '0'.repeat(309), '0.' + '0'.repeat(400) + '1e401',
  HALF_MIN + 'e-324', HALF_MIN + '1e-324', HALF_MIN + '0'.repeat(2000) + '1e-324',
  HALF_MIN + '0'.repeat(2000) + 'e-324', HALF_ONE, HALF_ONE + '0'.repeat(1000) + '1',
  HALF_ONE + '0'.repeat(1000), '9'.repeat(800), '9'.repeat(1000) + 'e-1000',
  '-' + HALF_ONE + '0'.repeat(900) + '1', '1'.repeat(5000),
  '0.' + '0'.repeat(5000) + '1e5001', '1.', '+.', '-.e1', '0x0', '0b0', '-0.0',
  '  -0  ', '1e+0', '1e-0', '١٢', '１２', 'true', 'null', '[]', '1 2', '1e5.5',
];
// Shortest and long representations of random doubles.
for (let i = 0; i < 120; i++) {
  const x = rndAny();
  strings.push(String(x));
  strings.push(x.toPrecision(1 + rndInt(25)));
  if (i % 4 === 0) strings.push(x.toExponential(30 + rndInt(40)));
}
cases.strtonum = strings.map((s) => [s, hex(Number(s))]);
cases.parseFloat = strings.map((s) => [s, hex(parseFloat(s))]);

const intStrings = [
  '', ' ', '0', '-0', '+0', '00', '-00', '0x', '0X1f', '0x1F', '-0x1F', '+0x1F',
  '0x-1', ' 0x10 ', '0xz', '0b101', '0o17', '123', '-123', '+123', ' 123abc',
  '12.9', '-12.9', '1e5', 'abc', 'ff', 'FF', 'zz', 'ZZ', 'Infinity', '-', '+',
  '- 1', '\u00a0\u3000 42', '\u2028-7', '0.5', '.5', '9007199254740993',
  '123456789012345678901234567890', '1'.repeat(400), '9'.repeat(309),
  '9'.repeat(310), '9'.repeat(311), '1' + '0'.repeat(400), '0'.repeat(400) + '1',
  '0x' + 'f'.repeat(20), '0x' + 'F'.repeat(300), '0x20000000000001',
  '0x20000000000003', '0x200000000000010000', '0x200000000000010001',
  '101010101010101010101010101010101010101010101010101010101010101', 'z'.repeat(20),
  '-z'.repeat(1), '11111111111111111111111111111111111111111',
  '777777777777777777777777777777', '1234567890abcdefghijklmnopqrstuvwxyz',
  '0000', '00x1', '0x0x1', '٣', '1_000', '-0x', '-0z', '0z', '\t-0\n',
];
const radixes = [null, 0, 2, 3, 4, 5, 7, 8, 10, 11, 16, 20, 32, 36, 1, 37, -1, 2.9, 16.5, 4294967312];
cases.parseInt = [];
for (const s of intStrings) {
  for (const r of radixes) {
    cases.parseInt.push([s, r, hex(r === null ? parseInt(s) : parseInt(s, r))]);
  }
}
for (let i = 0; i < 200; i++) {
  const r = 2 + rndInt(35);
  const len = 1 + rndInt(40);
  let s = '';
  for (let k = 0; k < len; k++) s += '0123456789abcdefghijklmnopqrstuvwxyz'[rndInt(r)];
  if (rndInt(4) === 0) s = '-' + s;
  cases.parseInt.push([s, r, hex(parseInt(s, r))]);
}

const out = path.join(__dirname, 'numconv_cases.json');
fs.writeFileSync(out, JSON.stringify({ node: process.version, cases }, null, 0) + '\n');
let total = 0;
for (const k of Object.keys(cases)) total += cases[k].length;
console.log(`wrote ${out}: ${total} cases`);
