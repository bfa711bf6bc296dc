// lodash's minified build (lodash.min.js): one function declares hundreds of names in comma
// chains, as minifiers write them
const _ = require("lodash/lodash.min.js");

console.log(_.VERSION.split(".")[0], _.chunk([1, 2, 3, 4, 5], 2), _.uniq([2, 1, 2, 3, 1]));
console.log(_.sortBy([{ n: "b", a: 2 }, { n: "a", a: 2 }, { n: "c", a: 1 }], ["a", "n"]).map((o) => o.n).join(""));
console.log(_.get({ a: [{ b: { c: 3 } }] }, "a[0].b.c"), _.merge({ a: [{ b: 2 }] }, { a: [{ c: 3 }] }));
console.log(_.camelCase("Foo Bar-baz_qux"), _.kebabCase("fooBarBaz"), _.escape("<a & b>"), _.range(0, 20, 5));
console.log(_.groupBy([6.1, 4.2, 6.3], Math.floor), _.debounce(() => 1, 10).cancel(), _.memoize((x) => x * 2)(21));
console.log(_([1, 2, 3, 4]).map((n) => n * n).filter((n) => n > 2).reverse().value());
