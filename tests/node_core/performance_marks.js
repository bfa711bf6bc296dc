// performance.timeOrigin, mark, measure and the entry lists, as timing code uses them (values that
// depend on the clock are printed as their types or comparisons).
performance.mark('a'); const m = performance.mark('b', {detail: {x: 1}});
console.log(m.constructor.name, m.entryType, m.duration, m.detail, typeof m.startTime, m.name);
const me = performance.measure('a-b', 'a', 'b'); console.log(me.constructor.name, me.entryType, typeof me.duration, me.name, me.duration >= 0);
console.log(performance.getEntriesByType('mark').map(e => e.name), performance.getEntriesByName('a').length, performance.getEntries().length);
performance.clearMarks('a'); console.log(performance.getEntriesByType('mark').map(e => e.name)); performance.clearMarks(); performance.clearMeasures();
console.log(performance.getEntries().length, typeof performance.timeOrigin, performance.timeOrigin > 1e12, performance.timeOrigin === performance.timeOrigin);
try { performance.measure('x', 'nope') } catch (e) { console.log(e.name, e.message) }
console.log(JSON.stringify(performance.mark('j', {startTime: 5})));
const t0 = performance.now(); console.log(Math.abs(performance.timeOrigin + t0 - Date.now()) < 50);
