// require('readline/promises'): question() returns a promise of the answer (stdin is the file
// readline_promises.stdin).
const readline = require('readline/promises');
const { EventEmitter } = require('events');

console.log(Object.keys(readline).sort().join(','), readline.Interface === require('readline').Interface);

async function main() {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  console.log(rl instanceof readline.Interface, rl instanceof EventEmitter);
  const name = await rl.question('Name? ');
  console.log(`[${name}]`);
  rl.close();
  await rl.question('Again? ').catch((e) => console.log('rejected', e.code, e.message));

  // answers from an EventEmitter input, one line at a time
  const input = new EventEmitter();
  input.resume = input.pause = () => {};
  const out = [];
  const r2 = readline.createInterface({ input, output: { write: (s) => out.push(s) } });
  setTimeout(() => input.emit('data', '42\n'), 1);
  const answer = await r2.question('How many? ');
  console.log('answer', answer, JSON.stringify(out));

  // an aborted signal: rejected with an AbortError, the question withdrawn
  const ac = new AbortController();
  const pending = r2.question('Never? ', { signal: ac.signal });
  ac.abort();
  await pending.catch((e) => console.log(e.name, e.code, e.message));
  await r2.question('pre-aborted', { signal: AbortSignal.abort() }).catch((e) => console.log(e.name, e.code));
  r2.on('line', (l) => console.log('line after abort', l));
  input.emit('data', 'free line\n');
  r2.close();

  // cursor control: queued, then written by commit() (node takes only a stream.Writable, which
  // process.stdout is)
  const rd = new readline.Readline(process.stdout);
  rd.cursorTo(0).moveCursor(2, -1).clearLine(0).clearScreenDown();
  console.log('queued');
  await rd.commit();
  console.log();
  const direct = new readline.Readline(process.stdout, { autoCommit: true });
  direct.cursorTo(3, 4).clearLine(-1);
  console.log();
  try {
    new readline.Readline(process.stdout).clearLine(2);
  } catch (e) {
    console.log(e.name, e.code, e.message);
  }
  try {
    new readline.Readline(process.stdout).cursorTo(1.5);
  } catch (e) {
    console.log(e.name, e.code, e.message);
  }
  // the stream functions of `readline` write at once
  const rl1 = require('readline');
  console.log(rl1.cursorTo(process.stdout, 2), rl1.moveCursor(process.stdout, -1, 3), rl1.clearLine(process.stdout, 1),
    rl1.clearScreenDown(process.stdout), rl1.moveCursor(process.stdout, 0, 0), rl1.clearLine(null, 0));
}
main();
