// process: the node parts packages reach for (values that differ between machines or runs are
// checked against their definition, not printed).
const proc = require('process');
console.log(proc === process, require('node:process') === process, typeof process.nextTick, process.platform === require('os').platform());
console.log(/^v20\.\d+\.\d+$/.test(process.version), process.versions.node === process.version.slice(1), process.release.name, typeof process.arch, process.arch === require('os').arch());
console.log(process.cwd() === require('path').resolve('.'), typeof process.pid, process.pid > 0, typeof process.ppid, Array.isArray(process.argv), typeof process.argv[0], Array.isArray(process.execArgv));
console.log(process.env.HOME === require('os').homedir(), typeof process.env.PATH, process.env.NO_SUCH_VARIABLE_HERE, Object.keys(process.env).length > 0);
process.env.MY_VAR = 'x';
console.log(process.env.MY_VAR, delete process.env.MY_VAR, process.env.MY_VAR);
const t = process.hrtime();
console.log(Array.isArray(t), t.length, Number.isInteger(t[0]), Number.isInteger(t[1]), t[1] < 1e9);
const d = process.hrtime(t);
console.log(d[0] >= 0, d[1] >= 0, d[0] < 5);
const b1 = process.hrtime.bigint(), b2 = process.hrtime.bigint();
console.log(typeof b1, b2 >= b1, b1 > 0n);
try { process.hrtime(5); } catch (e) { console.log(e.name, e.code, e.message); }
try { process.hrtime([1]); } catch (e) { console.log(e.name, e.code, e.message); }
const m = process.memoryUsage();
console.log(Object.keys(m), m.rss > 0, m.heapUsed > 0, typeof process.memoryUsage.rss());
console.log(typeof process.uptime(), process.uptime() >= 0, process.uptime() < 60);
console.log(process.exitCode, typeof process.exit, typeof process.stdout.write, typeof process.stderr.write, process.stdout.fd, process.stderr.fd, process.stdout.isTTY);
console.log(process.stdout.write('written\n'));
process.stderr.write('to stderr\n');
console.log(process.getuid() >= 0, process.getgid() >= 0, typeof process.geteuid());
process.emitWarning('something odd');
process.emitWarning('old api', 'DeprecationWarning', 'DEP0999');
process.emitWarning('custom', { type: 'CustomWarning', code: 'C1', detail: 'more detail' });
process.emitWarning(new RangeError('as error'));
try { process.emitWarning(5); } catch (e) { console.log(e.name, e.code, e.message); }
try { process.emitWarning('x', 5); } catch (e) { console.log(e.name, e.code, e.message); }
process.noDeprecation = true;
process.emitWarning('hidden', 'DeprecationWarning');
const order = [];
process.nextTick((a, b) => order.push('tick ' + a + b), 1, 2);
Promise.resolve().then(() => order.push('micro'));
setImmediate(() => { console.log(order.join(', ')); });
process.on('exit', (code) => console.log('exit', code, process.exitCode));
process.exitCode = 3;
