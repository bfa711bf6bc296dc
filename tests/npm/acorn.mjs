// acorn: a JavaScript parser (ES module: exports "." is an array with conditions)
import { parse, tokenizer, version } from "acorn";

const src = `
import { a } from "mod";
async function* f(x, ...rest) { for await (const y of x) yield* y; }
class C extends B { #p = 1; static s() { return this.#p ?? 2; } get g() { return super.g; } }
let { p: [q = 1, ...r], ...o } = obj;
label: for (let i = 0; i < 10; i++) { if (i % 2) continue label; else break; }
const re = /ab+c/giu, t = tag\`x\${1}y\`, big = 123n;
export default function* gen() { try { yield 1; } catch { } finally { } }
`;
const ast = parse(src, { ecmaVersion: 2022, sourceType: "module", allowAwaitOutsideFunction: true });
const counts = {};
(function walk(n) {
  if (n && typeof n.type === "string") counts[n.type] = (counts[n.type] || 0) + 1;
  for (const k in n) {
    const v = n[k];
    if (v && typeof v === "object") Array.isArray(v) ? v.forEach(walk) : walk(v);
  }
})(ast);
console.log(version.split(".")[0], ast.type, ast.body.length, ast.start, ast.end);
console.log(Object.keys(counts).sort().map((k) => k + ":" + counts[k]).join(" "));
console.log(JSON.stringify(parse("x = a?.b + (c ** 2)", { ecmaVersion: 2020 }).body[0]));
const loc = parse("let\n  x = 1;", { ecmaVersion: 2020, locations: true }).body[0].declarations[0].id.loc;
console.log(loc.start.line, loc.start.column, loc.end.line, loc.end.column);
console.log([...tokenizer("a + b * 3 // c", { ecmaVersion: 2020 })].map((t) => t.type.label + (t.value !== undefined ? "=" + t.value : "")).join(" "));
for (const bad of ["let let = 1;", "a +", "x = {a b}", "'\\u{110000}'"]) {
  try {
    parse(bad, { ecmaVersion: 2020 });
    console.log("parsed", bad);
  } catch (e) {
    console.log(e.name, e.message, e.pos);
  }
}
const comments = [];
parse("/* a */ x; // b", { ecmaVersion: 2020, onComment: comments });
console.log(comments.map((c) => c.type + ":" + c.value).join(","));
