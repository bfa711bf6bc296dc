// Buffer: construction, encodings, views, comparison, search, copy/fill, numeric reads and writes.
const { Buffer: B2, constants, kMaxLength, INSPECT_MAX_BYTES } = require('buffer');
const nb = require('node:buffer');
console.log(B2 === Buffer, nb.Buffer === Buffer, typeof constants.MAX_LENGTH, kMaxLength === constants.MAX_LENGTH, INSPECT_MAX_BYTES);
const b = Buffer.from('hi');
console.log(b, b.length, b instanceof Uint8Array, b instanceof Buffer, Buffer.isBuffer(b), Buffer.isBuffer(new Uint8Array(2)));
console.log(Buffer.name, Buffer.length, Object.getPrototypeOf(Buffer.prototype) === Uint8Array.prototype, b.constructor === Buffer);

// encodings
const text = 'héllo wörld €𝄞';
for (const enc of ['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii', 'utf16le', 'ucs2', 'UTF8', 'Hex']) {
  const buf = Buffer.from(text, enc === 'hex' || enc === 'Hex' ? undefined : enc);
  console.log(enc, buf.length, buf.toString(enc), JSON.stringify(buf.toString(enc).slice(0, 20)));
}
console.log(Buffer.from('68656c6c6f', 'hex').toString(), Buffer.from('68656c6c6fzz00', 'hex'), Buffer.from('abc', 'hex'), Buffer.from('zz12', 'hex'));
console.log(Buffer.from('aGVsbG8gd29ybGQ=', 'base64').toString(), Buffer.from('aGVsbG8gd29ybGQ', 'base64').toString(), Buffer.from('aG Vs\nbG8=', 'base64').toString());
console.log(Buffer.from('-_-_', 'base64'), Buffer.from('+/+/', 'base64url'), Buffer.from('aGk=aGk=', 'base64'), Buffer.from('a', 'base64'), Buffer.from('aG', 'base64'));
console.log(Buffer.from([0xfb, 0xff, 0xfe]).toString('base64'), Buffer.from([0xfb, 0xff, 0xfe]).toString('base64url'), Buffer.from([1]).toString('base64'), Buffer.from([1, 2]).toString('base64url'));
console.log(JSON.stringify(Buffer.from([0xe2, 0x82, 0x41, 0xff, 0xc3]).toString()), JSON.stringify(Buffer.from([0xc3, 0xa9, 0x80, 0xf0, 0x9f, 0x98]).toString('utf8')));
console.log(JSON.stringify(Buffer.from([0x68, 0xe9, 0xff, 0x80]).toString('latin1')), JSON.stringify(Buffer.from([0x68, 0xe9, 0xff, 0x80]).toString('ascii')));
console.log(Buffer.from('\ud83d'), Buffer.from('a\udc00b', 'utf16le'), JSON.stringify(Buffer.from([0x3d, 0xd8, 0x41]).toString('utf16le')), Buffer.from('ÿĀ', 'latin1'));
console.log(Buffer.isEncoding('utf8'), Buffer.isEncoding('UCS-2'), Buffer.isEncoding('base64url'), Buffer.isEncoding('nope'), Buffer.isEncoding(''), Buffer.isEncoding(1));
console.log(Buffer.byteLength('héllo'), Buffer.byteLength('héllo', 'latin1'), Buffer.byteLength('aGk=', 'base64'), Buffer.byteLength('aGVsbG8', 'base64'), Buffer.byteLength('abcd', 'hex'), Buffer.byteLength('ab', 'utf16le'), Buffer.byteLength(Buffer.alloc(7)), Buffer.byteLength(new ArrayBuffer(9)), Buffer.byteLength(new Uint16Array(3)));

// from other sources
const ab = new ArrayBuffer(8);
const view = Buffer.from(ab, 2, 4);
view[0] = 9;
console.log(view, new Uint8Array(ab)[2], view.byteOffset, view.buffer === ab);
console.log(Buffer.from([1, 256, -1, 3.7, '5', 'x']), Buffer.from(new Uint16Array([256, 1, 513])), Buffer.from(Buffer.from('ab')), Buffer.from({ length: 2, 0: 7, 1: 8 }));
console.log(Buffer.from({ type: 'Buffer', data: [1, 2, 3] }), Buffer.from(new String('str')), Buffer.of(1, 2, 300));
const copy = Buffer.from(b); copy[0] = 0x48; console.log(b.toString(), copy.toString());

// alloc
console.log(Buffer.alloc(3), Buffer.alloc(5, 'ab'), Buffer.alloc(4, 0x101), Buffer.alloc(6, 'aGk=', 'base64'), Buffer.alloc(3, Buffer.from([1, 2])), Buffer.allocUnsafe(3).length, Buffer.allocUnsafeSlow(2).length, Buffer.alloc(0));

// concat / compare / equals
const c = Buffer.concat([Buffer.from('ab'), new Uint8Array([99]), Buffer.from('de')]);
console.log(c, c.toString(), Buffer.concat([Buffer.from('abc'), Buffer.from('def')], 4).toString(), Buffer.concat([Buffer.from('ab')], 4), Buffer.concat([]).length);
console.log(Buffer.compare(Buffer.from('a'), Buffer.from('b')), Buffer.compare(Buffer.from('b'), Buffer.from('a')), Buffer.compare(Buffer.from('ab'), Buffer.from('ab')), Buffer.compare(Buffer.from('ab'), Buffer.from('abc')));
console.log([Buffer.from('c'), Buffer.from('a'), Buffer.from('b')].sort(Buffer.compare).map(String));
console.log(Buffer.from('abc').equals(Buffer.from('abc')), Buffer.from('abc').equals(Buffer.from('abd')), Buffer.from('abc').equals(new Uint8Array([97, 98, 99])));
const cb = Buffer.from([1, 2, 3, 4]);
console.log(cb.compare(Buffer.from([1, 2, 3, 4])), cb.compare(Buffer.from([2])), cb.compare(Buffer.from([0, 2, 3]), 1), cb.compare(Buffer.from([9, 2, 3, 9]), 1, 3, 1, 3));

// slice / subarray share memory
const s = Buffer.from('abcdef');
const sl = s.slice(1, 3), sub = s.subarray(-2);
sl[0] = 0x42;
console.log(s.toString(), sl.toString(), sub.toString(), sl instanceof Buffer, sub instanceof Buffer, s.slice(4, 1).length, s.subarray().length);
console.log(s.toString('utf8', 1, 3), s.toString(undefined, 2), s.toString('hex', -1, 100), JSON.stringify(s.toString('utf8', 5, 2)), s.toString('utf8', 10));

// write
const w = Buffer.alloc(8);
console.log(w.write('hi'), w.write('€', 2), w.write('abcdef', 5, 2), w.write('ffee', 6, 'hex'), w);
console.log(Buffer.alloc(4).write('€€'), Buffer.alloc(2).write('abc', 'utf16le'), Buffer.alloc(3).write('abc', 1, 'latin1'), Buffer.alloc(4).write('aGk=', 'base64'), Buffer.alloc(2).write('zz', 'hex'), Buffer.alloc(2).write('a', 2));

// indexOf / lastIndexOf / includes
const h = Buffer.from('this is a buffer is');
console.log(h.indexOf('is'), h.indexOf('is', 3), h.indexOf('is', -3), h.lastIndexOf('is'), h.lastIndexOf('is', 10), h.indexOf(Buffer.from('buf')), h.indexOf(0x61), h.indexOf(0x161), h.indexOf('zz'));
console.log(h.includes('buffer'), h.includes('buffer', 12), h.indexOf(''), h.indexOf('', 100), h.indexOf('is', 'latin1'), h.lastIndexOf(0x73), h.indexOf('6973', 0, 'hex'), h.lastIndexOf('is', -100), h.indexOf('is', NaN), h.lastIndexOf(Buffer.from('is'), 4));

// copy / fill
const src = Buffer.from('abcdef'), dst = Buffer.alloc(4, '.');
console.log(src.copy(dst), dst.toString(), src.copy(dst, 1, 4), dst.toString(), src.copy(dst, 10), src.copy(dst, 0, 5, 2));
const ov = Buffer.from('abcdef'); ov.copy(ov, 2, 0, 4); console.log(ov.toString());
console.log(Buffer.alloc(5).fill('ab'), Buffer.alloc(5).fill(0x41, 1, 3), Buffer.alloc(4).fill('6162', 'hex'), Buffer.alloc(3).fill(''), Buffer.alloc(5).fill('xyz', 1), Buffer.alloc(4).fill(Buffer.from([7, 8])), Buffer.alloc(3).fill(-1));

// numbers
const n = Buffer.from([0x01, 0x02, 0x03, 0x04, 0xff, 0xfe, 0xfd, 0xfc]);
console.log(n.readUInt8(0), n.readUint8(4), n.readInt8(4), n.readUInt16LE(0), n.readUInt16BE(0), n.readInt16LE(4), n.readInt16BE(4), n.readUInt32LE(0), n.readUInt32BE(4), n.readInt32LE(4), n.readInt32BE(4));
console.log(n.readUIntLE(0, 3), n.readUIntBE(1, 6), n.readIntLE(4, 3), n.readIntBE(3, 5), n.readBigUInt64LE(0), n.readBigInt64BE(0), n.readBigUInt64BE(0), n.readBigInt64LE(0));
const f = Buffer.alloc(16);
console.log(f.writeDoubleLE(Math.PI), f.readDoubleLE(0), f.writeDoubleBE(-1.5, 8), f.readDoubleBE(8), f);
console.log(f.writeFloatLE(1.1), f.readFloatLE(0), f.writeFloatBE(Infinity, 4), f.readFloatBE(4), f.writeFloatLE(NaN, 8), f.readFloatLE(8));
const wi = Buffer.alloc(12);
console.log(wi.writeUInt8(255), wi.writeInt8(-2, 1), wi.writeUInt16LE(0xbeef, 2), wi.writeInt16BE(-2, 4), wi.writeUInt32BE(0xdeadbeef, 6), wi);
console.log(wi.writeInt32LE(-123456789, 0), wi.writeUint32LE(4294967295, 4), wi.writeUIntBE(0x123456, 0, 3), wi.writeIntLE(-5, 3, 6), wi.writeUInt8(1.9, 11), wi.writeInt8('7', 10), wi);
console.log(wi.writeBigInt64LE(-2n, 0), wi.writeBigUInt64BE(0x0102030405060708n, 4), wi);

// JSON, iteration, inspect
console.log(JSON.stringify(Buffer.from('ab')), Buffer.from('ab').toJSON(), [...Buffer.from('ab')], Array.from(Buffer.from([3, 4]).entries()));
console.log(Buffer.alloc(60, 1));
console.log([Buffer.from('x')], { b: Buffer.alloc(2) }, Buffer.from('x').toLocaleString());
const extra = Buffer.from('ab'); extra.foo = 'bar'; console.log(extra);
console.log(require('util').inspect(Buffer.alloc(51)), String(Buffer.from('str')), `${Buffer.from('tpl')}`, Buffer.from('a') + Buffer.from('b'));
console.log(Buffer.from([1, 2, 3, 4]).swap16(), Buffer.from([1, 2, 3, 4]).swap32(), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).swap64(), Buffer.from('abc').reverse().toString());
console.log(Buffer.from('hello').map((x) => x + 1), Buffer.from('abc').toString('utf8', 1), b.readUInt8());
const { transcode, isUtf8, isAscii, SlowBuffer } = require('buffer');
console.log(transcode(Buffer.from('héllo'), 'utf8', 'latin1'), transcode(Buffer.from('hi'), 'utf8', 'utf16le'), isUtf8(Buffer.from([0xc3, 0xa9])), isUtf8(Buffer.from([0xff])), isAscii(Buffer.from('abc')), isAscii(Buffer.from('é')));
console.log(Buffer.copyBytesFrom(new Uint16Array([1, 256]), 1), Buffer.copyBytesFrom(new Uint8Array([1, 2, 3]), 1, 1), SlowBuffer(2), Buffer.poolSize, Buffer.from('ab').readUint16BE(), Buffer.from('abc').toString('ucs2'));
