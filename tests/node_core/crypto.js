// node's crypto module: hashes, HMAC, randomness (shapes only), the global crypto
const crypto = require('crypto');
const ALGS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

function attempt(label, f) {
  try {
    console.log(label, f());
  } catch (e) {
    console.log(label, e.name, e.code, e.message);
  }
}

console.log(require('node:crypto') === crypto, typeof crypto.createHash);

// known answers
const million = 'a'.repeat(1000000);
for (const alg of ALGS) {
  for (const input of ['', 'abc', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq']) {
    console.log(alg, JSON.stringify(input.slice(0, 8)), crypto.createHash(alg).update(input).digest('hex'));
    console.log(alg, JSON.stringify(input.slice(0, 8)), crypto.createHash(alg).update(input).digest('base64'));
  }
  console.log(alg, 'million a', crypto.createHash(alg).update(million).digest('hex'));
  console.log(alg, 'million a', crypto.createHash(alg).update(million).digest('base64'));
}

// lengths around the block and padding boundaries, folded into one line per algorithm
for (const alg of ALGS) {
  const all = [];
  for (let n = 0; n <= 300; n++) all.push(crypto.createHash(alg).update('x'.repeat(n)).digest('hex'));
  console.log(alg, 'lengths 0..300', crypto.createHash('sha256').update(all.join(',')).digest('hex'));
}

// many updates give what one update gives
const text = 'The quick brown fox jumps over the lazy dog. '.repeat(40);
for (const alg of ALGS) {
  const whole = crypto.createHash(alg).update(text).digest('hex');
  const same = [1, 3, 55, 63, 64, 65, 111, 127, 128, 129, 500].map((size) => {
    const h = crypto.createHash(alg);
    for (let i = 0; i < text.length; i += size) h.update(text.slice(i, i + size));
    return h.digest('hex') === whole;
  });
  const chained = crypto.createHash(alg).update(text.slice(0, 100)).update(text.slice(100)).digest('hex') === whole;
  console.log(alg, 'multi-update', same.join(','), chained);
}

// inputs: strings in encodings, Buffers, typed arrays, DataView, unaligned views
const bytes = Buffer.from([0, 1, 2, 127, 128, 200, 255, 97, 98, 99]);
console.log('buffer', crypto.createHash('sha256').update(bytes).digest('hex'));
console.log('uint8array', crypto.createHash('sha256').update(new Uint8Array(bytes)).digest('hex'));
console.log('uint16array', crypto.createHash('md5').update(new Uint16Array([0x6261, 0x6463])).digest('hex'));
console.log('dataview', crypto.createHash('sha1').update(new DataView(bytes.buffer, bytes.byteOffset, bytes.length)).digest('hex'));
const big = Buffer.alloc(1000);
for (let i = 0; i < big.length; i++) big[i] = (i * 7 + 3) & 255;
console.log('subarray', crypto.createHash('sha512').update(big.subarray(3, 997)).digest('hex'));
console.log('utf8', crypto.createHash('sha256').update('héllo wörld ✓ 𝄞').digest('hex'));
console.log('utf8 explicit', crypto.createHash('sha256').update('héllo', 'utf8').digest('hex'));
console.log('lone surrogate', crypto.createHash('md5').update('a\ud800b').digest('hex'));
console.log('latin1', crypto.createHash('md5').update('héllo', 'latin1').digest('hex'));
console.log('hex', crypto.createHash('md5').update('00ff10', 'hex').digest('hex'));
console.log('base64', crypto.createHash('md5').update('aGVsbG8=', 'base64').digest('hex'));
console.log('ucs2', crypto.createHash('md5').update('abc', 'ucs2').digest('hex'));
console.log('unknown encoding', crypto.createHash('md5').update('abc', 'bogus').digest('hex'));

// outputs
const d = crypto.createHash('sha256').update('abc').digest();
console.log('digest()', Buffer.isBuffer(d), d.length, d.toString('hex'));
console.log('md5 digest()', crypto.createHash('md5').update('abc').digest().length);
console.log('sha384 digest()', crypto.createHash('sha384').update('abc').digest().length);
for (const enc of ['hex', 'base64', 'base64url', 'latin1', 'binary', 'buffer', 'HEX', 'bogus']) {
  const out = crypto.createHash('md5').update('abc').digest(enc);
  console.log('digest', enc, typeof out, Buffer.isBuffer(out) ? out.toString('hex') : JSON.stringify(out));
}

// copy
const h1 = crypto.createHash('sha256').update('ab');
const h2 = h1.copy();
h1.update('c');
console.log('copy', h1.digest('hex'), h2.update('c').digest('hex'), h2 instanceof crypto.Hash);
console.log('Hash class', crypto.createHash('md5') instanceof crypto.Hash, crypto.createHash('md5').constructor.name,
  new crypto.Hash('md5').update('a').digest('hex'), crypto.Hash('md5').update('a').digest('hex'));

// algorithm names
for (const name of ['SHA256', 'sha-256', 'RSA-SHA256', 'sha2-256', 'Md5', 'SHA-1', 'sha512WithRSAEncryption', 'ssl3-md5']) {
  console.log('name', name, crypto.createHash(name).update('abc').digest('hex').slice(0, 16));
}
console.log('getHashes', crypto.getHashes().filter((h) => ALGS.includes(h)).join(','), crypto.getHashes().includes('RSA-SHA256'));

// crypto.hash (node 20.12)
console.log('hash', crypto.hash('sha1', 'abc'));
console.log('hash base64', crypto.hash('sha1', 'abc', 'base64'));
console.log('hash buffer', crypto.hash('md5', Buffer.from('abc'), 'buffer').toString('hex'));
console.log('hash uint8array', crypto.hash('sha256', new Uint8Array([97, 98, 99])));

// HMAC: RFC 2202 (md5, sha1) and RFC 4231 (sha224 .. sha512) test cases 1, 2 and 6
const hmacCases = [
  [Buffer.alloc(20, 0x0b), 'Hi There'],
  ['Jefe', 'what do ya want for nothing?'],
  [Buffer.alloc(131, 0xaa), 'Test Using Larger Than Block-Size Key - Hash Key First'],
];
for (const alg of ALGS) {
  for (const [key, data] of hmacCases) {
    console.log('hmac', alg, key.length, crypto.createHmac(alg, key).update(data).digest('hex'));
  }
}
console.log('hmac md5 rfc2202 case 1', crypto.createHmac('md5', Buffer.alloc(16, 0x0b)).update('Hi There').digest('hex'));
console.log('hmac multi-update', crypto.createHmac('sha256', 'key').update('The quick brown fox ').update('jumps over the lazy dog').digest('hex'));
console.log('hmac base64', crypto.createHmac('sha512', 'key').update('x').digest('base64'));
console.log('hmac keys', crypto.createHmac('sha1', new Uint8Array([1, 2, 3])).update('x').digest('hex'),
  crypto.createHmac('sha1', new Uint8Array([1, 2, 3]).buffer).update('x').digest('hex'),
  crypto.createHmac('sha1', '').update('x').digest('hex'));
const hm = crypto.createHmac('md5', 'k');
const first = hm.digest();
console.log('hmac digest twice', first.length, JSON.stringify(hm.digest('hex')), hm.digest().length);
console.log('Hmac class', crypto.createHmac('md5', 'k') instanceof crypto.Hmac, new crypto.Hmac('md5', 'k').update('a').digest('hex'));

// errors
attempt('unknown algorithm', () => crypto.createHash('nope'));
attempt('missing algorithm', () => crypto.createHash());
attempt('algorithm type', () => crypto.createHash(1));
attempt('digest twice', () => { const h = crypto.createHash('md5'); h.digest(); return h.digest(); });
attempt('update after digest', () => { const h = crypto.createHash('md5'); h.digest('hex'); return h.update('x'); });
attempt('copy after digest', () => { const h = crypto.createHash('md5'); h.digest(); return h.copy(); });
attempt('update number', () => crypto.createHash('md5').update(1));
attempt('update null', () => crypto.createHash('md5').update(null));
attempt('update ArrayBuffer', () => crypto.createHash('md5').update(new ArrayBuffer(2)));
attempt('odd hex', () => crypto.createHash('md5').update('abc', 'hex'));
attempt('outputLength', () => crypto.createHash('sha256', { outputLength: 31 }));
attempt('hmac unknown', () => crypto.createHmac('nope', 'k'));
attempt('hmac no key', () => crypto.createHmac('sha256'));
attempt('hmac key type', () => crypto.createHmac('sha256', 5));
attempt('hmac alg type', () => crypto.createHmac(5, 'k'));
attempt('hmac update after digest', () => { const h = crypto.createHmac('md5', 'k'); h.digest(); return h.update('x'); });
attempt('hash unknown', () => crypto.hash('nope', 'x'));
attempt('hash input', () => crypto.hash('sha1', 5));
attempt('hash encoding', () => crypto.hash('sha1', 'abc', 'bogus'));
attempt('hash encoding type', () => crypto.hash('sha1', 'abc', 5));

// randomness: shapes only
const rb = crypto.randomBytes(16);
console.log('randomBytes', Buffer.isBuffer(rb), rb.length, crypto.randomBytes(0).length, crypto.randomBytes(1000).length);
const many = crypto.randomBytes(64);
console.log('randomBytes not all zero', many.some((b) => b !== 0));
attempt('randomBytes -1', () => crypto.randomBytes(-1));
attempt('randomBytes string', () => crypto.randomBytes('1'));
attempt('randomBytes too big', () => crypto.randomBytes(2 ** 31));
attempt('randomBytes NaN', () => crypto.randomBytes(NaN));
attempt('randomBytes callback', () => crypto.randomBytes(3, 5));

const fill = new Uint8Array(16);
const filled = crypto.randomFillSync(fill, 4, 8);
console.log('randomFillSync', filled === fill, fill.slice(0, 4).join(','), fill.slice(12).join(','));
const words = new Uint32Array(4);
crypto.randomFillSync(words, 1, 2);
console.log('randomFillSync elements', words[0], words[3]);
console.log('randomFillSync ArrayBuffer', crypto.randomFillSync(new ArrayBuffer(8)).byteLength);
attempt('randomFillSync offset', () => crypto.randomFillSync(new Uint8Array(4), 5));
attempt('randomFillSync negative offset', () => crypto.randomFillSync(new Uint8Array(4), -1));
attempt('randomFillSync size', () => crypto.randomFillSync(new Uint32Array(4), 1, 4));
attempt('randomFillSync type', () => crypto.randomFillSync([1]));
attempt('randomFillSync offset type', () => crypto.randomFillSync(new Uint8Array(4), 'a'));

let inRange = true;
const seen = new Set();
for (let i = 0; i < 1000; i++) {
  const n = crypto.randomInt(10);
  if (!Number.isInteger(n) || n < 0 || n >= 10) inRange = false;
  seen.add(n);
  const m = crypto.randomInt(-5, 5);
  if (!Number.isInteger(m) || m < -5 || m >= 5) inRange = false;
  const b = crypto.randomInt(2 ** 40, 2 ** 40 + 3);
  if (b < 2 ** 40 || b >= 2 ** 40 + 3) inRange = false;
}
console.log('randomInt', inRange, seen.size, crypto.randomInt(7, 8));
attempt('randomInt max <= min', () => crypto.randomInt(0));
attempt('randomInt equal', () => crypto.randomInt(5, 5));
attempt('randomInt float', () => crypto.randomInt(1.5));
attempt('randomInt string', () => crypto.randomInt('3'));
attempt('randomInt range', () => crypto.randomInt(0, 2 ** 48));
attempt('randomInt range no min', () => crypto.randomInt(2 ** 48 + 1));
attempt('randomInt unsafe', () => crypto.randomInt(Number.MAX_SAFE_INTEGER + 1));
attempt('randomInt callback', () => crypto.randomInt(1, 2, 3));

const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const uuids = new Set();
let uuidOk = true;
for (let i = 0; i < 1000; i++) {
  const u = crypto.randomUUID();
  if (!uuidRe.test(u)) uuidOk = false;
  uuids.add(u);
}
console.log('randomUUID', uuidOk, uuids.size, crypto.randomUUID().length, uuidRe.test(crypto.randomUUID({ disableEntropyCache: true })));
attempt('randomUUID options', () => crypto.randomUUID(5));

const arr = new Uint8Array(64);
const same = crypto.getRandomValues(arr);
console.log('getRandomValues', same === arr, arr.some((b) => b !== 0));
console.log('getRandomValues kinds', crypto.getRandomValues(new Uint32Array(4)).length,
  crypto.getRandomValues(new Int16Array(3)).length, crypto.getRandomValues(new BigInt64Array(1)).length,
  crypto.getRandomValues(Buffer.alloc(5)).length, crypto.getRandomValues(new Uint8Array(65536)).length);
attempt('getRandomValues float', () => crypto.getRandomValues(new Float64Array(2)));
attempt('getRandomValues array', () => crypto.getRandomValues([1, 2]));
attempt('getRandomValues DataView', () => crypto.getRandomValues(new DataView(new ArrayBuffer(4))));
attempt('getRandomValues too long', () => crypto.getRandomValues(new Uint8Array(65537)));
attempt('getRandomValues nothing', () => crypto.getRandomValues());

console.log('timingSafeEqual', crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abc')),
  crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abd')),
  crypto.timingSafeEqual(new Uint16Array([1, 2]), Buffer.from([1, 0, 2, 0])),
  crypto.timingSafeEqual(new ArrayBuffer(2), new Uint8Array(2)));
attempt('timingSafeEqual length', () => crypto.timingSafeEqual(Buffer.from('ab'), Buffer.from('abc')));
attempt('timingSafeEqual buf1', () => crypto.timingSafeEqual('ab', Buffer.from('ab')));
attempt('timingSafeEqual buf2', () => crypto.timingSafeEqual(Buffer.from('ab'), 'ab'));

// Web Crypto: the global crypto
console.log('global', typeof globalThis.crypto, globalThis.crypto === crypto.webcrypto,
  Object.prototype.toString.call(globalThis.crypto), globalThis.crypto.constructor.name);
console.log('webcrypto', typeof crypto.webcrypto.getRandomValues, typeof crypto.webcrypto.randomUUID,
  crypto.webcrypto.getRandomValues === crypto.getRandomValues, crypto.webcrypto.randomUUID === crypto.randomUUID);
console.log('webcrypto calls', globalThis.crypto.getRandomValues(new Uint8Array(8)).length,
  uuidRe.test(globalThis.crypto.randomUUID()));
const detached = crypto.getRandomValues;
console.log('module getRandomValues unbound', detached(new Uint8Array(2)).length);
attempt('webcrypto getRandomValues unbound', () => { const g = globalThis.crypto.getRandomValues; return g(new Uint8Array(2)); });
attempt('webcrypto randomUUID unbound', () => { const g = globalThis.crypto.randomUUID; return g(); });
attempt('webcrypto getRandomValues nothing', () => globalThis.crypto.getRandomValues());
attempt('Crypto constructor', () => new globalThis.crypto.constructor());

// callback forms: later turns of the event loop
const results = [];
let pending = 4;
function done(line) {
  results.push(line);
  if (--pending === 0) console.log('callbacks', results.sort().join(' | '));
}
crypto.randomBytes(12, (err, buf) => done('randomBytes ' + err + ' ' + buf.length));
crypto.randomFill(new Uint8Array(5), (err, buf) => done('randomFill ' + err + ' ' + buf.length));
crypto.randomFill(new Uint8Array(5), 1, 2, (err, buf) => done('randomFill range ' + err + ' ' + buf[0] + ' ' + buf[4]));
crypto.randomInt(3, 6, (err, n) => done('randomInt ' + err + ' ' + (n >= 3 && n < 6)));
console.log('sync end');
