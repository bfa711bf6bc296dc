// A delay past 2^31 - 1 ms fires after 1 ms, with node's TimeoutOverflowWarning (NaN: 1, quietly); the
// deprecated Buffer constructor warns once.
setTimeout(() => console.log("overflowed timeout fired"), 2 ** 31);
const i = setInterval(() => { console.log("overflowed interval fired"); clearInterval(i); }, 2 ** 40);
setTimeout(() => console.log("NaN delay fired"), NaN);
// Buffer() and new Buffer() from the program itself: node's DEP0005, once
console.log(Buffer("abc").length, Buffer(3).length, new Buffer(2).length);
