// node's stream module: small scenarios, each printing what happens in order (events, callbacks,
// nextTicks and microtasks), run one after the other.
const stream = require('stream');
const { Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished } = stream;
const util = require('util');

const scenarios = [];
function scenario(name, fn) { scenarios.push([name, fn]); }

let current = '';
function log(...args) { console.log(current + ':', ...args); }
function marks(tag) {
  process.nextTick(() => log(tag, 'tick'));
  Promise.resolve().then(() => log(tag, 'micro'));
}
function show(c) { return Buffer.isBuffer(c) ? 'buf(' + c.toString() + ')' : JSON.stringify(c); }
function watch(s, name, events = ['data', 'end', 'finish', 'close', 'error', 'pause', 'resume', 'drain', 'readable', 'prefinish', 'pipe', 'unpipe']) {
  for (const ev of events) {
    if (ev === 'data') s.on('data', (c) => log(name, 'data', show(c)));
    else if (ev === 'error') s.on('error', (e) => log(name, 'error', e.code || e.message));
    else if (ev === 'readable') continue;
    else s.on(ev, () => log(name, ev));
  }
  return s;
}
function counter(n, opts = {}) {
  let i = 0;
  return new Readable({
    ...opts,
    read() {
      i++;
      log('read', i);
      this.push(i <= n ? 'c' + i : null);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Readable

scenario('module', (done) => {
  log(typeof stream, stream === stream.Stream, stream.Readable === Readable);
  log(Object.keys(stream).join(','));
  log(Object.getPrototypeOf(Readable.prototype) === stream.Stream.prototype,
    Object.getPrototypeOf(stream.Stream.prototype) === require('events').prototype);
  const d = new Duplex();
  log(d instanceof Readable, d instanceof Writable, d instanceof Duplex, new Readable() instanceof Writable);
  log(new PassThrough() instanceof Transform, new Transform() instanceof Duplex);
  log(Readable.name, Writable.name, Duplex.name, Transform.name, PassThrough.name, stream.Stream.name);
  log(stream.getDefaultHighWaterMark(false), stream.getDefaultHighWaterMark(true));
  const r = new Readable();
  log(r.readableHighWaterMark, r.readableObjectMode, r.readableFlowing, r.readable, r.destroyed,
    r.readableEnded, r.readableLength, r.readableEncoding, r.closed, r.errored);
  log(new Readable({ objectMode: true }).readableHighWaterMark, new Readable({ highWaterMark: 3 }).readableHighWaterMark);
  const w = new Writable();
  log(w.writableHighWaterMark, w.writable, w.writableEnded, w.writableFinished, w.writableLength,
    w.writableObjectMode, w.writableCorked, w.writableNeedDrain, w.destroyed);
  log(typeof require('stream/promises').pipeline, require('stream').promises === require('stream/promises'));
  done();
});

scenario('flowing', (done) => {
  const r = watch(counter(3), 'r');
  marks('sync');
  r.on('close', done);
});

scenario('push-sync', (done) => {
  const r = new Readable({ read() {} });
  r.push('a');
  r.push('b');
  log('flowing before', r.readableFlowing, r.readableLength);
  watch(r, 'r');
  log('flowing after', r.readableFlowing);
  r.push('c');
  marks('m1');
  setTimeout(() => {
    r.push('d');
    log('push d done');
    r.push(null);
    log('push null done', r.readableEnded);
    r.on('close', () => { log('ended', r.readableEnded, r.destroyed); done(); });
  }, 1);
});

scenario('paused-readable', (done) => {
  const r = counter(3);
  r.on('readable', () => {
    let c;
    log('readable', r.readableLength);
    while ((c = r.read()) !== null) log('got', show(c));
  });
  r.on('end', () => log('end'));
  r.on('close', done);
  log('flowing', r.readableFlowing);
});

scenario('read-sizes', (done) => {
  const r = new Readable({ read() {} });
  r.push('hello');
  r.push('world');
  r.push(null);
  log(show(r.read(3)), show(r.read(4)), r.readableLength);
  log(show(r.read(100)), show(r.read()), r.readableLength);
  r.on('end', () => log('end'));
  r.on('close', () => done());
  r.resume();
});

scenario('read-strings', (done) => {
  const r = new Readable({ read() {}, encoding: 'utf8' });
  r.push('abcdé');
  r.push('fgh');
  log(r.readableEncoding, show(r.read(2)), show(r.read(4)), r.readableLength, show(r.read()));
  r.push(Buffer.from([0xe2, 0x82]));
  r.push(Buffer.from([0xac, 0x21]));
  log(show(r.read()));
  r.push(Buffer.from([0xe2]));
  r.push(null);
  r.on('data', (c) => log('data', show(c)));
  r.on('end', () => { log('end'); done(); });
});

scenario('setEncoding', (done) => {
  const r = new Readable({ read() {} });
  r.push(Buffer.from('h€'));
  r.setEncoding('hex');
  log(r.readableEncoding, r.readableLength, show(r.read()));
  r.setEncoding('UTF-8');
  log(r.readableEncoding);
  r.push(Buffer.from('é').subarray(0, 1));
  log(r.readableLength);
  r.push(Buffer.from('é').subarray(1));
  log(show(r.read()));
  try { r.setEncoding('nope'); } catch (e) { log(e.code, e.message); }
  done();
});

scenario('objectMode', (done) => {
  const r = new Readable({ objectMode: true, read() {} });
  log(r.push({ a: 1 }), r.push(0), r.push(''), r.push([1, 2]), r.readableLength);
  for (let i = 0; i < 12; i++) r.push(i);
  log('push past hwm', r.push('x'), r.readableLength);
  log(JSON.stringify(r.read()), r.read(), JSON.stringify(r.read()), r.read(5));
  r.push(null);
  const got = [];
  r.on('data', (c) => got.push(c));
  r.on('end', () => { log('end', JSON.stringify(got)); done(); });
});

scenario('hwm-push', (done) => {
  const r = new Readable({ highWaterMark: 4, read(n) { log('read called', n); } });
  log(r.push('ab'), r.push('cd'), r.push('e'), r.readableLength);
  r.once('readable', () => {
    log('readable', r.readableLength, show(r.read(1)), r.readableLength);
    setImmediate(() => { r.destroy(); done(); });
  });
});

scenario('pause-resume', (done) => {
  const r = new Readable({ read() {} });
  watch(r, 'r');
  r.pause();
  log('paused', r.isPaused(), r.readableFlowing);
  r.push('x');
  r.resume();
  log('resumed', r.isPaused(), r.readableFlowing);
  marks('m');
  setTimeout(() => {
    r.pause();
    r.push('y');
    log('y queued', r.readableLength);
    r.resume();
    r.push(null);
    r.on('close', done);
  }, 1);
});

scenario('unshift', (done) => {
  const r = new Readable({ read() {} });
  r.push('world');
  r.unshift('hello ');
  log(show(r.read()));
  r.push(null);
  r.on('end', () => {
    try { r.unshift('late'); } catch (e) { log('threw', e.message); }
  });
  r.on('error', (e) => log('error', e.code));
  r.on('close', done);
  r.resume();
});

scenario('readable-end', (done) => {
  const r = new Readable({ read() {} });
  r.on('readable', () => log('readable', show(r.read())));
  r.on('end', () => log('end'));
  r.on('close', () => { log('close'); done(); });
  r.push('a');
  process.nextTick(() => r.push(null));
});

scenario('readable-then-data', (done) => {
  const r = counter(2);
  const onr = () => log('readable', r.readableLength);
  r.on('readable', onr);
  r.on('data', (c) => log('data', show(c)));
  log('flowing', r.readableFlowing);
  setTimeout(() => {
    r.removeListener('readable', onr);
    log('flowing', r.readableFlowing);
    process.nextTick(() => log('flowing next', r.readableFlowing));
    r.on('end', () => log('end'));
    r.on('close', done);
  }, 2);
});

scenario('destroy-error', (done) => {
  const r = new Readable({ read() {} });
  watch(r, 'r');
  r.push('x');
  r.destroy(new Error('boom'));
  log('destroyed', r.destroyed, r.errored && r.errored.message, r.readable, r.closed);
  marks('m');
  r.destroy(new Error('second'));
  log('push after destroy', r.push('y'));
  setTimeout(() => { log('closed', r.closed, r.readableAborted); done(); }, 1);
});

scenario('destroy-callback', (done) => {
  const r = new Readable({
    read() {},
    destroy(err, cb) { log('_destroy', err); setTimeout(() => cb(err), 1); },
  });
  watch(r, 'r');
  r.destroy(null, (e) => log('cb', e));
  log('after destroy');
  setTimeout(done, 10);
});

scenario('push-after-eof', (done) => {
  const r = new Readable({ read() {} });
  r.on('error', (e) => log('error', e.code, e.message));
  r.on('close', () => { log('close'); done(); });
  r.push(null);
  r.push('more');
});

scenario('read-not-implemented', (done) => {
  const r = new Readable();
  r.on('error', (e) => log('error', e.code, e.message));
  r.on('close', () => { log('close'); done(); });
  log(r.read());
});

scenario('bad-chunk', (done) => {
  const r = new Readable({ read() {} });
  r.on('error', (e) => log('error', e.name, e.code));
  r.on('close', () => { log('close'); done(); });
  log(r.push(42));
});

scenario('emitClose-false', (done) => {
  const r = new Readable({ read() {}, emitClose: false, autoDestroy: false });
  watch(r, 'r');
  r.push(null);
  r.resume();
  setTimeout(() => { log('destroyed', r.destroyed); r.destroy(); setTimeout(done, 1); }, 1);
});

scenario('from-array', (done) => {
  const r = Readable.from(['a', 'b', { c: 1 }]);
  log(r.readableObjectMode, r.readableHighWaterMark);
  r.on('data', (c) => log('data', JSON.stringify(c)));
  r.on('end', () => log('end'));
  r.on('close', done);
});

scenario('from-generators', async (done) => {
  function* gen() { yield 1; yield 2; }
  async function* agen() { yield 'x'; await null; yield 'y'; }
  for (const src of [gen(), agen(), 'whole string', Buffer.from('bytes'), new Set([7, 8])]) {
    const out = [];
    for await (const c of Readable.from(src)) out.push(show(c));
    log(out.join(' '));
  }
  const r = Readable.from('text', { objectMode: false });
  log(r.readableObjectMode);
  try { Readable.from(5); } catch (e) { log(e.code); }
  const failing = Readable.from((function* () { yield 1; throw new Error('gen failed'); })());
  failing.on('data', (c) => log('data', c));
  failing.on('error', (e) => log('error', e.message));
  failing.on('close', done);
});

scenario('from-null-value', (done) => {
  const r = Readable.from([1, null, 2]);
  r.on('data', (c) => log('data', c));
  r.on('error', (e) => log('error', e.code));
  r.on('close', done);
});

scenario('async-iterate', async (done) => {
  const r = counter(3);
  const got = [];
  for await (const c of r) got.push(String(c));
  log(got.join(','), r.destroyed, r.readableEnded);
  const r2 = counter(5);
  for await (const c of r2) { log('first', String(c)); break; }
  log('after break', r2.destroyed);
  const r3 = new Readable({ read() { this.destroy(new Error('iter boom')); } });
  try { for await (const c of r3) log('never', c); } catch (e) { log('caught', e.message); }
  const r4 = new Readable({ read() {} });
  setTimeout(() => { r4.push('late'); r4.push(null); }, 2);
  for await (const c of r4) log('late chunk', String(c));
  const r5 = counter(3);
  for await (const c of r5.iterator({ destroyOnReturn: false })) { log('no destroy', String(c)); break; }
  log('r5 destroyed', r5.destroyed);
  r5.destroy();
  done();
});

// ---------------------------------------------------------------------------------------------
// Writable

function slowWriter(name, opts = {}) {
  return new Writable({
    highWaterMark: 3,
    ...opts,
    write(chunk, enc, cb) {
      log(name, 'write', show(chunk), enc);
      setTimeout(cb, 1);
    },
  });
}

scenario('write-drain', (done) => {
  const w = watch(slowWriter('w'), 'w');
  log('ret', w.write('ab', () => log('cb ab')), w.writableLength, w.writableNeedDrain);
  log('ret', w.write('cd', () => log('cb cd')), w.writableLength, w.writableNeedDrain);
  marks('m');
  w.once('drain', () => {
    log('drained', w.writableLength);
    w.end('z', () => log('end cb'));
    log('ended', w.writableEnded, w.writableFinished, w.writable);
  });
  w.on('close', () => { log('finished', w.writableFinished, w.destroyed); done(); });
});

scenario('write-sync', (done) => {
  const w = watch(new Writable({
    write(chunk, enc, cb) { log('write', show(chunk)); cb(); },
  }), 'w');
  w.write('a', () => log('cb a'));
  w.write('b', () => log('cb b'));
  w.write('c');
  marks('m');
  w.end(() => log('end cb'));
  log('sync end');
  w.on('close', done);
});

scenario('write-errors', (done) => {
  const w = new Writable({ write(c, e, cb) { cb(); } });
  try { w.write(null); } catch (e) { log(e.name, e.code); }
  try { w.write(5); } catch (e) { log(e.name, e.code); }
  try { w.write('x', 'bogus'); } catch (e) { log(e.name, e.code, e.message); }
  w.on('error', (e) => log('error', e.code));
  w.end();
  log('write after end', w.write('late', (e) => log('cb', e.code)));
  w.end((e) => log('second end cb', e && e.code));
  w.on('close', () => { log('close'); done(); });
});

scenario('write-cb-error', (done) => {
  const w = new Writable({ write(c, e, cb) { cb(new Error('disk full')); } });
  w.on('error', (e) => log('error', e.message));
  w.on('close', () => { log('close', w.destroyed, w.errored.message); done(); });
  log(w.write('a', (e) => log('cb', e && e.message)));
  w.write('b', (e) => log('cb b', e && e.message));
  marks('m');
});

scenario('final', (done) => {
  const w = watch(new Writable({
    write(c, e, cb) { log('write', show(c)); cb(); },
    final(cb) { log('final'); setTimeout(() => { log('final done'); cb(); }, 1); },
  }), 'w');
  w.write('x');
  w.end();
  log('after end', w.writableFinished);
  w.on('close', done);
});

scenario('final-error', (done) => {
  const w = new Writable({
    write(c, e, cb) { cb(); },
    final(cb) { cb(new Error('final failed')); },
  });
  watch(w, 'w');
  w.end('x', (e) => log('end cb', e && e.message));
  w.on('close', done);
});

scenario('cork-writev', (done) => {
  const w = new Writable({
    write(c, e, cb) { log('write', show(c)); cb(); },
    writev(chunks, cb) { log('writev', chunks.map((x) => show(x.chunk) + '/' + x.encoding).join(' '), chunks.length); cb(); },
  });
  w.cork();
  w.write('a');
  w.write('b', () => log('cb b'));
  w.write(Buffer.from('c'));
  log('corked', w.writableCorked, w.writableLength, w.writableBuffer.length);
  process.nextTick(() => { w.uncork(); log('uncorked', w.writableLength); });
  w.write('solo');
  setTimeout(() => { w.end('last'); w.on('finish', () => { log('finish'); done(); }); }, 1);
});

scenario('writev-buffered', (done) => {
  const w = new Writable({
    writev(chunks, cb) { log('writev', chunks.map((x) => show(x.chunk)).join(' ')); setTimeout(cb, 1); },
  });
  w.write('1');
  w.write('2');
  w.write('3');
  w.end('4');
  w.on('finish', () => { log('finish'); done(); });
});

scenario('decodeStrings', (done) => {
  const w = new Writable({
    decodeStrings: false,
    defaultEncoding: 'latin1',
    write(c, e, cb) { log('write', typeof c, show(c), e); cb(); },
  });
  w.write('abc');
  w.write('def', 'hex');
  w.write(Buffer.from('g'));
  w.write(new Uint8Array([104]));
  w.setDefaultEncoding('base64');
  w.write('aGk=');
  try { w.setDefaultEncoding('what'); } catch (e) { log(e.code); }
  const w2 = new Writable({ write(c, e, cb) { log('w2', show(c), e); cb(); } });
  w2.write('686921', 'hex');
  w2.write('x', 'utf8');
  setTimeout(done, 1);
});

scenario('objectMode-write', (done) => {
  const w = new Writable({
    objectMode: true,
    highWaterMark: 2,
    write(c, e, cb) { log('write', JSON.stringify(c), e); setTimeout(cb, 1); },
  });
  log(w.write({ a: 1 }), w.write(2), w.write('three'), w.writableLength);
  w.end();
  w.on('finish', () => { log('finish'); done(); });
});

scenario('destroy-while-writing', (done) => {
  const w = new Writable({ write(c, e, cb) { log('write', show(c)); setTimeout(cb, 2); } });
  w.on('error', (e) => log('error', e.message));
  w.on('close', () => log('close'));
  w.write('a', (e) => log('cb a', e && e.code));
  w.write('b', (e) => log('cb b', e && e.code));
  w.end((e) => log('end cb', e && e.code));
  w.destroy(new Error('stop'));
  log('destroyed', w.destroyed, w.writable);
  setTimeout(done, 10);
});

scenario('construct', (done) => {
  const w = watch(new Writable({
    construct(cb) { log('construct'); setTimeout(() => { log('constructed'); cb(); }, 1); },
    write(c, e, cb) { log('write', show(c)); cb(); },
  }), 'w');
  w.write('early');
  w.end();
  const r = new Readable({
    construct(cb) { log('r construct'); process.nextTick(cb); },
    read() { log('r read'); this.push(null); },
  });
  r.on('end', () => log('r end'));
  r.resume();
  w.on('close', done);
});

// ---------------------------------------------------------------------------------------------
// Duplex, Transform, PassThrough

scenario('duplex', (done) => {
  const d = new Duplex({
    read() {},
    write(c, e, cb) { log('got', show(c)); this.push(String(c).toUpperCase()); cb(); },
    final(cb) { log('final'); this.push(null); cb(); },
  });
  watch(d, 'd');
  d.write('hi');
  d.end('there');
  log('readable', d.readable, 'writable', d.writable, d.allowHalfOpen);
  d.on('close', () => { log('destroyed', d.destroyed); done(); });
});

scenario('duplex-halfopen', (done) => {
  const d = new Duplex({
    allowHalfOpen: false,
    read() { this.push(null); },
    write(c, e, cb) { cb(); },
  });
  watch(d, 'd');
  d.resume();
  d.on('close', () => { log('writableEnded', d.writableEnded); done(); });
});

scenario('duplex-options', (done) => {
  const d = new Duplex({ readable: false, write(c, e, cb) { cb(); } });
  log(d.readable, d.writable, d.readableEnded);
  const d2 = new Duplex({ readableObjectMode: true, writableHighWaterMark: 5 });
  log(d2.readableObjectMode, d2.writableObjectMode, d2.readableHighWaterMark, d2.writableHighWaterMark);
  done();
});

scenario('transform', (done) => {
  const t = new Transform({
    transform(chunk, enc, cb) {
      log('transform', show(chunk), enc);
      cb(null, chunk.toString().toUpperCase());
    },
    flush(cb) { log('flush'); this.push('!'); cb(null, '?'); },
  });
  watch(t, 't');
  t.write('abc');
  t.write('def');
  t.end();
  t.on('close', done);
});

scenario('transform-split', (done) => {
  const t = new Transform({
    readableObjectMode: true,
    transform(chunk, enc, cb) {
      const parts = (this.rest + chunk).split('\n');
      this.rest = parts.pop();
      for (const p of parts) this.push(p);
      cb();
    },
    flush(cb) { if (this.rest) this.push(this.rest); cb(); },
  });
  t.rest = '';
  t.on('data', (l) => log('line', JSON.stringify(l)));
  t.on('end', () => { log('end'); done(); });
  t.write('one\ntw');
  t.write('o\nthree\n\nfo');
  t.end('ur');
});

scenario('transform-backpressure', (done) => {
  const t = new Transform({
    highWaterMark: 2,
    objectMode: true,
    transform(c, e, cb) { log('transform', c); cb(null, c * 10); },
  });
  for (let i = 1; i <= 5; i++) log('write', i, t.write(i));
  log('lengths', t.readableLength, t.writableLength);
  setTimeout(() => {
    t.on('data', (c) => log('data', c));
    t.end();
    t.on('end', () => { log('end'); done(); });
  }, 1);
});

scenario('transform-error', (done) => {
  const t = new Transform({ transform(c, e, cb) { cb(new Error('bad input')); } });
  watch(t, 't');
  t.write('x', (e) => log('write cb', e && e.message));
  t.on('close', done);
});

scenario('passthrough', (done) => {
  const p = new PassThrough();
  watch(p, 'p');
  p.write('a');
  p.end('b');
  p.on('close', done);
});

// ---------------------------------------------------------------------------------------------
// pipe

scenario('pipe-backpressure', (done) => {
  const r = watch(counter(4, { highWaterMark: 2 }), 'r', ['end', 'close', 'pause', 'resume']);
  const w = watch(slowWriter('w', { highWaterMark: 1 }), 'w', ['drain', 'finish', 'close', 'pipe', 'unpipe']);
  log('pipe returns dest', r.pipe(w) === w);
  w.on('close', done);
});

scenario('pipe-multiple', (done) => {
  const r = new Readable({ read() {} });
  const a = new PassThrough();
  const b = new PassThrough();
  a.on('data', (c) => log('a', show(c)));
  b.on('data', (c) => log('b', show(c)));
  r.pipe(a);
  r.pipe(b);
  r.push('x');
  setTimeout(() => {
    r.unpipe(a);
    r.push('y');
    setTimeout(() => {
      r.unpipe();
      log('flowing', r.readableFlowing);
      r.push('z');
      setTimeout(() => { log('left', show(r.read())); done(); }, 1);
    }, 1);
  }, 1);
});

scenario('pipe-end-false', (done) => {
  const r = Readable.from(['a', 'b']);
  const w = new Writable({ write(c, e, cb) { log('write', show(c)); cb(); } });
  w.on('finish', () => log('finish'));
  r.pipe(w, { end: false });
  r.on('end', () => { log('end', w.writableEnded); w.end(); setTimeout(done, 1); });
});

scenario('pipe-dest-error', (done) => {
  const r = new Readable({ read() {} });
  const w = new Writable({ write(c, e, cb) { cb(new Error('write failed')); } });
  w.on('error', (e) => log('w error', e.message));
  w.on('unpipe', () => log('unpipe'));
  r.pipe(w);
  r.push('x');
  setTimeout(() => { log('r flowing', r.readableFlowing, r.destroyed); done(); }, 2);
});

scenario('pipe-transform-chain', (done) => {
  const upper = new Transform({ transform(c, e, cb) { cb(null, String(c).toUpperCase()); } });
  const out = [];
  const sink = new Writable({ write(c, e, cb) { out.push(String(c)); cb(); } });
  Readable.from(['ab', 'cd', 'ef']).pipe(upper).pipe(sink);
  sink.on('finish', () => { log(out.join('|')); done(); });
});

scenario('legacy-stream', (done) => {
  const src = new stream.Stream();
  src.readable = true;
  const dst = new Writable({ write(c, e, cb) { log('write', show(c)); cb(); } });
  dst.on('pipe', (s) => log('pipe', s === src));
  dst.on('finish', () => { log('finish'); done(); });
  src.pipe(dst);
  src.emit('data', 'one');
  src.emit('data', Buffer.from('two'));
  src.emit('end');
});

// ---------------------------------------------------------------------------------------------
// finished, pipeline

scenario('finished', (done) => {
  const r = Readable.from(['a']);
  finished(r, (err) => log('readable finished', err));
  r.resume();
  const w = new Writable({ write(c, e, cb) { cb(); } });
  finished(w, (err) => log('writable finished', err));
  w.end('x');
  const p = new PassThrough();
  const cleanup = finished(p, (err) => log('premature', err && err.code));
  log(typeof cleanup);
  p.destroy();
  const e = new Readable({ read() {} });
  finished(e, (err) => log('errored', err.message));
  e.destroy(new Error('broken'));
  const done2 = Readable.from([]);
  done2.resume();
  done2.on('close', () => finished(done2, (err) => { log('already closed', err); done(); }));
});

scenario('pipeline-ok', (done) => {
  const out = [];
  pipeline(
    Readable.from(['a', 'b', 'c']),
    new Transform({ transform(c, e, cb) { cb(null, c + c); } }),
    new Writable({ write(c, e, cb) { out.push(String(c)); cb(); } }),
    (err, val) => { log('done', err, val, out.join(',')); done(); },
  );
});

scenario('pipeline-error', (done) => {
  const src = new Readable({ read() {} });
  const mid = new PassThrough();
  const dst = new Writable({ write(c, e, cb) { cb(); } });
  src.on('close', () => log('src close', src.destroyed));
  dst.on('close', () => log('dst close', dst.destroyed));
  const ret = pipeline(src, mid, dst, (err) => { log('cb', err.message); setTimeout(done, 1); });
  log('returns last', ret === dst);
  mid.destroy(new Error('middle broke'));
});

scenario('pipeline-generator', (done) => {
  pipeline(
    function* () { yield 'x'; yield 'y'; },
    async function* (source) { for await (const c of source) yield String(c).toUpperCase() + ';'; },
    async function (source) { let s = ''; for await (const c of source) s += c; return s; },
    (err, val) => { log('result', err, val); done(); },
  );
});

scenario('pipeline-array', (done) => {
  const chunks = [];
  const w = new Writable({ objectMode: true, write(c, e, cb) { chunks.push(c); cb(); } });
  pipeline([Readable.from([1, 2, 3]), w], (err) => { log('array form', err, chunks.join(',')); done(); });
});

scenario('pipeline-errors', (done) => {
  try { pipeline(Readable.from(['a']), () => {}); } catch (e) { log(e.code); }
  try { pipeline(Readable.from(['a']), new PassThrough()); } catch (e) { log(e.code); }
  try { pipeline(() => 5, new PassThrough(), () => {}); } catch (e) { log(e.code, e.message); }
  done();
});

// ---------------------------------------------------------------------------------------------
// Subclasses

class Counter extends Readable {
  constructor(max, opts) {
    super(opts);
    this.max = max;
    this.n = 0;
  }
  _read() {
    this.n++;
    this.push(this.n > this.max ? null : String(this.n));
  }
}

class Collector extends Writable {
  constructor() {
    super({ decodeStrings: false });
    this.parts = [];
  }
  _write(chunk, enc, cb) {
    this.parts.push(String(chunk));
    cb();
  }
  _final(cb) {
    log('collector final', this.parts.join(''));
    cb();
  }
}

class Upper extends Transform {
  _transform(chunk, enc, cb) {
    this.push(String(chunk).toUpperCase());
    cb();
  }
}

scenario('class-extends', (done) => {
  const c = new Counter(3);
  log(c instanceof Readable, c instanceof Counter, c.constructor.name, typeof Counter.from);
  const col = new Collector();
  log(col instanceof Writable, col instanceof Collector);
  pipeline(c, new Upper(), col, (err) => { log('pipeline', err, col.parts); done(); });
});

function OldReadable(opts) {
  if (!(this instanceof OldReadable)) return new OldReadable(opts);
  Readable.call(this, opts);
  this.items = ['x', 'y'];
}
util.inherits(OldReadable, Readable);
OldReadable.prototype._read = function () {
  this.push(this.items.length ? this.items.shift() : null);
};

function OldWriter() {
  Writable.call(this, { objectMode: true });
}
util.inherits(OldWriter, Writable);
OldWriter.prototype._write = function (chunk, enc, cb) {
  log('old write', show(chunk));
  cb();
};

function OldTransform(opts) {
  Transform.call(this, opts);
}
util.inherits(OldTransform, Transform);
OldTransform.prototype._transform = function (chunk, enc, cb) { cb(null, '<' + chunk + '>'); };

scenario('util-inherits', (done) => {
  const r = OldReadable();
  log(r instanceof Readable, r instanceof OldReadable, OldReadable.super_ === Readable);
  const w = new OldWriter();
  log(w instanceof Writable, w.writableObjectMode);
  w.on('finish', () => { log('finish'); done(); });
  r.pipe(new OldTransform()).pipe(w);
});

scenario('readable-wrap', (done) => {
  const old = new (require('events'))();
  old.pause = () => log('old pause');
  old.resume = () => log('old resume');
  const r = new Readable({ highWaterMark: 1 }).wrap(old);
  r.on('data', (c) => log('data', show(c)));
  r.on('end', () => { log('end'); done(); });
  old.emit('data', Buffer.from('p'));
  old.emit('data', Buffer.from('q'));
  old.emit('end');
});

scenario('utils', (done) => {
  const r = new Readable({ read() {} });
  log(stream.isReadable(r), stream.isErrored(r), stream.isDisturbed(r), stream.isDestroyed(r));
  r.push('a');
  r.read();
  log(stream.isDisturbed(r));
  r.destroy(new Error('x'));
  r.on('error', () => {});
  log(stream.isReadable(r), stream.isErrored(r), stream.isDestroyed(r));
  const w = new Writable({ write(c, e, cb) { cb(); } });
  log(stream.isWritable(w));
  w.end();
  log(stream.isWritable(w));
  done();
});

// ---------------------------------------------------------------------------------------------

(async () => {
  for (const [name, fn] of scenarios) {
    current = name;
    await new Promise((resolve) => {
      let finished = false;
      const finish = () => { if (!finished) { finished = true; setTimeout(resolve, 5); } };
      const r = fn(finish);
      if (r && typeof r.then === 'function') r.then(() => {}, (e) => { log('threw', e.message); finish(); });
    });
  }
  current = 'end';
  log('all done');
})();
