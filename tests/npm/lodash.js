// lodash: collections, objects, strings, functions, templates (CommonJS, main = lodash.js)
const _ = require("lodash");

console.log(_.VERSION.split(".")[0], typeof _.chunk, _.isFunction(_.map));
console.log(_.chunk([1, 2, 3, 4, 5, 6, 7], 3));
console.log(_.groupBy([6.1, 4.2, 6.3], Math.floor));
console.log(_.sortBy([{ n: "b", a: 2 }, { n: "a", a: 2 }, { n: "c", a: 1 }], ["a", "n"]).map((o) => o.n).join(""));
console.log(_.orderBy([{ u: "fred", a: 48 }, { u: "barney", a: 34 }, { u: "fred", a: 40 }], ["u", "a"], ["asc", "desc"]));
console.log(_.uniq([2, 1, 2, 3, 1]), _.uniqBy([2.1, 1.2, 2.3], Math.floor), _.flattenDeep([1, [2, [3, [4]], 5]]));
console.log(_.zip(["a", "b"], [1, 2], [true, false]), _.unzip([["a", 1], ["b", 2]]));
console.log(_.partition([1, 2, 3, 4, 5], (n) => n % 2), _.countBy(["one", "two", "three"], "length"));
console.log(_.range(0, 20, 5), _.range(4), _.sum([4, 2, 8, 6]), _.meanBy([{ n: 4 }, { n: 2 }], "n"));
console.log(_.difference([2, 1, 5], [2, 3]), _.intersection([2, 1], [2, 3]), _.union([2], [1, 2]), _.xor([2, 1], [2, 3]));
console.log(_.take([1, 2, 3], 2), _.takeRightWhile([1, 2, 3, 4], (n) => n > 2), _.dropWhile([1, 2, 3], (n) => n < 2));
console.log(_.keyBy([{ id: "a1", v: 1 }, { id: "b2", v: 2 }], "id"));

const obj = { a: [{ b: { c: 3 } }], d: { e: "x" } };
console.log(_.get(obj, "a[0].b.c"), _.get(obj, ["a", "0", "b", "c"]), _.get(obj, "a.b.c", "default"), _.has(obj, "d.e"));
const copy = _.cloneDeep(obj);
_.set(copy, "a[0].b.c", 4);
_.set(copy, "x.y[1].z", "new");
console.log(obj.a[0].b.c, copy.a[0].b.c, JSON.stringify(copy.x), _.isEqual(obj, _.cloneDeep(obj)), _.isEqual(obj, copy));
console.log(_.merge({ a: [{ b: 2 }, { d: 4 }] }, { a: [{ c: 3 }, { e: 5 }] }));
console.log(_.defaultsDeep({ a: { b: 2 } }, { a: { b: 1, c: 3 } }), _.pick({ a: 1, b: "2", c: 3 }, ["a", "c"]), _.omit({ a: 1, b: "2", c: 3 }, ["a"]));
console.log(_.mapValues({ x: 1, y: 2 }, (v) => v * 10), _.invert({ a: 1, b: 2 }), _.toPairs({ a: 1, b: 2 }), _.fromPairs([["a", 1]]));
console.log(_.camelCase("Foo Bar-baz_qux"), _.kebabCase("fooBarBaz"), _.snakeCase("Foo Bar"), _.startCase("--foo-bar--"));
console.log(_.capitalize("FRED"), _.padStart("5", 3, "0"), _.truncate("hi-diddly-ho there, neighborino", { length: 24, separator: " " }));
console.log(_.escape("fred, barney, & <pebbles>"), _.unescape("&lt;b&gt;"), _.words("fred, barney, & pebbles"), _.deburr("déjà vu"));
console.log(_.template("hello <%= data.user %>! <% _.forEach(data.list, function(x) { %><li><%- x %></li><% }); %>", { variable: "data" })({ user: "fred", list: ["<a>", "b"] }));

let calls = 0;
const square = _.memoize((n) => { calls++; return n * n; });
console.log(square(4), square(4), square(5), calls);
const once = _.once(() => ++calls);
console.log(once(), once(), calls);
const curried = _.curry((a, b, c) => [a, b, c]);
console.log(curried(1)(2)(3), curried(1, 2)(3), _.partial((a, b) => a + b, "x")("y"));
console.log(_.flow([(x) => x + 1, (x) => x * 2])(3), _.negate((n) => n > 2)(5));
console.log(_.chain([3, 1, 2]).sortBy().map((n) => n * 2).reverse().value());
console.log(_([1, 2, 3]).map((n) => n + 1).filter((n) => n % 2 === 0).value());
console.log(_.isPlainObject({}), _.isPlainObject([]), _.isEmpty({}), _.isEmpty([1]), _.isNil(null), _.isString("s"), _.isArrayLike("abc"));
console.log(_.clamp(10, -5, 5), _.inRange(3, 2, 4), _.round(4.006, 2), _.floor(0.046, 2), _.max([4, 2, 8]), _.minBy([{ n: 1 }, { n: 2 }], "n"));

const debounced = _.debounce((v) => console.log("debounced", v), 10);
debounced(1); debounced(2); debounced(3);
setTimeout(() => console.log("after", calls), 30);
console.log(_.template("hello ${ user }! <% if (n > 1) { %>many<% } %> <%- tag %>")({ user: "fred", n: 2, tag: "<b>" }));
