// import() and require() after an await: the host compiles the module from inside a coroutine
// (lupa once handed back a tuple for a table lookup made there), and node's errors for imports
// that find nothing.
import { writeFileSync, unlinkSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
mkdirSync('dyn', { recursive: true });
writeFileSync('dyn/m.mjs', 'export const x = 1;\nexport default function f() { return 2; }\n');
writeFileSync('dyn/c.cjs', 'module.exports = { y: 5, z() { return 6; } };\n');
writeFileSync('dyn/later.mjs', 'console.log("later.mjs runs once");\nexport let n = 0;\nexport function inc() { n++; }\n');
await null;
const m = await import('./dyn/m.mjs');
console.log(m.x, m.default(), Object.keys(m));
const c = await import('./dyn/c.cjs');
console.log(c.default.y, c.default.z());
const require = createRequire(import.meta.url);
async function late() {
  await new Promise((r) => setTimeout(r, 1));
  const again = require('./dyn/c.cjs');
  console.log(again === c.default);
  const a = await import('./dyn/later.mjs');
  const b = await import('./dyn/later.mjs');
  a.inc();
  console.log(a === b, b.n);
}
await late();
const p = await import('node:path');
console.log(p.join('a', 'b'), typeof p.default.join);
for (const s of ['./nope.mjs', './sub/../x/y.js', 'nopkg', 'nopkg/sub', '@sc/pkg/x']) {
  try { await import(s); } catch (e) { console.log(e.code, e.message.replaceAll(process.cwd(), '.')); }
}
import('./dyn/m.mjs').then((ns) => console.log('then', ns === m));
rmSync('dyn', { recursive: true });
// import.meta, and the named exports of built-ins whose functions are not enumerable here
console.log(Object.getPrototypeOf(import.meta), Object.keys(import.meta), import.meta.url.endsWith('/dynamic_import.mjs'));
console.log(import.meta.filename === import.meta.dirname + '/dynamic_import.mjs', import.meta.url === 'file://' + import.meta.filename);
console.log(import.meta.resolve('./a b#x.mjs').slice(-12), import.meta.resolve('node:fs'), import.meta.resolve('path'));
try { import.meta.resolve('nopkg'); } catch (e) { console.log(e.code); }
const mod = await import('node:module');
console.log(typeof mod.createRequire, typeof mod.isBuiltin, 'prototype' in mod);
const cons = await import('node:console');
console.log(typeof cons.log, typeof cons.error);
