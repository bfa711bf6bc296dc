// minimist: argument parsing (CommonJS, main = index.js)
const parse = require("minimist");

console.log(parse(["-a", "beep", "-b", "boop"]));
console.log(parse(["-x", "3", "-y", "4", "-n5", "-abc", "--beep=boop", "foo", "bar", "baz"]));
console.log(parse(["--no-color", "--name", "x", "--", "--not-a-flag", "rest"], { "--": true }));
console.log(parse(["-v", "--port", "8080", "file.txt"], { boolean: ["v"], string: ["port"], alias: { v: "verbose", p: "port" } }));
console.log(parse(["--level", "2", "--level", "3", "-t"], { default: { t: false, mode: "dev" } }));
console.log(parse(["--a.b", "1", "--a.c=2", "-s", "-"]), parse([]));
console.log(parse(["--x", "-5", "-n", "0x10", "--float", "1e3"]));
console.log(parse(["--unknown", "a"], { unknown: (arg) => { console.log("unknown", arg); return false; } }));
