// process.stdin as a stream (stdin is the file stdin_stream.stdin: 65535 bytes, then a 3-byte
// character that the first 64 KiB read cuts in two, then some lines more).
const EventEmitter = require('events');
const s = process.stdin;
console.log(s === process.stdin, s === require('process').stdin, s instanceof EventEmitter);
console.log(s.constructor.name, s.fd, s.isTTY, s.readable, s.readableFlowing, s.readableEncoding, s.isPaused());

s.on('pause', () => console.log('pause event'));
s.on('resume', () => console.log('resume event'));
s.on('end', () => console.log('end event', s.readableEnded));
s.on('close', () => console.log('close event'));

console.log(s.setEncoding('utf8') === s, s.readableEncoding);

s.once('data', (chunk) => {
  // the check mark's first byte waits for the rest: no replacement character
  console.log('first chunk', typeof chunk, chunk.length, JSON.stringify(chunk.slice(-12)));
  console.log('listeners', s.listenerCount('data'), s.readableFlowing);
  s.pause();
  console.log('paused', s.isPaused(), s.readableFlowing);
  setTimeout(async () => {
    // the rest through the async iterator
    let n = 0;
    let text = '';
    for await (const c of s) {
      n++;
      text += c;
    }
    console.log('rest', n, text.length, JSON.stringify(text));
    console.log('after loop', s.readableEnded, s.readable);
  }, 5);
});
console.log('flowing', s.readableFlowing, s.isPaused());
