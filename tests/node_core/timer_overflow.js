// A delay past 2^31 - 1 ms fires after 1 ms, with node's TimeoutOverflowWarning (NaN: 1, quietly).
setTimeout(() => console.log("overflowed timeout fired"), 2 ** 31);
const i = setInterval(() => { console.log("overflowed interval fired"); clearInterval(i); }, 2 ** 40);
setTimeout(() => console.log("NaN delay fired"), NaN);
