// node's zlib brotli functions (LuaScript needs the system's libbrotlienc and libbrotlidec for
// them). Round trips, errors and parameter checks: compressed bytes differ between versions.
const zlib = require('zlib');
const util = require('util');
const { BROTLI_PARAM_QUALITY, BROTLI_PARAM_MODE, BROTLI_MODE_TEXT, BROTLI_PARAM_SIZE_HINT, BROTLI_PARAM_LGWIN } = zlib.constants;

function attempt(label, f) {
  try {
    console.log(label, f());
  } catch (e) {
    console.log(label, e.name, e.code, e.errno, e.message);
  }
}

const text = 'The quick brown fox jumps over the lazy dog. '.repeat(100) + 'héllo ✓';
attempt('round trip', () => zlib.brotliDecompressSync(zlib.brotliCompressSync(text)).toString() === text);
attempt('smaller', () => zlib.brotliCompressSync(text).length < Buffer.byteLength(text));
attempt('empty', () => zlib.brotliDecompressSync(zlib.brotliCompressSync('')).length);
for (const quality of [0, 1, 5, 11]) {
  const params = { [BROTLI_PARAM_QUALITY]: quality, [BROTLI_PARAM_MODE]: BROTLI_MODE_TEXT, [BROTLI_PARAM_LGWIN]: 16 };
  attempt('quality ' + quality, () => zlib.brotliDecompressSync(zlib.brotliCompressSync(text, { params })).toString() === text);
}
attempt('size hint', () => zlib.brotliDecompressSync(zlib.brotliCompressSync(text, { params: { [BROTLI_PARAM_SIZE_HINT]: text.length } })).length);
attempt('boolean param', () => zlib.brotliDecompressSync(zlib.brotliCompressSync('x', { params: { 1: true } })).toString());
attempt('out of range quality', () => zlib.brotliDecompressSync(zlib.brotliCompressSync('clamped', { params: { 1: 99 } })).toString());
// a fixed input: brotli of 'hello brotli' (quality 11)
attempt('fixed', () => zlib.brotliDecompressSync(Buffer.from('8b058068656c6c6f2062726f746c6903', 'hex')).toString());

attempt('garbage', () => zlib.brotliDecompressSync(Buffer.from('hello world, not brotli')));
attempt('truncated', () => zlib.brotliDecompressSync(zlib.brotliCompressSync('hello brotli '.repeat(10)).subarray(0, 5)));
attempt('empty input', () => zlib.brotliDecompressSync(Buffer.alloc(0)));
attempt('bad key', () => zlib.brotliCompressSync('x', { params: { 99: 1 } }));
attempt('fraction key', () => zlib.brotliCompressSync('x', { params: { '1.5': 1 } }));
attempt('duplicate key', () => zlib.brotliCompressSync('x', { params: { 1: 1, '01': 2 } }));
attempt('bad value', () => zlib.brotliCompressSync('x', { params: { 1: 'a' } }));
attempt('decoder param', () => zlib.brotliDecompressSync(zlib.brotliCompressSync('x'), { params: { 5: 1 } }));
attempt('flush range', () => zlib.brotliCompressSync('x', { flush: 4 }));
attempt('maxOutputLength', () => zlib.brotliDecompressSync(zlib.brotliCompressSync('a'.repeat(1000)), { maxOutputLength: 10 }));
attempt('info', () => {
  const r = zlib.brotliCompressSync('x', { info: true });
  return [r.engine.constructor.name, r.engine.bytesWritten, r.engine._closed, r.engine._finishFlushFlag];
});
const b = zlib.createBrotliCompress();
console.log(b instanceof zlib.BrotliCompress, b._defaultFlushFlag, b._finishFlushFlag, b._defaultFullFlushFlag);
b.destroy();

const steps = [
  (next) => zlib.brotliCompress(text, (err, buf) => {
    zlib.brotliDecompress(buf, (err2, out) => { console.log('callbacks', err, err2, out.toString() === text); next(); });
  }),
  (next) => zlib.brotliDecompress(Buffer.from('garbage data that is not brotli'), (err) => {
    console.log('callback error', err.code, err.errno, err.message); next();
  }),
  (next) => {
    util.promisify(zlib.brotliCompress)('promised brotli').then((buf) => util.promisify(zlib.brotliDecompress)(buf))
      .then((buf) => { console.log(buf.toString()); next(); });
  },
  (next) => {
    const br = zlib.createBrotliCompress();
    const parts = [];
    br.on('data', (c) => parts.push(c));
    br.write('brotli ');
    br.flush(() => {
      console.log('flushed', zlib.brotliDecompressSync(Buffer.concat(parts), { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }).toString());
      br.end('stream');
    });
    br.on('end', () => { console.log('stream', zlib.brotliDecompressSync(Buffer.concat(parts)).toString()); next(); });
  },
  (next) => {
    const d = zlib.createBrotliDecompress();
    d.resume();
    d.on('error', (e) => { console.log('stream truncated', e.code, e.message); next(); });
    d.end(zlib.brotliCompressSync('x'.repeat(100) + 'y'.repeat(100)).subarray(0, 6));
  },
  (next) => {
    const c = zlib.createBrotliCompress({ chunkSize: 64 });
    const d = zlib.createBrotliDecompress({ chunkSize: 64 });
    const parts = [];
    c.pipe(d).on('data', (x) => parts.push(x)).on('end', () => {
      console.log('piped', Buffer.concat(parts).toString() === text); next();
    });
    c.end(text);
  },
];
(function run(i) { if (i < steps.length) steps[i](() => run(i + 1)); })(0);
