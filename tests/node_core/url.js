// url: the WHATWG classes re-exported, file URL conversion, and the legacy parse/format/resolve.
const url = require('url');
const { fileURLToPath, pathToFileURL } = require('node:url');
console.log(url.URL === URL, url.URLSearchParams === URLSearchParams, typeof url.parse, typeof url.format, typeof url.resolve);

console.log(fileURLToPath('file:///tmp/a%20b/c.txt'), fileURLToPath(new URL('file:///x/%E2%82%AC')), fileURLToPath('file://localhost/etc/passwd'));
console.log(pathToFileURL('/tmp/a b/c#d?e%f.txt').href, pathToFileURL('/tmp/dir/').href, pathToFileURL('/x/€/\\').href, pathToFileURL('/a\nb\tc\rd').href);
console.log(pathToFileURL('rel/x.js').href === 'file://' + require('path').resolve('rel/x.js'), pathToFileURL('/x') instanceof URL);
for (const bad of ['http://x/y', 'file://host/x', 'file:///a%2Fb', 'file:///a%2fb', 5]) {
  try { fileURLToPath(bad); } catch (e) { console.log(e.name, e.code, e.message); }
}
try { pathToFileURL(5); } catch (e) { console.log(e.name, e.code, e.message); }

const samples = [
  'http://user:pass@Host.Example.COM:8080/p/a/t/h?query=string&a=1#hash',
  'https://example.com',
  'https://example.com/',
  '//example.com/x?y',
  '/just/a/path?x=1&x=2',
  'relative/path.html',
  'mailto:someone@example.com',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'HTTP://EXAMPLE.com/A b?c d#e f',
  'http://[::1]:3000/x',
  'http://a.com?x#y',
  'ftp://ftp.example.org/pub/file.txt',
  'http://example.com:/x',
  '?only=query',
  '#only-hash',
  '',
];
for (const s of samples) console.log(JSON.stringify(s), url.parse(s));
const q = url.parse('http://x.com/p?a=1&b=2&a=3&c', true);
console.log(q.query, q.search, q.path);
console.log(url.parse('/p?', true).query, url.parse('/p', true).query, url.parse('/p', true).search);
console.log(url.parse('//host/path', false, true).host, url.parse('//host/path').host);

console.log(url.format({ protocol: 'https', hostname: 'example.com', pathname: '/some/path', query: { page: 1, format: 'json', list: ['a', 'b'] } }));
console.log(url.format({ protocol: 'http:', host: 'a.com:81', pathname: 'x', search: 'y=1', hash: 'z' }));
console.log(url.format({ protocol: 'mailto', auth: 'me', hostname: 'x.org' }), url.format({ pathname: '/a b', hash: '#h' }), url.format('http://A.com/x?y#z'));
console.log(url.format(new URL('http://u:p@a.com/x?y#z'), { auth: false, search: false, fragment: false }), url.format(new URL('http://a.com/€')), url.format(new URL('http://a.com/€'), { unicode: true }));
console.log(url.format(url.parse('http://user:pass@host.com:8080/p/a/t/h?query=string#hash')));

const pairs = [
  ['/one/two/three', 'four'], ['http://example.com/', '/one'], ['http://example.com/one', '/two'],
  ['http://example.com/a/b/c', '../d'], ['http://example.com/a/b/', './c?x=1'], ['http://a.com/x', 'https://b.com/y'],
  ['http://a.com/x?q', '#frag'], ['http://a.com/x/y', '//c.com/z'], ['/a/b', '../../..'], ['a/b', 'c'],
];
for (const [from, to] of pairs) console.log(from, to, url.resolve(from, to));
console.log(url.domainToASCII('español.com'), url.domainToUnicode('xn--espaol-zwa.com'), url.domainToASCII('xn--iñvalid.com'));
try { url.parse(5); } catch (e) { console.log(e.name, e.code, e.message); }
try { url.format(5); } catch (e) { console.log(e.name, e.code, e.message); }
console.log(url.urlToHttpOptions(new URL('https://u:p%20w@[::1]:8443/a/b?c=d#e')), url.urlToHttpOptions(new URL('http://h.com/')));
console.log(new url.Url(), url.parse('http://a.com/x').resolve('../y'), url.resolveObject('http://a.com/b/c', 'd').href);
