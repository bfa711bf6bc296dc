// The web event and abort APIs node provides as globals: Event, CustomEvent, EventTarget,
// AbortController, AbortSignal (with its statics), how they print, and the abort support of
// events.once / events.on. Times are never printed raw: timeStamp values are masked.
const util = require("util");
const events = require("events");
const mask = (s) => s.replace(/timeStamp: \d+(\.\d+)?/g, "timeStamp: T");
const show = (v, opts) => console.log(mask(util.inspect(v, opts)));
const err = (f) => {
  try { f(); console.log("no error"); } catch (e) { console.log(e.name + ":", e.code, e.message); }
};

console.log("--- globals");
for (const n of ["Event", "CustomEvent", "EventTarget", "AbortController", "AbortSignal"]) {
  const d = Object.getOwnPropertyDescriptor(globalThis, n);
  console.log(n, typeof globalThis[n], globalThis[n].name, globalThis[n].length, d.enumerable, d.configurable);
}
console.log(Object.getPrototypeOf(CustomEvent) === Event, Object.getPrototypeOf(AbortSignal) === EventTarget);
console.log(Object.getPrototypeOf(CustomEvent.prototype) === Event.prototype,
  Object.getPrototypeOf(AbortSignal.prototype) === EventTarget.prototype);
console.log(Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE, Event.prototype.NONE);
console.log(Object.getOwnPropertyDescriptor(Event, "AT_TARGET"));
console.log(Object.getOwnPropertyNames(Event.prototype).sort().join());
console.log(Object.getOwnPropertyNames(EventTarget.prototype).sort().join());
console.log(Object.getOwnPropertyNames(AbortSignal.prototype).sort().join());
console.log(Object.getOwnPropertyNames(AbortController.prototype).sort().join());
console.log(Object.getOwnPropertyNames(CustomEvent.prototype).sort().join());
console.log(Object.getOwnPropertyNames(AbortSignal), Object.getOwnPropertyNames(Event));
console.log(Object.getOwnPropertyDescriptor(Event.prototype, "type").enumerable,
  typeof Object.getOwnPropertyDescriptor(Event.prototype, "type").get,
  Object.getOwnPropertyDescriptor(Event.prototype, "preventDefault").enumerable,
  Object.getOwnPropertyDescriptor(AbortSignal, "abort").enumerable);
console.log(EventTarget.prototype.addEventListener.length, EventTarget.prototype.removeEventListener.length,
  EventTarget.prototype.dispatchEvent.length, AbortSignal.abort.length, AbortSignal.timeout.length,
  AbortSignal.any.length, AbortController.prototype.abort.length);
console.log(String(new Event("x")), String(new CustomEvent("x")), String(new EventTarget()),
  String(new AbortController()), String(new AbortController().signal));

console.log("--- Event");
const ev = new Event("x");
console.log(ev.type, ev.bubbles, ev.cancelable, ev.composed, ev.defaultPrevented, ev.eventPhase, ev.isTrusted);
console.log(ev.target, ev.currentTarget, ev.srcElement, ev.returnValue, ev.cancelBubble, ev.composedPath());
console.log(typeof ev.timeStamp, ev.timeStamp >= 0, Object.keys(ev), Object.getOwnPropertyNames(ev));
const keys = []; for (const k in ev) keys.push(k); console.log(keys.join(","));
ev.preventDefault();
console.log("not cancelable:", ev.defaultPrevented, ev.returnValue);
const ev2 = new Event("y", { bubbles: true, cancelable: true, composed: true });
console.log(ev2.bubbles, ev2.cancelable, ev2.composed);
ev2.preventDefault();
console.log("cancelable:", ev2.defaultPrevented, ev2.returnValue);
const ev3 = new Event("z", { cancelable: 1 });
ev3.returnValue = false;
console.log("returnValue=false:", ev3.defaultPrevented, ev3.returnValue);
ev3.cancelBubble = true;
console.log("cancelBubble:", ev3.cancelBubble);
const ev4 = new Event(42, null);
console.log(ev4.type, typeof ev4.type, ev4.initEvent.length, ev4.initEvent("renamed", true, true), ev4.type, ev4.bubbles, ev4.cancelable);
err(() => new Event());
err(() => new Event("x", 5));
err(() => new Event("x", []));
err(() => new Event("x", function opts() {}));
err(() => Event("x"));
err(() => Object.getOwnPropertyDescriptor(Event.prototype, "type").get.call({}));
err(() => Event.prototype.preventDefault.call({}));
console.log(Object.prototype.toString.call(ev), ev instanceof Event, new CustomEvent("c") instanceof Event);

console.log("--- CustomEvent");
const ce = new CustomEvent("c", { detail: { a: 1 }, cancelable: true });
console.log(ce.type, ce.detail, ce.cancelable, new CustomEvent("d").detail);
console.log(Object.getOwnPropertyDescriptor(CustomEvent.prototype, "detail").enumerable);
err(() => new CustomEvent());
err(() => Object.getOwnPropertyDescriptor(CustomEvent.prototype, "detail").get.call(new Event("x")));

console.log("--- EventTarget");
const t = new EventTarget();
const order = [];
function l1(e) { order.push(["l1", this === t, e.target === t, e.currentTarget === t, e.srcElement === t, e.eventPhase, e.composedPath().length, e.composedPath()[0] === t]); }
const l2 = (e) => order.push("l2 " + e.type);
const obj = { handleEvent(e) { order.push(["handleEvent", this === obj, e.type]); } };
console.log(t.addEventListener("go", l1), t.addEventListener("go", l2));
t.addEventListener("go", l1);          // duplicate: ignored
t.addEventListener("go", obj);
const e1 = new Event("go");
console.log(t.dispatchEvent(e1));
console.log(JSON.stringify(order));
console.log(e1.target === t, e1.currentTarget, e1.eventPhase, e1.composedPath());
order.length = 0;
t.removeEventListener("go", l1);
t.removeEventListener("go", obj);
t.removeEventListener("nothing", l2);
t.dispatchEvent(new Event("go"));
console.log(JSON.stringify(order));
console.log("re-dispatch:", t.dispatchEvent(e1), JSON.stringify(order));

// the same listener with another capture flag is a second registration
const tc = new EventTarget();
let nc = 0;
const counted = () => nc++;
tc.addEventListener("c", counted); tc.addEventListener("c", counted, true); tc.addEventListener("c", counted, { capture: true });
tc.dispatchEvent(new Event("c"));
tc.removeEventListener("c", counted, true);
tc.dispatchEvent(new Event("c"));
tc.removeEventListener("c", counted, { capture: false });
tc.dispatchEvent(new Event("c"));
console.log("capture registrations:", nc);
// dispatchEvent's result and preventDefault
const t2 = new EventTarget();
t2.addEventListener("c", (e) => e.preventDefault());
console.log(t2.dispatchEvent(new Event("c")), t2.dispatchEvent(new Event("c", { cancelable: true })));
// passive listeners cannot prevent the default
const t3 = new EventTarget();
t3.addEventListener("p", (e) => { e.preventDefault(); console.log("in passive:", e.defaultPrevented); }, { passive: true });
console.log(t3.dispatchEvent(new Event("p", { cancelable: true })));
// once
const t4 = new EventTarget();
let n4 = 0;
t4.addEventListener("o", () => n4++, { once: true });
t4.dispatchEvent(new Event("o")); t4.dispatchEvent(new Event("o"));
console.log("once:", n4);
// once, added again from inside the listener
let n4b = 0;
const again = () => { n4b++; if (n4b < 3) t4.addEventListener("o2", again, { once: true }); };
t4.addEventListener("o2", again, { once: true });
t4.dispatchEvent(new Event("o2")); t4.dispatchEvent(new Event("o2")); t4.dispatchEvent(new Event("o2")); t4.dispatchEvent(new Event("o2"));
console.log("once re-added:", n4b);
// added during dispatch: not run in that dispatch; removed during dispatch: not run
const t5 = new EventTarget();
const seen5 = [];
const late = () => seen5.push("late");
const removed = () => seen5.push("removed");
t5.addEventListener("d", () => { seen5.push("first"); t5.addEventListener("d", late); t5.removeEventListener("d", removed); });
t5.addEventListener("d", removed);
t5.dispatchEvent(new Event("d"));
t5.dispatchEvent(new Event("d"));
console.log(seen5.join(","));
// the list as node walks it: a listener's successor is taken before it is called
const logL = [];
const tA = new EventTarget();
const cA = () => logL.push("c"), bA = () => logL.push("b");
tA.addEventListener("x", () => { logL.push("a"); tA.removeEventListener("x", bA); tA.addEventListener("x", cA); });
tA.addEventListener("x", bA);
tA.dispatchEvent(new Event("x"));
logL.push("|");
const tB = new EventTarget();
let nB = 0;
const selfB = () => { logL.push("s" + nB++); if (nB < 5) { tB.removeEventListener("x", selfB); tB.addEventListener("x", selfB); } };
tB.addEventListener("x", selfB); tB.addEventListener("x", () => logL.push("z"));
tB.dispatchEvent(new Event("x"));
logL.push("|");
const tD = new EventTarget();
const pD = () => { logL.push("p"); tD.removeEventListener("x", pD); tD.removeEventListener("x", qD); };
const qD = () => logL.push("q");
tD.addEventListener("x", pD); tD.addEventListener("x", qD); tD.addEventListener("x", () => logL.push("r"));
tD.dispatchEvent(new Event("x"));
logL.push("|");
const tE = new EventTarget();
const lastE = () => { logL.push("last"); tE.removeEventListener("x", lastE); tE.addEventListener("x", () => logL.push("new")); };
tE.addEventListener("x", lastE);
tE.dispatchEvent(new Event("x"));
tE.dispatchEvent(new Event("x"));
console.log(logL.join(","));
// stopImmediatePropagation stops the rest; stopPropagation does not (one target)
const t6 = new EventTarget();
const seen6 = [];
t6.addEventListener("s", (e) => { seen6.push("a"); e.stopPropagation(); });
t6.addEventListener("s", (e) => { seen6.push("b"); e.stopImmediatePropagation(); });
t6.addEventListener("s", () => seen6.push("c"));
const se = new Event("s");
t6.dispatchEvent(se);
console.log(seen6.join(","), se.cancelBubble);
t6.dispatchEvent(se);
console.log("again:", seen6.join(","));
// the flags outlive a dispatch; set before one, stopImmediatePropagation stops every listener
const tF = new EventTarget();
const seenF = [];
tF.addEventListener("f", () => seenF.push("f1")); tF.addEventListener("f", () => seenF.push("f2"));
const pre1 = new Event("f"); pre1.stopImmediatePropagation(); tF.dispatchEvent(pre1);
const pre2 = new Event("f"); pre2.stopPropagation(); tF.dispatchEvent(pre2);
const pre3 = new Event("f"); pre3.cancelBubble = true; tF.dispatchEvent(pre3);
console.log(seenF.join(","));
const tG = new EventTarget();
tG.addEventListener("g", (e) => { console.log("g saw", e.defaultPrevented); e.preventDefault(); });
const eG = new Event("g", { cancelable: true });
console.log(tG.dispatchEvent(eG), tG.dispatchEvent(eG));
// recursion
const t7 = new EventTarget();
const re = new Event("r");
t7.addEventListener("r", () => err(() => t7.dispatchEvent(re)));
t7.dispatchEvent(re);
// handleEvent looked up at dispatch time
const t8 = new EventTarget();
const late8 = {};
t8.addEventListener("h", late8);
late8.handleEvent = function (e) { console.log("late handleEvent", this === late8, e.type); };
t8.dispatchEvent(new Event("h"));
// argument errors
err(() => t.addEventListener());
err(() => t.addEventListener("x"));
err(() => t.addEventListener("x", 5));
err(() => t.addEventListener("x", "str"));
err(() => t.removeEventListener("x"));
err(() => t.dispatchEvent());
err(() => t.dispatchEvent({ type: "x" }));
err(() => EventTarget.prototype.dispatchEvent.call({}, new Event("x")));
err(() => EventTarget.prototype.addEventListener.call({}, "x", () => {}));
err(() => EventTarget());
console.log(t.addEventListener("x", undefined), t.removeEventListener("x", null));

console.log("--- subclasses");
class Emitter extends EventTarget {
  constructor(name) { super(); this.name = name; }
  fire(v) { return this.dispatchEvent(new CustomEvent("fire", { detail: v })); }
}
const em = new Emitter("em");
em.addEventListener("fire", function (e) { console.log("fired", this.name, e.detail, e.target === em, this instanceof Emitter); });
console.log(em.fire(7), em instanceof EventTarget, em.name);
class MyEvent extends Event {
  constructor(v) { super("mine", { cancelable: true }); this.v = v; }
  get double() { return this.v * 2; }
}
const me = new MyEvent(21);
em.addEventListener("mine", (e) => { console.log("mine", e.v, e.double, e instanceof MyEvent, e.cancelable); e.preventDefault(); });
console.log(em.dispatchEvent(me), me.defaultPrevented);
class Plain extends EventTarget {}
const pl = new Plain();
pl.addEventListener("q", (e) => console.log("plain", e.type));
pl.dispatchEvent(new Event("q"));

console.log("--- AbortSignal / AbortController");
const ac = new AbortController();
const sig = ac.signal;
console.log(sig === ac.signal, sig instanceof AbortSignal, sig instanceof EventTarget, sig.aborted, sig.reason, sig.onabort);
const keysS = []; for (const k in sig) keysS.push(k); console.log(keysS.join(","));
const keysC = []; for (const k in ac) keysC.push(k); console.log(keysC.join(","));
const seenA = [];
sig.addEventListener("abort", function (e) { seenA.push(["listener", e.type, this === sig, e.target === sig, sig.aborted, e.isTrusted]); });
sig.onabort = (e) => seenA.push(["onabort", e.type]);
sig.addEventListener("abort", () => seenA.push("after onabort"));
console.log(typeof sig.onabort);
sig.throwIfAborted();
ac.abort();
ac.abort("second");
console.log(JSON.stringify(seenA));
console.log(sig.aborted, sig.reason instanceof DOMException, sig.reason.name, sig.reason.message, sig.reason.code);
err(() => sig.throwIfAborted());
const ac2 = new AbortController();
ac2.abort("why");
console.log(ac2.signal.reason);
try { ac2.signal.throwIfAborted(); } catch (e) { console.log("thrown:", e); }
const ac3 = new AbortController();
ac3.abort(null);
console.log(ac3.signal.reason, new AbortController().signal !== new AbortController().signal);
// onabort replaced and cleared
const ac4 = new AbortController();
const seen4 = [];
ac4.signal.onabort = () => seen4.push("first");
ac4.signal.addEventListener("abort", () => seen4.push("listener"));
ac4.signal.onabort = () => seen4.push("replaced");
console.log(ac4.signal.onabort.name === "", typeof ac4.signal.onabort);
ac4.abort();
console.log(seen4.join(","));
const ac5 = new AbortController();
let fired5 = false;
ac5.signal.onabort = () => { fired5 = true; };
ac5.signal.onabort = null;
ac5.abort();
console.log("cleared onabort fired:", fired5, ac5.signal.onabort);
// a listener's signal
const t9 = new EventTarget();
const ac9 = new AbortController();
const seen9 = [];
t9.addEventListener("e", () => seen9.push("with signal"), { signal: ac9.signal });
t9.addEventListener("e", () => seen9.push("plain"));
t9.dispatchEvent(new Event("e"));
ac9.abort();
t9.dispatchEvent(new Event("e"));
t9.addEventListener("e", () => seen9.push("never"), { signal: ac9.signal });
t9.dispatchEvent(new Event("e"));
console.log(seen9.join(","));
err(() => t9.addEventListener("e", () => {}, { signal: 1 }));
err(() => t9.addEventListener("e", () => {}, { signal: null }));
// statics
const ab = AbortSignal.abort();
console.log(ab.aborted, ab.reason.name, AbortSignal.abort(5).reason, AbortSignal.abort(undefined).reason.name);
err(() => new AbortSignal());
err(() => AbortSignal());
err(() => AbortController());
err(() => Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted").get.call({}));
err(() => Object.getOwnPropertyDescriptor(AbortSignal.prototype, "reason").get.call(new EventTarget()));
err(() => AbortSignal.prototype.throwIfAborted.call({}));
// any
const a1 = new AbortController(), a2 = new AbortController();
const any = AbortSignal.any([a1.signal, a2.signal]);
const anyLog = [];
a2.signal.addEventListener("abort", () => anyLog.push("source " + any.aborted));
any.addEventListener("abort", function (e) { anyLog.push(["any", this === any, e.target === any, any.reason]); });
console.log(any.aborted, any instanceof AbortSignal);
a2.abort("bee");
a1.abort("aye");
console.log(JSON.stringify(anyLog), any.reason);
const pre = AbortSignal.any([new AbortController().signal, AbortSignal.abort("x"), AbortSignal.abort("y")]);
console.log(pre.aborted, pre.reason, AbortSignal.any([]).aborted);
const nested = new AbortController();
const outer = AbortSignal.any([AbortSignal.any([nested.signal])]);
nested.abort("deep");
console.log("nested any:", outer.aborted, outer.reason);
err(() => AbortSignal.any(5));
err(() => AbortSignal.any([1]));
err(() => AbortSignal.any([a1.signal, {}]));
// timeout: argument checks (the timers themselves run below)
err(() => AbortSignal.timeout(-1));
err(() => AbortSignal.timeout("a"));
err(() => AbortSignal.timeout());
err(() => AbortSignal.timeout(2 ** 33));
console.log(AbortSignal.timeout(5).aborted);

console.log("--- inspect");
show(new Event("x"));
show(new CustomEvent("y", { detail: 1 }));
show(new EventTarget());
show(new AbortController());
show(new AbortController().signal);
show(AbortSignal.abort());
show([new Event("x"), new EventTarget()]);
show({ s: new AbortController().signal, t: new EventTarget() });
show(em);
show(me);
show(new Event("x"), { depth: 0 });
show(new Event("x"), { depth: -1 });
show(new Event("x"), { breakLength: 200 });
show(new AbortController(), { depth: 0 });
show(new AbortController(), { depth: -1 });
show(new AbortController().signal, { depth: 0 });
show(new AbortController().signal, { depth: -1 });
show(new EventTarget(), { depth: -1 });
for (const d of [1, 2, 3]) {
  show({ a: { b: { c: new AbortController(), s: new AbortController().signal, e: new Event("x"), t: new EventTarget() } } }, { depth: d });
}
const withProp = new AbortController().signal;
withProp.extra = 1;
show(withProp);
console.log(mask(`${util.format("%o", new AbortController())}`));

console.log("--- events module");
console.log(typeof events.EventTarget, typeof events.Event, Object.keys(events).includes("EventTarget"));
const tg = new EventTarget();
const gl = () => {};
tg.addEventListener("g", gl);
console.log(events.getEventListeners(tg, "g").length, events.getEventListeners(tg, "g")[0] === gl, events.getEventListeners(tg, "none").length);
console.log(events.getMaxListeners(tg));
events.setMaxListeners(5, tg);
console.log(events.getMaxListeners(tg));
// addAbortListener: runs even when an earlier listener stopped the event
const sAL = new AbortController();
sAL.signal.addEventListener("abort", (e) => { console.log("stopping"); e.stopImmediatePropagation(); });
sAL.signal.addEventListener("abort", () => console.log("never (stopped)"));
const disp = events.addAbortListener(sAL.signal, function (e) { console.log("addAbortListener", e.type, this === sAL.signal); });
console.log(typeof disp[Symbol.dispose], Object.getPrototypeOf(disp));
const sAL2 = new AbortController();
const disp2 = events.addAbortListener(sAL2.signal, () => console.log("never (disposed)"));
disp2[Symbol.dispose]();
sAL.abort(); sAL2.abort();
events.addAbortListener(AbortSignal.abort(), (...a) => console.log("pre-aborted addAbortListener", a.length));
err(() => events.addAbortListener(undefined, () => {}));
err(() => events.addAbortListener({}, () => {}));
err(() => events.addAbortListener(sAL.signal, 5));

(async () => {
  const ee = new events.EventEmitter();
  const c1 = new AbortController();
  const p1 = events.once(ee, "foo", { signal: c1.signal });
  console.log("listening:", ee.listenerCount("foo"), ee.listenerCount("error"));
  c1.abort();
  try { await p1; } catch (e) {
    console.log("once aborted:", e.name, e.code, e.message, e instanceof Error, Object.keys(e), e.cause instanceof DOMException, e.cause.name);
  }
  console.log("after abort:", ee.listenerCount("foo"), ee.listenerCount("error"));
  try { await events.once(ee, "foo", { signal: AbortSignal.abort("r") }); } catch (e) { console.log("pre-aborted:", e.name, e.cause); }
  console.log("not added:", ee.listenerCount("foo"));
  const c2 = new AbortController();
  setTimeout(() => ee.emit("foo", 1, 2), 1);
  console.log("once value:", await events.once(ee, "foo", { signal: c2.signal }));
  c2.abort();
  try { await events.once(ee, "foo", { signal: 3 }); } catch (e) { console.log(e.name, e.code, e.message); }
  // an EventTarget with a signal
  const et = new EventTarget();
  const c3 = new AbortController();
  const p3 = events.once(et, "q", { signal: c3.signal });
  c3.abort("why");
  try { await p3; } catch (e) { console.log("target once:", e.name, e.cause); }
  setTimeout(() => et.dispatchEvent(new Event("q")), 1);
  const [qe] = await events.once(et, "q");
  console.log("target event:", qe.type, qe instanceof Event);
  // events.on with a signal
  const c4 = new AbortController();
  const it = events.on(ee, "bar", { signal: c4.signal });
  setTimeout(() => { ee.emit("bar", 1); ee.emit("bar", 2); setTimeout(() => c4.abort(), 1); }, 1);
  try { for await (const v of it) console.log("on value:", v); } catch (e) { console.log("on aborted:", e.name, e.message); }
  console.log("on listeners:", ee.listenerCount("bar"));
  try { events.on(ee, "bar", { signal: AbortSignal.abort() }); console.log("no error"); } catch (e) { console.log("on pre-aborted:", e.name, e.code); }

  // AbortSignal.timeout fires when something else keeps the loop alive
  const ts = AbortSignal.timeout(5);
  ts.onabort = (e) => console.log("timeout onabort", e.type);
  await new Promise((r) => setTimeout(r, 30));
  console.log("timeout:", ts.aborted, ts.reason.name, ts.reason.message, ts.reason.code, ts.reason instanceof DOMException);
  err(() => ts.throwIfAborted());

  // a throwing listener: the others still run; the error reaches uncaughtException later
  process.on("uncaughtException", (e, origin) => console.log("uncaught:", e.message, origin));
  const tb = new EventTarget();
  tb.addEventListener("boom", () => { console.log("l1"); throw new Error("boom"); });
  tb.addEventListener("boom", () => console.log("l2"));
  console.log("dispatched:", tb.dispatchEvent(new Event("boom")));
  // AbortSignal.timeout alone does not keep the program running
  AbortSignal.timeout(10000).addEventListener("abort", () => console.log("never"));
})();
