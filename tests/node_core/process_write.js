// process.stdout.write / process.stderr.write: strings in an encoding, the bytes of Buffers,
// typed arrays and DataViews as they are, callbacks after the write, node's argument errors.
process.stdout.write("68690a", "hex");
process.stdout.write("aGkK", "base64", () => console.log("callback 1"));
process.stdout.write("caf\u00c3\u00a9\n", "latin1");   // the bytes of UTF-8 "é"
process.stdout.write("plain\n", () => console.log("callback 2"));
const euro = Buffer.from("\u20ac\n");
process.stdout.write(euro.subarray(0, 1));   // a character split across writes
process.stdout.write(euro.subarray(1));
process.stdout.write(new Uint16Array([0x4241, 0x0a43]));
process.stdout.write(new DataView(new Uint8Array([0x4f, 0x4b, 0x0a]).buffer));
process.stdout.write(new Uint8Array(Buffer.from("from a Uint8Array\n")));
for (const bad of [5, null, {}, new ArrayBuffer(2), [1, 2]]) {
  try { process.stdout.write(bad); } catch (e) { console.log(e.code, e.message); }
}
try { process.stdout.write("a", "nope"); } catch (e) { console.log(e.code, e.message); }
console.log(process.stdout.write(""), process.stderr.write(Buffer.from("to stderr\n")));
console.log("end");
