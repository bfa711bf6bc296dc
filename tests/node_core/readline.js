// node's readline over process.stdin (the file readline.stdin: CRLF and LF endings, an empty
// line, a last line without an ending) and over an EventEmitter standing in for a stream.
const readline = require('readline');
const EventEmitter = require('events');

console.log(Object.keys(readline).sort().join(','));
console.log(typeof readline.promises.createInterface, readline.promises === require('readline/promises'));

const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: false });
console.log(rl instanceof EventEmitter, rl instanceof readline.Interface, rl.terminal, rl.crlfDelay,
  JSON.stringify(rl.getPrompt()), rl.input === process.stdin, rl.output === process.stdout, JSON.stringify(rl.line));
const seen = [];
rl.question('What is your name? ', (name) => {
  console.log(`\nHello, ${name}!`);
  rl.on('line', (line) => seen.push(line));
});
rl.on('pause', () => console.log('pause event'));
rl.on('close', () => {
  console.log('close event', rl.closed);
  console.log(JSON.stringify(seen));
  try {
    rl.question('again? ', () => {});
  } catch (e) {
    console.log(e.name, e.code, e.message);
  }
  rl.close();   // a second close does nothing
  emitterInput();
});

// any EventEmitter with 'data' and 'end' (and pause/resume, which node calls) can be the input
function emitterInput() {
  const input = new EventEmitter();
  input.resume = () => console.log('input.resume');
  input.pause = () => console.log('input.pause');
  const written = [];
  const output = { write: (s) => { written.push(s); return true; } };
  const r = readline.createInterface({ input, output, prompt: '$ ', crlfDelay: 50 });
  console.log('crlfDelay', r.crlfDelay, r.terminal, input.listenerCount('data'), input.listenerCount('end'));
  r.on('line', (l) => console.log('line', JSON.stringify(l)));
  r.on('close', () => console.log('closed', input.listenerCount('data'), JSON.stringify(written)));
  r.prompt();
  r.setPrompt('> ');
  r.prompt();
  input.emit('data', 'one\r');        // CR, then the LF in the next chunk: one line ending
  input.emit('data', '\ntwo');
  input.emit('data', Buffer.from([0xc3]));          // é cut in two
  input.emit('data', Buffer.from([0xa9, 0x0a]));
  input.emit('data', 'a\rb\r\r\nc');
  r.write('typed\n');                  // as if from the input
  input.emit('end');                   // 'c' was waiting: it comes out now
}
