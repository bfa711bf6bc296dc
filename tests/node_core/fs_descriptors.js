const fs = require('fs'), path = require('path'), os = require('os');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-'));
const file = path.join(dir, 'data.bin');
const fd = fs.openSync(file, 'w');
console.log(typeof fd, fs.writeSync(fd, 'hello '), fs.writeSync(fd, Buffer.from('world!')), fs.writeSync(fd, Buffer.from('XYZ'), 1, 2));
fs.closeSync(fd);
console.log(fs.readFileSync(file, 'utf8'));
const r = fs.openSync(file, 'r');
const buf = Buffer.alloc(8);
console.log(fs.readSync(r, buf, 0, 5, null), buf.toString('utf8', 0, 5));
console.log(fs.readSync(r, buf, { offset: 2, length: 3 }), JSON.stringify(buf.toString()));
console.log(fs.readSync(r, buf, 0, 4, 0), buf.toString('utf8', 0, 4), fs.readSync(r, buf, 0, 3, null), buf.toString('utf8', 0, 3));
console.log(fs.fstatSync(r).size, fs.fstatSync(r).isFile());
fs.closeSync(r);
try { fs.closeSync(r); } catch (e) { console.log(e.code, e.syscall); }
try { fs.openSync(path.join(dir, 'nope'), 'r'); } catch (e) { console.log(e.code, e.syscall); }
const a = fs.openSync(file, 'a'); fs.writeSync(a, '!!'); fs.closeSync(a); console.log(fs.readFileSync(file, 'utf8'));
const rw = fs.openSync(file, 'r+'); fs.writeSync(rw, 'J', 0); fs.closeSync(rw); console.log(fs.readFileSync(file, 'utf8'));
fs.writeSync(1, 'to stdout\n'); console.log('after');
fs.rmSync(dir, { recursive: true });

// mkdtemp

const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ljs-'));
console.log(path.basename(d).length, path.basename(d).startsWith('ljs-'), fs.statSync(d).isDirectory(), (fs.statSync(d).mode & 0o777).toString(8));
fs.writeFileSync(path.join(d, 'a.txt'), 'hi'); console.log(fs.readdirSync(d));
fs.rmSync(d, { recursive: true }); console.log(fs.existsSync(d));
fs.promises.mkdtemp(path.join(os.tmpdir(), 'p-')).then((p) => { console.log('promise', fs.existsSync(p)); fs.rmdirSync(p); });
fs.mkdtemp(path.join(os.tmpdir(), 'c-'), (err, p) => { console.log('cb', err, fs.existsSync(p)); fs.rmdirSync(p); });
try { fs.mkdtempSync('/nonexistent-dir/x-'); } catch (e) { console.log(e.code, e.syscall, e.message); }
