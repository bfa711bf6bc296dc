// split2 (over stream.Transform), through2 and concat-stream (readable-stream 3, which builds on
// the legacy stream.Stream and util.inherits), driven through pipe() and pipeline()
const split2 = require("split2");
const through2 = require("through2");
const concat = require("concat-stream");
const { Readable, Writable, pipeline } = require("stream");

function step1() {
  const lines = [];
  Readable.from(["one\ntw", "o\r\nthree\n", "{\"a\":1}\n{\"b\":", "2}\nlast"])
    .pipe(split2())
    .on("data", (l) => lines.push(l))
    .on("end", () => {
      console.log("split2 lines", lines);
      const objs = [];
      Readable.from(["{\"x\":1}\n", "{\"y\":2}\n"]).pipe(split2(JSON.parse))
        .on("data", (o) => objs.push(o))
        .on("end", () => { console.log("split2 json", objs); step2(); });
    });
}

function step2() {
  const seen = [];
  Readable.from(["a", "b", "c"])
    .pipe(through2(function (chunk, enc, cb) { this.push(String(chunk).toUpperCase()); cb(); }))
    .pipe(through2.obj(function (chunk, enc, cb) { seen.push(String(chunk)); cb(null, chunk); },
      function (cb) { console.log("through2 flush", seen.join("")); cb(); }))
    .on("data", () => {})
    .on("end", () => { console.log("through2 end"); step3(); });
}

function step3() {
  const sink = [];
  pipeline(Readable.from(["p", "q"]), through2((c, e, cb) => cb(null, c + "!")),
    new Writable({ write(c, e, cb) { sink.push(String(c)); cb(); } }), (err) => {
      console.log("pipeline with through2", err, sink);
      Readable.from([Buffer.from("con"), Buffer.from("cat")]).pipe(concat((buf) => {
        console.log("concat-stream", Buffer.isBuffer(buf), buf.toString());
        Readable.from([{ n: 1 }, { n: 2 }]).pipe(concat({ encoding: "object" }, (arr) => {
          console.log("concat-stream objects", arr);
        }));
      }));
    });
}

step1();
