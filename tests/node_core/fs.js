// fs: synchronous calls, their node errors, Stats and Dirents, callbacks and promises.
// Runs in an empty working directory (the test and the generator make one).
const fs = require('fs');
const path = require('node:path');
console.log(require('node:fs') === fs, require('fs/promises') === fs.promises, require('node:fs/promises') === fs.promises);
function t(label, f) {
  try { console.log(label, 'ok', f()); } catch (e) { console.log(label, e.name, e.code, e.errno, e.syscall, JSON.stringify(e.path), JSON.stringify(e.dest), e.message); }
}

// write, read, append
console.log(fs.writeFileSync('a.txt', 'héllo\n'), fs.existsSync('a.txt'), fs.existsSync('nope.txt'));
console.log(fs.readFileSync('a.txt'), JSON.stringify(fs.readFileSync('a.txt', 'utf8')), fs.readFileSync('a.txt', { encoding: 'hex' }), fs.readFileSync('a.txt', 'latin1').length);
fs.appendFileSync('a.txt', 'more');
fs.appendFileSync('a.txt', Buffer.from([0x21, 0x0a]));
console.log(JSON.stringify(fs.readFileSync('a.txt', 'utf-8')));
fs.writeFileSync('b.bin', new Uint8Array([0, 1, 254, 255]));
fs.writeFileSync('c.txt', 'aGk=', 'base64');
fs.writeFileSync('d.txt', 'x', { flag: 'a' });
fs.writeFileSync('d.txt', 'y', { flag: 'a' });
console.log(fs.readFileSync('b.bin'), fs.readFileSync('c.txt', 'utf8'), fs.readFileSync('d.txt').toString());
const big = 'z'.repeat(100000) + 'é';
fs.writeFileSync('big.txt', big);
console.log(fs.readFileSync('big.txt', 'utf8') === big, fs.statSync('big.txt').size);
fs.writeFileSync(Buffer.from('e.txt'), new DataView(new Uint8Array([65, 66]).buffer));
console.log(fs.readFileSync(new URL('file://' + path.resolve('e.txt')), 'ascii'));

// directories
console.log(fs.mkdirSync('dir'), fs.existsSync('dir'));
const made = fs.mkdirSync('dir/x/y/z', { recursive: true });
console.log(path.relative(process.cwd(), made), fs.mkdirSync('dir/x', { recursive: true }), fs.mkdirSync('dir', { recursive: true }));
fs.writeFileSync('dir/f2.txt', '2');
fs.writeFileSync('dir/f1.txt', '1');
fs.writeFileSync('dir/F0.txt', '0');
console.log(fs.readdirSync('dir'), fs.readdirSync('.'));
const ents = fs.readdirSync('dir', { withFileTypes: true });
console.log(ents.map((d) => [d.name, d.isFile(), d.isDirectory(), d.isSymbolicLink(), d.constructor.name, path.relative(process.cwd(), d.parentPath)]));

// stat
const st = fs.statSync('a.txt');
console.log(st.isFile(), st.isDirectory(), st.isSymbolicLink(), st.size, typeof st.mtimeMs, st.mtime instanceof Date, Math.abs(st.mtime.getTime() - Date.now()) < 60000, st.constructor.name);
console.log(Math.round(st.mtimeMs) === st.mtime.getTime(), st.mode & 0o170000, typeof st.ino, typeof st.dev, st.nlink, typeof st.blksize, st.isFIFO(), st.isSocket(), st.isBlockDevice(), st.isCharacterDevice());
const sd = fs.statSync('dir');
console.log(sd.isFile(), sd.isDirectory(), fs.lstatSync('dir').isDirectory(), fs.statSync('nope', { throwIfNoEntry: false }), fs.lstatSync('nope', { throwIfNoEntry: false }));

// rename, unlink, rm
fs.renameSync('d.txt', 'dir/d.txt');
console.log(fs.existsSync('d.txt'), fs.readFileSync('dir/d.txt', 'utf8'));
fs.unlinkSync('dir/d.txt');
console.log(fs.existsSync('dir/d.txt'));
fs.rmSync('dir/x', { recursive: true });
console.log(fs.existsSync('dir/x'), fs.rmSync('nope', { force: true }), fs.rmSync('c.txt'), fs.existsSync('c.txt'));
fs.copyFileSync('a.txt', 'copy.txt');
console.log(fs.readFileSync('copy.txt', 'utf8') === fs.readFileSync('a.txt', 'utf8'), fs.realpathSync('dir/../a.txt') === path.resolve('a.txt'), fs.accessSync('a.txt'), fs.accessSync('a.txt', fs.constants.R_OK | fs.constants.W_OK));
fs.mkdirSync('empty');
fs.rmdirSync('empty');
console.log(fs.existsSync('empty'), fs.constants.F_OK, fs.constants.R_OK, fs.constants.W_OK, fs.constants.X_OK);

// errors
t('read missing', () => fs.readFileSync('nope.txt'));
t('read dir', () => fs.readFileSync('dir'));
t('read bad path', () => fs.readFileSync(42.5));
t('read undefined', () => fs.readFileSync());
t('read null byte', () => fs.readFileSync('a\0b'));
t('read bad encoding', () => fs.readFileSync('a.txt', 'nope'));
t('write into missing dir', () => fs.writeFileSync('nodir/x.txt', 'x'));
t('write to dir', () => fs.writeFileSync('dir', 'x'));
t('write bad data', () => fs.writeFileSync('x.txt', 5));
t('write exclusive', () => fs.writeFileSync('a.txt', 'x', { flag: 'wx' }));
t('mkdir exists', () => fs.mkdirSync('dir'));
t('mkdir no parent', () => fs.mkdirSync('nodir/sub'));
t('mkdir -p through file', () => fs.mkdirSync('a.txt/sub', { recursive: true }));
t('readdir missing', () => fs.readdirSync('nope'));
t('readdir file', () => fs.readdirSync('a.txt'));
t('stat missing', () => fs.statSync('nope'));
t('lstat missing', () => fs.lstatSync('nope/x'));
t('unlink missing', () => fs.unlinkSync('nope'));
t('unlink dir', () => fs.unlinkSync('dir'));
t('rename missing', () => fs.renameSync('nope', 'other'));
t('rm missing', () => fs.rmSync('nope'));
t('rm dir', () => fs.rmSync('dir'));
t('rmdir not empty', () => fs.rmdirSync('dir'));
t('rmdir missing', () => fs.rmdirSync('nope'));
t('copy missing', () => fs.copyFileSync('nope', 'x'));
t('copy excl', () => fs.copyFileSync('a.txt', 'copy.txt', fs.constants.COPYFILE_EXCL));
try { fs.realpathSync('nope'); } catch (e) { console.log('realpath missing', e.code, e.syscall, e.path === path.resolve('nope')); }
t('access missing', () => fs.accessSync('nope'));
t('append to dir', () => fs.appendFileSync('dir', 'x'));
t('stat lone surrogate', () => fs.statSync('a\ud800b'));
fs.writeFileSync('s\udc00.txt', 'x');
console.log(fs.readdirSync('.').filter((n) => n.startsWith('s')), fs.readFileSync('s\ufffd.txt', 'utf8'));
try { fs.readFileSync('missing.json') } catch (e) { console.log(Object.keys(e), e instanceof Error, String(e)); }

// callbacks and promises: each step starts when the one before has finished (node's thread
// pool finishes concurrent calls in no fixed order)
function callbacks(done) {
  fs.readFile('a.txt', 'utf8', (err, data) => {
    console.log('cb readFile', err, JSON.stringify(data));
    fs.readFile('nope.txt', (err, data) => {
      console.log('cb readFile error', err.code, err.message, data);
      fs.writeFile('w.txt', 'written', (err) => {
        console.log('cb writeFile', err, fs.readFileSync('w.txt', 'utf8'));
        fs.readFile('w.txt', (err, buf) => {
          console.log('cb readFile buffer', err, buf);
          fs.stat('a.txt', (err, s) => {
            console.log('cb stat', err, s.isFile(), s.size);
            fs.readdir('dir', (err, names) => {
              console.log('cb readdir', err, names);
              fs.exists('a.txt', (yes) => {
                console.log('cb exists', yes);
                fs.mkdir('cbdir/sub', { recursive: true }, (err, first) => {
                  console.log('cb mkdir', err, first);
                  fs.unlink('nope', (err) => {
                    console.log('cb unlink', err.code);
                    done();
                  });
                });
              });
            });
          });
        });
      });
    });
  });
}
t('readFile without callback', () => fs.readFile('a.txt'));
t('unlink bad callback', () => fs.unlink('a.txt', 'b'));
t('stat bad callback', () => fs.stat('a.txt', 'b'));
async function promises() {
  console.log('promise readFile', await fs.promises.readFile('a.txt', 'utf8') === fs.readFileSync('a.txt', 'utf8'));
  console.log('promise readFile buffer', (await fs.promises.readFile('b.bin')).length);
  await fs.promises.writeFile('p.txt', 'promised');
  await fs.promises.appendFile('p.txt', '!');
  console.log('promise writeFile', fs.readFileSync('p.txt', 'utf8'), (await fs.promises.stat('p.txt')).size, await fs.promises.readdir('dir'));
  await fs.promises.mkdir('pdir/a', { recursive: true });
  await fs.promises.rename('p.txt', 'pdir/p.txt');
  console.log('recursive', fs.readdirSync('pdir', { recursive: true }), fs.readdirSync('.', { recursive: true }).filter((p) => p.startsWith('pdir')));
  await fs.promises.rm('pdir', { recursive: true });
  console.log('promise rm', fs.existsSync('pdir'), await fs.promises.access('a.txt'));
  try { await fs.promises.readFile('nope.txt'); } catch (e) { console.log('promise error', e.code, e.syscall, e.message); }
  try { await fs.promises.unlink('nope.txt'); } catch (e) { console.log('promise error', e.code, e.syscall, e.message); }
}
callbacks(() => promises().then(() => console.log('done')));
console.log('sync end');
process.nextTick(() => console.log('tick'));
Promise.resolve().then(() => console.log('micro'));
