// Standard input read whole: fs.readFileSync(0) and /dev/stdin (stdin is the file
// stdin_read.stdin, given by tests/runtime/test_node_core.py and gen_expected.py).
const fs = require('fs');

const text = fs.readFileSync(0, 'utf8');
console.log(typeof text, text.length, JSON.stringify(text));
const lines = text.split(/\r?\n/);
console.log(lines.length, lines.map((l) => l.length).join(','));
const nums = lines[0].split(' ').map(Number);
console.log('sum', nums.reduce((a, b) => a + b, 0));
console.log([...lines[1]].length, lines[1].toUpperCase());

// fd 0 is at its end now: another read gives nothing
const again = fs.readFileSync(0);
console.log(Buffer.isBuffer(again), again.length);

// /dev/stdin of a file opens it anew, from its start (as node does)
const buf = fs.readFileSync('/dev/stdin');
console.log(Buffer.isBuffer(buf), buf.length, buf.equals(Buffer.from(text)), buf.subarray(0, 5));
console.log(fs.readFileSync('/dev/stdin', { encoding: 'latin1' }).length);

// the fd argument's checks
for (const bad of [-1, -2147483649, 2147483648, 1.5, NaN]) {
  try {
    fs.readFileSync(bad);
  } catch (e) {
    console.log(e.name, e.code, e.message);
  }
}
try {
  fs.readFileSync(99);
} catch (e) {
  console.log(e.code, e.errno, e.syscall, e.message);
}

// the callback form, in a later turn
fs.readFile('/dev/stdin', 'utf8', (err, s) => {
  console.log('readFile', err, s === text);
});
console.log('sync done');
