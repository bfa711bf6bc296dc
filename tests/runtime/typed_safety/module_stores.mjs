// ES modules are strict: stores to a typed array's accessors throw.
const ta = new Uint32Array(3);
for (const key of ["length", "byteOffset", "buffer"]) {
  try { ta[key] = 7; console.log(key, "stored"); } catch (e) { console.log(key, e.name, e.message); }
}
try { ta.length = 1e6; } catch (e) { console.log(e.name, e.message); }
console.log(ta.length, ta[5], ta);
export {};
