#!/usr/bin/env node
// Generates tests/runtime/regexp_cases.json: expectations for the pure-Lua
// regular-expression engine (runtime/lua/ljs/regexp_engine.lua), taken
// from node's own RegExp so the Python tests can run without node.
//
//   node tests/runtime/gen_regexp_cases.js               # writes the JSON
//   node tests/runtime/gen_regexp_cases.js --fold-table  # prints the Lua
//        case-folding tables embedded in regexp_engine.lua
//
// Each case is [pattern, flags, input, startIndex] with startIndex in
// UTF-16 units like lastIndex.  Non-sticky cases are run with an added 'g'
// so startIndex is honoured; 'd' is added to get group indices.  The JSON
// stores positions converted to what the Lua engine reports: 1-based
// UTF-8 byte offsets, end exclusive:
//   {pattern, flags, input, start, sticky, error?: message,
//    match?: null | {index, end, groups: [[start, end] | null, ...],
//                    names: [group names in group order]}}
// Cases whose expected positions would fall inside a surrogate pair (so
// inside a UTF-8 sequence) are rejected here: the Lua side works on whole
// code points, which JS only does under /u.

'use strict';
const fs = require('fs');
const path = require('path');

const LONG_A = 'a'.repeat(3000);
const LONG_AB = 'ab'.repeat(1500);

const CASES = [
  // literals, alternation, empty pattern
  ['abc', '', 'xxabcxx', 0],
  ['abc', '', 'ab', 0],
  ['', '', 'abc', 0],
  ['a|b|c', '', 'xyzc', 0],
  ['foo|foobar', '', 'foobar', 0],
  ['(foo|foobar)$', '', 'foobar', 0],
  ['a||b', '', 'b', 0],
  ['x(?:)y', '', 'xy', 0],
  // dot
  ['a.c', '', 'a\nc abc', 0],
  ['a.c', 's', 'a\nc', 0],
  ['.', '', '\u2028x', 0],
  ['.+', '', 'ab\rcd', 0],
  ['.', 's', '\r', 0],
  ['.', '', '\u2029', 0],
  ['.+', 's', 'a\n\u2028b', 0],
  // anchors
  ['^abc', '', 'xabc', 0],
  ['^b', 'm', 'a\nb', 0],
  ['^b', 'm', 'a\rb', 0],
  ['^b', 'm', 'a\u2028b', 0],
  ['^b', '', 'a\nb', 0],
  ['a$', 'm', 'a\nb', 0],
  ['a$', 'm', 'xa\u2029', 0],
  ['a$', '', 'a\nb', 0],
  ['^$', 'm', 'a\n\nb', 0],
  ['$', '', 'abc', 0],
  ['^', 'm', 'a\nb', 1],
  ['^\\w+$', 'm', 'foo\nbar\r\nbaz', 4],
  ['^a|b', '', 'xab', 0],
  // word boundaries
  ['\\bfoo\\b', '', 'a foo b', 0],
  ['\\bfoo\\b', '', 'afoo foob foo', 0],
  ['\\Bo\\B', '', 'foo', 0],
  ['\\b', '', '   ', 0],
  ['\\B', '', '', 0],
  ['\\w+\\b', '', 'h\u00e9llo', 0],
  ['\\b\\w', 'u', '\u00e9 a', 0],
  ['\\b.', 'iu', ' \u017f', 0],
  ['\\b.', 'i', ' \u017fx', 0],
  // character classes
  ['[abc]+', '', 'xxbcaz', 0],
  ['[^abc]+', '', 'abcxyzabc', 0],
  ['[a-z]+', '', 'ABCdefGHI', 0],
  ['[a-z]+', 'i', '123ABCdef', 0],
  ['[\\d.]+', '', 'v1.25x', 0],
  ['[\\w-]+', '', 'foo-bar baz', 0],
  ['[\\w-z]+', '', '%a-z%', 0],
  ['[-a]+', '', '--a-b', 0],
  ['[a-]+', '', 'xa-a-b', 0],
  ['[]', '', 'abc', 0],
  ['[^]', '', '\n', 0],
  ['[^]+', '', 'a\n\u00e9', 0],
  ['[\\b]', '', 'a\bb', 0],
  ['[\\]]', '', 'a]b', 0],
  ['[]]', '', 'a]b', 0],
  ['[\\^]', '', 'a^', 0],
  ['[^\\s]+', '', '  ab  ', 0],
  ['[\\s\\S]+', '', 'a\nb', 0],
  ['[\\D]+', '', '12ab34', 0],
  ['[^\\W\\d]+', '', '12ab_34', 0],
  ['[\u03b1-\u03c9]+', '', 'abc \u03b1\u03b2\u03b3', 0],
  ['[^\u03b1-\u03c9]+', '', '\u03b1\u03b2xyz', 0],
  ['[\u{1F600}-\u{1F602}]', 'u', 'a\u{1F601}', 0],
  ['[\\u{1F600}-\\u{1F602}]+', 'u', 'x\u{1F600}\u{1F601}\u{1F602}\u{1F603}', 0],
  ['[\\x41-\\x43]+', '', 'xABCD', 0],
  ['[\\u0041-\\u0043]+', '', 'xABCD', 0],
  ['[\\0]', '', 'a\0', 0],
  ['[.*+?]+', '', 'a.*+?b', 0],
  ['[$^]+', '', 'a$^b', 0],
  ['[{}()|]+', '', 'a{}()|b', 0],
  ['[\\d-z]+', '', 'a1-z', 0],
  ['[\\-]', 'u', 'a-', 0],
  ['[a\\-z]+', '', 'b-az', 0],
  // escapes
  ['\\d+', '', 'abc123def', 0],
  ['\\D+', '', '123abc456', 0],
  ['\\w+', '', '  foo_bar9!', 0],
  ['\\W+', '', 'abc!@#def', 0],
  ['\\s+', '', 'a \t\n\u00a0\ufeff\u2028\u1680\u2000\u200a\u202f\u205f\u3000b', 0],
  ['\\s', '', 'a\u200bb', 0],
  ['\\S+', '', '  abc  ', 0],
  ['\\t\\n\\v\\f\\r', '', '\t\n\v\f\r', 0],
  ['\\0', '', 'a\0b', 0],
  ['\\x41\\x62', '', 'Ab', 0],
  ['\\x4', '', 'x4', 0],
  ['\\u0041', '', 'A', 0],
  ['\\u004', '', 'u004', 0],
  ['\\u{41}', 'u', 'A', 0],
  ['\\u{3}', '', 'uuu', 0],
  ['\\u{1F600}', 'u', 'a\u{1F600}', 0],
  ['\\cJ', '', '\n', 0],
  ['\\cj', '', '\n', 0],
  ['\\c1', '', '\\c1', 0],
  ['\\c', '', '\\c', 0],
  ['[\\c1]', '', '\x11', 0],
  ['[\\c_]', '', '\x1f', 0],
  ['[\\c]+', '', '\\c', 0],
  ['\\/\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\', '', '/.*+?()[]{}|^$\\', 0],
  ['\\/\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\', 'u', '/.*+?()[]{}|^$\\', 0],
  ['\\-', '', '-', 0],
  ['\\a\\e\\q', '', 'aeq', 0],
  ['\\8\\9', '', '89', 0],
  ['\\101', '', 'A', 0],
  ['\\12', '', '\n', 0],
  ['\\0101', '', '\b1', 0],
  ['\\377\\400', '', '\u00ff 0', 0],
  ['[\\101]', '', 'A', 0],
  ['(a)\\2', '', 'a\x02', 0],
  ['(a)\\8', '', 'a8', 0],
  ['(a)\\10', '', 'a\b', 0],
  ['\\uD83D\\uDE00', '', 'x\u{1F600}', 0],
  ['\\uD83D\\uDE00', 'u', 'x\u{1F600}', 0],
  ['[\\uD83D\\uDE00]', 'u', '\u{1F600}', 0],
  ['\\k', '', 'k', 0],
  ['\\k<a>', '', 'k<a>', 0],
  ['\\p{L}', '', 'p{L}', 0],
  // quantifiers
  ['a*', '', 'aaa', 0],
  ['a*', '', 'baaa', 0],
  ['a+', '', 'baaa', 0],
  ['a?', '', 'a', 0],
  ['a{2}', '', 'aaaa', 0],
  ['a{2,}', '', 'aaaaa', 0],
  ['a{2,3}', '', 'aaaaa', 0],
  ['a{0}', '', 'aaa', 0],
  ['a{0}b', '', 'ab', 0],
  ['a{,2}', '', 'a{,2}', 0],
  ['a{', '', 'a{', 0],
  ['a{1', '', 'a{1', 0],
  ['a{1,2', '', 'a{1,2', 0],
  ['x{1}}', '', 'x}', 0],
  ['{', '', 'a{', 0],
  ['}', '', 'a}', 0],
  [']', '', 'a]', 0],
  ['a*?', '', 'aaa', 0],
  ['a+?', '', 'aaa', 0],
  ['a??', '', 'a', 0],
  ['a??b', '', 'ab', 0],
  ['a{2,3}?', '', 'aaaa', 0],
  ['a{2,}?', '', 'aaaa', 0],
  ['a{2,}?$', '', 'aaaa', 0],
  ['(?:ab)*', '', 'ababx', 0],
  ['(?:ab){2}', '', 'abababab', 0],
  ['(?:ab){1,2}?c', '', 'ababc', 0],
  ['(ab)+', '', 'ababab', 0],
  ['(a|b)*', '', 'abba', 0],
  ['(a|b)*?b', '', 'aab', 0],
  ['.*foo', '', 'xfooyfooz', 0],
  ['.*?foo', '', 'xfooyfooz', 0],
  ['\\d*\\.\\d+', '', 'v 12.50', 0],
  ['(\\d+)(\\d+)', '', '12345', 0],
  ['(\\d+?)(\\d+)', '', '12345', 0],
  ['(\\d{2,3}?)(\\d*)', '', '12345', 0],
  ['a.*b', '', 'a\nb axxb', 0],
  ['<.+>', '', '<a><b>', 0],
  ['<.+?>', '', '<a><b>', 0],
  ['(a+)+b', '', 'aaaaaaaaaaaaaaaaaaab', 0],
  ['\\s*,\\s*', '', 'a , b', 0],
  ['[a-z]*\\d', '', 'abc def5', 0],
  ['x*y*z*', '', '', 0],
  ['a*a', '', 'aaa', 0],
  ['a*ab', '', 'aaab', 0],
  ['\\w*\u00e9', '', 'abc\u00e9x', 0],
  ['[^x]*\u00e9', '', '\u00e9a\u00e9b', 0],
  ['.*\u00e9', '', '\u00e9a\u00e9b', 0],
  ['.*?\u00e9', '', 'a\u00e9b\u00e9', 0],
  ['(?:a|bc)*?d', '', 'abcbcd', 0],
  ['(?:x|y){2,3}z', '', 'xyxyz', 0],
  ['(?:ab|a){3}', '', 'aababa', 0],
  ['a{3,5}b{2}', '', 'aaaaaabb', 0],
  ['(a){2}', '', 'aa', 0],
  ['(a){0,}?b', '', 'aab', 0],
  ['[ab]{2,}?c', '', 'ababc', 0],
  // captures are reset on every iteration; empty iterations stop loops
  ['(z)((a+)?(b+)?(c))*', '', 'zaacbbbcac', 0],
  ['(a)|(b)', '', 'b', 0],
  ['(?:(a)|b)+', '', 'ab', 0],
  ['(?:(a)|(b))+', '', 'ab', 0],
  ['((a)|b)+', '', 'ab', 0],
  ['(a*)*', '', 'b', 0],
  ['(a*)+', '', 'b', 0],
  ['(a*)?', '', 'b', 0],
  ['(a*?)*', '', 'aa', 0],
  ['(?:a?)*?b', '', 'ab', 0],
  ['(a|)*b', '', 'aab', 0],
  ['(?:()|a)*', '', 'aa', 0],
  ['(a?)+?b', '', 'ab', 0],
  ['(?:a{0,2}|b)*c', '', 'aabac', 0],
  ['(()|.)*', '', 'ab', 0],
  ['(a|ab)(c|bcd)(d*)', '', 'abcd', 0],
  ['(?:(a)|b)*\\1', '', 'aba', 0],
  ['(?:(\\d)x)*', '', '1x2xy', 0],
  ['(x)?y', '', 'y', 0],
  ['(x)?(x)', '', 'x', 0],
  ['(?:(f)(o)(o)|(b)(a)(r))*', '', 'foobar', 0],
  // backreferences
  ['(a)\\1', '', 'aa', 0],
  ['(\\w+)\\s\\1', '', 'say hello hello', 0],
  ['\\1(a)', '', 'aa', 0],
  ['(a)|\\1b', '', 'b', 0],
  ['(?:(a)|b)\\1', '', 'ba', 0],
  ['(a\\1)', '', 'aa', 0],
  ['(a)?\\1b', '', 'b', 0],
  ['(?<q>[\'"]).*?\\k<q>', '', 'say "hi" \'x\'', 0],
  ['(\\w)\\1', 'i', 'aA', 0],
  ['(\\w+)\\1', 'i', 'abcABC', 0],
  ['(.)\\1', 'iu', '\u017fs', 0],
  ['(.)\\1', 'i', '\u017fs', 0],
  ['(\u00e9+)\\1', '', '\u00e9\u00e9\u00e9\u00e9\u00e9', 0],
  ['(\u00e9)\\1', 'i', '\u00e9\u00c9', 0],
  ['(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10', '', 'abcdefghijj', 0],
  ['(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\11', '', 'abcdefghij\t', 0],
  // named groups
  ['(?<year>\\d{4})-(?<month>\\d{2})', '', 'on 2024-05-01', 0],
  ['(?<a>x)|(?<b>y)', '', 'y', 0],
  ['(?<$x_1>.)\\k<$x_1>', '', 'zz', 0],
  ['(?<\u00e9t\u00e9>.)', '', 'q', 0],
  ['(?<\\u0061b>.)\\k<ab>', '', 'qq', 0],
  ['\\k<x>(?<x>a)', '', 'aa', 0],
  ['(?<x>a)\\k<x>', 'u', 'aa', 0],
  // lookahead
  ['foo(?=bar)', '', 'foobaz foobar', 0],
  ['foo(?!bar)', '', 'foobar foobaz', 0],
  ['(?=(\\d+))\\d', '', 'abc123', 0],
  ['(?!a)\\w', '', 'ab', 0],
  ['(?=a)*b', '', 'b', 0],
  ['(?=(a))?b', '', 'ab', 0],
  ['(?=(a)){2}a', '', 'ab', 0],
  ['(?:(?=(\\w))\\w)+', '', 'ab', 0],
  ['(?=(a+))a*b\\1', '', 'baaabac', 0],
  ['(.*?)a(?!(a+)b\\2c)\\2(.*)', '', 'baaabaac', 0],
  ['(?!(a))\\1b', '', 'b', 0],
  ['^(?=.*\\d)(?=.*[a-z]).{6,}$', '', 'abc123', 0],
  ['^(?=.*\\d)(?=.*[a-z]).{6,}$', '', 'abcdef', 0],
  ['\\w+(?=\\.)', '', 'file.txt', 0],
  // lookbehind
  ['(?<=\\$)\\d+', '', 'cost $42', 0],
  ['(?<!\\$)\\b\\d+', '', '$42 17', 0],
  ['(?<=(\\d+)(\\d+))$', '', '1053', 0],
  ['(?<=(\\d)(\\d)?)x', '', '12x', 0],
  ['(?<=\\1(a))b', '', 'aab', 0],
  ['(?<=(.)\\1)x', '', 'aax', 0],
  ['(?<=^|,)\\w+', '', 'a,bc', 2],
  ['(?<=a(?=b)b)c', '', 'abc', 0],
  ['(?<=\u00e9)x', '', 'a\u00e9x', 0],
  ['(?<=[\u03b1-\u03c9]+)!', '', '\u03b1\u03b2!', 0],
  ['(?<!^)x', '', 'xx', 0],
  ['(?<=\\b)foo', '', 'afoo foo', 0],
  ['(?<=(?<!b)a)c', '', 'bac ac', 0],
  ['(?<=a.*?)b', '', 'xaxb', 0],
  ['(?<=a.*)b', '', 'xaxb', 0],
  ['(?<=(a|b)+)c', '', 'abc', 0],
  ['(?<=(a+?))b', '', 'aab', 0],
  ['(?<=(?:ab){2})c', '', 'ababc', 0],
  ['(?<=\\d{3})x', '', '12x123x', 0],
  ['(?<=a)', '', 'ba', 0],
  ['(?<=\u{1F600})x', 'u', '\u{1F600}x', 0],
  ['(?<=.)x', 'u', '\u{1F600}x', 0],
  ['(?<=[\u{1F600}])x', 'u', '\u{1F600}x', 0],
  ['(?<=ab)c', 'i', 'ABC', 0],
  ['(?<=(a)\\1)c', '', 'aac', 0],
  // case-insensitive
  ['abc', 'i', 'xABC', 0],
  ['\u00c0\u00c9', 'i', '\u00e0\u00e9', 0],
  ['stra\u00dfe', 'i', 'STRASSE', 0],
  ['\u00df', 'iu', '\u1e9e', 0],
  ['\u00df', 'i', '\u1e9e', 0],
  ['\u03c3', 'i', '\u03a3\u03c2', 0],
  ['[\u03c3]+', 'i', '\u03a3\u03c2\u03c3', 0],
  ['\u0416+', 'i', '\u0436\u0416\u0436', 0],
  ['[\u0430-\u044f]+', 'i', '\u041f\u0420\u0418\u0412\u0415\u0422', 0],
  ['k', 'iu', '\u212a', 0],
  ['k', 'i', '\u212a', 0],
  ['s', 'i', '\u017f', 0],
  ['s', 'iu', '\u017f', 0],
  ['\\w', 'iu', '\u017f', 0],
  ['\\W', 'iu', '\u017f', 0],
  ['[^\\W]', 'iu', '\u017f', 0],
  ['[\\W]', 'iu', 's', 0],
  ['\\W', 'i', '\u017f', 0],
  ['[^a]', 'i', 'A', 0],
  ['[^a]+', 'i', 'aAbB', 0],
  ['\u00b5', 'i', '\u039c\u03bc', 0],
  ['\u00ff', 'i', '\u0178', 0],
  ['\u01c5', 'i', '\u01c6', 0],
  ['\u01c4', 'iu', '\u01c5', 0],
  ['\u0130', 'i', 'i', 0],
  ['\u0131', 'i', 'I', 0],
  ['\u0131', 'iu', 'I', 0],
  ['\u03a9', 'i', '\u2126', 0],
  ['\u03a9', 'iu', '\u2126', 0],
  ['[a-z]', 'i', 'K', 0],
  ['[a-z]', 'iu', '\u212a', 0],
  ['[a-z]', 'i', '\u212a', 0],
  ['[^k]', 'iu', '\u212a', 0],
  ['\u03ac', 'i', '\u0386', 0],
  ['\u0561', 'i', '\u0531', 0],
  ['\u{10400}', 'iu', '\u{10428}', 0],
  ['\u1e00+', 'i', '\u1e01\u1e00', 0],
  ['[\u00e0-\u00ff]+', 'i', '\u00c0\u00de\u00ff\u0178', 0],
  ['[\u0100-\u017f]+', 'i', 'SsK', 0],
  ['[\u0100-\u017f]+', 'iu', 'SsK', 0],
  ['\\u{1F600}', 'iu', '\u{1F600}', 0],
  ['Z', 'i', '\uff3a', 0],
  ['\uff3a', 'i', '\uff5a', 0],
  ['\\x41', 'i', 'a', 0],
  ['[\\x41-\\x5a]+', 'i', 'Hello', 0],
  // sticky and start positions
  ['foo', 'y', 'xfoo', 0],
  ['foo', 'y', 'xfoo', 1],
  ['\\d', 'y', '12a', 2],
  ['a', 'g', 'aXa', 1],
  ['', 'g', 'abc', 3],
  ['\u00e9', 'g', '\u00e9a\u00e9', 1],
  ['.', 'g', '\u00e9\u00e8', 1],
  ['^a', 'g', 'aa', 1],
  ['^a', 'gm', 'a\na', 1],
  ['$', 'g', 'ab', 1],
  ['\\b', 'g', 'ab cd', 1],
  ['(?<=a)b', 'y', 'ab', 1],
  ['x*', 'y', 'abc', 1],
  // UTF-8 subjects
  ['.', '', '\u20ac', 0],
  ['..', 'u', '\u{1F600}\u20ac', 0],
  ['[^a]', 'u', '\u{1F600}', 0],
  ['\\S+', 'u', ' \u65e5\u672c\u8a9e ', 0],
  ['\u65e5\u672c', '', '\u3053\u306e\u65e5\u672c\u8a9e', 0],
  ['(?:.)*?\u8a9e', '', '\u65e5\u672c\u8a9e', 0],
  ['.{2}$', 'u', 'a\u{1F600}\u{1F600}', 0],
  ['\u{1F600}+', 'u', 'x\u{1F600}\u{1F600}y', 0],
  ['[\u00e9\u00e8]+', '', 'caf\u00e9\u00e8', 0],
  ['\u00e9*', '', '\u00e9\u00e9a', 0],
  ['(\u00e9|\u00e8)+?\u00e8', '', '\u00e9\u00e9\u00e8', 0],
  ['\\W+', '', 'a\u00e9\u20ac\u{1F600}b', 0],
  ['[^\\x00-\\x7f]+', '', 'abc\u00e9\u4e2d\u{1F600}z', 0],
  ['[\u0800-\uffff]', '', 'a\u00e9\u4e2d', 0],
  ['[\\u{10000}-\\u{10ffff}]', 'u', 'a\u4e2d\u{1F600}', 0],
  // /v
  ['[\\w--\\d]+', 'v', '12ab34', 0],
  ['[\\w&&\\d]+', 'v', 'ab12', 0],
  ['[[a-z]--[aeiou]]+', 'v', 'aabcde', 0],
  ['[\\q{abc|d}x]+', 'v', 'abcdxq', 0],
  ['[\\q{abc|d}x]', 'v', 'abcd', 0],
  ['[\\q{}]', 'v', 'x', 0],
  ['[^\\d]', 'v', '1a', 0],
  ['[a-c]', 'vi', 'B', 0],
  ['[[a-c][x-z]]+', 'v', 'mabxyzm', 0],
  ['[\\w--[a-z]]+', 'vi', 'abc_12', 0],
  // longer subjects
  ['a*', '', LONG_A, 0],
  ['(?:ab)+', '', 'x' + LONG_AB, 0],
  ['(a|b)*c', '', LONG_AB + 'c', 0],
  ['^(?:a|b)*$', '', LONG_AB, 0],
  ['.*x', '', LONG_A + 'x' + LONG_A, 0],
  ['"(?:[^"\\\\]|\\\\.)*"', '', 'x"' + 'ab\\"'.repeat(500) + '"y', 0],
  ['(a+)\\1', '', LONG_A, 0],
  ['b', '', LONG_A + 'b', 0],
  ['(?<=a)b', '', LONG_A + 'b', 0],
  ['a+?b', '', LONG_A + 'b', 0],
  ['(a)*?b', '', LONG_A + 'b', 0],
  // error cases
  ['(', '', '', 0],
  ['(', 'yg', '', 0],
  ['a)', '', '', 0],
  ['*a', '', '', 0],
  ['a**', '', '', 0],
  ['+', '', '', 0],
  ['?', '', '', 0],
  ['a|*', '', '', 0],
  ['^*', '', '', 0],
  ['$+', '', '', 0],
  ['\\b*', '', '', 0],
  ['a{1}{2}', '', '', 0],
  ['x{1,2}{3}', '', '', 0],
  ['{1}', '', '', 0],
  ['{1,}', 'u', '', 0],
  ['(?a)', '', '', 0],
  ['(?i:a)', '', '', 0],
  [']', 'u', '', 0],
  ['{', 'u', '', 0],
  ['}', 'u', '', 0],
  ['a{', 'u', '', 0],
  ['a{1', 'u', '', 0],
  ['a{,5}', 'u', '', 0],
  ['\\a', 'u', '', 0],
  ['\\-', 'u', '', 0],
  ['[a', '', '', 0],
  ['[a-', '', '', 0],
  ['[z-a]', '', '', 0],
  ['[b-a\\d]', '', '', 0],
  ['a{2,1}', '', '', 0],
  ['x{2147483648,1}', '', '', 0],
  ['(?<1a>x)', '', '', 0],
  ['(?<a', '', '', 0],
  ['(?<>x)', '', '', 0],
  ['(?<a>x)(?<a>y)', '', '', 0],
  ['(?<a>a)|(?<a>b)', '', '', 0],
  ['\\k<x>(?<y>)', '', '', 0],
  ['(?<a>x)\\k<b>', '', '', 0],
  ['(?<a>)\\k', '', '', 0],
  ['(?<a>x)\\k<a', '', '', 0],
  ['\\k<a>', 'u', '', 0],
  ['\\', '', '', 0],
  ['a\\', 'u', '', 0],
  ['[\\z]', 'u', '', 0],
  ['[\\d-a]', 'u', '', 0],
  ['[a-\\d]', 'u', '', 0],
  ['\\00', 'u', '', 0],
  ['\\1', 'u', '', 0],
  ['(a)\\2', 'u', '', 0],
  ['[\\1]', 'u', '', 0],
  ['\\u12', 'u', '', 0],
  ['\\u{110000}', 'u', '', 0],
  ['\\u{}', 'u', '', 0],
  ['\\c1', 'u', '', 0],
  ['[\\c]', 'u', '', 0],
  ['\\x1', 'u', '', 0],
  ['[\\B]', 'u', '', 0],
  ['(?<=a)*', '', '', 0],
  ['(?<!a)+', '', '', 0],
  ['(?<=a){2}', '', '', 0],
  ['(?=a)*', 'u', '', 0],
  ['(?:a', '', '', 0],
  ['(?=a', '', '', 0],
  ['(?<=a', '', '', 0],
  ['((a)', '', '', 0],
  ['[]]', 'u', '', 0],
  ['(?<a>.)[\\k]', '', '', 0],
  ['[\\w-z]', 'v', '', 0],
  ['[a-]', 'v', '', 0],
  ['[(]', 'v', '', 0],
  ['[a&&&b]', 'v', '', 0],
  ['[a-z&&b]', 'v', '', 0],
  ['[ab&&c]', 'v', '', 0],
  ['[^\\q{ab}]', 'v', '', 0],
  ['a', 'gg', '', 0],
  ['a', 'uv', '', 0],
  ['a', 'x', '', 0],
  ['a', 'G', '', 0],
];

function bytePos(str, i) {
  const c = str.charCodeAt(i - 1);
  if (i > 0 && i < str.length && c >= 0xd800 && c <= 0xdbff) {
    throw new Error('position inside a surrogate pair');
  }
  return Buffer.byteLength(str.slice(0, i), 'utf8') + 1;
}

function run([pattern, flags, input, start]) {
  const sticky = flags.includes('y');
  const out = { pattern, flags, input, start: bytePos(input, start), sticky };
  let re;
  try {
    re = new RegExp(pattern, flags);
  } catch (e) {
    out.error = e.message;
    return out;
  }
  let f = flags;
  if (!f.includes('g') && !sticky) f += 'g';
  if (!f.includes('d')) f += 'd';
  re = new RegExp(pattern, f);
  re.lastIndex = start;
  const m = re.exec(input);
  if (!m) {
    out.match = null;
    return out;
  }
  out.match = {
    index: bytePos(input, m.indices[0][0]),
    end: bytePos(input, m.indices[0][1]),
    groups: m.indices.slice(1).map((g) => (g ? [bytePos(input, g[0]), bytePos(input, g[1])] : null)),
    names: m.groups ? Object.keys(m.groups) : [],
  };
  return out;
}

function foldTables() {
  // Non-unicode Canonicalize (ECMA-262 22.2.2.7.3): toUpperCase, one code
  // unit, never mapping non-ASCII onto ASCII.  BMP only: astral characters
  // are surrogate pairs without /u and surrogates have no case mapping.
  const canonNonU = (ch) => {
    const u = String.fromCharCode(ch).toUpperCase();
    if (u.length !== 1) return ch;
    const cu = u.charCodeAt(0);
    return ch >= 128 && cu < 128 ? ch : cu;
  };
  const nonu = [];
  for (let c = 0; c < 0x10000; c++) {
    const r = canonNonU(c);
    if (r !== c) nonu.push([c, r]);
  }
  // /u uses simple case folding, which JS does not expose: rebuild its
  // equivalence classes from upper/lower mappings, keeping only the edges
  // V8 itself confirms under /iu.  Representative: smallest member.
  const eq = (a, b) => new RegExp('^\\u{' + a.toString(16) + '}$', 'iu').test(String.fromCodePoint(b));
  const parent = new Map();
  const find = (x) => {
    while (parent.has(x)) x = parent.get(x);
    return x;
  };
  for (let c = 0; c < 0x110000; c++) {
    if (c >= 0xd800 && c < 0xe000) continue;
    const s = String.fromCodePoint(c);
    for (const t of [s.toLowerCase(), s.toUpperCase()]) {
      const cps = [...t];
      if (cps.length !== 1) continue;
      const d = cps[0].codePointAt(0);
      if (d === c || !eq(c, d)) continue;
      const a = find(c);
      const b = find(d);
      if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
    }
  }
  const umap = [];
  for (let c = 0; c < 0x110000; c++) {
    const r = find(c);
    if (r !== c) umap.push([c, r]);
  }
  for (const [map, canon] of [[nonu, canonNonU], [umap, find]]) {
    for (const [x, r] of map) if (canon(r) !== r) throw new Error('representative not canonical at ' + x);
  }
  return { nonu: toRuns(nonu), u: toRuns(umap) };
}

// [x, rep] pairs -> flat runs lo, hi, delta, stride.  A stride-2 run only
// skips code points that map to themselves, so runs never overlap and the
// Lua side can binary-search them.
function toRuns(map) {
  const mapped = new Set(map.map((e) => e[0]));
  const out = [];
  let i = 0;
  while (i < map.length) {
    const [x, r] = map[i];
    const d = r - x;
    let hi = x;
    let stride = 1;
    let j = i + 1;
    if (j < map.length && map[j][1] - map[j][0] === d) {
      const st = map[j][0] - x;
      if (st === 1 || (st === 2 && !mapped.has(x + 1))) {
        stride = st;
        hi = map[j][0];
        j++;
        while (j < map.length && map[j][0] === hi + stride && map[j][1] - map[j][0] === d &&
               (stride === 1 || !mapped.has(hi + 1))) {
          hi = map[j][0];
          j++;
        }
      }
    }
    out.push(x, hi, d, stride);
    i = j;
  }
  return out;
}

function luaTable(name, runs) {
  const lines = [];
  for (let k = 0; k < runs.length; k += 32) {
    lines.push('  ' + runs.slice(k, k + 32).map((v) => (v < 0 ? String(v) : '0x' + v.toString(16))).join(',') + ',');
  }
  return 'local ' + name + ' = {\n' + lines.join('\n') + '\n}\n';
}

if (process.argv.includes('--fold-table')) {
  const t = foldTables();
  process.stdout.write(luaTable('FOLD_NONU', t.nonu) + luaTable('FOLD_U', t.u));
} else {
  const results = CASES.map(run);
  const file = path.join(__dirname, 'regexp_cases.json');
  fs.writeFileSync(file, JSON.stringify({ generator: 'node ' + process.version, cases: results }, null, 1) + '\n');
  const errors = results.filter((r) => r.error).length;
  console.log(`wrote ${results.length} cases (${errors} errors) to ${file}`);
}
