"""Early errors: SyntaxErrors a JS parser raises before running anything (checked with node --check
when these cases were written). Each case: source, "line:col" of the diagnostic, message."""
import pytest

from luascript.compiler import compile_source
from luascript.errors import CompileError

CASES = [
    ("var x = ({ i\\u0066 }) => {};", "1:12", "Keyword must not contain escaped characters"),
    ('"use strict"; var yi\\u0065ld;', "1:19", "Keyword must not contain escaped characters"),
    ("for (let let of []) {}", "1:10", "let is disallowed as a lexically bound name"),
    ("let [let] = [];", "1:6", "let is disallowed as a lexically bound name"),
    ("for (let x; false; ) { var x; }", "1:28", "Identifier 'x' has already been declared"),
    ("for (const k in {}) { var k; }", "1:27", "Identifier 'k' has already been declared"),
    ('"use strict"; function f() { arguments = 7; }', "1:30", "Unexpected eval or arguments in strict mode"),
    ('"use strict"; eval++;', "1:15", "Unexpected eval or arguments in strict mode"),
    ('"use strict"; for ({ eval = 0 } in [{}]) ;', "1:22", "Unexpected eval or arguments in strict mode"),
    ("class C { m() { [arguments] = []; } }", "1:18", "Unexpected eval or arguments in strict mode"),
    ('(function() { "asterisk: \\052"; "use strict"; });', "1:26",
     "Octal escape sequences are not allowed in strict mode."),
    ("function f(a, ...b, c) {}", "1:15", "Rest parameter must be last formal parameter"),
    # escapes that are none: allowed only in tagged templates (their cooked string is undefined)
    ("var s = `C:\\users`;", "1:12", "Invalid Unicode escape sequence"),
    ("var s = `a${1}\\xZ`;", "1:15", "Invalid hexadecimal escape sequence"),
    ("var s = '\\xZ';", "1:10", "Invalid hexadecimal escape sequence"),
    ("var s = `\\01`;", "1:10", "Octal escape sequences are not allowed in template strings"),
    ("var s = `\\9`;", "1:10", "\\8 and \\9 are not allowed in template strings"),
    ("var s = '\\u{110000}';", "1:10", "Undefined Unicode code-point"),
    ("var s = tag`ok` + `\\u{110000}`;", "1:20", "Undefined Unicode code-point"),
    ("var r = /a\u2028/;", "1:9", "Invalid regular expression: missing /"),
    ("export const x = 1; <!-- a script's comment\n", "1:21", "HTML comments are not allowed in modules"),
    ("var x = 00_0;", "1:9", "Numeric separators are not allowed here"),
    ("var o = new a?.b();", "1:9", "Invalid optional chain from new expression"),
    ("var o = new X?.();", "1:9", "Invalid optional chain from new expression"),
    ("var y = -2 ** 2;", "1:9", "Unary operator used immediately before exponentiation expression. "
     "Parenthesis must be used to disambiguate operator precedence"),
    ("var y = 2 ** typeof 2 ** 2;", "1:14", "Unary operator used immediately before exponentiation expression. "
     "Parenthesis must be used to disambiguate operator precedence"),
    ("async function f() { return await 2 ** 2; }", "1:29", "Unary operator used immediately before "
     "exponentiation expression. Parenthesis must be used to disambiguate operator precedence"),
    ("class C { #m() {} f() { delete this.#m; } }", "1:25", "Private fields can not be deleted"),
    ("class C { #x; f() { delete (this.#x); } }", "1:21", "Private fields can not be deleted"),
    ("class C { x = () => arguments; }", "1:21",
     "'arguments' is not allowed in class field initializer or static initialization block"),
    ("class C { static { arguments; } }", "1:20",
     "'arguments' is not allowed in class field initializer or static initialization block"),
    # yield and await name nothing in generators, async functions and static blocks
    ("function* g() { var yield; }", "1:21", "Unexpected identifier 'yield'"),
    ("class C { *g() { var yield; } }", "1:22", "Unexpected strict mode reserved word"),
    ("async function f() { void await; }", "1:27", "Unexpected reserved word"),
    ("async function f(await) {}", "1:18", "Unexpected reserved word"),
    ("var C = class { async m() { \\u0061wait: ; } };", "1:29", "Keyword must not contain escaped characters"),
    ("class C { static { var await; } }", "1:24", "Unexpected reserved word"),
    ("function* g() { function yield() {} }", "1:26", "Unexpected identifier 'yield'"),
    ("function* g(a = yield) {}", "1:17", "Yield expression not allowed in formal parameter"),
    ("async function f(a = await 1) {}", "1:22", "Illegal await-expression in formal parameters of async function"),
    # class elements
    ("class A { constructor() {} constructor() {} }", "1:28", "A class may only have one constructor"),
    ("class A { static *prototype() {} }", "1:11", "Classes may not have a static property named 'prototype'"),
    ("class A { get constructor() {} }", "1:11", "Class constructor may not be an accessor"),
    ("class A { async *constructor() {} }", "1:11", "Class constructor may not be a generator"),
    ("class A { #constructor() {} }", "1:11", "Class constructor may not be a private method"),
    ("class A { #a; get #a() {} }", "1:15", "Identifier '#a' has already been declared"),
    ("class A { static get #a() {} set #a(v) {} }", "1:30", "Identifier '#a' has already been declared"),
    ("class A extends Object { get m() { super(); } }", "1:41", "'super' keyword unexpected here"),
    # a CommonJS module is a function body, an ES module is not
    ("import x from 'y';\nif (x) return;", "2:8", "Illegal return statement"),
    # a labelled function declaration: sloppy code only, in a statement list only
    ('"use strict"; l: function f() {}', "1:18", "In strict mode code, functions can only be declared at top level"),
    ("if (1) l: function f() {}", "1:11", "In non-strict mode code, functions can only be declared at top level"),
    ("l: function* g() {}", "1:4", "Generators can only be declared at the top level or inside a block."),
    ("let f; l: function f() {}", "1:20", "Identifier 'f' has already been declared"),
]

VALID = [
    "var o = { i\\u0066: 1 }; o.i\\u0066;",             # escaped keywords as property names
    "function f() { var let = 1; return let; }",        # let is an identifier in sloppy var
    "for (let x of []) { let y; } var x;",              # the loop's x is not the outer var
    "class C { x = function () { return arguments; }; }",  # a function has its own arguments
    "function g(eval) { return eval; }",                 # sloppy parameter named eval
    '"\\0"; "use strict"; var s = "\\0";',              # \\0 is no octal escape
    "var n = 0.0_1 + 1_000;",
    "var h = 0xe_3d + 0x1_E;",                          # e and E are hex digits, not exponents
    "function* yield() {} async function await() {} var g = function () { var yield, await; };",
    "async function f() { return () => { var await; }; }",   # an arrow's body is no async code
    "async function f(p) { await [p][0]; await (p); await(p)(1); }",  # await read as a call or index
    "class A { get #a() {} set #a(v) {} static x = 1; static constructor() {} }",
    "class B extends Object { constructor() { (() => super())(); } }",
    "if (module) return; try { return 1; } finally {}",  # CommonJS: the module's function returns
    "a: b: function f() {} { l: function g() {} } function h() { x: function k() {} }",
]


@pytest.mark.parametrize("src,pos,message", CASES, ids=[c[0][:40] for c in CASES])
def test_early_error(src, pos, message):
    with pytest.raises(CompileError) as e:
        compile_source(src, "t.js")
    text = e.value.format()
    assert text.startswith("t.js:%s: error: SyntaxError: %s" % (pos, message)), text


@pytest.mark.parametrize("src", VALID)
def test_valid_program_compiles(src):
    compile_source(src, "t.js")
