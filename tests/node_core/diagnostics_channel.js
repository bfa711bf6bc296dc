// diagnostics_channel: named channels, subscribers in order, tracing channels around sync and
// promise-returning calls (what lru-cache, undici and fastify publish to)
const dc = require("node:diagnostics_channel");
const c = dc.channel("my:chan");
console.log(c.name, c.hasSubscribers, dc.hasSubscribers("my:chan"), c === dc.channel("my:chan"), c instanceof dc.Channel);
const seen = [];
const f = (msg, name) => seen.push([name, msg.x]);
c.subscribe(f);
console.log(c.hasSubscribers, dc.hasSubscribers("my:chan"));
c.publish({ x: 1 });
dc.subscribe("my:chan", (m) => seen.push(["second", m.x]));
c.publish({ x: 2 });
console.log(c.unsubscribe(f), c.unsubscribe(f), JSON.stringify(seen));
const t = dc.tracingChannel("op");
const log = [];
t.subscribe({
  start: (c) => log.push("start " + c.id), end: (c) => log.push("end " + c.result),
  asyncStart: (c) => log.push("asyncStart " + c.result), asyncEnd: () => log.push("asyncEnd"),
  error: (c) => log.push("error " + c.error.message),
});
console.log(t.hasSubscribers, t.traceSync((a, b) => a + b, { id: 1 }, null, 2, 3));
try { t.traceSync(() => { throw new Error("boom"); }, { id: 2 }); } catch (e) { console.log("caught", e.message); }
t.traceCallback((x, cb) => cb(null, x * 2), -1, { id: 4 }, null, 21, (err, r) => log.push("callback " + r));
t.tracePromise(async () => 42, { id: 3 }).then((v) => console.log("promise", v, JSON.stringify(log)));
try { dc.channel(5); } catch (e) { console.log(e.code); }
