// qs: query strings with nesting (CommonJS; pulls in side-channel, get-intrinsic and friends)
const qs = require("qs");

console.log(qs.parse("a=c"), qs.parse("a[b][c]=d&e=f"), qs.parse("a[]=b&a[]=c"), qs.parse("a[1]=b&a[0]=c"));
console.log(JSON.stringify(qs.parse("user[name]=Tobi&user[tags][0]=x&user[tags][1]=y&flag")));
console.log(qs.parse("a.b=c", { allowDots: true }), qs.parse("?a=1&b=2", { ignoreQueryPrefix: true }), qs.parse("a=%20%E2%9C%93"));
console.log(qs.parse("a=b;c=d", { delimiter: ";" }), qs.parse("a=1,2,3", { comma: true }), qs.parse("a[b]=1&a=2"));
console.log(qs.stringify({ a: "b" }), qs.stringify({ a: { b: { c: "d" } } }), qs.stringify({ a: { b: "c" } }, { encode: false }));
console.log(qs.stringify({ a: ["b", "c"] }), qs.stringify({ a: ["b", "c"] }, { arrayFormat: "brackets" }), qs.stringify({ a: ["b", "c"] }, { arrayFormat: "comma" }));
console.log(qs.stringify({ a: ["b", "c"] }, { indices: false }), qs.stringify({ a: null, b: undefined, c: "" }), qs.stringify({ a: "ä ✓ &=" }));
console.log(qs.stringify({ a: { b: 1 } }, { allowDots: true }), qs.stringify({ z: 1, a: 2 }, { sort: (a, b) => a.localeCompare(b) }), qs.stringify({ a: 1 }, { addQueryPrefix: true }));
console.log(qs.stringify({ d: new Date(0) }), qs.stringify({ a: "b" }, { filter: ["a"] }));
const deep = qs.parse("a[b][c][d][e][f][g][h]=i");
console.log(JSON.stringify(deep));
