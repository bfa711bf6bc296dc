// An ArrayBuffer's byteLength is a getter too: overwriting it must not widen the views made later.
const ab = new ArrayBuffer(16);
ab.byteLength = 1e6;
ab["byte" + "Length"] = 1e6;
console.log(ab.byteLength, Reflect.set(ab, "byteLength", 5), Object.getOwnPropertyNames(ab));
console.log(new Uint32Array(ab).length, new DataView(ab).byteLength, ab.slice(4).byteLength);
try { new Uint8Array(ab, 0, 1000); } catch (e) { console.log(e.name, e.message); }
try { new DataView(ab, 0, 1000); } catch (e) { console.log(e.name, e.message); }
const u16 = new Uint16Array(ab, 4, 2);
console.log(u16.length, u16.byteOffset, u16.byteLength, u16.buffer === ab, ab);
