const seen = [];
function h(e, origin) { console.log("uncaught:", e instanceof Error ? e.message : e, origin); }
process.on("uncaughtException", h);
console.log(process.listenerCount("uncaughtException"), process.listeners("uncaughtException")[0] === h);
process.once("custom", (a, b) => console.log("custom once", a, b));
console.log(process.emit("custom", 1, 2), process.emit("custom", 3, 4));
process.prependListener("custom", () => console.log("first"));
process.on("custom", function () { console.log("second", this === process); });
process.emit("custom");
console.log(process.eventNames().includes("custom"));
process.removeAllListeners("custom");
console.log(process.listenerCount("custom"));
queueMicrotask(() => { throw new TypeError("in microtask"); });
queueMicrotask(() => console.log("next microtask runs"));
process.nextTick(() => console.log("tick runs"));
setTimeout(() => { throw "a string"; }, 1);
setTimeout(() => {
  Promise.reject(new Error("rejected"));
  Promise.reject(new Error("rejected 2"));
}, 2);
setTimeout(() => {
  process.off("uncaughtException", h);
  process.on("unhandledRejection", (r, p) => console.log("unhandledRejection:", r.message, p instanceof Promise));
  Promise.reject(new Error("third"));
}, 3);
process.on("exit", (c) => console.log("exit", c));
try { process.on("x", 5); } catch (e) { console.log(e.name, e.code); }
setTimeout(() => {
  process.removeAllListeners("unhandledRejection");
  process.once("uncaughtException", (e) => {
    console.log("last handler:", e.message);
    process.exitCode = 3;
  });
  throw new Error("fourth");
}, 4);
process.on("warning", (w) => console.log("warning event:", w.name, w.message, w.code, w instanceof Error));
process.emitWarning("careful", "CustomWarning", "C01");
process.emitWarning(new Error("an error"));
null.x;
