// js-yaml: YAML load and dump (CommonJS through exports' "require" condition)
const yaml = require("js-yaml");

const text = `
name: LuaScript
version: 1.2
tags: [js, lua, "jit"]
nested:
  list:
    - a: 1
      b: [1, 2]
    - c: null
      d: true
  multi: |
    line one
    line two
  folded: >
    folded
    text
anchors:
  base: &base { x: 1, y: 2 }
  derived:
    <<: *base
    y: 3
date: 2024-01-02
empty: ~
octal: 0o17
hex: 0x1F
float: 6.02e+23
inf: .inf
`;
const doc = yaml.load(text);
console.log(JSON.stringify(doc, null, 1));
console.log(Object.prototype.toString.call(doc.date), typeof doc.octal, doc.inf === Infinity);
console.log(yaml.dump({ a: 1, b: "two", c: [1, { d: "e" }], f: { g: null, h: true }, s: "multi\nline", q: "yes", n: "123" }));
console.log(yaml.dump([{ x: 1 }, [1, 2], "str"], { flowLevel: 1 }));
console.log(JSON.stringify(yaml.loadAll("---\na: 1\n---\nb: 2\n")));
try {
  yaml.load("a: [1, 2\nb: 3");
} catch (e) {
  console.log(e.name, e.reason, e.mark.line, e.mark.column);
}
console.log(yaml.load("key: value", { schema: yaml.FAILSAFE_SCHEMA }));
console.log(yaml.dump({ sorted: 1, alpha: 2, middle: 3 }, { sortKeys: true, indent: 4 }));
