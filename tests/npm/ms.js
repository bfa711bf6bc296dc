// ms: durations to milliseconds and back (CommonJS, a single index.js)
const ms = require("ms");

for (const s of ["2 days", "1d", "10h", "2.5 hrs", "2h", "1m", "5s", "1y", "100", "-3 days", "-200", "1 week", ".5ms", "bogus"]) {
  console.log(JSON.stringify(s), ms(s));
}
for (const n of [60000, 2 * 60000, -3 * 60000, ms("10 hours"), 1000, 999, 86400000 * 3, 1.5e9]) {
  console.log(n, ms(n), ms(n, { long: true }));
}
try {
  ms(undefined);
} catch (e) {
  console.log(e.name, e.message);
}
