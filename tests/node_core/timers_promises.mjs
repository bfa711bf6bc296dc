// node:timers/promises: the promise forms of the timers, AbortSignal and ref options, setInterval as an async iterator.
import { setTimeout as sleep, setImmediate, setInterval, scheduler } from 'node:timers/promises';
import timers from 'node:timers';
console.log(typeof timers.promises.setTimeout, timers.promises === (await import('timers/promises')).default);
const t0 = Date.now();
console.log(await sleep(20, 'slept'), Date.now() - t0 >= 19);
console.log(await setImmediate('imm'));
console.log(await scheduler.wait(5), await scheduler.yield());
const ac = new AbortController();
const p = sleep(1000, 'never', { signal: ac.signal });
ac.abort('why');
try { await p; } catch (e) { console.log(e.name, e.code, e.message, e.cause); }
try { await sleep(1, 'x', { signal: AbortSignal.abort() }); } catch (e) { console.log(e.name, e.cause.name); }
try { await sleep(1, 'x', { signal: 5 }); } catch (e) { console.log(e.code, e.message); }
try { await sleep(1, 'x', 'opts'); } catch (e) { console.log(e.code, e.message); }
let n = 0;
for await (const v of setInterval(5, 'tick')) { console.log(v, ++n); if (n === 3) break; }
const ac2 = new AbortController();
const it = setInterval(5, 'i', { signal: ac2.signal });
console.log(await it.next());
ac2.abort();
try { await it.next(); } catch (e) { console.log('interval', e.name); }
sleep(100000, 'unref', { ref: false }).then(console.log);
console.log('end');
