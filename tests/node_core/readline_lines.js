// Reading standard input line by line with `for await (const line of rl)`, the way node's
// documentation reads a file (stdin is the file readline_lines.stdin: CRLF and LF endings, an
// empty line, a last line without an ending).
const readline = require('readline');

async function main() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  console.log('crlfDelay', rl.crlfDelay);
  const rows = [];
  let header;
  for await (const line of rl) {
    if (header === undefined) {
      header = line.split(',');
      continue;
    }
    if (line === '') continue;
    const cells = line.split(',');
    rows.push(Object.fromEntries(header.map((h, i) => [h, cells[i]])));
  }
  console.log(rows.length, JSON.stringify(rows));
  console.log('total', rows.reduce((t, r) => t + Number(r.score), 0));
  console.log('closed', rl.closed, process.stdin.readableEnded);

  // the iterator of a closed interface ends at once; so does a second loop over it
  let more = 0;
  for await (const line of rl) more++;
  console.log('more', more);

  // leaving a loop early stops listening (the interface stays open)
  const { EventEmitter } = require('events');
  const input = new EventEmitter();
  input.resume = input.pause = () => {};
  const r2 = readline.createInterface({ input });
  setTimeout(() => input.emit('data', 'a\nb\nstop\nc\n'), 1);
  for await (const line of r2) {
    console.log('r2', line);
    if (line === 'stop') break;
  }
  console.log('after break', r2.listenerCount('line'), r2.closed);
  r2.close();
}
main().then(() => console.log('done'));
