// stream/promises (pipeline, finished) and stream/consumers, as an ES module
import { pipeline, finished } from 'stream/promises';
import { text, json, buffer, arrayBuffer } from 'stream/consumers';
import { Readable, Writable, Transform, PassThrough } from 'node:stream';
import * as streamNs from 'stream';
import { setTimeout as sleep } from 'timers/promises';

const log = (...a) => console.log(...a);

log(typeof pipeline, typeof finished, streamNs.default === streamNs.Stream, typeof streamNs.Readable);

// a pipeline of streams: the promise settles once the last one finished
{
  const out = [];
  const result = await pipeline(
    Readable.from(['a', 'b', 'c']),
    new Transform({ transform(c, e, cb) { cb(null, String(c).toUpperCase()); } }),
    new Writable({ write(c, e, cb) { out.push(String(c)); cb(); } }),
  );
  log('streams', result, out.join(''));
}

// async generator functions as transforms and as the destination (its value is the result)
{
  const result = await pipeline(
    Readable.from(['1', '2', '3']),
    async function* double(source) {
      for await (const chunk of source) yield Number(chunk) * 2;
    },
    async function* (source, { signal }) {
      log('signal', typeof signal, signal.aborted);
      for await (const n of source) { await sleep(1); yield n + 1; }
    },
    async function sum(source) {
      let total = 0;
      for await (const n of source) total += n;
      return total;
    },
  );
  log('generators', result);
}

// a generator function as the source, into a writable
{
  const got = [];
  await pipeline(
    function* () { yield 'x'; yield 'y'; },
    new Writable({ objectMode: true, write(c, e, cb) { got.push(c); cb(); } }),
  );
  log('source function', got.join(','));
}

// errors reject the promise and destroy the streams
{
  const src = new Readable({ objectMode: true, read() {} });
  const sink = new PassThrough({ objectMode: true });
  const p = pipeline(src, async function* (source) {
    for await (const c of source) {
      if (String(c) === 'bad') throw new Error('transform failed on ' + c);
      yield c;
    }
  }, sink);
  src.push('ok');
  src.push('bad');
  try { await p; } catch (e) { log('rejected', e.message, src.destroyed, sink.destroyed); }
}

{
  try {
    await pipeline(new Readable({ read() { this.destroy(new Error('source broke')); } }), new PassThrough());
  } catch (e) {
    log('source error', e.message);
  }
}

// options: {end: false} keeps the destination open
{
  const dest = new PassThrough();
  await pipeline(Readable.from(['keep']), dest, { end: false });
  log('end false', dest.writableEnded);
  dest.end();
}

// an aborted signal
{
  const ac = new AbortController();
  const p = pipeline(new Readable({ read() {} }), new PassThrough(), { signal: ac.signal });
  ac.abort();
  try { await p; } catch (e) { log('aborted', e.name, e.code); }
}

// finished
{
  const r = Readable.from(['q']);
  r.resume();
  await finished(r);
  log('finished readable', r.readableEnded);
  const w = new Writable({ write(c, e, cb) { cb(); } });
  setTimeout(() => w.end('z'), 1);
  await finished(w);
  log('finished writable', w.writableFinished);
  const broken = new PassThrough();
  setTimeout(() => broken.destroy(), 1);
  try { await finished(broken); } catch (e) { log('finished rejects', e.code); }
}

// for await over a stream fed over time, and Readable.from of an async generator
{
  const r = new Readable({ objectMode: true, read() {} });
  setTimeout(() => r.push({ n: 1 }), 1);
  setTimeout(() => { r.push({ n: 2 }); r.push(null); }, 3);
  const seen = [];
  for await (const o of r) seen.push(o.n);
  log('objects', seen.join(','));
  async function* gen() { for (let i = 0; i < 3; i++) { await sleep(1); yield 'g' + i; } }
  log('from async generator', (await Readable.from(gen()).toArray()).join(','));
}

// stream/consumers
{
  log('text', JSON.stringify(await text(Readable.from([Buffer.from([0xe2, 0x82]), Buffer.from([0xac]), 'ok']))));
  log('json', JSON.stringify(await json(Readable.from(['{"a":', '[1,2]}']))));
  const b = await buffer(Readable.from([Buffer.from('ab'), 'cd']));
  log('buffer', Buffer.isBuffer(b), b.toString());
  const ab = await arrayBuffer(Readable.from([Buffer.from('xyz')]));
  log('arrayBuffer', ab instanceof ArrayBuffer, ab.byteLength);
  log('text of async iterable', await text((async function* () { yield 'p'; yield 'q'; })()));
}

log('done');
