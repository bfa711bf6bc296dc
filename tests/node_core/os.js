// os: each function against an independent source of the same fact (the expected output
// holds no machine-specific values).
const os = require('os');
const fs = require('fs');
const read = (p) => fs.readFileSync(p, 'utf8').trim();
console.log(require('node:os') === os, JSON.stringify(os.EOL), os.devNull, os.endianness());
console.log(os.platform() === process.platform, os.platform(), os.type(), os.arch() === process.arch, typeof os.arch());
console.log(os.release() === read('/proc/sys/kernel/osrelease'), os.hostname() === read('/proc/sys/kernel/hostname'), os.machine().length > 0, typeof os.version());
console.log(os.homedir() === process.env.HOME, os.tmpdir() === (process.env.TMPDIR || process.env.TMP || process.env.TEMP || '/tmp').replace(/(.)\/$/, '$1'));
const cpus = os.cpus();
const procCpus = read('/proc/stat').split('\n').filter((l) => /^cpu\d/.test(l)).length;
console.log(Array.isArray(cpus), cpus.length === procCpus, cpus.length > 0, Object.keys(cpus[0]), Object.keys(cpus[0].times));
console.log(typeof cpus[0].model, typeof cpus[0].speed, cpus.every((c) => c.times.user >= 0 && c.times.idle >= 0), os.availableParallelism() >= 1);
const memTotal = Number(/MemTotal:\s*(\d+)/.exec(read('/proc/meminfo'))[1]) * 1024;
console.log(os.totalmem() === memTotal, os.freemem() > 0, os.freemem() <= os.totalmem(), os.uptime() > 0, os.loadavg().length, os.loadavg().every((x) => typeof x === 'number'));
const u = os.userInfo();
console.log(Object.keys(u), u.uid === process.getuid(), u.gid === process.getgid(), typeof u.username, typeof u.homedir);
console.log(Object.keys(os).filter((k) => ['EOL', 'platform', 'type', 'arch', 'homedir', 'tmpdir', 'hostname', 'cpus', 'endianness', 'totalmem', 'freemem'].includes(k)).sort());
