// node's zlib module: the sync and callback forms, options, errors, constants. Compressed bytes
// differ between zlib versions, so what is printed is round trips, decompressed fixed inputs,
// stored (level 0) output, and errors.
const zlib = require('zlib');
const util = require('util');

function attempt(label, f) {
  try {
    console.log(label, f());
  } catch (e) {
    console.log(label, e.name, e.code, e.errno, e.message);
  }
}

console.log(require('node:zlib') === zlib, typeof zlib.createGzip, typeof zlib.Deflate);

// round trips through every pair, from each input type
const text = 'The quick brown fox jumps over the lazy dog. '.repeat(50) + 'héllo wörld ✓ 😀';
const pairs = [['deflateSync', 'inflateSync'], ['deflateRawSync', 'inflateRawSync'], ['gzipSync', 'gunzipSync'],
               ['gzipSync', 'unzipSync'], ['deflateSync', 'unzipSync']];
for (const [c, d] of pairs) {
  const packed = zlib[c](text);
  console.log(c, d, Buffer.isBuffer(packed), packed.length < Buffer.byteLength(text), zlib[d](packed).toString() === text);
}
const bytes = Buffer.from(text);
const inputs = {
  buffer: bytes,
  uint8array: new Uint8Array(bytes),
  uint16array: new Uint16Array([0x6261, 0x6463]),
  dataview: new DataView(bytes.buffer, bytes.byteOffset + 4, 10),
  arraybuffer: new Uint8Array([104, 105]).buffer,
  subarray: bytes.subarray(4, 9),
  empty: '',
};
for (const [name, v] of Object.entries(inputs)) {
  console.log('input', name, zlib.inflateSync(zlib.deflateSync(v)).toString('hex').slice(0, 40));
}
for (const level of [-1, 0, 1, 5, 9]) {
  for (const strategy of [0, 1, 2, 3, 4]) {
    const opts = { level, strategy, memLevel: 1 + (level + 1) % 9, windowBits: 9 + (strategy % 7) };
    if (zlib.inflateSync(zlib.deflateSync(text, opts)).toString() !== text) console.log('round trip failed', opts);
  }
}
console.log('levels and strategies round trip');

// stored output is the same in every zlib
console.log('level 0', zlib.deflateSync('abcdef', { level: 0 }).toString('hex'));
console.log('raw level 0', zlib.deflateRawSync('abcdef', { level: 0 }).toString('hex'));
console.log('gzip level 0 length', zlib.gzipSync('abcdef', { level: 0 }).length);
console.log('empty raw level 0', zlib.deflateRawSync('', { level: 0 }).toString('hex'));

// fixed inputs made elsewhere (Python's zlib and gzip)
const named = Buffer.from('1f8b08080000000002ff6e6f7465732e747874004b54c84bcc4d4d5148afca2c50c84dcd4d4a2de20200f7da5f9b14000000', 'hex');
console.log('gzip with a name', JSON.stringify(zlib.gunzipSync(named).toString()));
console.log('unzip of it', JSON.stringify(zlib.unzipSync(named).toString()));
const wrapped = Buffer.from('78da4bcbac484d5148aa2c492dd651a8cac94c52282f4a2c28482dd25128a82cc9c8cf53c84d4c49050013900e1b', 'hex');
console.log('zlib level 9', zlib.inflateSync(wrapped).toString(), zlib.unzipSync(wrapped).toString());
const raw = Buffer.from('2b4a2c5748494dcb492c4955482bcacf5528a82cc9c8cf532822511c00', 'hex');
console.log('raw', JSON.stringify(zlib.inflateRawSync(raw).toString()));

// multi-member gzip, padding, trailing data
const gz = zlib.gzipSync('hello hello hello');
attempt('two members', () => zlib.gunzipSync(Buffer.concat([gz, zlib.gzipSync(' world')])).toString());
attempt('trailing zeros', () => zlib.gunzipSync(Buffer.concat([gz, Buffer.alloc(10)])).toString());
attempt('trailing garbage', () => zlib.gunzipSync(Buffer.concat([gz, Buffer.from('garbage')])).toString());
attempt('inflate trailing garbage', () => zlib.inflateSync(Buffer.concat([zlib.deflateSync('abc'), Buffer.from('xyz')])).toString());

// errors
attempt('bad header', () => zlib.inflateSync(Buffer.from('hello world')));
attempt('truncated gzip', () => zlib.gunzipSync(gz.subarray(0, 10)));
attempt('truncated deflate', () => zlib.inflateSync(zlib.deflateSync('abcabcabc').subarray(0, 5)));
attempt('empty inflate', () => zlib.inflateSync(Buffer.alloc(0)));
attempt('empty gunzip', () => zlib.gunzipSync(''));
attempt('unzip of raw', () => zlib.unzipSync(zlib.deflateRawSync('zzz')));
attempt('gunzip of zlib', () => zlib.gunzipSync(zlib.deflateSync('zzz')));
attempt('raw bad block', () => zlib.inflateRawSync(Buffer.from([0xff, 0xff, 0xff])));
attempt('unzip one byte', () => zlib.unzipSync(Buffer.from([0x1f])));
attempt('unzip bad method', () => zlib.unzipSync(Buffer.from([0x1f, 0x8b, 0x00, 0x01, 0x02])));
attempt('small window', () => zlib.inflateSync(zlib.deflateSync('abc', { windowBits: 8 }), { windowBits: 8 }));
attempt('header window', () => zlib.inflateSync(zlib.deflateSync('abc', { windowBits: 8 }), { windowBits: 0 }).toString());
try {
  zlib.inflateSync(Buffer.from('nope'));
} catch (e) {
  console.log('error shape', e instanceof Error, Object.keys(e), e.errno, e.code, String(e));
}

// partial input with a lighter finishFlush
attempt('sync flush partial', () => zlib.gunzipSync(gz.subarray(0, gz.length - 8), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString());
attempt('sync flush header only', () => zlib.gunzipSync(gz.subarray(0, 10), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).length);
attempt('sync flush empty', () => zlib.inflateSync(Buffer.alloc(0), { finishFlush: 2 }).length);

// dictionaries
const dict = Buffer.from('hello dictionary');
const withDict = zlib.deflateSync('hello dictionary hello', { dictionary: dict });
attempt('missing dictionary', () => zlib.inflateSync(withDict));
attempt('bad dictionary', () => zlib.inflateSync(withDict, { dictionary: Buffer.from('nope') }));
attempt('good dictionary', () => zlib.inflateSync(withDict, { dictionary: dict }).toString());
attempt('dictionary as ArrayBuffer', () => zlib.inflateSync(withDict, { dictionary: new Uint8Array(dict).buffer }).toString());
attempt('raw dictionary', () => zlib.inflateRawSync(zlib.deflateRawSync('hello hello', { dictionary: dict }), { dictionary: dict }).toString());
attempt('raw without it', () => zlib.inflateRawSync(zlib.deflateRawSync('hello hello', { dictionary: Buffer.from('hello') })));
attempt('dictionary string', () => zlib.deflateSync('x', { dictionary: 'abc' }));

// option checks, in node's order
attempt('type number', () => zlib.deflateSync(123));
attempt('type null', () => zlib.deflateSync(null));
attempt('type undefined', () => zlib.gzipSync());
attempt('type array', () => zlib.deflateSync([1, 2]));
attempt('level 10', () => zlib.deflateSync('x', { level: 10 }));
attempt('level string', () => zlib.deflateSync('x', { level: '3' }));
attempt('level null', () => zlib.deflateSync('x', { level: null }));
attempt('level Infinity', () => zlib.deflateSync('x', { level: Infinity }));
attempt('level NaN', () => zlib.inflateSync(zlib.deflateSync('x', { level: NaN })).toString());
attempt('gzip windowBits 8', () => zlib.gzipSync('x', { windowBits: 8 }));
attempt('deflate windowBits 0', () => zlib.deflateSync('x', { windowBits: 0 }));
attempt('windowBits 16', () => zlib.inflateSync('x', { windowBits: 16 }));
attempt('memLevel 0', () => zlib.deflateSync('x', { memLevel: 0 }));
attempt('strategy 5', () => zlib.deflateSync('x', { strategy: 5 }));
attempt('chunkSize 10', () => zlib.deflateSync('x', { chunkSize: 10 }));
attempt('flush 6', () => zlib.deflateSync('x', { flush: 6 }));
attempt('finishFlush -1', () => zlib.deflateSync('x', { finishFlush: -1 }));
attempt('maxOutputLength 0', () => zlib.deflateSync('x', { maxOutputLength: 0 }));
attempt('level before chunkSize', () => zlib.deflateSync('x', { level: 99, chunkSize: 1 }));
attempt('options before input', () => zlib.deflateSync(5, { level: 99 }));
attempt('options string', () => zlib.inflateSync(zlib.deflateSync('x', 'abc')).toString());
const rawOpts = { windowBits: 8 };
zlib.inflateRawSync(zlib.deflateRawSync('raw 8', rawOpts));
console.log('deflateRaw windowBits 8 becomes', rawOpts.windowBits);
attempt('encoding option ignored', () => Buffer.isBuffer(zlib.gunzipSync(zlib.gzipSync('x'), { encoding: 'hex' })));

// maxOutputLength and chunkSize
const hundred = zlib.deflateSync('a'.repeat(100));
attempt('maxOutputLength 10', () => zlib.inflateSync(hundred, { maxOutputLength: 10 }));
attempt('maxOutputLength 100', () => zlib.inflateSync(hundred, { maxOutputLength: 100 }).length);
const big = Buffer.alloc(200000);
for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
attempt('small chunks', () => {
  const r = zlib.inflateSync(zlib.deflateSync(big), { chunkSize: 1024 });
  return [r.equals(big), r.length];
});
attempt('one chunk', () => zlib.deflateSync('abc').buffer.byteLength);

// info: true gives the engine
attempt('info', () => {
  const r = zlib.gunzipSync(gz, { info: true });
  return [Object.keys(r), r.buffer.toString(), r.engine.constructor.name, r.engine.bytesWritten, r.engine._closed];
});
attempt('info error', () => zlib.inflateSync(Buffer.from('xx'), { info: true }));

// constants, codes, the legacy top-level names
console.log(zlib.constants.Z_NO_FLUSH, zlib.constants.Z_FINISH, zlib.constants.Z_BEST_COMPRESSION, zlib.constants.Z_DEFAULT_CHUNK,
            zlib.constants.Z_MAX_CHUNK, zlib.constants.DEFLATE, zlib.constants.UNZIP, zlib.constants.BROTLI_OPERATION_FINISH,
            zlib.constants.BROTLI_DECODER_ERROR_UNREACHABLE);
console.log(Object.keys(zlib.constants).filter((k) => k !== 'ZLIB_VERNUM').join(','));
console.log(typeof zlib.constants.ZLIB_VERNUM, Object.getPrototypeOf(zlib.constants));
zlib.constants.Z_FINISH = 99;
console.log('constants read-only', zlib.constants.Z_FINISH);
console.log(zlib.codes, Object.isFrozen(zlib.codes));
console.log(zlib.Z_FINISH, zlib.Z_SYNC_FLUSH, zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATE, zlib.BROTLI_OPERATION_FINISH,
            Object.keys(zlib).includes('Z_FINISH'), Object.getOwnPropertyNames(zlib).includes('Z_FINISH'));

// classes
const d = zlib.Deflate({ level: 1 });
console.log(d instanceof zlib.Deflate, d instanceof require('stream').Transform, new zlib.Gzip().constructor.name,
            zlib.createUnzip().constructor.name, zlib.deflateSync.name, zlib.deflate.name, zlib.deflate.length,
            zlib.deflateSync.length, zlib.createGzip.length);
console.log(Object.getPrototypeOf(zlib.Deflate.prototype) === Object.getPrototypeOf(zlib.Gunzip.prototype),
            Object.getPrototypeOf(Object.getPrototypeOf(zlib.BrotliCompress.prototype)) === Object.getPrototypeOf(zlib.Inflate.prototype));
console.log(Object.keys(d));
console.log(d._closed, d._level, d._strategy, d._chunkSize, d._defaultFlushFlag, d._finishFlushFlag,
            d._defaultFullFlushFlag, d._maxOutputLength, d.bytesWritten);
attempt('processChunk', () => {
  const e = zlib.createDeflate();
  const r = e._processChunk(Buffer.from('abc'), zlib.constants.Z_FINISH);
  return [zlib.inflateSync(r).toString(), e._closed, e.bytesWritten];
});
attempt('params range', () => zlib.createDeflate().params(10, 0));
attempt('params strategy', () => zlib.createDeflate().params(1, 9));
attempt('reset', () => zlib.createInflate().reset());
console.log(zlib.createDeflate().bytesRead);

// the callback forms, one after another (node's thread pool finishes them in any order)
const steps = [
  (next) => zlib.deflate('callback', (err, buf) => { console.log('deflate', err, zlib.inflateSync(buf).toString()); next(); }),
  (next) => zlib.gzip('with options', { level: 1 }, (err, buf) => { console.log('gzip', err, zlib.gunzipSync(buf).toString()); next(); }),
  (next) => zlib.deflateRaw(new Uint16Array([1, 2, 3]), (err, buf) => { console.log('uint16', zlib.inflateRawSync(buf)); next(); }),
  (next) => zlib.deflateRaw(new DataView(new ArrayBuffer(4)), (err, buf) => { console.log('dataview', zlib.inflateRawSync(buf)); next(); }),
  (next) => zlib.deflate(new ArrayBuffer(3), (err, buf) => { console.log('arraybuffer', zlib.unzipSync(buf)); next(); }),
  (next) => zlib.unzip(zlib.gzipSync('unzip cb'), (err, buf) => { console.log('unzip', buf.toString()); next(); }),
  (next) => zlib.inflateRaw(zlib.deflateRawSync(''), (err, buf) => { console.log('empty', buf); next(); }),
  (next) => zlib.gunzip(Buffer.from('nope'), (err, buf) => { console.log('gunzip error', err.code, err.errno, err.message, buf); next(); }),
  (next) => zlib.inflate(zlib.deflateSync('a'.repeat(1000)), { maxOutputLength: 100 }, (err, buf) => {
    console.log('too large', err.name, err.code, err.message, buf); next();
  }),
  (next) => zlib.deflate('info', { info: true }, (err, r) => {
    console.log('info', Object.keys(r), r.buffer.length > 0, r.engine.bytesWritten, r.engine._closed); next();
  }),
  (next) => zlib.gunzip(big, { chunkSize: 64 }, (err) => { console.log('gunzip big error', err.code, err.message); next(); }),
  (next) => {
    const packed = zlib.gzipSync(big);
    zlib.gunzip(packed, { chunkSize: 1000 }, (err, buf) => { console.log('gunzip chunks', err, buf.equals(big)); next(); });
  },
  (next) => {
    util.promisify(zlib.gzip)('promised').then((b) => util.promisify(zlib.gunzip)(b))
      .then((b) => console.log('promisify', b.toString()))
      .then(() => util.promisify(zlib.inflate)(Buffer.from('xx')))
      .catch((e) => { console.log('promisify rejects', e.code, e.message); next(); });
  },
  (next) => {
    let sync = true;
    zlib.deflate('later', () => { console.log('callback after sync code:', !sync); next(); });
    process.nextTick(() => console.log('nextTick first'));
    sync = false;
  },
];
(function run(i) { if (i < steps.length) steps[i](() => run(i + 1)); })(0);

attempt('no callback', () => zlib.deflate('x'));
attempt('callback not a function', () => zlib.deflate('x', {}, 'nope'));
attempt('bad input with callback', () => zlib.deflate(5, () => {}));
