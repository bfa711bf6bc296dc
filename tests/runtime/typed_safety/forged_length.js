// Object.defineProperty may give a typed array an own "length" (as in node), but every
// method still works on the array's real elements.
const ta = new Uint8Array([5, 1, 4, 2]);
Object.defineProperty(ta, "length", {value: 1e6});
console.log(ta.length, ta[100], ta[4], ta.at(-1), ta.byteLength);
ta.fill(9, 2);
ta.set([7], 1);
try { ta.set([1, 2, 3], 3); } catch (e) { console.log(e.name, e.message); }
console.log(ta.at(0), ta.at(1), ta.at(2), ta.at(3));
console.log(ta.slice().at(-1), ta.subarray(1).byteLength, ta.join("-"), ta.indexOf(9), ta.includes(0));
console.log(Array.from(ta.map((x) => x + 1)), Array.from(ta.sort()), ta.reverse().at(0));
let n = 0;
for (const v of ta) n += v;
console.log(n);
const clone = structuredClone(ta);
console.log(clone.length, clone.byteLength);
const enc = new TextEncoder().encodeInto("abcdef", ta);
console.log(enc.read, enc.written);
const f = new Float64Array([1.5, 2.5]);
f.length = 1000;
f["len" + "gth"] = 1000;
console.log(f.length, f.map((x) => x * 2), f.reduce((a, b) => a + b), new Float64Array(f).length, f.toString());
