// node's loop: the timers due at a turn's start all run before the immediates they queue
const o = [];
setTimeout(() => { o.push('t1'); setImmediate(() => o.push('imm')); Promise.resolve().then(() => o.push('micro')); }, 5);
setTimeout(() => o.push('t2'), 5);
setTimeout(() => o.push('t3'), 6);
const end = Date.now() + 30; while (Date.now() < end) {}
setTimeout(() => console.log(o.join(' ')), 50);
setImmediate(() => { o.push('i0'); setImmediate(() => o.push('i-next')); process.nextTick(() => o.push('tick')); });

process.env.X = 42; process.env.B = true; process.env.U = undefined;
console.log(typeof process.env.X, process.env.X === '42', process.env.B, JSON.stringify(process.env.U));
console.log('X' in process.env, Object.keys(process.env).includes('X'), delete process.env.X, 'X' in process.env, process.env.X);
const { B, HOME = 'none' } = process.env; console.log(B, typeof HOME);
const copy = { ...process.env }; console.log(copy.B, typeof JSON.parse(JSON.stringify(process.env)).B);
console.log(process.env.NOPE_NOT_SET, process.env.NOPE ?? 'default', Object.prototype.hasOwnProperty.call(process.env, 'B'));
for (const k in process.env) { if (k === 'B') console.log('for-in sees B'); }

require("util").promisify(require("fs").exists)("/tmp").then(v => console.log("resolved", v), e => console.log("rejected", e));
require("fs").exists("/nope", (e) => console.log("cb", e));

const b = Buffer.alloc(8); b.writeDoubleBE(NaN); console.log(b.toString("hex")); b.writeFloatLE(NaN); console.log(b.toString("hex")); const dv = new DataView(new ArrayBuffer(8)); dv.setFloat64(0, NaN, true); console.log(Buffer.from(dv.buffer).toString("hex")); b.writeDoubleLE(-1.5); console.log(b.toString("hex"));
