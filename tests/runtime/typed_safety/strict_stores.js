"use strict";
// The same stores in strict code throw node's TypeError; the array is unchanged.
const ta = new Int16Array([1, 2, 3]);
const attempts = {
  "length": () => { ta.length = 100; },
  "byteOffset": () => { ta.byteOffset = 4; },
  "buffer": () => { ta.buffer = new ArrayBuffer(1000); },
  "byteLength": () => { ta.byteLength = 1; },
  "computed length": () => { ta["len" + "gth"] = 1e9; },
  "length += 1": () => { ta.length += 1; },
  "length++": () => { ta.length++; },
  "destructuring": () => { [ta.length] = [64]; },
  "Object.assign": () => { Object.assign(ta, {length: 50}); },
  "Object.assign byteOffset": () => { Object.assign(ta, {byteOffset: 2}); },
};
for (const [what, f] of Object.entries(attempts)) {
  try { f(); console.log(what, "stored"); } catch (e) { console.log(what, e.name, e.message); }
}
console.log(Reflect.set(ta, "length", 70), Reflect.set(ta, "byteOffset", 7));
console.log(ta.length, ta.byteOffset, ta.byteLength, ta.buffer.byteLength, ta[3], ta);
ta[5] = 9;
console.log(ta[5], ta.length, typeof ta.ptr);
