// process.stdin in paused mode: 'readable' and read(size), chunks as Buffers (stdin is the file
// stdin_readable.stdin).
const s = process.stdin;
const parts = [];
let events = 0;
s.on('readable', () => {
  events++;
  console.log('readable', s.readableFlowing, s.isPaused());
  let chunk;
  while ((chunk = s.read(8)) !== null) {
    console.log('read', Buffer.isBuffer(chunk), chunk.length, chunk);
    parts.push(chunk);
  }
});
s.on('end', () => {
  const all = Buffer.concat(parts);
  console.log('end', events, all.length, JSON.stringify(all.toString()), s.read());
});
console.log('listening', s.readableFlowing, s.listenerCount('readable'));
