// fs.createReadStream / fs.createWriteStream (fs.ReadStream, fs.WriteStream) and readline over a
// file stream. Runs in an empty directory: the files it makes are removed at the end.
const fs = require('fs');
const readline = require('readline');
const { Readable, Writable, pipeline, Transform } = require('stream');

const log = (...a) => console.log(...a);
const steps = [];
const step = (name, f) => steps.push([name, f]);
const show = (c) => (Buffer.isBuffer(c) ? 'buf(' + JSON.stringify(c.toString()) + ')' : JSON.stringify(c));

fs.writeFileSync('in.txt', 'hello\nwörld\r\nthird line\nno newline at end');
const big = 'x'.repeat(70000) + 'END';
fs.writeFileSync('big.txt', big);

step('read-events', (done) => {
  const rs = fs.createReadStream('in.txt', 'utf8');
  log(rs.constructor.name, rs.path, rs.fd, rs.flags, rs.mode, rs.start, rs.end, rs.pos, rs.bytesRead,
    rs.pending, rs.readableHighWaterMark, rs.autoClose, rs.readableEncoding);
  log(rs instanceof fs.ReadStream, rs instanceof Readable, fs.ReadStream === fs.FileReadStream);
  rs.on('open', (fd) => log('open', typeof fd, rs.pending));
  rs.on('ready', () => log('ready'));
  rs.on('data', (c) => log('data', show(c)));
  rs.on('end', () => log('end', rs.bytesRead));
  rs.on('close', () => { log('close', rs.destroyed, rs.pending); done(); });
  process.nextTick(() => log('tick'));
});

step('read-range', (done) => {
  const rs = fs.createReadStream('in.txt', { start: 2, end: 9, highWaterMark: 3 });
  const parts = [];
  rs.on('data', (c) => parts.push(c.toString('latin1')));
  rs.on('end', () => log('range', JSON.stringify(parts), rs.bytesRead, rs.pos));
  rs.on('close', done);
});

step('read-big', (done) => {
  const rs = fs.createReadStream('big.txt');
  const sizes = [];
  rs.on('data', (c) => sizes.push(c.length));
  rs.on('end', () => { log('chunks', sizes.join(','), rs.bytesRead); done(); });
});

step('read-paused', (done) => {
  const rs = fs.createReadStream('in.txt', { highWaterMark: 8 });
  rs.once('readable', () => {
    log('first read', show(rs.read(5)));
    rs.on('readable', () => {
      let c;
      while ((c = rs.read()) !== null) log('read', show(c));
    });
  });
  rs.on('end', () => { log('end'); done(); });
});

step('read-async-iterator', async (done) => {
  let text = '';
  for await (const chunk of fs.createReadStream('in.txt', { encoding: 'utf8', highWaterMark: 10 })) text += '[' + chunk + ']';
  log(JSON.stringify(text));
  done();
});

step('read-errors', (done) => {
  const rs = fs.createReadStream('missing.txt');
  rs.on('error', (e) => log('error', e.message, e.code, e.errno, e.syscall, e.path));
  rs.on('close', () => {
    log('closed', rs.destroyed);
    try { fs.createReadStream('in.txt', { start: 5, end: 2 }); } catch (e) { log(e.code, e.message); }
    try { fs.createReadStream('in.txt', { start: -1 }); } catch (e) { log(e.code, e.message); }
    try { fs.createReadStream(5); } catch (e) { log(e.code, e.message); }
    try { fs.createWriteStream('out.txt', { start: 'a' }); } catch (e) { log(e.code, e.message); }
    done();
  });
});

step('read-destroy', (done) => {
  const rs = fs.createReadStream('big.txt', { highWaterMark: 1000 });
  let n = 0;
  rs.on('data', () => { n++; if (n === 2) rs.destroy(); });
  rs.on('end', () => log('no end'));
  rs.on('close', () => { log('destroyed after', n, 'chunks', rs.bytesRead); done(); });
});

step('read-close-cb', (done) => {
  const rs = fs.createReadStream('in.txt');
  rs.on('open', () => rs.close((err) => { log('close cb', err && err.code); done(); }));
});

step('write-events', (done) => {
  const ws = fs.createWriteStream('out.txt');
  log(ws.constructor.name, ws.path, ws.fd, ws.flags, ws.mode, ws.bytesWritten, ws.pending,
    ws.writableHighWaterMark, ws.autoClose, ws.start, ws.pos);
  log(ws instanceof fs.WriteStream, ws instanceof Writable);
  ws.on('open', (fd) => log('open', typeof fd));
  ws.on('ready', () => log('ready'));
  ws.on('finish', () => log('finish', ws.bytesWritten));
  ws.on('close', () => {
    log('close', JSON.stringify(fs.readFileSync('out.txt', 'utf8')));
    done();
  });
  log(ws.write('abc', () => log('cb abc')), ws.write(Buffer.from('déf\n'), () => log('cb def')));
  ws.write('6869', 'hex');
  ws.end('\nend', () => log('end cb', ws.bytesWritten));
});

step('write-append-and-start', (done) => {
  const ap = fs.createWriteStream('out.txt', { flags: 'a', encoding: 'latin1' });
  ap.end('+é');
  ap.on('close', () => {
    log(JSON.stringify(fs.readFileSync('out.txt', 'latin1')));
    const at = fs.createWriteStream('out.txt', { flags: 'r+', start: 1 });
    at.end('ZZ');
    at.on('close', () => {
      log(JSON.stringify(fs.readFileSync('out.txt', 'latin1')));
      const ex = fs.createWriteStream('out.txt', { flags: 'wx' });
      ex.on('error', (e) => log('wx', e.code, e.message));
      ex.on('close', done);
    });
  });
});

step('write-backpressure', (done) => {
  const ws = fs.createWriteStream('out.txt', { highWaterMark: 4 });
  log(ws.write('12'), ws.write('345'), ws.writableLength, ws.writableNeedDrain);
  ws.on('drain', () => {
    log('drain', ws.writableLength);
    ws.end();
  });
  ws.on('close', () => { log(JSON.stringify(fs.readFileSync('out.txt', 'utf8'))); done(); });
});

step('pipe-copy', (done) => {
  const upper = new Transform({ transform(c, e, cb) { cb(null, c.toString().toUpperCase()); } });
  pipeline(fs.createReadStream('in.txt'), upper, fs.createWriteStream('copy.txt'), (err) => {
    log('pipeline', err, JSON.stringify(fs.readFileSync('copy.txt', 'utf8')));
    const r = fs.createReadStream('big.txt');
    const w = fs.createWriteStream('big2.txt');
    r.pipe(w);
    w.on('finish', () => {
      log('copied', fs.readFileSync('big2.txt', 'utf8') === big);
      done();
    });
  });
});

step('readline', (done) => {
  const rl = readline.createInterface({ input: fs.createReadStream('in.txt'), crlfDelay: Infinity });
  rl.on('line', (l) => log('line', JSON.stringify(l)));
  rl.on('close', () => { log('rl close'); done(); });
});

step('readline-for-await', async (done) => {
  const rl = readline.createInterface({ input: fs.createReadStream('in.txt'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) n += line.length;
  log('total', n);
  done();
});

step('from-into-file', (done) => {
  Readable.from(['a\n', 'b\n']).pipe(fs.createWriteStream('from.txt')).on('close', () => {
    log(JSON.stringify(fs.readFileSync('from.txt', 'utf8')));
    done();
  });
});

(async () => {
  for (const [name, f] of steps) {
    log('--', name);
    await new Promise((resolve) => {
      let finished = false;
      f(() => { if (!finished) { finished = true; setTimeout(resolve, 5); } });
    });
  }
  for (const f of ['in.txt', 'big.txt', 'out.txt', 'copy.txt', 'big2.txt', 'from.txt']) fs.unlinkSync(f);
  log('left', fs.readdirSync('.').filter((f) => f !== 'fs_streams.js').length);
})();
