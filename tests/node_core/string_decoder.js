// string_decoder: characters split across writes, per encoding, and end().
const { StringDecoder } = require('string_decoder');
const sd = require('node:string_decoder');
console.log(sd.StringDecoder === StringDecoder, typeof StringDecoder);
const show = (s) => JSON.stringify(s);
const euro = Buffer.from('€𝄞é');   // e2 82 ac f0 9d 84 9e c3 a9
let d = new StringDecoder('utf8');
console.log(d.encoding, show(d.write(euro.subarray(0, 1))), show(d.write(euro.subarray(1, 2))), show(d.write(euro.subarray(2, 5))), show(d.write(euro.subarray(5, 8))), show(d.write(euro.subarray(8))), show(d.end()));
d = new StringDecoder();
console.log(d.encoding, show(d.write(Buffer.from([0xe2, 0x82]))), show(d.end()), show(d.write(Buffer.from('ok'))), show(d.end(Buffer.from([0xc3]))));
console.log(show(d.write(Buffer.from([0xff, 0x41, 0xc3]))), show(d.write(Buffer.from([0x41]))), show(d.end()));
console.log(show(d.write(Buffer.from([0xf0, 0x9d]))), show(d.write(Buffer.from([0x41]))), show(d.end()));
console.log(show(d.write(Buffer.from([0xe2]))), show(d.write(Buffer.from([0x82]))), show(d.end(Buffer.from([0xac, 0x21]))));
console.log(show(d.write('str')), show(d.write(new Uint8Array([0x68, 0x69]))), show(d.end()), show(d.write(Buffer.alloc(0))));
d = new StringDecoder('utf16le');
const u16 = Buffer.from('a€𝄞', 'utf16le');
console.log(d.encoding, show(d.write(u16.subarray(0, 1))), show(d.write(u16.subarray(1, 5))), show(d.write(u16.subarray(5, 7))), show(d.write(u16.subarray(7))), show(d.end()));
console.log(show(d.write(Buffer.from([0x3d, 0xd8]))), show(d.end()), show(d.write(Buffer.from([0x61]))), show(d.end()));
d = new StringDecoder('base64');
console.log(d.encoding, show(d.write(Buffer.from('h'))), show(d.write(Buffer.from('el'))), show(d.write(Buffer.from('lo w'))), show(d.end()), show(d.end(Buffer.from('ab'))));
d = new StringDecoder('base64url');
console.log(d.encoding, show(d.write(Buffer.from([0xfb, 0xff]))), show(d.end()));
d = new StringDecoder('hex');
console.log(d.encoding, show(d.write(Buffer.from([1, 0xab]))), show(d.end(Buffer.from([0xff]))));
for (const enc of ['latin1', 'binary', 'ascii', 'ucs2', 'UTF-8', 'utf-16le']) {
  d = new StringDecoder(enc);
  console.log(enc, d.encoding, show(d.write(Buffer.from([0x68, 0xe9, 0xff]))), show(d.end()));
}
for (const bad of ['nope', 5]) {
  try { new StringDecoder(bad); } catch (e) { console.log(e.name, e.code, e.message); }
}
try { new StringDecoder().write(5); } catch (e) { console.log(e.name, e.code, e.message); }
try { new StringDecoder().write(null); } catch (e) { console.log(e.name, e.code, e.message); }
d = new StringDecoder('utf8');
console.log(show(d.write(Buffer.from([0xe2, 0x82]))), show(d.text(Buffer.from('xy€'), 1)), show(d.end()));
