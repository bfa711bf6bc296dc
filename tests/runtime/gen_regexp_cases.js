#!/usr/bin/env node
// Generates tests/runtime/regexp_cases.json: expectations for the pure-Lua
// regular-expression engine (runtime/lua/ljs/regexp_engine.lua), taken
// from node's own RegExp so the Python tests can run without node.
//
//   node tests/runtime/gen_regexp_cases.js               # writes the JSON
//   node tests/runtime/gen_regexp_cases.js --fold-table     # prints the Lua
//   node tests/runtime/gen_regexp_cases.js --unicode-table  # data tables
//        embedded in regexp_engine.lua (case folding, \p{...} properties)
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
  // Unicode property escapes
  ['\\p{L}+', 'u', '123abc\u03b1\u03b2\u03b3!', 0],
  ['\\p{Lu}', 'u', 'abcD', 0],
  ['\\P{L}+', 'u', 'ab12!c', 0],
  ['\\p{Letter}+', 'u', '--\u65e5\u672c--', 0],
  ['\\p{gc=Nd}+', 'u', 'x\u0661\u0662\u0663', 0],
  ['\\p{General_Category=Decimal_Number}', 'u', 'x\u0663', 0],
  ['\\p{Script=Greek}+', 'u', 'abc \u03b1\u03b2\u03b3', 0],
  ['\\p{sc=Cyrl}+', 'u', 'abc \u043f\u0440\u0438', 0],
  ['\\p{scx=Deva}', 'u', 'a\u0964', 0],
  ['\\p{sc=Deva}', 'u', 'a\u0964', 0],
  ['\\p{Script_Extensions=Latin}+', 'u', '\u03b1ab\u0363', 0],
  ['\\p{Emoji_Presentation}', 'u', 'a\u{1F600}', 0],
  ['\\p{Extended_Pictographic}+', 'u', 'hi \u{1F600}\u{1F601}', 0],
  ['[\\p{L}\\p{N}]+', 'u', '--ab12--', 0],
  ['[^\\p{L}]+', 'u', 'ab!?cd', 0],
  ['\\p{Lu}', 'iu', 'a', 0],
  ['\\P{Lu}', 'iu', 'A', 0],
  ['[^\\p{Lu}]', 'iu', 'A', 0],
  ['\\P{Lu}', 'iv', 'A', 0],
  ['[^\\P{Ll}]', 'iv', 'A', 0],
  ['[\\P{Lu}]', 'iv', 'A', 0],
  ['[\\p{L}--\\p{Script=Latin}]+', 'v', 'abc\u03b1\u03b2\u03b3', 0],
  ['\\p{White_Space}+', 'u', 'a \u3000b', 0],
  ['\\p{Any}', 'u', '\u{10FFFF}', 0],
  ['\\p{ASCII}+', 'u', '\u00e9 abc', 0],
  ['\\p{Alpha}+', 'u', '1\u00e9a\u0301', 0],
  ['\\p{Cn}', 'u', 'a\u0378', 0],
  ['\\p{Co}', 'u', 'a\ue000', 0],
  ['\\p{ID_Start}\\p{ID_Continue}*', 'u', '1_x\u00e9', 0],
  ['\\p{Lowercase_Letter}', 'u', 'A\u00df', 0],
  ['\\p{LC}+', 'u', 'ab\u01c5', 0],
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
  ['(?<\u{1F600}>x)', 'u', '', 0],
  ['(?<a\u00b7>x)', '', 'x', 0],
  ['(?<\u00b7>x)', '', '', 0],
  ['(?<a\u200d>x)', '', 'x', 0],
  ['(?<\u{1D4D1}>.)', 'u', 'x', 0],
  ['(?<\\u{1d4d1}>.)', '', 'x', 0],
  ['(?<a\\uD835\\uDCD1>.)', '', 'x', 0],
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
  ['\\p{Foo}', 'u', '', 0],
  ['[\\p{Foo}]', 'u', '', 0],
  ['\\p{Latin}', 'u', '', 0],
  ['\\p{Script}', 'u', '', 0],
  ['\\p{Script=}', 'u', '', 0],
  ['\\p{letter}', 'u', '', 0],
  ['\\p', 'u', '', 0],
  ['\\p{L', 'u', '', 0],
  ['\\p{Alphabetic=Yes}', 'u', '', 0],
  ['[\\p{Lu}-z]', 'u', '', 0],
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

// ---------------------------------------------------------------------------
// Unicode property data for \p{...}: General_Category and Script as
// partitions of the code space, Script_Extensions as per-script
// differences from Script, and every binary property ECMAScript lists.
// Numbers are base-32 varints written with the 64 characters of DIGITS
// (value >= 32: more digits follow).

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/';

function varint(n) {
  const parts = [];
  do {
    parts.push(n & 31);
    n = Math.floor(n / 32);
  } while (n > 0);
  let s = '';
  for (let i = parts.length - 1; i >= 0; i--) s += DIGITS[parts[i] + (i > 0 ? 32 : 0)];
  return s;
}

function normRanges(r) {
  const p = [];
  for (let k = 0; k < r.length; k += 2) p.push([r[k], r[k + 1]]);
  p.sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const [a, b] of p) {
    if (out.length && a <= out[out.length - 1] + 1) {
      if (b > out[out.length - 1]) out[out.length - 1] = b;
    } else out.push(a, b);
  }
  return out;
}

// Ranges of a class body, found by scanning a string of every code point
// (surrogates, which would pair up, are tested one by one).
let ALL_CPS = null;
function classRanges(body) {
  if (!ALL_CPS) {
    const parts = [];
    for (let c = 0; c <= 0x10ffff; c++) if (c < 0xd800 || c > 0xdfff) parts.push(String.fromCodePoint(c));
    ALL_CPS = parts.join('');
  }
  const lastCp = (s) => {
    const n = s.length;
    const lo = s.charCodeAt(n - 1);
    if (n >= 2 && lo >= 0xdc00 && lo <= 0xdfff) {
      const hi = s.charCodeAt(n - 2);
      if (hi >= 0xd800 && hi <= 0xdbff) return s.codePointAt(n - 2);
    }
    return lo;
  };
  const out = [];
  for (const m of ALL_CPS.matchAll(new RegExp('[' + body + ']+', 'gu'))) out.push(m[0].codePointAt(0), lastCp(m[0]));
  const one = new RegExp('^[' + body + ']$', 'u');
  for (let c = 0xd800; c <= 0xdfff; c++) if (one.test(String.fromCharCode(c))) out.push(c, c);
  return normRanges(out);
}

function encRanges(r) {
  let s = '';
  let prev = 0;
  for (let k = 0; k < r.length; k += 2) {
    s += varint(r[k] - prev) + varint(r[k + 1] - r[k]);
    prev = r[k + 1] + 1;
  }
  return s;
}

// Partition runs: (length - 1, owner index as varint) covering 0..10FFFF.
function encPartition(sets) {
  const owner = [];
  sets.forEach((r, i) => { for (let k = 0; k < r.length; k += 2) owner.push([r[k], r[k + 1], i]); });
  owner.sort((a, b) => a[0] - b[0]);
  let s = '';
  let next = 0;
  for (const [a, b, i] of owner) {
    if (a !== next) throw new Error('partition gap at ' + next.toString(16));
    s += varint(b - a) + varint(i);
    next = b + 1;
  }
  if (next !== 0x110000) throw new Error('partition ends at ' + next.toString(16));
  return s;
}

function validProperty(src) {
  try {
    new RegExp(src, 'u');
    return true;
  } catch (e) {
    return false;
  }
}

const GC_VALUES = [
  // [short, long, other aliases...]; leaves first, in partition order
  ['Lu', 'Uppercase_Letter'], ['Ll', 'Lowercase_Letter'], ['Lt', 'Titlecase_Letter'],
  ['Lm', 'Modifier_Letter'], ['Lo', 'Other_Letter'], ['Mn', 'Nonspacing_Mark'],
  ['Mc', 'Spacing_Mark'], ['Me', 'Enclosing_Mark'], ['Nd', 'Decimal_Number', 'digit'],
  ['Nl', 'Letter_Number'], ['No', 'Other_Number'], ['Pc', 'Connector_Punctuation'],
  ['Pd', 'Dash_Punctuation'], ['Ps', 'Open_Punctuation'], ['Pe', 'Close_Punctuation'],
  ['Pi', 'Initial_Punctuation'], ['Pf', 'Final_Punctuation'], ['Po', 'Other_Punctuation'],
  ['Sm', 'Math_Symbol'], ['Sc', 'Currency_Symbol'], ['Sk', 'Modifier_Symbol'],
  ['So', 'Other_Symbol'], ['Zs', 'Space_Separator'], ['Zl', 'Line_Separator'],
  ['Zp', 'Paragraph_Separator'], ['Cc', 'Control', 'cntrl'], ['Cf', 'Format'],
  ['Cs', 'Surrogate'], ['Co', 'Private_Use'], ['Cn', 'Unassigned'],
];
const GC_GROUPS = [
  ['L', 'Letter', 'Lu Ll Lt Lm Lo'], ['LC', 'Cased_Letter', 'Lu Ll Lt'],
  ['M', 'Mark', 'Mn Mc Me', 'Combining_Mark'], ['N', 'Number', 'Nd Nl No'],
  ['P', 'Punctuation', 'Pc Pd Ps Pe Pi Pf Po', 'punct'], ['S', 'Symbol', 'Sm Sc Sk So'],
  ['Z', 'Separator', 'Zs Zl Zp'], ['C', 'Other', 'Cc Cf Cs Co Cn'],
];

// Long script names; the four-letter codes are found by brute force and
// each must match exactly one long name (or be a known extra alias).
const SCRIPT_NAMES = (
  'Adlam Caucasian_Albanian Ahom Arabic Imperial_Aramaic Armenian Avestan Balinese Bamum Bassa_Vah ' +
  'Batak Bengali Beria_Erfe Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Chakma Canadian_Aboriginal ' +
  'Carian Cham Cherokee Chorasmian Coptic Cypro_Minoan Cypriot Cyrillic Devanagari Dives_Akuru Dogra ' +
  'Deseret Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Garay Georgian Glagolitic ' +
  'Gunjala_Gondi Masaram_Gondi Gothic Grantha Greek Gujarati Gurung_Khema Gurmukhi Hangul Han Hanunoo ' +
  'Hatran Hebrew Hiragana Anatolian_Hieroglyphs Pahawh_Hmong Nyiakeng_Puachue_Hmong Old_Hungarian ' +
  'Old_Italic Javanese Kayah_Li Katakana Kawi Kharoshthi Khmer Khojki Khitan_Small_Script Kannada ' +
  'Kirat_Rai Kaithi Tai_Tham Lao Latin Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani ' +
  'Makasar Mandaic Manichaean Marchen Medefaidrin Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs ' +
  'Malayalam Modi Mongolian Mro Meetei_Mayek Multani Myanmar Nag_Mundari Nandinagari ' +
  'Old_North_Arabian Nabataean Newa Nko Nushu Ogham Ol_Chiki Ol_Onal Old_Turkic Oriya Osage Osmanya ' +
  'Old_Uyghur Palmyrene Pau_Cin_Hau Old_Permic Phags_Pa Inscriptional_Pahlavi Psalter_Pahlavi ' +
  'Phoenician Miao Inscriptional_Parthian Rejang Hanifi_Rohingya Runic Samaritan Old_South_Arabian ' +
  'Saurashtra SignWriting Shavian Sharada Siddham Sidetic Khudawadi Sinhala Sogdian Old_Sogdian ' +
  'Sora_Sompeng Soyombo Sundanese Sunuwar Syloti_Nagri Syriac Tagbanwa Takri Tai_Le New_Tai_Lue Tamil ' +
  'Tangut Tai_Viet Tai_Yo Telugu Tifinagh Tagalog Thaana Thai Tibetan Tirhuta Tangsa Todhri Tolong_Siki ' +
  'Toto Tulu_Tigalari Ugaritic Vai Vithkuqi Warang_Citi Wancho Old_Persian Cuneiform Yezidi Yi ' +
  'Zanabazar_Square Inherited Common Unknown'
).split(' ');

const BINARY_PROPS = [
  ['ASCII'], ['ASCII_Hex_Digit', 'AHex'], ['Alphabetic', 'Alpha'], ['Any'], ['Assigned'],
  ['Bidi_Control', 'Bidi_C'], ['Bidi_Mirrored', 'Bidi_M'], ['Case_Ignorable', 'CI'], ['Cased'],
  ['Changes_When_Casefolded', 'CWCF'], ['Changes_When_Casemapped', 'CWCM'],
  ['Changes_When_Lowercased', 'CWL'], ['Changes_When_NFKC_Casefolded', 'CWKCF'],
  ['Changes_When_Titlecased', 'CWT'], ['Changes_When_Uppercased', 'CWU'], ['Dash'],
  ['Default_Ignorable_Code_Point', 'DI'], ['Deprecated', 'Dep'], ['Diacritic', 'Dia'], ['Emoji'],
  ['Emoji_Component', 'EComp'], ['Emoji_Modifier', 'EMod'], ['Emoji_Modifier_Base', 'EBase'],
  ['Emoji_Presentation', 'EPres'], ['Extended_Pictographic', 'ExtPict'], ['Extender', 'Ext'],
  ['Grapheme_Base', 'Gr_Base'], ['Grapheme_Extend', 'Gr_Ext'], ['Hex_Digit', 'Hex'],
  ['IDS_Binary_Operator', 'IDSB'], ['IDS_Trinary_Operator', 'IDST'], ['ID_Continue', 'IDC'],
  ['ID_Start', 'IDS'], ['Ideographic', 'Ideo'], ['Join_Control', 'Join_C'],
  ['Logical_Order_Exception', 'LOE'], ['Lowercase', 'Lower'], ['Math'],
  ['Noncharacter_Code_Point', 'NChar'], ['Pattern_Syntax', 'Pat_Syn'],
  ['Pattern_White_Space', 'Pat_WS'], ['Quotation_Mark', 'QMark'], ['Radical'],
  ['Regional_Indicator', 'RI'], ['Sentence_Terminal', 'STerm'], ['Soft_Dotted', 'SD'],
  ['Terminal_Punctuation', 'Term'], ['Unified_Ideograph', 'UIdeo'], ['Uppercase', 'Upper'],
  ['Variation_Selector', 'VS'], ['White_Space', 'space'], ['XID_Continue', 'XIDC'],
  ['XID_Start', 'XIDS'],
];

function unicodeTables() {
  const luaStr = (s) => {
    const lines = [];
    for (let k = 0; k < s.length; k += 100) lines.push(s.slice(k, k + 100));
    return '[[\n' + lines.join('\n') + ']]';
  };
  const out = [];
  const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

  // General_Category
  const gcSets = GC_VALUES.map(([g]) => classRanges('\\p{gc=' + g + '}'));
  const gcAlias = [];
  GC_VALUES.forEach(([g, ...names], i) => {
    for (const n of [g, ...names]) {
      if (!validProperty('\\p{gc=' + n + '}') || !validProperty('\\p{' + n + '}')) throw new Error('gc ' + n);
      gcAlias.push(n + '=' + i);
    }
  });
  GC_GROUPS.forEach(([g, long, members, extra]) => {
    const idx = members.split(' ').map((m) => GC_VALUES.findIndex((v) => v[0] === m));
    const want = classRanges('\\p{gc=' + g + '}');
    if (!same(want, normRanges(idx.flatMap((i) => gcSets[i])))) throw new Error('gc group ' + g);
    for (const n of [g, long, extra].filter(Boolean)) {
      if (!validProperty('\\p{' + n + '}')) throw new Error('gc ' + n);
      gcAlias.push(n + '=' + idx.join('+'));
    }
  });
  out.push('local UNI_GC = ' + luaStr(encPartition(gcSets)));
  out.push("local UNI_GC_NAMES = '" + gcAlias.join(' ') + "'");

  // Script and Script_Extensions
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const a = A.toLowerCase();
  const codes = [];
  for (const c1 of A) for (const c2 of a) for (const c3 of a) for (const c4 of a) {
    const n = c1 + c2 + c3 + c4;
    if (validProperty('\\p{sc=' + n + '}')) codes.push(n);
  }
  const byKey = new Map();
  const scripts = [];
  for (const name of SCRIPT_NAMES) {
    if (!validProperty('\\p{Script=' + name + '}')) continue;
    const r = classRanges('\\p{sc=' + name + '}');
    byKey.set(encRanges(r), scripts.length);
    scripts.push({ names: [name], r, scx: classRanges('\\p{scx=' + name + '}') });
  }
  for (const code of codes) {
    const k = byKey.get(encRanges(classRanges('\\p{sc=' + code + '}')));
    if (k === undefined) throw new Error('no long name known for script ' + code);
    if (!scripts[k].names.includes(code)) scripts[k].names.push(code);
  }
  out.push('local UNI_SC = ' + luaStr(encPartition(scripts.map((s) => s.r))));
  out.push("local UNI_SC_NAMES = '" + scripts.map((s, i) => s.names.map((n) => n + '=' + i).join(' ')).join(' ') + "'");
  // scx = sc xor diff
  const diffs = scripts.map((s) => {
    const xor = [];
    const pts = new Map();
    for (const r of [s.r, s.scx]) for (let k = 0; k < r.length; k += 2) {
      pts.set(r[k], (pts.get(r[k]) || 0) ^ 1);
      pts.set(r[k + 1] + 1, (pts.get(r[k + 1] + 1) || 0) ^ 1);
    }
    let inside = 0;
    let start = 0;
    for (const p of [...pts.keys()].sort((x, y) => x - y)) {
      const t = pts.get(p);
      if (!t) continue;
      if (!inside) start = p; else xor.push(start, p - 1);
      inside ^= 1;
    }
    return encRanges(xor);
  });
  out.push('local UNI_SCX = {\n' + diffs.map((d) => "  '" + d + "',").join('\n') + '\n}');

  // binary properties
  const bin = [];
  const binNames = [];
  for (const names of BINARY_PROPS) {
    if (!validProperty('\\p{' + names[0] + '}')) continue;
    for (const n of names) if (!validProperty('\\p{' + n + '}')) throw new Error('binary ' + n);
    binNames.push(names.map((n) => n + '=' + bin.length).join(' '));
    bin.push(encRanges(classRanges('\\p{' + names[0] + '}')));
  }
  out.push("local UNI_BIN_NAMES = '" + binNames.join(' ') + "'");
  out.push('local UNI_BIN = {\n' + bin.map((d) => '  ' + luaStr(d) + ',').join('\n') + '\n}');
  return out.join('\n') + '\n';
}

if (process.argv.includes('--unicode-table')) {
  process.stdout.write(unicodeTables());
} else if (process.argv.includes('--fold-table')) {
  const t = foldTables();
  process.stdout.write(luaTable('FOLD_NONU', t.nonu) + luaTable('FOLD_U', t.u));
} else {
  const results = CASES.map(run);
  const file = path.join(__dirname, 'regexp_cases.json');
  fs.writeFileSync(file, JSON.stringify({ generator: 'node ' + process.version, cases: results }, null, 1) + '\n');
  const errors = results.filter((r) => r.error).length;
  console.log(`wrote ${results.length} cases (${errors} errors) to ${file}`);
}
