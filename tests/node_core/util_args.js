// util.parseArgs, util.getSystemErrorName / getSystemErrorMap, util.aborted, util.isBuffer,
// util.log and the util.types predicates added with them.
const util = require('util');
const { parseArgs } = util;

const show = (v) => util.inspect(v, { depth: 6, breakLength: Infinity });

function t(label, config) {
  try {
    const r = parseArgs(config);
    console.log(label, show(r));
    return r;
  } catch (e) {
    console.log(label, e.code + ': ' + e.message);
  }
}

const S = { type: 'string' };
const B = { type: 'boolean' };

console.log('--- basics');
console.log(typeof parseArgs, parseArgs.name, parseArgs.length);
t('long string', { args: ['--name', 'value'], options: { name: S } });
t('long inline', { args: ['--name=value'], options: { name: S } });
t('inline with =', { args: ['--name=a=b'], options: { name: S } });
t('inline empty', { args: ['--name='], options: { name: S } });
t('boolean', { args: ['--verbose'], options: { verbose: B } });
t('short boolean', { args: ['-v'], options: { verbose: { type: 'boolean', short: 'v' } } });
t('short string', { args: ['-o', 'out.txt'], options: { out: { type: 'string', short: 'o' } } });
t('short attached', { args: ['-oout.txt'], options: { out: { type: 'string', short: 'o' } } });
t('short group', { args: ['-abc'], options: { a: { type: 'boolean', short: 'a' }, b: { type: 'boolean', short: 'b' }, c: { type: 'boolean', short: 'c' } } });
t('group then string value', { args: ['-abc', 'x'], options: { a: { type: 'boolean', short: 'a' }, b: { type: 'boolean', short: 'b' }, c: { type: 'string', short: 'c' } } });
t('group with string inside', { args: ['-abx'], options: { a: { type: 'boolean', short: 'a' }, b: { type: 'string', short: 'b' } } });
t('one-letter long name', { args: ['-o', 'v'], options: { o: S } });
t('first short wins', { args: ['-a', 'v'], options: { a1: { type: 'string', short: 'a' }, b: { type: 'boolean', short: 'a' } } });
t('last value wins', { args: ['--o', 'a', '--o', 'b'], options: { o: S } });
t('boolean repeated', { args: ['--v', '--v'], options: { v: B } });
t('string value "-"', { args: ['--o', '-'], options: { o: S } });
t('negative number inline', { args: ['--n=-5', '-n-7'], options: { n: { type: 'string', short: 'n', multiple: true } } });

console.log('--- positionals and --');
t('positionals allowed', { args: ['a', '--flag', 'b'], options: { flag: B }, allowPositionals: true });
t('non-strict allows positionals', { args: ['a', 'b'], strict: false });
t('terminator', { args: ['--flag', '--', '--flag', '-x', 'y'], options: { flag: B }, allowPositionals: true });
t('terminator alone', { args: ['--'], options: {} });
t('dash alone', { args: ['-'], allowPositionals: true });
t('number arg', { args: [1], strict: false });

console.log('--- multiple and default');
t('multiple strings', { args: ['--o', 'a', '--o=b', '-o', 'c', '-od'], options: { o: { type: 'string', short: 'o', multiple: true } } });
t('multiple booleans', { args: ['-v', '-vv'], options: { v: { type: 'boolean', short: 'v', multiple: true } } });
t('defaults', { args: [], options: { o: { type: 'string', default: 'dflt' }, b: { type: 'boolean', default: false }, m: { type: 'string', multiple: true, default: ['x'] } } });
t('defaults after parsed', { args: ['--m', 'y', '--b'], options: { o: { type: 'string', default: 'dflt' }, b: { type: 'boolean', default: false }, m: { type: 'string', multiple: true, default: ['x'] } } });
t('empty defaults', { args: [], options: { s: { type: 'string', default: '' }, m: { type: 'boolean', multiple: true, default: [] } } });
const shared = ['shared'];
const rs = parseArgs({ args: [], options: { m: { type: 'string', multiple: true, default: shared } } });
console.log('default array is the same object', rs.values.m === shared);
t('undefined default', { args: [], options: { a: { type: 'string', default: undefined } } });

console.log('--- non-strict');
t('unknown options', { args: ['--zz', '-q', '--w=5', 'x'], strict: false });
t('string without value', { args: ['--s'], options: { s: S }, strict: false });
t('boolean with value', { args: ['--b=1'], options: { b: B }, strict: false });
t('dash value taken', { args: ['-o', '-x'], options: { o: S, x: B }, strict: false });
t('odd names', { args: ['---x', '--=x', '--=x=y', '-5', '-a=b'], strict: false });
t('__proto__ dropped', { args: ['--__proto__', '--__proto__=x', '--ok'], strict: false });
t('multiple mixed', { args: ['--v', '--v=x'], options: { v: { type: 'boolean', multiple: true } }, strict: false });
t('unicode short', { args: ['-é'], strict: false });

console.log('--- allowNegative');
t('negated', { args: ['--no-color'], options: { color: B }, allowNegative: true });
t('negated last wins', { args: ['--no-color', '--color', '--no-color'], options: { color: B }, allowNegative: true });
t('negated multiple', { args: ['--v', '--no-v'], options: { v: { type: 'boolean', multiple: true } }, allowNegative: true });
t('negation needs the flag', { args: ['--no-color'], options: { color: B } });
t('negation needs the flag (loose)', { args: ['--no-color'], options: { color: B }, strict: false });
t('negated string option', { args: ['--no-s'], options: { s: S }, allowNegative: true });
t('negated string loose', { args: ['--no-s', 'x'], options: { s: S }, allowNegative: true, strict: false });
t('negated with value', { args: ['--no-color=x'], options: { color: { type: 'boolean', short: 'c' } }, allowNegative: true });
t('negated with value loose', { args: ['--no-zz=x'], allowNegative: true, strict: false });
t('negated empty', { args: ['--no-'], allowNegative: true });
t('negated via short', { args: ['-n'], options: { 'no-x': { type: 'boolean', short: 'n' } }, allowNegative: true });
t('both defined', { args: ['--no-color'], options: { color: B, 'no-color': B }, allowNegative: true });

console.log('--- tokens');
t('tokens', { args: ['--zz', '-q', 'x', '--', '--a'], strict: false, tokens: true });
t('tokens with values', { args: ['-o-5', '-o', 'v', '--out', 'w', '--out=z', '-vo', 'q', '-ovq'], options: { out: { type: 'string', short: 'o' }, v: { type: 'boolean', short: 'v' } }, tokens: true });
t('tokens group', { args: ['-ab', 'x'], strict: false, tokens: true });
t('tokens loose value', { args: ['--foo', '-5'], options: { foo: S }, strict: false, tokens: true });
t('terminator out of a group', { args: ['-a-b', 'x'], strict: false, tokens: true });
t('tokens negated', { args: ['--no-color', 'p'], options: { color: B }, allowNegative: true, allowPositionals: true, tokens: true });
const rt = parseArgs({ args: ['-a'], options: { a: { type: 'boolean', short: 'a' } }, tokens: true });
console.log('token keys', Object.keys(rt.tokens[0]), Object.keys(rt));
console.log('values prototype', Object.getPrototypeOf(rt.values), 'result prototype is Object.prototype', Object.getPrototypeOf(rt) === Object.prototype);

console.log('--- parse errors');
t('unknown long', { args: ['--zz'], options: {} });
t('unknown short', { args: ['-z'], options: {} });
t('unknown in group', { args: ['-zx'], options: {} });
t('unknown with hint', { args: ['--zz', 'x'], options: {}, allowPositionals: true });
t('unknown inline name', { args: ['--=x=y'] });
t('negative number', { args: ['-5'], options: {} });
t('negative number with hint', { args: ['-15'], allowPositionals: true });
t('unexpected positional', { args: ['x'], options: {} });
t('unexpected after --', { args: ['--', 'x'], options: {} });
t('positional comes first', { args: ['x', '--zz'], options: {} });
t('missing long', { args: ['--out'], options: { out: { type: 'string', short: 'o' } } });
t('missing short', { args: ['-o'], options: { out: { type: 'string', short: 'o' } } });
t('missing in group', { args: ['-abc'], options: { a: { type: 'boolean', short: 'a' }, b: { type: 'boolean', short: 'b' }, c: { type: 'string', short: 'c' } } });
t('missing non-string value', { args: ['--s', 5], options: { s: S } });
t('boolean with value', { args: ['--flag=x'], options: { flag: B } });
t('boolean with value (short)', { args: ['--v=x'], options: { v: { type: 'boolean', short: 'v' } } });
t('boolean short =', { args: ['-f=x'], options: { f: B } });
t('ambiguous long', { args: ['--foo', '-5'], options: { foo: S } });
t('ambiguous --', { args: ['--o', '--'], options: { o: S } });
t('ambiguous short', { args: ['-o', '-x'], options: { out: { type: 'string', short: 'o' } } });
t('ambiguous in group', { args: ['-ab', '-c'], options: { a: { type: 'boolean', short: 'a' }, b: { type: 'string', short: 'b' } } });
try {
  parseArgs({ args: ['--q'] });
} catch (e) {
  console.log(e.name, e instanceof TypeError, String(e), Object.keys(e));
  console.log(e.stack.split('\n')[0]);
}

console.log('--- config errors');
t('args string', { args: 'x' });
t('args null means default', { args: null });
t('options array', { args: [], options: [] });
t('options string', { args: [], options: 'x' });
t('option not object', { args: [], options: { a: 'string' } });
t('type missing', { args: [], options: { a: {} } });
t('type wrong', { args: [], options: { a: { type: 'number' } } });
t('type object', { args: [], options: { a: { type: S } } });
t('inherited type', { args: [], options: { a: Object.create({ type: 'string' }) } });
t('short too long', { args: [], options: { a: { type: 'string', short: 'ab' } } });
t('short empty', { args: [], options: { a: { type: 'string', short: '' } } });
t('short number', { args: [], options: { a: { type: 'string', short: 5 } } });
t('short null', { args: [], options: { a: { type: 'string', short: null } } });
t('multiple string', { args: [], options: { a: { type: 'string', multiple: 'yes' } } });
t('default number', { args: [], options: { a: { type: 'string', default: 5 } } });
t('default null', { args: [], options: { a: { type: 'string', default: null } } });
t('default for boolean', { args: [], options: { a: { type: 'boolean', default: 'x' } } });
t('default not array', { args: [], options: { a: { type: 'string', multiple: true, default: 'x' } } });
t('default element', { args: [], options: { a: { type: 'string', multiple: true, default: ['x', 1] } } });
t('default boolean element', { args: [], options: { a: { type: 'boolean', multiple: true, default: [true, 'x'] } } });
t('default array, not multiple', { args: [], options: { a: { type: 'boolean', default: [false] } } });
t('option check order', { args: [], options: { a: { type: 'string', default: 5, multiple: 1, short: 'ab' } } });
t('strict', { args: [], strict: 'yes' });
t('allowPositionals', { args: [], allowPositionals: 1 });
t('tokens', { args: [], tokens: 'x' });
t('allowNegative', { args: [], allowNegative: 'x' });
t('config order 1', { args: [], strict: 'y', allowPositionals: 'z', tokens: 'q', options: 5 });
t('config order 2', { args: [], tokens: 'q', allowNegative: 5, options: 5 });
t('config order 3', { args: 'x', strict: 'y' });
t('null flags', { args: ['x'], strict: null });
t('null allowPositionals', { args: ['x'], strict: false, allowPositionals: null });
t('own options only', { args: ['--a'], options: Object.create({ a: { type: 'boolean' } }) });
t('no config', undefined);
t('config null', null);

console.log('--- default args: process.argv.slice(2)');
const saved = process.argv.slice();
process.argv.push('--verbose', '-n', '3', 'file.txt');
t('from argv', { options: { verbose: B, n: { type: 'string', short: 'n' } }, allowPositionals: true });
process.argv.length = saved.length;
t('argv restored', {});

console.log('--- getSystemErrorName / getSystemErrorMap');
console.log(util.getSystemErrorName(-2), util.getSystemErrorName(-13), util.getSystemErrorName(-4095), util.getSystemErrorName(-3008));
console.log(util.getSystemErrorName(-99999));
for (const v of [undefined, 'x', -2n, 0, 1, -1.5, NaN, -Infinity, 2 ** 60, -(2 ** 60)]) {
  try { util.getSystemErrorName(v); } catch (e) { console.log(e.name, e.code + ': ' + e.message); }
}
const m = util.getSystemErrorMap();
console.log(m instanceof Map, m.size, m === util.getSystemErrorMap(), m.get(-2), m.get(-110), m.get(-1));
let consistent = true;
for (const [k, [name]] of m) if (util.getSystemErrorName(k) !== name) consistent = false;
console.log('names agree', consistent, [...m.keys()].slice(0, 5));
console.log(util.getSystemErrorMap.length, util.getSystemErrorName.length);

console.log('--- isBuffer');
console.log(util.isBuffer(Buffer.from('x')), util.isBuffer(new Uint8Array(1)), util.isBuffer('x'), util.isBuffer(), util.isBuffer.length);

console.log('--- log');
{
  const orig = console.log;
  const lines = [];
  console.log = (...a) => lines.push(util.format(...a));
  util.log('hello %s', 'world', 42);
  util.log({ a: 1 });
  console.log = orig;
  for (const l of lines) {
    const mm = /^(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d\d):(\d\d):(\d\d) - (.*)$/.exec(l);
    console.log(mm ? 'timestamp ok: ' + mm[6] : 'bad line: ' + l);
  }
  console.log(util.log.length);
}

console.log('--- types');
const types = util.types;
console.log(types.isBigIntObject(1n), types.isBigIntObject({}), types.isBigIntObject(Object(1)));
console.log(types.isSharedArrayBuffer(new ArrayBuffer(1)), types.isExternal({}), types.isKeyObject({}), types.isCryptoKey({}));
console.log(types.isModuleNamespaceObject({}), types.isModuleNamespaceObject(util), types.isModuleNamespaceObject());

console.log('--- aborted');
console.log(typeof util.aborted, util.aborted.length, types.isAsyncFunction(util.aborted));
async function abortedTests() {
  for (const args of [[], [1, {}], [{}, {}], [new AbortController().signal], [new AbortController().signal, null], [new AbortController().signal, 5], [new AbortController().signal, 'x']]) {
    const p = util.aborted(...args);
    console.log(p instanceof Promise);
    try { await p; } catch (e) { console.log(e.name, e.code + ': ' + e.message); }
  }
  const ac = new AbortController();
  const p = util.aborted(ac.signal, {});
  let settled = false;
  p.then(() => { settled = true; });
  await new Promise((r) => setTimeout(r, 5));
  console.log('pending before abort', !settled);
  setTimeout(() => ac.abort('why'), 1);
  const ev = await p;
  console.log('resolved', typeof ev, ev && ev.type, ac.signal.reason);
  const done = new AbortController();
  done.abort();
  console.log('already aborted', await util.aborted(done.signal, function () {}));
  console.log('array resource', await util.aborted(done.signal, []));
  const ns = await import('node:util');
  console.log('namespace', types.isModuleNamespaceObject(ns));
}
abortedTests().then(() => console.log('done'));
