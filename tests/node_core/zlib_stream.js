// node's zlib streams: events and their order, flush(), close(), params(), errors, backpressure,
// pipeline with fs streams. Each step ends before the next starts (node's thread pool would
// finish concurrent streams in any order).
const zlib = require('zlib');
const fs = require('fs');
const { pipeline, Readable, Writable } = require('stream');
const streamPromises = require('stream/promises');
const log = (...a) => console.log(...a);

function collect(stream, label, next) {
  const parts = [];
  stream.on('data', (c) => parts.push(c));
  stream.on('error', (e) => { log(label, 'error', e.code, e.errno, e.message, stream.destroyed); next(); });
  stream.on('end', () => log(label, JSON.stringify(Buffer.concat(parts).toString())));
  stream.on('close', () => { if (!stream.errored) next(); });
}

const big = Buffer.alloc(300000);
for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;

const steps = [
  function events(next) {
    const gz = zlib.createGzip();
    const chunks = [];
    for (const ev of ['prefinish', 'finish', 'end', 'close']) gz.on(ev, () => log('event', ev, gz.bytesWritten));
    gz.on('data', (c) => chunks.push(c));
    gz.write('hello ');
    gz.write(Buffer.from('world'));
    gz.end('!', () => log('end callback'));
    gz.on('close', () => { log('gunzipped', zlib.gunzipSync(Buffer.concat(chunks)).toString(), gz._closed, gz.destroyed); next(); });
  },
  function order(next) {
    const s = zlib.createDeflateRaw();
    const seq = [];
    for (const e of ['data', 'end', 'finish', 'close', 'prefinish', 'drain']) s.on(e, () => seq.push(e));
    s.write('abc', () => seq.push('write cb'));
    s.end(() => seq.push('end cb'));
    s.on('close', () => { log(seq.join(' ')); next(); });
  },
  function flushes(next) {
    const d = zlib.createDeflate();
    const out = [];
    d.on('data', (c) => out.push(c));
    d.write('part one, ');
    d.flush(() => {
      log('after flush', zlib.inflateSync(Buffer.concat(out), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString());
      d.end('part two');
    });
    d.on('end', () => { log('flushed total', zlib.inflateSync(Buffer.concat(out)).toString()); next(); });
  },
  function syncFlush(next) {
    const g = zlib.createGzip();
    const parts = [];
    g.on('data', (c) => parts.push(c));
    g.write('a');
    g.flush(zlib.constants.Z_SYNC_FLUSH, () => {
      log('sync flushed', zlib.gunzipSync(Buffer.concat(parts), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString());
      g.end();
    });
    g.on('end', () => { log('after flush end', zlib.gunzipSync(Buffer.concat(parts)).toString()); next(); });
  },
  function flushAfterEnd(next) {
    const d = zlib.createDeflate();
    d.resume();
    d.end('xyz');
    d.flush(() => log('flush while ending: after end', d.readableEnded));
    d.on('close', () => d.flush(() => { log('flush after finish'); next(); }));
  },
  function badData(next) {
    const inf = zlib.createInflate();
    inf.on('error', (e) => log('stream error', e.code, e.errno, e.message, inf.destroyed));
    inf.on('close', () => { log('closed after error', inf._closed); next(); });
    inf.on('data', (c) => log('data?', c));
    inf.end(Buffer.from('not zlib data'));
  },
  (next) => { const s = zlib.createGunzip(); const gz = zlib.gzipSync('trunc test'); s.resume(); s.on('error', (e) => { log('truncated stream', e.code, e.message); next(); }); s.end(gz.subarray(0, gz.length - 4)); },
  (next) => { const u = zlib.createUnzip(); collect(u, 'unzip split gzip magic', next); const g = zlib.gzipSync('split magic'); u.write(g.subarray(0, 1)); u.write(g.subarray(1, 2)); u.end(g.subarray(2)); },
  (next) => { const u = zlib.createUnzip(); collect(u, 'unzip split zlib', next); const g = zlib.deflateSync('split deflate'); u.write(g.subarray(0, 1)); u.end(g.subarray(1)); },
  (next) => { const u = zlib.createUnzip(); collect(u, 'unzip 1f then junk', next); u.write(Buffer.from([0x1f])); u.end(Buffer.from([0x00, 1, 2, 3])); },
  (next) => {
    const u = zlib.createGunzip();
    collect(u, 'members in pieces', next);
    const g = Buffer.concat([zlib.gzipSync('one '), zlib.gzipSync('two '), zlib.gzipSync('three')]);
    for (let i = 0; i < g.length; i += 5) u.write(g.subarray(i, i + 5));
    u.end();
  },
  (next) => { const u = zlib.createInflate(); collect(u, 'inflate then garbage', next); u.end(Buffer.concat([zlib.deflateSync('payload'), Buffer.from('trailing')])); },
  (next) => {
    const i = zlib.createInflate({ dictionary: Buffer.from('dictionary words') });
    collect(i, 'dictionary', next);
    i.end(zlib.deflateSync('dictionary words and more dictionary words', { dictionary: Buffer.from('dictionary words') }));
  },
  (next) => { const i = zlib.createInflate(); collect(i, 'dictionary missing', next); i.end(zlib.deflateSync('words', { dictionary: Buffer.from('words') })); },
  (next) => {
    const u = zlib.createUnzip({ chunkSize: 64 });
    const sizes = [];
    u.on('data', (c) => sizes.push(c.length));
    u.on('end', () => { log('chunkSize 64', sizes.length, Math.max(...sizes), sizes.reduce((a, b) => a + b)); next(); });
    const gz = zlib.gzipSync('abcdefghij'.repeat(100));
    for (let i = 0; i < gz.length; i += 7) u.write(gz.subarray(i, i + 7));
    u.end();
  },
  function destroyMidWrite(next) {
    const d = zlib.createDeflate();
    d.on('close', () => { log('destroyed mid-write', d.destroyed, d._closed); next(); });
    d.write('abc');
    d.destroy();
  },
  function destroyWithError(next) {
    const d = zlib.createDeflate();
    d.on('error', (e) => log('destroy error', e.message));
    d.on('close', () => { log('destroyed with error'); next(); });
    d.write('abc');
    d.destroy(new Error('boom'));
  },
  function closeDuringWrite(next) {
    const d = zlib.createInflate();
    d.on('close', () => log('close event'));
    d.write(zlib.deflateSync('abc'));
    d.close(() => { log('close callback', d._closed); next(); });
  },
  function params(next) {
    const d = zlib.createDeflate();
    const parts = [];
    d.on('data', (c) => parts.push(c));
    d.params(9, 1, (...args) => { log('params applied', d._level, d._strategy, args.length); d.end('after params'); });
    d.on('end', () => { log('params round trip', zlib.inflateSync(Buffer.concat(parts)).toString()); next(); });
  },
  function sameParams(next) {
    const d = zlib.createDeflate({ level: 2 });
    d.params(2, 0, () => { log('same params, next tick'); d.destroy(); next(); });
  },
  function writeAfterEnd(next) {
    const d = zlib.createDeflate();
    d.resume();
    d.on('error', (e) => log('write after end', e.code));
    d.end('x');
    d.write('y', (e) => { log('write callback', e && e.code); next(); });
  },
  function emptyStream(next) {
    const d = zlib.createDeflate();
    const parts = [];
    d.on('data', (c) => parts.push(c));
    d.on('end', () => { log('empty', d.bytesWritten, zlib.inflateSync(Buffer.concat(parts)).length); next(); });
    d.end();
  },
  function backpressure(next) {
    const gz = zlib.createGzip({ chunkSize: 1024 });
    const parts = [];
    gz.on('data', (c) => parts.push(c));
    gz.on('end', () => {
      const all = Buffer.concat(parts);
      log('chunks', parts.every((p) => p.length <= 1024), zlib.gunzipSync(all).equals(big), gz.bytesWritten);
      const gun = zlib.createGunzip({ highWaterMark: 100 });
      let total = 0;
      let reads = 0;
      gun.on('readable', () => { let c; while ((c = gun.read()) !== null) { total += c.length; reads++; } });
      gun.on('end', () => { log('read total', total, reads > 1); next(); });
      gun.end(all);
    });
    log('write returns', gz.write(big.subarray(0, 100000)), gz.write(big.subarray(100000)));
    gz.end();
  },
  function slowConsumer(next) {
    const inf = zlib.createInflate({ chunkSize: 256 });
    let got = 0;
    const sink = new Writable({
      highWaterMark: 512,
      write(chunk, enc, cb) { got += chunk.length; setImmediate(cb); },
    });
    pipeline(Readable.from([zlib.deflateSync(big)]), inf, sink, (err) => { log('slow consumer', err, got); next(); });
  },
  function fsPipeline(next) {
    const src = 'line of text\n'.repeat(20000);
    fs.writeFileSync('in.txt', src);
    pipeline(fs.createReadStream('in.txt'), zlib.createGzip(), fs.createWriteStream('in.txt.gz'), (err) => {
      log('pipeline gzip', err, zlib.gunzipSync(fs.readFileSync('in.txt.gz')).toString() === src);
      pipeline(fs.createReadStream('in.txt.gz'), zlib.createGunzip(), fs.createWriteStream('out.txt'), (err) => {
        log('pipeline gunzip', err, fs.readFileSync('out.txt', 'utf8') === src);
        next();
      });
    });
  },
  function pipelineError(next) {
    fs.writeFileSync('bad.gz', 'this is not gzip');
    pipeline(fs.createReadStream('bad.gz'), zlib.createGunzip(), fs.createWriteStream('bad.out'), (err) => {
      log('pipeline error', err.code, err.message);
      next();
    });
  },
  async function promisesAndIteration(next) {
    await streamPromises.pipeline(Readable.from(['async ', 'pipeline']), zlib.createDeflateRaw(), fs.createWriteStream('p.raw'));
    log('stream/promises', zlib.inflateRawSync(fs.readFileSync('p.raw')).toString());
    const chunks = [];
    for await (const c of fs.createReadStream('in.txt.gz').pipe(zlib.createGunzip({ chunkSize: 65536 }))) chunks.push(c);
    log('for await', Buffer.concat(chunks).length);
    next();
  },
  function objectModeOptions(next) {
    const g = zlib.createGunzip({ objectMode: true, encoding: 'utf8' });
    g.on('data', (c) => log('objectMode option ignored', Buffer.isBuffer(c), g.readableObjectMode));
    g.on('end', next);
    g.end(zlib.gzipSync('x'));
  },
];
(function run(i) { if (i < steps.length) steps[i](() => run(i + 1)); })(0);
