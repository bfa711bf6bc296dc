'use strict';
// util.inspect with colours, util.inspect.colors / styles, util.styleText and
// util.formatWithOptions({colors: true}), compared with node 20. stdout is a pipe here, so
// every colour is asked for explicitly (console.log itself prints no colours to a pipe).
const util = require('util');
const show = (s) => console.log(JSON.stringify(s));
const c = (v, o) => show(util.inspect(v, Object.assign({colors: true}, o)));

// primitives
c(5); c(-0); c(NaN); c(12345678901234567890n); c('str'); c("it's"); c(true); c(false);
c(null); c(undefined); c(Symbol('s')); c(Symbol()); c(Symbol.iterator);
c('a\nb'); c('x'.repeat(100) + '\n' + 'y'.repeat(20));
// containers
c([1, 'a', null, undefined, true, 2n]);
c({a: 1, 'b-c': 'x', [Symbol('k')]: 2, __proto__x: 3});
c(new Map([[1, 'one'], ['two', {x: null}]]));
c(new Set([1, 'a', undefined]));
c([1, , 3]);
c(new Array(5));
c([, 'a', , , 'b', , ]);
c(new Array(200).fill(7));
c(Array.from({length: 30}, (_, i) => i * 1000));
c(Array.from({length: 30}, (_, i) => 'item' + i));
c({deep: {er: {est: {x: 1}}}});
c([[[[1]]]]);
c({deep: {er: {est: [1]}}}, {depth: 0});
c(Object.create(null));
c(Object.assign(Object.create(null), {a: 1}));
c({a: {b: {c: Object.assign(Object.create(null), {a: 1})}}});
// functions, classes, special values
function named() {}
c(named); c(() => 1); c(class Foo {}); c(class extends Array {});
c(async function af() {}); c(function* gen() {});
c({f: named, g: Object.assign(function h() {}, {p: 1})});
c(Object.defineProperty({}, 'g', {get() { return 1; }, enumerable: true}));
c(Object.defineProperty({}, 'gs', {get() { return 1; }, set(v) {}, enumerable: true}));
c(Object.defineProperty({}, 's', {set(v) {}, enumerable: true}));
const getters = {
  get n() { return 5; }, get o() { return {a: 1}; }, get z() { return null; },
  get t() { throw new Error('no'); }, get s() { return 'str'; },
};
c(getters, {getters: true});
const circ = {name: 'c'}; circ.self = circ; circ.list = [circ];
c(circ);
const a1 = {}; const b1 = {a1}; a1.b1 = b1;
c([a1, b1]);
c(new Date(0)); c(new Date(NaN)); c([new Date(86400000)]);
c(/ab+c/gi); c({re: /x/});
c(Object.assign(/re/, {extra: 1}));
c(Object.assign(new Date(0), {extra: 1}));
c(Object.assign(() => {}, {extra: 1}));
c(new Number(3)); c(new String('boxed')); c(new Boolean(false));
c(Object.assign(new Number(4), {k: 1}));
c(new WeakMap()); c(new WeakSet());
c(Promise.resolve(42)); c(Promise.reject(new Error('r')).catch(() => {}) && Promise.resolve(undefined));
const pending = new Promise(() => {}); c(pending);
const rej = Promise.reject(3); rej.catch(() => {}); c(rej);
c(new Uint8Array([1, 2, 3])); c(new Float64Array([1.5, -0])); c(new BigInt64Array([1n, -2n]));
c(new ArrayBuffer(3)); c({buf: new ArrayBuffer(2)});
c([new Error('e1').message]);
// errors: frames under the working directory greyed, node's own frames grey, package names in
// node_modules underlined (stacks written here: frame columns are not node's)
const cwd = process.cwd();
const err = new Error('boom');
err.stack = 'Error: boom\n    at f (' + cwd + '/file.js:1:2)\n    at node:events:5:6\n' +
  '    at Module._compile (node:internal/modules/cjs/loader:1:2)\n' +
  '    at g (/x/node_modules/pkg/node_modules/dep/i.js:5:6)\n    at file://' + cwd + '/m.mjs:7:8\n' +
  '    at h (/elsewhere/a.js:9:10)';
show(util.inspect(err, {colors: true}).split(cwd).join('<cwd>'));
show(util.inspect({e: err}, {colors: true}).split(cwd).join('<cwd>'));
const cause = new Error('cause');
const frames = '\n    at a (/p/a.js:1:1)\n    at b (/p/b.js:2:2)\n    at c (/p/c.js:3:3)\n    at d (/p/d.js:4:4)\n    at e (/p/e.js:5:5)';
cause.stack = 'Error: cause' + frames;
const outer = new Error('outer', {cause});
outer.stack = 'Error: outer\n    at z (/p/z.js:9:9)' + frames;
show(util.inspect(outer, {colors: true}));
show(util.inspect(Object.assign(new Error('props'), {code: 'E_X'}), {colors: true}).split('\n')[0]);
// prototype properties with showHidden: faint
class Proto { constructor() { this.own = 1; } }
Proto.prototype.inherited = 'p';
c(new Proto(), {showHidden: true});
class Point { constructor() { this.x = 1; this.y = 'y'; } }
c(new Point()); c([new Point(), new Point()]);
c({a: 1, b: 'two', c: [3], d: {e: null}}, {compact: false});
c({a: 1, b: 'two', c: [3]}, {compact: true});
c({a: 1, b: 'two', c: [3]}, {breakLength: 10});
c({a: 'x'.repeat(70), b: 1});
c({k: 'v'}, {sorted: true});
c([3, 1, 2], {showHidden: true});
c(Object.defineProperty({}, 'hidden', {value: 1, enumerable: false}), {showHidden: true});
c({s: 'x'.repeat(20)}, {maxStringLength: 5});
c(['a', 'b', 'c'], {maxArrayLength: 1});

// the legacy signature: inspect(value, showHidden, depth, colors)
show(util.inspect({a: [1]}, false, 0, true));
show(util.inspect({a: 1}, false, null, true));
show(util.inspect({a: 1}, undefined, undefined, true));
show(util.inspect({a: 1}, {colors: false}, 2, true));
show(util.inspect({a: 1}, {depth: 0}, 2, 1));
show(util.inspect('no colours', {colors: 0}));

// inspect.colors and inspect.styles
console.log(Object.keys(util.inspect.colors).join(' '));
console.log(util.inspect.colors.red, util.inspect.colors.grey, util.inspect.colors.faint);
console.log(Object.getOwnPropertyNames(util.inspect.colors).length, Object.getPrototypeOf(util.inspect.colors));
console.log(util.inspect.styles);
console.log(Object.getPrototypeOf(util.inspect.styles));
util.inspect.styles.number = 'red';
c(7);
util.inspect.styles.string = 'bgBlue';
c('s');
util.inspect.styles.name = 'underline';
c({key: 1, 'not-id': 2});
delete util.inspect.styles.name;
util.inspect.styles.number = 'nonexistent';
c(8);
util.inspect.colors.mine = [95, 39];
util.inspect.styles.number = 'mine';
c(9);
util.inspect.colors.grey = [36, 39];   // an alias writes its target
console.log(util.inspect.colors.gray);
util.inspect.colors.gray = [90, 39];
util.inspect.styles.number = 'yellow';
util.inspect.styles.string = 'green';
delete util.inspect.colors.mine;
// replacing the objects themselves
const savedStyles = util.inspect.styles, savedColors = util.inspect.colors;
util.inspect.styles = Object.assign(Object.create(null), savedStyles, {number: 'cyan'});
c(10);
util.inspect.colors = {cyan: [1, 2]};
c([11, 'no style']);
util.inspect.styles = savedStyles; util.inspect.colors = savedColors;
console.log(Object.keys(util.inspect));

// custom inspect functions get stylize and the colours option
class Custom {
  [util.inspect.custom](depth, options, inspect) {
    return options.stylize('custom', 'special') + ' ' + inspect(42, options) + ' ' + options.colors;
  }
}
c(new Custom()); show(util.inspect(new Custom()));
c({nested: new Custom()});
class Keys {
  [util.inspect.custom](depth, options) { return Object.keys(options).join(','); }
}
show(util.inspect(new Keys(), {colors: true, extra: 1}));
show(util.inspect(new Keys()));
console.log(util.inspect(new Custom(), {stylize: (s, t) => `<${t}:${s}>`}));
console.log(util.inspect({a: 1, b: 's', c: null}, {stylize: (s, t) => `<${t}:${s}>`}));

// format and formatWithOptions
show(util.formatWithOptions({colors: true}, 'n=%d s=%s i=%i f=%f j=%j', 5, 'str', 7.5, 1.25, {a: 1}));
show(util.formatWithOptions({colors: true}, '%s', {a: 1}));
show(util.formatWithOptions({colors: true}, '%o', {a: 1}));
show(util.formatWithOptions({colors: true}, '%O', [1, 'x']));
show(util.formatWithOptions({colors: true}, 'rest', 1, 'two', null, {three: 3}));
show(util.formatWithOptions({colors: true}, 1, 'a'));
show(util.format('%O', 5));

// styleText: single formats follow stdout (a pipe: no colours), arrays do not (node 20.20)
const st = (...args) => {
  try { show(util.styleText(...args)); } catch (e) { console.log(e.name, e.code, e.message); }
};
st('red', 'hi'); st(['red', 'bold'], 'hi'); st(['underline', ['italic']], 'x'); st([], 'plain');
st('grey', 'alias'); st('faint', 'alias'); st('red', 'hi', {validateStream: false});
st(['bgYellowBright', 'strikethrough', 'reset'], 'all');
st('nope', 'x'); st(['red', 'nope'], 'x'); st('none', 'x'); st(5, 'x'); st(null, 'x'); st({}, 'x');
st('constructor', 'x'); st('red', 5); st('nope', 5); st('red', 'x', {validateStream: 1});
st('red', 'x', null); st('red', 'x', 5); st('red', 'x', {stream: {}}); st('red', 'x', {stream: null});
st('red', 'x', {stream: process.stderr}); st('red', 'x', {stream: {write() {}, on() {}}});
st('red', 'x', {stream: {write() {}, on() {}, isTTY: true}});
st('red', 'x', {stream: {_writableState: {}, isTTY: true, getColorDepth() { return 8; }}});
st('red', 'x', {stream: {_writableState: {}, isTTY: true, getColorDepth() { return 1; }}});
util.inspect.colors.mine = [1, 2];
st('mine', 'x', {validateStream: false});
delete util.inspect.colors.mine;
st(['yellow'], 'y'.repeat(3));
console.log(util.styleText.name, util.styleText.length);

// console: a pipe prints no colours, whatever it is given; console.dir({colors: true}) does
console.log({a: 1}, 'str', 5);
console.dir({a: 1, b: 'x'}, {colors: true});
console.dir({a: 1});
console.table([{a: 1, b: 'x'}]);
