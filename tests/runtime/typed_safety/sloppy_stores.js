// Stores a program can make to a typed array's length, byteOffset, buffer and internals in
// sloppy code: node ignores them (Object.assign throws), and the reachable memory never changes.
const ta = new Uint8Array(4);
ta.length = 100;
ta.byteOffset = 9;
ta.buffer = null;
ta.byteLength = 1e6;
const k = "len" + "gth";
ta[k] = 1e9;
ta["byte" + "Offset"] = 1e6;
try { Object.assign(ta, {length: 50}); } catch (e) { console.log(e.name, e.message); }
try { Object.assign(ta, {byteOffset: 50}); } catch (e) { console.log(e.name, e.message); }
console.log(Reflect.set(ta, "length", 70), Reflect.set(ta, "byteOffset", 7), Reflect.set(ta, "buffer", null));
console.log(ta.length, ta.byteOffset, ta.byteLength, ta.buffer.byteLength, typeof ta.ptr);
ta[10] = 5;
ta[3] = 300;
console.log(ta[10], ta[4], ta[3], ta[-1], ta.at(-1), ta.at(10));
console.log(ta, Object.keys(ta), JSON.stringify(ta));
let n = 0;
for (const v of ta) n++;
console.log(n, [...ta].length, Array.from(ta).length, ta.slice().length, ta.subarray(1).length);
for (let i = 0; i < 8; i++) ta[i] = i * 10;
console.log(ta, ta.reduce((a, b) => a + b, 0));
// names a program might guess for the internals lead nowhere
for (const name of ["ptr", "_ptr", "__ptr", "pointer", "data", "memory"]) console.log(name, typeof ta[name]);
ta.ptr = 5;
console.log(typeof ta.ptr, ta.ptr, Object.keys(ta), ta[0], ta.length);
