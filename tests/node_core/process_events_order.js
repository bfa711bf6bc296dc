// Event-loop and stream orderings a script can see: beforeExit after each time the loop
// empties while its listener schedules more, eventNames with names before symbols,
// timeout.refresh, a pipeline into a writable that is no Stream (taken for options before).
const EventEmitter = require("events");
const { Readable, PassThrough } = require("stream");
const { pipeline } = require("stream/promises");

const e = new EventEmitter();
e.on(Symbol("s"), () => {});
e.on("a", () => {});
e.on("b", () => {});
console.log(e.eventNames());

const t = setTimeout(() => console.log("refreshed timer fired"), 5);
console.log(typeof t.refresh, t.refresh() === t);

const sink = new PassThrough();
sink.on("data", (d) => console.log("sink got", String(d).trim()));
pipeline(Readable.from(["piped\n"]), sink).then(
  () => console.log("pipeline resolved"),
  (err) => console.log("pipeline failed", err.code));

let n = 0;
process.on("beforeExit", () => {
  console.log("beforeExit", ++n);
  if (n < 3) setTimeout(() => console.log("timer", n), 1);
});
process.on("exit", (code) => console.log("exit", code));

for (const bad of ["x", 5, null]) {
  try { setTimeout(bad, 1); } catch (err) { console.log(err.name, err.code, err.message); }
}

// fs.promises with an AbortSignal that has aborted rejects with an AbortError
const aborted = new AbortController();
aborted.abort();
require("fs").promises.readFile(__filename, { signal: aborted.signal }).then(
  () => console.log("read despite the signal"), (err) => console.log(err.name, err.code));

// util.deprecate warns through process.emitWarning: 'warning' listeners hear it, in order
process.on("warning", (w) => console.log("warning event:", w.name, w.code));
process.emitWarning("first", "CustomWarning");
require("util").deprecate(() => {}, "old() is deprecated", "DEP_X")();
