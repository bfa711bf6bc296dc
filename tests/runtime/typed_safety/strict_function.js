// "use strict" inside one function of a sloppy file: its stores throw, the file's are ignored.
const ta = new Float32Array(2);
function strictStore(key, v) {
  "use strict";
  ta[key] = v;
}
for (const key of ["length", "byteOffset", "buffer"]) {
  try { strictStore(key, 99); console.log(key, "stored"); } catch (e) { console.log(key, e.name, e.message); }
}
function strictLength() {
  "use strict";
  ta.length = 1000;
}
try { strictLength(); } catch (e) { console.log(e.name, e.message); }
ta.length = 1000;
console.log(ta.length, ta.byteOffset, ta[2], ta);
