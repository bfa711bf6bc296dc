// child_process: the sync forms, spawn's events, exec / execFile and their errors. Only commands
// every Linux has (sh, echo, cat, printf, head, sleep, env, pwd, true, false), and nothing whose
// order between two streams the OS decides.
const cp = require('child_process');
const util = require('util');
const EventEmitter = require('events');

console.log(Object.keys(cp).join(','));

function show(label, r) {
  const out = (v) => (v === null ? null : Buffer.isBuffer(v) ? `<${v.length} bytes> ${JSON.stringify(v.toString())}` : JSON.stringify(v));
  console.log(label, 'status', r.status, 'signal', r.signal, 'pid', typeof r.pid,
    'output', r.output && r.output.map(out), 'keys', Object.keys(r).join(','));
}

function showError(label, e) {
  console.log(label, e.name, JSON.stringify(e.message), 'code', e.code, 'errno', e.errno, 'syscall', e.syscall,
    'path', e.path, 'spawnargs', e.spawnargs && e.spawnargs.join('|'));
}

function attempt(label, f) {
  try {
    const v = f();
    console.log(label, 'ok', Buffer.isBuffer(v) ? 'Buffer ' + JSON.stringify(v.toString()) : JSON.stringify(v));
  } catch (e) {
    console.log(label, e.name, e.code, JSON.stringify(e.message), 'status', e.status, 'signal', e.signal,
      'stdout', e.stdout === undefined ? undefined : JSON.stringify(String(e.stdout)),
      'stderr', e.stderr === undefined ? undefined : JSON.stringify(String(e.stderr)));
  }
}

// ---- spawnSync
show('echo', cp.spawnSync('echo', ['hello', 'world']));
show('utf8', cp.spawnSync('sh', ['-c', 'echo out; echo err >&2; exit 3'], { encoding: 'utf8' }));
show('input', cp.spawnSync('cat', { input: 'piped in' }));
show('input buffer', cp.spawnSync('cat', [], { input: Buffer.from([104, 105]), encoding: 'latin1' }));
show('shell', cp.spawnSync('echo $0 "$FOO" | cat', { shell: true, encoding: 'utf8', env: { FOO: 'from env' } }));
show('shell path', cp.spawnSync('printf %s:%s a b', { shell: '/bin/sh', encoding: 'utf8' }));
show('argv0', cp.spawnSync('sh', ['-c', 'echo $0'], { argv0: 'custom-name', encoding: 'utf8' }));
show('cwd', cp.spawnSync('pwd', { cwd: '/', encoding: 'utf8' }));
show('env', cp.spawnSync('env', [], { env: { ONLY: 'this', N: 1, U: undefined }, encoding: 'utf8' }));
show('false', cp.spawnSync('false'));
show('signal', cp.spawnSync('sh', ['-c', 'kill -9 $$']));
show('ignore', cp.spawnSync('echo', ['x'], { stdio: 'ignore' }));
show('four', cp.spawnSync('sh', ['-c', 'echo three >&3'], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], encoding: 'utf8' }));
console.log('before inherit');
show('inherit', cp.spawnSync('echo', ['to our stdout'], { stdio: ['pipe', 'inherit', 'pipe'] }));
console.log('big', cp.spawnSync('head', ['-c', '300000', '/dev/zero']).stdout.length);
console.log('closed stdout', cp.spawnSync('sh', ['-c', 'exec 1>&-; exit 7']).status);

let r = cp.spawnSync('nonexistent-command-xyz', ['a', 'b']);
show('missing', r);
showError('missing error', r.error);
r = cp.spawnSync('pwd', { cwd: '/nonexistent-dir-xyz' });
showError('bad cwd', r.error);
r = cp.spawnSync('sh', ['-c', 'sleep 5'], { timeout: 100 });
console.log('timeout', r.status, r.signal);
showError('timeout error', r.error);
r = cp.spawnSync('sh', ['-c', 'sleep 5'], { timeout: 100, killSignal: 'SIGKILL' });
console.log('timeout kill', r.status, r.signal, r.error.code);
r = cp.spawnSync('head', ['-c', '100000', '/dev/zero'], { maxBuffer: 10 });
showError('maxBuffer', r.error);

// ---- execSync, execFileSync
attempt('execSync', () => cp.execSync('echo hi'));
attempt('execSync utf8', () => cp.execSync('printf "%s-%s" a b', { encoding: 'utf8' }));
attempt('execSync input', () => cp.execSync('tr a-z A-Z', { input: 'shout', encoding: 'utf8' }));
attempt('execSync cwd', () => cp.execSync('pwd', { cwd: '/', encoding: 'utf8' }));
attempt('execSync fails', () => cp.execSync('echo partial; echo bad >&2; exit 2', { stdio: 'pipe' }));
attempt('execSync fails utf8', () => cp.execSync('exit 9', { encoding: 'utf8', stdio: 'pipe' }));
attempt('execSync inherit fails', () => cp.execSync('exit 3', { stdio: 'inherit' }));
attempt('execSync signal', () => cp.execSync('kill -TERM $$'));
attempt('execSync 127', () => {
  try { cp.execSync('nonexistent-command-xyz 2>/dev/null') } catch (e) { throw Object.assign(new Error('status ' + e.status), { status: e.status }); }
});
attempt('execSync timeout', () => cp.execSync('sleep 5', { timeout: 50 }));
attempt('execSync stderr passes', () => cp.execSync('echo to-stderr >&2; echo to-stdout', { encoding: 'utf8' }));
attempt('execFileSync', () => cp.execFileSync('echo', ['a', 'b'], { encoding: 'utf8' }));
attempt('execFileSync no args', () => cp.execFileSync('true'));
attempt('execFileSync fails', () => cp.execFileSync('sh', ['-c', 'exit 4']));
attempt('execFileSync missing', () => cp.execFileSync('nonexistent-command-xyz', ['x']));
try { cp.execFileSync('nonexistent-command-xyz', ['x']); } catch (e) {
  showError('execFileSync missing error', e);
  console.log(Object.keys(e).join(','), e.error === e, e.pid, e.output);
}

// ---- argument errors
for (const [label, f] of [
  ['empty file', () => cp.spawn('')],
  ['file type', () => cp.spawnSync(5)],
  ['args type', () => cp.spawnSync('echo', 'x')],
  ['null byte', () => cp.spawnSync('echo', ['a\0b'])],
  ['stdio', () => cp.spawnSync('echo', [], { stdio: 'foo' })],
  ['stdio entry', () => cp.spawnSync('echo', [], { stdio: ['pipe', {}, 'pipe'] })],
  ['async input', () => cp.spawn('cat', [], { stdio: ['x', 'pipe', 'pipe'] })],
  ['timeout', () => cp.spawnSync('echo', [], { timeout: -1 })],
  ['timeout 1.5', () => cp.execSync('true', { timeout: 1.5 })],
  ['maxBuffer', () => cp.spawnSync('echo', [], { maxBuffer: -1 })],
  ['killSignal', () => cp.spawnSync('echo', [], { killSignal: 'SIGFOO' })],
  ['killSignal type', () => cp.spawnSync('echo', [], { killSignal: true })],
  ['command', () => cp.execSync(5)],
  ['cwd', () => cp.spawnSync('echo', [], { cwd: 5 })],
  ['shell', () => cp.spawnSync('echo', [], { shell: 5 })],
  ['detached', () => cp.spawnSync('echo', [], { detached: 'yes' })],
  ['options', () => cp.execFileSync('echo', [], 'opts')],
  ['callback', () => cp.execFile('echo', [], {}, 'cb')],
  ['signal option', () => cp.spawn('echo', [], { signal: {} })],
  ['input type', () => cp.spawnSync('cat', { input: 5 })],
]) {
  try { f(); console.log(label, 'no error'); } catch (e) { console.log(label, e.name, e.code, e.message); }
}

// ---- spawn and exec, one after another
function run(cmd, args, opts, setup) {
  return new Promise((resolve) => {
    const child = cp.spawn(cmd, args, opts);
    const events = [];
    const out = { stdout: '', stderr: '' };
    child.on('spawn', () => events.push('spawn'));
    child.on('exit', (code, signal) => events.push(`exit ${code} ${signal}`));
    child.on('error', (e) => { events.push('error'); showError('  error', e); });
    for (const k of ['stdout', 'stderr']) {
      if (child[k]) child[k].on('data', (d) => { out[k] += d; });
    }
    if (setup) setup(child, events);
    child.on('close', (code, signal) => {
      events.push(`close ${code} ${signal}`);
      resolve({ child, events, out, code, signal });
    });
  });
}

function report(label, { child, events, out }) {
  // 'exit' and the ends of the pipes come in the order the OS gives; 'spawn' is first, 'close' last
  const first = events[0], last = events[events.length - 1];
  console.log(label, first, '...', last, 'exit seen', events.some((e) => e.startsWith('exit')),
    JSON.stringify(out.stdout), JSON.stringify(out.stderr), 'exitCode', child.exitCode, 'signalCode',
    child.signalCode, 'killed', child.killed);
}

async function main() {
  let res = await run('sh', ['-c', 'echo out; echo err >&2; exit 3']);
  report('spawn', res);
  const c = res.child;
  console.log('  props', typeof c.pid, c.spawnfile, c.spawnargs, c.connected, c.stdio.length,
    c instanceof cp.ChildProcess, c instanceof EventEmitter, c.stdout.constructor.name,
    c.stdin.writable, c.stdout.readable, c.stdout.readableEnded);

  res = await run('nonexistent-command-xyz', ['x'], {}, (child) => {
    console.log('  missing pid', child.pid, child.stdout !== null);
  });
  report('spawn missing', res);

  res = await run('sleep', ['10'], {}, (child) => {
    child.on('spawn', () => console.log('  kill', child.kill()));
  });
  report('spawn killed', res);

  res = await run('sleep', ['10'], {}, (child) => {
    child.on('spawn', () => console.log('  kill 9', child.kill(9), child.killed));
  });
  report('spawn kill 9', res);

  res = await run('sleep', ['10'], {}, (child) => {
    try { child.kill('SIGFOO'); } catch (e) { console.log('  ', e.name, e.code, e.message); }
    child.kill('sigkill');
  });
  report('spawn kill name', res);

  res = await run('sleep', ['10'], { timeout: 50 });
  report('spawn timeout', res);

  const ac = new AbortController();
  res = await run('sleep', ['10'], { signal: ac.signal }, () => setTimeout(() => ac.abort(), 20));
  report('spawn abort', res);

  res = await run('cat', [], {}, (child) => {
    child.stdout.setEncoding('utf8');
    child.stdin.write('hello ');
    child.stdin.write(Buffer.from('buffer '));
    child.stdin.end('world', () => console.log('  stdin ended'));
  });
  report('spawn cat', res);

  res = await run('head', ['-c', '300000', '/dev/zero'], {}, (child) => {
    let n = 0;
    child.stdout.removeAllListeners('data');
    child.stdout.on('data', (d) => { n += d.length; });
    child.stdout.on('end', () => console.log('  bytes', n));
  });
  report('spawn big', res);

  res = await run('sh', ['-c', 'echo unread'], {}, (child) => {
    child.stdout.removeAllListeners('data');   // nobody reads: the close still comes
  });
  report('spawn unread', res);

  res = await run('echo', ['ignored'], { stdio: 'ignore' }, (child) => {
    console.log('  streams', child.stdin, child.stdout, child.stderr, child.stdio);
  });
  report('spawn ignore', res);

  console.log('before inherit');
  res = await run('sh', ['-c', 'echo inherited output'], { stdio: 'inherit' });
  report('spawn inherit', res);

  res = await run('sh', ['-c', 'echo $0 $FOO'], { shell: false, env: { FOO: 'bar' }, argv0: 'zero' });
  report('spawn env', res);

  res = await run('echo $((6 * 7))', [], { shell: true });
  report('spawn shell', res);

  // exec and execFile
  await new Promise((resolve) => cp.exec('echo hi; echo there >&2', (err, stdout, stderr) => {
    console.log('exec', err, JSON.stringify(stdout), JSON.stringify(stderr));
    resolve();
  }));
  await new Promise((resolve) => cp.exec('echo x; exit 5', (err, stdout, stderr) => {
    console.log('exec fails', err.name, JSON.stringify(err.message), err.code, err.killed, err.signal, err.cmd,
      Object.keys(err).join(','), JSON.stringify(stdout), JSON.stringify(stderr));
    resolve();
  }));
  await new Promise((resolve) => cp.exec('sleep 5', { timeout: 50 }, (err) => {
    console.log('exec timeout', JSON.stringify(err.message), err.code, err.killed, err.signal, err.cmd);
    resolve();
  }));
  await new Promise((resolve) => cp.exec('printf 0123456789', { maxBuffer: 4 }, (err, stdout) => {
    console.log('exec maxBuffer', err.name, err.code, err.message, JSON.stringify(stdout), err.cmd);
    resolve();
  }));
  await new Promise((resolve) => cp.exec('printf abc', { encoding: 'buffer' }, (err, stdout, stderr) => {
    console.log('exec buffer', err, stdout, stderr);
    resolve();
  }));
  await new Promise((resolve) => cp.exec('pwd', { cwd: '/' }, (err, stdout) => {
    console.log('exec cwd', err, JSON.stringify(stdout));
    resolve();
  }));
  const child = cp.execFile('sh', ['-c', 'echo $1-$2', 'x', 'y', 'z'], (err, stdout) => {
    console.log('execFile', err, JSON.stringify(stdout));
  });
  console.log('execFile returns a ChildProcess', child instanceof cp.ChildProcess);
  await new Promise((resolve) => child.on('close', resolve));
  await new Promise((resolve) => cp.execFile('nonexistent-command-xyz', ['a', 'b'], (err, stdout, stderr) => {
    showError('execFile missing', err);
    console.log('  ', err.cmd, Object.keys(err).join(','), JSON.stringify(stdout), JSON.stringify(stderr));
    resolve();
  }));
  await new Promise((resolve) => cp.execFile('false', (err) => {
    console.log('execFile false', JSON.stringify(err.message), err.code, err.cmd);
    resolve();
  }));

  const execP = util.promisify(cp.exec);
  const p = execP('printf abc; printf def >&2');
  console.log('promise child', p.child instanceof cp.ChildProcess);
  console.log('promisified', await p);
  try { await execP('printf partial; exit 6'); } catch (e) {
    console.log('promisified rejects', e.code, JSON.stringify(e.stdout), JSON.stringify(e.stderr), e.cmd);
  }
  console.log('promisified execFile', await util.promisify(cp.execFile)('echo', ['via', 'execFile']));

  const bg = cp.spawn('sleep', ['3'], { stdio: 'ignore' });
  bg.unref();
  console.log('unref: the program ends without waiting');
}

main();
