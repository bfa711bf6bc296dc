const fs = require('fs'), path = require('path'), os = require('os');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fdc-'));
const file = path.join(dir, 'x.txt');
fs.open(file, 'w', (err, fd) => {
  console.log('open', err, typeof fd);
  fs.write(fd, Buffer.from('abcdef'), 0, 6, null, (err, n, b) => {
    console.log('write', err, n, b.toString());
    fs.write(fd, 'ghi', (err, n2, s) => {
      console.log('write str', err, n2, s);
      fs.close(fd, (err) => {
        console.log('close', err);
        fs.open(file, 'r', (err, r) => {
          const buf = Buffer.alloc(4);
          fs.read(r, buf, 0, 4, 2, (err, got, b2) => {
            console.log('read', err, got, b2 === buf, buf.toString());
            fs.fstat(r, (err, st) => { console.log('fstat', err, st.size); fs.closeSync(r); fs.rmSync(dir, { recursive: true }); });
          });
        });
      });
    });
  });
});
