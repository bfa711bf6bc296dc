// Buffers are Uint8Arrays: their methods bound memory by the real length and offset.
const b = Buffer.from("hello world");
b.length = 1000;
b["len" + "gth"] = 500;
b.byteOffset = 3;
try { Object.assign(b, {length: 64}); } catch (e) { console.log(e.name, e.message); }
console.log(b.length, b.toString(), b.toString("hex"), b.readUInt32LE(1), b.subarray(6).toString());
try { b.readUInt32LE(8); } catch (e) { console.log(e.code, e.message); }
try { b.writeUInt32LE(1, 9); } catch (e) { console.log(e.code, e.message); }
const c = Buffer.alloc(4);
console.log(b.copy(c, 0, 6), c.toString(), b.equals(Buffer.from("hello world")), Buffer.concat([b, c]).length);
console.log(b.indexOf("world"), b.lastIndexOf("o"), b.includes("x"), JSON.stringify(b.slice(0, 2)));
console.log(typeof b.ptr, Buffer.byteLength(b), Buffer.compare(b, Buffer.from("hello world")));
