// uuid (ESM, exports map) and nanoid: random ids from the global crypto, name-based ones from
// node's crypto hashes (v3 md5, v5 sha1). Random values print only their shape.
import { v1, v3, v4, v5, v7, validate, version, parse, stringify, NIL, MAX } from "uuid";
import { nanoid, customAlphabet } from "nanoid";

const a = v4();
console.log(a.length, validate(a), version(a), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(a));
console.log(v5("hello", v5.DNS), v5("x", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"), v3("hello", v3.URL));
console.log(version(v7()), version(v1()), new Set(Array.from({ length: 100 }, () => v4())).size);
console.log(validate("nope"), NIL, MAX, stringify(parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8")));
console.log(Array.from(parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8")).slice(0, 4));
const id = nanoid();
console.log(id.length, /^[A-Za-z0-9_-]{21}$/.test(id), nanoid(8).length);
const hex = customAlphabet("0123456789abcdef", 12)();
console.log(hex.length, /^[0-9a-f]{12}$/.test(hex));
