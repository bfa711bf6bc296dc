// util.MIMEType and util.MIMEParams: parsing, serializing, the setters and node's errors.
const { MIMEType, MIMEParams } = require('util');
const show = (s) => { try { const m = new MIMEType(s); console.log(JSON.stringify(s), '->', JSON.stringify(String(m)), [...m.params]); } catch (e) { console.log(JSON.stringify(s), e.code, e.message); } };
show(' te xt/plain');
show('\ttext/plain\r\n');
show('text/plain ; a=b');
show('text/plain;a=b;a=c');
show('text/plain;A=b;a=c');
show('text/plain; a = b');
show('text/plain;a="b\\\\c\\"d";e=f');
show('text/plain;a="b" junk;c=d');
show('text/plain;a="unterminated');
show('text/plain;a="x\\');
show('text/plain;=b');
show('text/plain;a=b c');
show('text/plain;a=');
show('text/plain;a=""');
show('text/plain;a=\u0100');
show('text/plain;a="\u0100"');
show('text/plain;a="\u00ff"');
show('text/plain;a=\u00ff');
show('text/plain;a=b\t');
show('text/plain\u00a0');
show('*/*');
show('text/plain;a=(x)');
show('text/plain;a="(x)"');
show('a@b/c');
show('a/b@');
show('a/b/c');
show('te\u0100xt/plain');
const p = new MIMEType('a/b').params;
for (const [n, v] of [['a b', 'x'], ['a', 'é'], ['a', 'Ā'], ['a', ''], ['a', 'x\ny'], ['', 'x'], ['Up', 'V']]) {
  try { p.set(n, v); console.log('set', JSON.stringify(n), JSON.stringify(v), String(p)); } catch (e) { console.log(e.code, e.message); }
}
console.log(p.get('up'), p.get('Up'), p.get('zz'), p.has('Up'));
p.delete('Up');
console.log(String(p), JSON.stringify(p), typeof p.keys().next, [...p.entries()]);
const m = new MIMEType('a/b');
for (const v of ['X Y', '', 'C', 'é', 5]) { try { m.type = v; console.log('type', String(m)); } catch (e) { console.log(e.code, e.message); } }
for (const v of ['X Y', '', 'D', null]) { try { m.subtype = v; console.log('subtype', String(m)); } catch (e) { console.log(e.code, e.message); } }
console.log(m.params === m.params, m.params instanceof MIMEParams);
try { MIMEType('a/b'); } catch (e) { console.log(e.name, e.message); }
console.log(MIMEType.name, MIMEType.length, MIMEParams.length);
p.set(1, 2); console.log(String(p), p.get(1));
console.log(new MIMEType('a/b;x=1').params.get('x'), new MIMEType('a/b;x=1').params.get('y'));
show('text/plain;a= b');
show('text/ plain');
show('text/plain;a=b;');
show('TEXT/PLAIN;CHARSET=UTF-8');
show('te xt');
show('text/plain;;;a=1');
show('text/plain;a;b=2');
show('text/plain;a="é\\"x"');
show('text/plain\t;a=b');
show('text/plain;a="b\\');
show('text/plain;a="\\é"');
show('text/plain;a=b\u00e9');
show('te"xt/plain');
show('text/plain;"a"=b');
show('text/plain;a="v"\tx=a');
show('text/plain;a="v"x=a');
show('text/plain;x="a;b"c=d;e=f');
show('\ttext\t\t');
show('"text/plain"');
console.log(MIMEParams.prototype[Symbol.iterator] === MIMEParams.prototype.entries);
const m3 = new MIMEType('a/b;c=d;e=f');
console.log([...m3.params.keys()], [...m3.params.values()], String(new MIMEParams()), JSON.stringify({ m3 }));
const d = Object.getOwnPropertyDescriptor(MIMEType.prototype, 'type');
console.log(typeof d.get, typeof d.set, d.enumerable, d.configurable);
console.log(Object.getOwnPropertyDescriptor(MIMEType.prototype, 'toString').enumerable);
console.log(Object.keys(m3), m3.toString === m3.toJSON, MIMEType.prototype.toJSON.name, MIMEParams.prototype.toJSON.name);
try { MIMEType.prototype.toString.call({}); } catch (e) { console.log(e.name, e.message); }
try { new MIMEType(); } catch (e) { console.log(e.code, e.message); }
try { new MIMEType(Symbol()); } catch (e) { console.log(e.name, e.message); }
const p3 = m3.params; p3.set('c', 'z'); p3.set('g', 'h'); console.log(String(p3), p3.delete('nope'), p3.delete('c'), String(p3), String(m3));
console.log(Object.prototype.toString.call(m3), Object.prototype.toString.call(p3), MIMEParams.prototype[Symbol.iterator].name);
const m1 = new MIMEType('Text/HTML; Charset="utf-8"; foo=bar;;  a = b ; x="q\\"z"');
console.log(m1, String(m1), JSON.stringify(m1), m1.type, m1.subtype, m1.essence);
console.log(m1.params, [...m1.params], m1.params.get('charset'), m1.params.has('a'), m1.params.get('x'));
m1.type = 'Application'; m1.subtype = 'JSON'; m1.params.set('Q', 'has space'); m1.params.delete('foo');
console.log(String(m1));
for (const s of ['', 'text', 'text/', '/plain', 'te xt/plain', 'text/pl ain', 'text/plain;', ' text/plain ', 'text/plain;a', 'text/plain;a=', 'text/plain;a="', 'text/plain;é=1', 'text/plain;a=é']) {
  try { console.log(JSON.stringify(s), String(new MIMEType(s))); } catch (e) { console.log(JSON.stringify(s), e.name, e.code, e.message); }
}
try { m1.type = ''; } catch (e) { console.log(e.code, e.message); }
try { m1.subtype = 'a b'; } catch (e) { console.log(e.code, e.message); }
try { m1.params.set('a b', 'x'); } catch (e) { console.log(e.code, e.message); }
try { m1.params.set('a', 'é'); } catch (e) { console.log(e.code, e.message); }
console.log(new MIMEParams(), typeof MIMEType, Object.getOwnPropertyNames(MIMEType.prototype), Object.getOwnPropertyNames(MIMEParams.prototype));
try { new MIMEType(5) } catch (e) { console.log(e.code, e.message); }
console.log(String(new MIMEType({toString() { return 'a/b' }})));
