// Registration: every core module with and without `node:`; querystring, timers, console; Buffer
// with util, assert and the web encoders. (Modules LuaScript does not provide are tested in
// test_node_core.py: node has them.)
const names = ['buffer', 'string_decoder', 'url', 'fs', 'fs/promises', 'os', 'process', 'querystring', 'timers', 'console', 'events', 'util', 'assert', 'path'];
console.log(names.map((n) => require(n) === require('node:' + n)).every(Boolean), names.map((n) => typeof require(n)));
console.log(typeof Buffer, Buffer === require('buffer').Buffer, globalThis.Buffer === Buffer, Object.keys(globalThis).includes('Buffer'));
const qs = require('querystring');
console.log(qs.parse('a=1&b=2&a=3&c&d=&e=x%20y+z&%E2%82%AC=%ZZ'), qs.parse(''), qs.parse('a:1;b:2', ';', ':'), qs.parse('a=1&b=2&c=3', null, null, { maxKeys: 2 }));
console.log(qs.stringify({ a: [1, 2], b: 'x y', c: true, d: null, e: undefined, f: NaN, 'é': '€', g: 1n }), qs.stringify({ a: 1, b: 2 }, ';', ':'), qs.stringify('x'), qs.escape('a b&c/é'), qs.unescape('a%20b%zz'), qs.encode === qs.stringify, qs.decode === qs.parse);
const timers = require('timers');
console.log(timers.setTimeout === setTimeout, timers.clearTimeout === clearTimeout, timers.setImmediate === setImmediate, timers.setInterval === setInterval, require('console') === console);
const util = require('util');
console.log(util.inspect(Buffer.from('hi')), util.types.isUint8Array(Buffer.alloc(1)), util.isDeepStrictEqual(Buffer.from('ab'), Buffer.from('ab')), util.isDeepStrictEqual(Buffer.from('ab'), new Uint8Array([97, 98])));
require('assert').deepStrictEqual(Buffer.from('x'), Buffer.from('x'));
try { require('assert').deepStrictEqual(Buffer.from('x'), Buffer.from('y')); } catch (e) { console.log(e.code); }
console.log(new TextDecoder().decode(Buffer.from('€')), new TextEncoder().encode('é') instanceof Buffer, Buffer.from(new TextEncoder().encode('é')).toString(), btoa('hi') === Buffer.from('hi').toString('base64'));
console.log(Object.prototype.toString.call(Buffer.alloc(1)), ArrayBuffer.isView(Buffer.alloc(1)), Buffer.alloc(2).buffer instanceof ArrayBuffer);
class MyBuf extends Uint8Array {}
console.log(Buffer.isBuffer(new MyBuf(1)), Buffer.from(new MyBuf(2)));
