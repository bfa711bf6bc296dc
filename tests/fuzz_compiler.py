"""Fuzzing harness for the compiler (issue 10).

Feeds `luascript.compiler.compile_source` (and, on a sample, `luascript check` / `luascript build` in a
subprocess) with mutated copies of tests/programs/*.ljs, random token streams, programs from a small
expression/statement grammar and deeply nested inputs. For every input it checks that:

- compiling finishes within a per-case time limit;
- the only exception is CompileError, and its text has the `file:line:col: error:` form with the
  source line and a caret under a column that exists (never a Python traceback);
- every program the compiler accepts produces Lua that LuaJIT loads (`load(text)`, not run);
- the CLI exits 0 or 1, prints no traceback, and its diagnostics have the same form.

Every case is a pure function of (seed, index), so `--seed S --case I` replays one case exactly.
Failures are shrunk (token by token) and written to the output directory with the seed, the case
index and what went wrong.

    python3 tests/fuzz_compiler.py --seed 1 --seconds 600          # a long run
    python3 tests/fuzz_compiler.py --seed 1 --cases 2000 --cli-every 50
    python3 tests/fuzz_compiler.py --seed 1 --case 1234 --show     # replay one case
"""
import argparse
import glob
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from random import Random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from luascript.compiler import compile_source  # noqa: E402
from luascript.errors import WINDOW, CompileError, shown_line  # noqa: E402

PROGRAMS = os.path.join(ROOT, "tests", "programs")
CASE_SECONDS = 10.0          # per-case limit for compile_source (the deepest inputs take well under 1 s)
CLI_SECONDS = 60.0           # per-case limit for a CLI subprocess (includes interpreter start-up)

# ---- tokens ------------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    \s+ | //[^\n]* | /\*.*?\*/
  | "(?:\\.|[^"\\\n])*" | '(?:\\.|[^'\\\n])*' | `(?:\\.|[^`\\])*`
  | \d[\w.]* | [A-Za-z_$\#][\w$]*
  | >>>= | \.\.\. | === | !== | \*\*= | <<= | >>= | >>> | &&= | \|\|= | \?\?=
  | => | == | != | <= | >= | && | \|\| | \?\? | \?\. | \+\+ | -- | \+= | -= | \*= | /= | %= | &= | \|= | \^=
  | \*\* | << | >>
  | .""", re.S | re.X)


def tokenize(text):
    """JS-ish tokens, whitespace and comments kept as tokens so that joining gives the text back."""
    return _TOKEN.findall(text)


def significant(tokens):
    return [i for i, t in enumerate(tokens) if not t.isspace()]


KEYWORDS = ("break case catch class const continue debugger default delete do else export extends "
            "finally for function if import in instanceof new return super switch this throw try typeof "
            "var void while with yield let static async await of get set null true false undefined "
            "arguments eval constructor prototype __proto__ target meta from as").split()
PUNCT = ("{ } ( ) [ ] ; , . ... < > <= >= == != === !== + - * / % ** ++ -- << >> >>> & | ^ ! ~ && || ?? "
         "? ?. : = += -= *= /= %= **= <<= >>= >>>= &= |= ^= &&= ||= ??= => @ #").split()
IDENTS = ("a b c x y i n f g o s obj arr fn cb self_ Object Array Math JSON Symbol Promise Map Set "
          "String Number Error console log length push end local nil then elseif repeat until not and or "
          "goto J0 J0_t1 J0_add _ $ $x \\u0061 \\u{62} é Ünïcödé #x #m").split()
LITERALS = ['0', '1', '-1', '1.5', '.5', '5.', '1e400', '1e-7', '0x1F', '0b101', '0o17', '017', '08', '1_000',
            '10n', '0xFFn', '9007199254740993', 'NaN', 'Infinity', '-0',
            '""', "''", '"a"', "'\\n'", '"\\u{1F600}"', '"\\x41"', '"\\0"', '"\\\\"', '"\\uD800"',
            '"\\u2028"', '"a\\\nb"', '"]]"', '"]=]"', '"--[["', "'\\''",
            '`t`', '`${a}`', '`a${', '}b`', '`${a}${b}c`', '``', '`\\u{41}`', '`\\unicode`',
            '/a+/g', '/[/]/', '/(?<n>x)\\k<n>/u', '/\\d{2,}/y', '/[a-z]/i', '/$^/m', '/(/', '/a/gg',
            '// comment\n', '/* c */', '\n']
TOKEN_POOL = KEYWORDS + PUNCT + IDENTS + LITERALS


_corpus_cache = None


def corpus():
    """(name, text, tokens) of every tests/programs/*.ljs, sorted by name so seeds stay stable."""
    global _corpus_cache
    if _corpus_cache is None:
        out = []
        for p in sorted(glob.glob(os.path.join(PROGRAMS, "*.ljs"))):
            with open(p, encoding="utf-8") as f:
                text = f.read()
            out.append((os.path.basename(p), text, tokenize(text)))
        _corpus_cache = out
    return _corpus_cache


def _corpus_token(rng):
    _name, _text, toks = rng.choice(corpus())
    t = rng.choice(toks)
    return t if not t.isspace() else rng.choice(TOKEN_POOL)


def random_token(rng):
    return _corpus_token(rng) if rng.random() < 0.4 else rng.choice(TOKEN_POOL)


# ---- generators ----------------------------------------------------------------------------------

def _window(rng, tokens, max_len=400):
    """A slice of a program (whole programs are a few hundred lines: a window keeps cases fast)."""
    if len(tokens) <= max_len or rng.random() < 0.15:
        return list(tokens)
    start = rng.randrange(len(tokens) - max_len)
    # start at a line boundary so the window begins with a statement more often than not
    while start > 0 and "\n" not in tokens[start - 1]:
        start -= 1
    return tokens[start:start + max_len]


def _mutate_once(rng, toks):
    sig = significant(toks)
    if not sig:
        toks.append(random_token(rng))
        return "insert"
    op = rng.choice(("delete", "delete", "duplicate", "swap", "insert", "insert", "replace", "truncate",
                     "delete_span", "duplicate_span"))
    i = rng.choice(sig)
    if op == "delete":
        del toks[i]
    elif op == "duplicate":
        toks.insert(i, toks[i])
    elif op == "swap":
        j = rng.choice(sig)
        toks[i], toks[j] = toks[j], toks[i]
    elif op == "insert":
        toks[i:i] = [random_token(rng), " "]
    elif op == "replace":
        toks[i] = random_token(rng)
    elif op == "truncate":
        del toks[i:]
    elif op == "delete_span":
        del toks[i:i + rng.randint(2, 30)]
    elif op == "duplicate_span":
        n = rng.randint(2, 30)
        toks[i:i] = toks[i:i + n]
    return op


def gen_mutation(rng):
    name, _text, tokens = rng.choice(corpus())
    toks = _window(rng, tokens)
    ops = [_mutate_once(rng, toks) for _ in range(rng.choice((1, 1, 1, 2, 3, 5)))]
    return "mutate %s %s" % (name, ",".join(ops)), "".join(toks)


def gen_lines(rng):
    name, text, _tokens = rng.choice(corpus())
    lines = text.split("\n")
    if len(lines) > 60:
        start = rng.randrange(len(lines) - 60)
        lines = lines[start:start + 60]
    how = rng.choice(("shuffle_some", "drop", "truncate_char"))
    if how == "shuffle_some":
        for _ in range(rng.randint(1, 4)):
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        out = "\n".join(lines)
    elif how == "drop":
        for _ in range(rng.randint(1, 5)):
            if lines:
                del lines[rng.randrange(len(lines))]
        out = "\n".join(lines)
    else:
        out = "\n".join(lines)
        out = out[:rng.randrange(len(out) + 1)]
    return "lines %s %s" % (name, how), out


def gen_splice(rng):
    (n1, t1, _), (n2, t2, _) = rng.choice(corpus()), rng.choice(corpus())
    a, b = t1.split("\n"), t2.split("\n")
    i, j = rng.randrange(len(a) + 1), rng.randrange(len(b) + 1)
    k = min(len(b), j + rng.randint(1, 40))
    return "splice %s %s" % (n1, n2), "\n".join(a[max(0, i - 40):i] + b[j:k] + a[i:i + 40])


def gen_tokens(rng):
    n = rng.choice((3, 8, 20, 60, 200))
    seps = (" ", " ", " ", "", "\n")
    return "tokens", "".join(random_token(rng) + rng.choice(seps) for _ in range(n))


# A small grammar of (mostly) valid programs: it reaches the transform far more often than
# mutations do, with combinations the test programs do not have.

def _g_ident(rng):
    return rng.choice(("a", "b", "c", "x", "o", "arr", "f", "g", "i", "end", "local", "nil", "J0_t",
                       "$", "_a", "\u00e9t\u00e9", "then", "not"))


def _g_expr(rng, d):
    if d <= 0 or rng.random() < 0.25:
        return rng.choice((_g_ident(rng), _g_ident(rng), rng.choice(LITERALS[:20]), rng.choice(LITERALS[20:34]),
                           "this", "null", "undefined", "true", "`x${%s}y`" % _g_ident(rng), "/a|b/g",
                           "[]", "{}", "arguments", "new.target" if rng.random() < 0.1 else "0"))
    e = lambda: _g_expr(rng, d - 1)  # noqa: E731
    k = rng.randrange(30)
    if k == 0:
        return "(%s %s %s)" % (e(), rng.choice(("+", "-", "*", "/", "%", "**", "<<", ">>", ">>>", "&", "|",
                                                "^", "==", "!=", "===", "!==", "<", ">", "<=", ">=",
                                                "in", "instanceof")), e())
    if k == 1:
        return "(%s %s %s)" % (e(), rng.choice(("&&", "||", "??")), e())
    if k == 2:
        return "(%s ? %s : %s)" % (e(), e(), e())
    if k == 3:
        return "%s(%s)" % (rng.choice(("!", "-", "+", "~", "typeof ", "void ", "delete ")), e())
    if k == 4:
        return "(%s %s %s)" % (_g_target(rng, d), rng.choice(("=", "+=", "-=", "*=", "**=", "&&=", "||=",
                                                              "??=", ">>>=", "|=")), e())
    if k == 5:
        return rng.choice(("%s++", "++%s", "%s--", "--%s")) % _g_target(rng, d)
    if k == 6:
        return "%s(%s)" % (e(), ", ".join(_g_arg(rng, d) for _ in range(rng.randint(0, 3))))
    if k == 7:
        return "%s%s%s(%s)" % (e(), rng.choice((".", "?.")), _g_ident(rng), e())
    if k == 8:
        return "%s?.[%s]" % (e(), e())
    if k == 9:
        return "%s.%s" % (e(), _g_ident(rng))
    if k == 10:
        return "[%s]" % ", ".join(_g_arg(rng, d) if rng.random() < 0.9 else "" for _ in range(rng.randint(0, 4)))
    if k == 11:
        parts = []
        for _ in range(rng.randint(0, 4)):
            c = rng.randrange(8)
            name = _g_ident(rng)
            parts.append(("%s: %s" % (name, e()), name, "...%s" % e(), "[%s]: %s" % (e(), e()),
                          "get %s() { return %s; }" % (name, e()), "set %s(v) { %s = v; }" % (name, _g_ident(rng)),
                          "%s(%s) { %s }" % (name, _g_params(rng, d), _g_stmts(rng, d - 1)),
                          "async *%s() { yield %s; await %s; }" % (name, e(), e()))[c])
        return "({%s})" % ", ".join(parts)
    if k == 12:
        return "((%s) => %s)" % (_g_params(rng, d), e() if rng.random() < 0.5 else "{ %s }" % _g_stmts(rng, d - 1))
    if k == 13:
        return "(%sfunction%s %s(%s) { %s })" % (rng.choice(("", "async ")), rng.choice(("", "*")),
                                                 rng.choice(("", _g_ident(rng))), _g_params(rng, d),
                                                 _g_stmts(rng, d - 1))
    if k == 14:
        return "new %s(%s)" % (rng.choice(("Map", "Set", "Array", "Error", "Object", _g_ident(rng), "(%s)" % e())),
                               e())
    if k == 15:
        return "`%s${%s}%s`" % (rng.choice(("", "a", "\\n", "${", "\\`")), e(), rng.choice(("", "$", "}")))
    if k == 16:
        return "%s`a${%s}b`" % (_g_ident(rng), e())
    if k == 17:
        return "(%s, %s)" % (e(), e())
    if k == 18:
        return "(class %s { %s })" % (rng.choice(("", "extends " + _g_ident(rng))), _g_class_body(rng, d))
    if k == 19:
        return "[...%s]" % e()
    if k == 20:
        return "(async () => await %s)" % e()
    if k == 21:
        return "(function* () { yield* %s; })" % e()
    if k == 22:
        return "%s[%s]" % (e(), e())
    if k == 23:
        return "(%s = %s)" % (_g_pattern(rng, d), e())
    if k == 24:
        return "import(%s)" % rng.choice(('"./nope.ljs"', "x"))
    return e()


def _g_arg(rng, d):
    return ("..." if rng.random() < 0.15 else "") + _g_expr(rng, d - 1)


def _g_target(rng, d):
    k = rng.randrange(4)
    if k == 0:
        return "%s.%s" % (_g_expr(rng, d - 1), _g_ident(rng))
    if k == 1:
        return "%s[%s]" % (_g_expr(rng, d - 1), _g_expr(rng, d - 1))
    return _g_ident(rng)


def _g_pattern(rng, d):
    k = rng.randrange(5)
    rest = ["...%s" % _g_ident(rng)] if rng.random() < 0.2 else []    # a rest element comes last
    if k == 0:
        return "[%s]" % ", ".join([rng.choice(("", _g_ident(rng), "%s = %s" % (_g_ident(rng), _g_expr(rng, d - 1)),
                                               _g_pattern(rng, d - 1)))
                                   for _ in range(rng.randint(0, 3))] + rest)
    if k == 1:
        return "{%s}" % ", ".join([rng.choice((_g_ident(rng), "%s: %s" % (_g_ident(rng), _g_ident(rng)),
                                               "%s = %s" % (_g_ident(rng), _g_expr(rng, d - 1)),
                                               "[%s]: %s" % (_g_expr(rng, d - 1), _g_ident(rng))))
                                   for _ in range(rng.randint(0, 3))] + rest)
    return _g_ident(rng)


def _g_params(rng, d):
    ps = []
    names = rng.sample(("p", "q", "r", "s", "t"), 4)    # distinct: duplicate parameters are often early errors
    for name in names[:rng.randint(0, 3)]:
        ps.append(rng.choice((name, "%s = %s" % (name, _g_expr(rng, d - 1)), "{%s}" % name, "[%s = 1]" % name)))
    if rng.random() < 0.2:
        ps.append("..." + names[3])
    return ", ".join(ps)


def _g_class_body(rng, d):
    out = []
    for _ in range(rng.randint(0, 4)):
        name = rng.choice((_g_ident(rng), "#p", "#q", "[%s]" % _g_expr(rng, d - 1), "constructor"))
        k = rng.randrange(7)
        out.append(("%s(%s) { %s }" % (name, _g_params(rng, d), _g_stmts(rng, d - 1)),
                    "static %s = %s;" % (name.replace("constructor", "k"), _g_expr(rng, d - 1)),
                    "%s = %s;" % (name.replace("constructor", "k"), _g_expr(rng, d - 1)),
                    "get %s() { return %s; }" % (name, _g_expr(rng, d - 1)),
                    "static { %s }" % _g_stmts(rng, d - 1),
                    "constructor() { %s }" % rng.choice(("super();", "this.v = 1;", _g_stmts(rng, d - 1))),
                    "*%s() { yield %s; }" % (name, _g_expr(rng, d - 1)))[k])
    return " ".join(out)


def _g_stmt(rng, d):
    e = lambda: _g_expr(rng, d - 1)  # noqa: E731
    s = lambda: _g_stmts(rng, d - 1)  # noqa: E731
    k = rng.randrange(24) if d > 0 else rng.randrange(4)
    return (lambda: "%s;" % e(),
            lambda: "%s %s = %s;" % (rng.choice(("let", "const", "var")), _g_pattern(rng, d), e()),
            lambda: "%s %s;" % (rng.choice(("let", "var")), _g_ident(rng)),
            lambda: rng.choice(("break;", "continue;", "return;", "return %s;" % e(), ";", "debugger;")),
            lambda: "if (%s) { %s } else { %s }" % (e(), s(), s()),
            lambda: "for (let i = 0; i < %s; i++) { %s }" % (e(), s()),
            lambda: "for (%s %s of %s) { %s }" % (rng.choice(("let", "const", "var")), _g_pattern(rng, d), e(), s()),
            lambda: "for (%s in %s) { %s }" % (rng.choice(("let k", "var k", "k", "o.p")), e(), s()),
            lambda: "while (%s) { %s }" % (e(), s()),
            lambda: "do { %s } while (%s);" % (s(), e()),
            lambda: "lbl: for (;;) { %s break lbl; }" % s(),
            lambda: "switch (%s) { case %s: %s case %s: { %s } default: %s }" % (e(), e(), s(), e(), s(), s()),
            lambda: "try { %s } catch (%s) { %s } finally { %s }" % (s(), rng.choice(("e", "{message}", "[e]")),
                                                                      s(), s()),
            lambda: "try { %s } catch { %s }" % (s(), s()),
            lambda: "throw %s;" % e(),
            lambda: "function %s(%s) { %s }" % (_g_ident(rng), _g_params(rng, d), s()),
            lambda: "async function %s() { await %s; %s }" % (_g_ident(rng), e(), s()),
            lambda: "function* %s() { yield %s; %s }" % (_g_ident(rng), e(), s()),
            lambda: "class %s %s { %s }" % (_g_ident(rng), rng.choice(("", "extends " + _g_ident(rng))),
                                            _g_class_body(rng, d)),
            lambda: "{ %s }" % s(),
            lambda: "%s = %s;" % (_g_target(rng, d), e()),
            lambda: "(%s) = %s;" % (_g_pattern(rng, d), e()),
            lambda: "for (const x of [%s]) %s" % (e(), rng.choice(("continue;", "break;", "%s;" % e()))),
            lambda: "{ const arr = new Float64Array(8), n = 8, k = %s;\n// @gpu\nfor (let i = 0; i < n; i++) { %s }\n}" % (
                rng.choice(("2", "1.5", "-1")), rng.choice(("arr[i] = i * k;", "arr[i] = arr[i] + Math.sqrt(i);",
                                                           "if (i % 2) { arr[i] = k; } else { arr[i] = -k; }",
                                                           "arr[i] = i > 3 ? k : i;", "arr[i] = %s;" % e()))),
            )[k]()


def _g_stmts(rng, d):
    return " ".join(_g_stmt(rng, d) for _ in range(rng.randint(0, 3)))


def gen_grammar(rng):
    head = rng.choice(("", "", '"use strict";\n', "import x from './m.ljs';\n", "export const q = 1;\n"))
    body = "\n".join(_g_stmt(rng, rng.randint(1, 4)) for _ in range(rng.randint(1, 6)))
    if rng.random() < 0.6:
        # inside a function and a loop, return/break/continue are not early errors
        body = "function main(a, b) {\nouter: for (const it of [1, 2]) {\n%s\n}\n}\nmain(1, 2);" % body
    return "grammar", head + body


# Deep nesting: each shape at a random depth, up to 10,000 levels.
DEEP_SHAPES = {
    "parens": lambda n: "x = " + "(" * n + "1" + ")" * n + ";",
    "arrays": lambda n: "x = " + "[" * n + "]" * n + ";",
    "objects": lambda n: "x = " + "{a: " * n + "1" + "}" * n + ";",
    "blocks": lambda n: "{" * n + "}" * n,
    "ifs": lambda n: "if (a) " * n + "b();",
    "loops": lambda n: "while (a) {" * n + "}" * n,
    "fors": lambda n: "for (let i = 0; i < 3; i++) {" * n + "}" * n,
    "functions": lambda n: "function f() {" * n + "}" * n,
    "arrows": lambda n: "f = " + "() => " * n + "1;",
    "calls": lambda n: "x = " + "f(" * n + "1" + ")" * n + ";",
    "add_chain": lambda n: "x = " + " + ".join(["a"] * n) + ";",
    "string_chain": lambda n: "x = " + " + ".join(['"s"', "a"] * (n // 2 + 1)) + ";",
    "and_chain": lambda n: "x = " + " && ".join(["a"] * n) + ";",
    "right_assign": lambda n: "a" + " = a" * n + ";",
    "ternaries": lambda n: "x = " + "a ? b : " * n + "c;",
    "not": lambda n: "x = " + "!" * n + "a;",
    "members": lambda n: "x = a" + ".b" * n + ";",
    "method_chain": lambda n: "p" + ".then(f)" * n + ";",
    "tries": lambda n: "try {" * n + "} finally {}" * n,
    "templates": lambda n: "x = " + "`${" * n + "1" + "}`" * n + ";",
    "unclosed": lambda n: "x = " + "(" * n,
    "exponent": lambda n: "x = " + " ** ".join(["a"] * n) + ";",
}


def gen_bytes(rng):
    """Byte-level damage: invalid UTF-8, NUL, CR, BOM, lone surrogates, tabs. The text is what the CLI
    reads from such a file (UTF-8 with surrogateescape)."""
    name, text, tokens = rng.choice(corpus())
    data = bytearray("".join(_window(rng, tokens, 150)).encode("utf-8"))
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(data) + 1)
        piece = rng.choice((b"\xff", b"\xc3", b"\xe2\x80", b"\x00", b"\r", b"\r\n", b"\t", b"\xef\xbb\xbf",
                            b"\xed\xa0\x80", "\u2028".encode(), "\u00a0".encode(), "\U0001F600".encode(),
                            b"\x1b[31m", b"\\"))
        if rng.random() < 0.5 and data:
            data[i:i + 1] = piece
        else:
            data[i:i] = piece
    if rng.random() < 0.2:
        data[0:0] = b"\xef\xbb\xbf"
    return "bytes %s" % name, bytes(data).decode("utf-8", "surrogateescape")


def gen_deep(rng):
    shape = rng.choice(sorted(DEEP_SHAPES))
    n = rng.choice((50, 100, 150, 200, 250, 500, 1000, 3000, 10000))
    return "deep %s %d" % (shape, n), DEEP_SHAPES[shape](n)


GENERATORS = ((gen_mutation, 36), (gen_lines, 10), (gen_splice, 8), (gen_tokens, 10), (gen_grammar, 25),
              (gen_bytes, 6), (gen_deep, 5))


def case_options(seed, index):
    """Compile options of a case: one in eight compiles as a classic script (luascript --script)."""
    return {"script": True} if Random("%s:%d:options" % (seed, index)).random() < 0.125 else None


def make_case(seed, index, kinds=None):
    """The input of case `index` of a run with `seed`: (description, source text). `kinds` limits
    the generators (names without the gen_ prefix)."""
    rng = Random("%s:%d" % (seed, index))
    gens = [(g, w) for g, w in GENERATORS if not kinds or g.__name__[4:] in kinds]
    total = sum(w for _g, w in gens)
    pick = rng.randrange(total)
    for gen, w in gens:
        if pick < w:
            return gen(rng)
        pick -= w
    raise AssertionError("unreachable")


# ---- checks --------------------------------------------------------------------------------------

class CaseTimeout(BaseException):
    pass


def _alarm(_signum, _frame):
    raise CaseTimeout()


_lua = None


def lua_load_error(lua_text):
    """None when LuaJIT loads the chunk (without running it), else its message."""
    global _lua
    if _lua is None:
        from lupa import luajit21
        _lua = luajit21.LuaRuntime(register_eval=False)
        _lua.execute("LOAD = function(s) local f, e = load(s, '=generated') if f then return nil end "
                     "return e end")
        _lua = (_lua, _lua.globals().LOAD)
    return _lua[1](lua_text)


DIAG = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.+)$")


def diagnostic_problem(text, source, filename):
    """Why a diagnostic does not have the promised form, or None when it does."""
    if "Traceback" in text:
        return "traceback in diagnostic"
    lines = text.split("\n")
    m = DIAG.match(lines[0])
    if not m or m.group("file") != filename:
        return "first line is not file:line:col: error: ..."
    line, col = int(m.group("line")), int(m.group("col"))
    src_lines = source.split("\n")
    if not 1 <= line <= len(src_lines):
        return "line %d outside the source (1..%d)" % (line, len(src_lines))
    src_line = shown_line(src_lines[line - 1].rstrip("\r"))
    # the end of a CRLF line is a column past the CR, which the diagnostic does not show
    if not 1 <= col <= len(src_lines[line - 1]) + 1:
        return "column %d outside line %d (length %d)" % (col, line, len(src_lines[line - 1]))
    if len(lines) < 3 or not lines[1].startswith("  ") or not lines[2].startswith("  "):
        return "source line and caret missing"
    shown, caret = lines[1][2:], lines[2][2:]
    if shown != src_line:   # a window of a long line, "..." where it is cut
        head = 3 if shown.startswith("...") else 0
        tail = 3 if shown.endswith("...") and len(shown) > head + 3 else 0
        body = shown[head:len(shown) - tail]
        start = col - 1 - (len(caret) - 1 - head)
        if (len(body) > WINDOW or start < 0 or src_line[start:start + len(body)] != body
                or bool(head) != (start > 0) or bool(tail) != (start + len(body) < len(src_line))):
            return "source line window misplaced"
        src_line, col = shown, col - start + head
    lead = "".join(c if c == "\t" else " " for c in src_line[:col - 1]).ljust(col - 1)
    if shown != src_line or caret != lead + "^":
        return "source line and caret missing or misplaced"
    return None


LIMIT_MESSAGES = ("nesting too deep", "too deeply nested or too large for LuaJIT")


def check_source(text, filename="fuzz.ljs", timeout=CASE_SECONDS, options=None):
    """Compile text in this process. Returns (outcome, detail): outcome is "ok", "error" (a proper
    diagnostic), "limit" (a proper diagnostic for input past the nesting limit or LuaJIT's limits)
    or "bug:<kind>" with detail saying what went wrong."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        res = compile_source(text, filename, options)
    except CompileError as e:
        signal.setitimer(signal.ITIMER_REAL, 0)
        problem = diagnostic_problem(e.format(), text, filename)
        if problem:
            return "bug:diagnostic", problem + "\n" + e.format()
        if e.message.startswith("internal compiler error"):
            return "bug:internal", e.format()
        return ("limit" if e.message.startswith(LIMIT_MESSAGES) else "error"), e.format()
    except CaseTimeout:
        return "bug:timeout", "compile_source ran past %.0f s" % timeout
    except RecursionError as e:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return "bug:RecursionError", str(e)
    except Exception as e:  # noqa: BLE001 — every other exception is what the fuzzer looks for
        signal.setitimer(signal.ITIMER_REAL, 0)
        import traceback
        return "bug:" + type(e).__name__, "".join(traceback.format_exception(e))[-3000:]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    err = lua_load_error(res.lua)
    if err is not None:
        return "bug:lua-load", err
    return "ok", None


def check_cli(text, timeout=CLI_SECONDS, options=None):
    """Run `luascript check` and `luascript build` on text in a subprocess. Returns (outcome, detail)
    like check_source."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory(prefix="ljs-fuzz-") as d:
        path = os.path.join(d, "case.ljs")
        with open(path, "wb") as f:
            f.write(text.encode("utf-8", "surrogateescape"))
        results = []
        for cmd in ("check", "build"):
            try:
                extra = ["--script"] if options and options.get("script") else []
                r = subprocess.run([sys.executable, "-m", "luascript", cmd, *extra, path], capture_output=True,
                                   timeout=timeout, env=env, cwd=d)
                # not text=True: its universal newlines would turn a CR in a diagnostic into a line break
                r.stdout, r.stderr = r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
            except subprocess.TimeoutExpired:
                return "bug:cli-timeout", "luascript %s ran past %.0f s" % (cmd, timeout)
            if r.returncode not in (0, 1):
                return "bug:cli-exit", "luascript %s exited %d\n%s" % (cmd, r.returncode, r.stderr[-3000:])
            if "Traceback" in r.stderr or "Traceback" in r.stdout:
                return "bug:cli-traceback", "luascript %s:\n%s" % (cmd, r.stderr[-3000:])
            if r.returncode == 1:
                # the CLI reads the file without a leading byte order mark
                shown = text[1:] if text.startswith("\ufeff") else text
                problem = diagnostic_problem(r.stderr.rstrip("\n"), shown, path)
                if problem:
                    return "bug:cli-diagnostic", "luascript %s: %s\n%s" % (cmd, problem, r.stderr[-3000:])
                if "internal compiler error" in r.stderr:
                    return "bug:cli-internal", "luascript %s:\n%s" % (cmd, r.stderr[-3000:])
            elif cmd == "build":
                with open(os.path.join(d, "case.lua"), encoding="utf-8", errors="surrogateescape") as f:
                    err = lua_load_error(f.read().encode("utf-8", "surrogateescape"))
                if err is not None:
                    return "bug:cli-lua-load", err
            results.append(r.returncode)
        if results[0] != results[1]:
            return "bug:cli-disagree", "check exited %d, build exited %d" % tuple(results)
    return ("ok" if results[0] == 0 else "error"), None


# ---- shrinking and reporting ---------------------------------------------------------------------

def _signature(outcome, detail):
    """What must stay the same while shrinking: the kind of bug and the first words of its message."""
    if outcome == "bug:lua-load" and detail:
        return outcome, re.sub(r"^generated:\d+: ", "", detail).split(" near ")[0][:60]
    if outcome.startswith("bug:") and detail and outcome not in ("bug:timeout", "bug:RecursionError"):
        return outcome, detail.strip().split("\n")[-1][:60]
    return outcome, None


def shrink(text, outcome, detail, check=check_source, budget_s=30.0):
    """Delete tokens (in halving chunks) while the same bug remains; returns the smaller text."""
    want = _signature(outcome, detail)
    toks = tokenize(text)
    deadline = time.time() + budget_s
    chunk = max(1, len(toks) // 2)
    while chunk >= 1 and time.time() < deadline:
        i, changed = 0, False
        while i < len(toks) and time.time() < deadline:
            trial = toks[:i] + toks[i + chunk:]
            if trial:
                o, d = check("".join(trial))
                if _signature(o, d) == want:
                    toks, changed = trial, True
                    continue
            i += chunk
        if not changed:
            chunk //= 2
    return "".join(toks)


def save_failure(out_dir, seed, index, desc, text, small, outcome, detail):
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.join(out_dir, "seed%s-case%d-%s" % (seed, index, outcome.split(":", 1)[1]))
    with open(stem + ".ljs", "wb") as f:
        f.write(small.encode("utf-8", "surrogateescape"))
    with open(stem + ".orig.ljs", "wb") as f:
        f.write(text.encode("utf-8", "surrogateescape"))
    with open(stem + ".txt", "w", encoding="utf-8", errors="replace") as f:
        f.write("seed %s case %d (%s)\n%s\n%s\n" % (seed, index, desc, outcome, detail or ""))
    return stem + ".ljs"


class Stats:
    def __init__(self):
        self.cases = 0
        self.outcomes = {}
        self.kinds = {}
        self.cli_cases = 0
        self.failures = []       # (index, desc, outcome, detail, small text, saved path)
        self.seconds = 0.0

    def count(self, desc, outcome):
        self.cases += 1
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        key = (desc.split(" ")[0], outcome if not outcome.startswith("bug") else "bug")
        self.kinds[key] = self.kinds.get(key, 0) + 1

    def summary(self):
        rate = self.cases / self.seconds if self.seconds else 0.0
        lines = ["%d cases in %.1f s (%.1f cases/s), %d through the CLI; outcomes: %s" % (
            self.cases, self.seconds, rate, self.cli_cases,
            ", ".join("%s %d" % kv for kv in sorted(self.outcomes.items())))]
        gens = sorted({k for k, _o in self.kinds})
        for g in gens:
            lines.append("  %-9s %s" % (g, ", ".join("%s %d" % (o, n) for (k, o), n in sorted(self.kinds.items())
                                                     if k == g)))
        return "\n".join(lines)


def run(seed=0, cases=None, seconds=None, cli_every=0, out_dir=None, shrink_s=30.0, log=None, stop_after=None,
        start=0, kinds=None):
    """Run cases start, start+1, ... until `cases` have run or `seconds` have passed. Returns Stats."""
    stats = Stats()
    t0 = time.time()
    index = start
    while True:
        if cases is not None and stats.cases >= cases:
            break
        if seconds is not None and time.time() - t0 >= seconds:
            break
        desc, text = make_case(seed, index, kinds)
        options = case_options(seed, index)
        outcome, detail = check_source(text, options=options)
        if cli_every and index % cli_every == 0 and not outcome.startswith("bug"):
            stats.cli_cases += 1
            cli_outcome, cli_detail = check_cli(text, options=options)
            # the CLI drops a leading byte order mark, as node does; compile_source keeps it
            if cli_outcome.startswith("bug") or (cli_outcome == "ok") != (outcome == "ok") \
                    and not text.startswith("\ufeff"):
                outcome, detail = (cli_outcome, cli_detail) if cli_outcome.startswith("bug") else \
                    ("bug:cli-disagree", "compile_source: %s, CLI: %s" % (outcome, cli_outcome))
        if options:
            desc += " --script"
        stats.count(desc, outcome)
        if outcome.startswith("bug"):
            small = text
            if shrink_s and not outcome.startswith("bug:cli"):
                small = shrink(text, outcome, detail, budget_s=shrink_s,
                               check=lambda t: check_source(t, options=options))
            path = save_failure(out_dir, seed, index, desc, text, small, outcome, detail) if out_dir else None
            stats.failures.append((index, desc, outcome, detail, small, path))
            if log:
                log("FAIL seed=%s case=%d (%s): %s\n  %s\n  input (%d chars, shrunk): %r%s" % (
                    seed, index, desc, outcome, (detail or "").strip().split("\n")[-1][:300], len(small),
                    small[:400], "\n  saved: " + path if path else ""))
            if stop_after and len(stats.failures) >= stop_after:
                index += 1
                break
        index += 1
    stats.seconds = time.time() - t0
    return stats


def main(argv=None):
    p = argparse.ArgumentParser(description="Fuzz the LuaScript compiler (see docs/fuzzing.md).")
    p.add_argument("--seed", default="0", help="run seed (any string; default 0)")
    p.add_argument("--cases", type=int, help="number of cases to run")
    p.add_argument("--seconds", type=float, help="run for this long (default 60 when --cases is not given)")
    p.add_argument("--start", type=int, default=0, help="first case index (default 0)")
    p.add_argument("--case", type=int, help="run only this case index (in this process and, unless --cli-every "
                                            "is 0, through the CLI) and print its outcome")
    p.add_argument("--show", action="store_true", help="with --case: print the input as well")
    p.add_argument("--cli-every", type=int, default=25,
                   help="also run luascript check/build in a subprocess on every Nth case (0: never; default 25)")
    p.add_argument("--out", default="fuzz-failures", help="directory for reproducers (default ./fuzz-failures)")
    p.add_argument("--shrink-seconds", type=float, default=30.0, help="time spent shrinking each failure")
    p.add_argument("--stop-after", type=int, help="stop after this many failures")
    p.add_argument("--kinds", help="comma-separated generators to use (%s; default all)" %
                   ", ".join(g.__name__[4:] for g, _w in GENERATORS))
    args = p.parse_args(argv)
    kinds = args.kinds.split(",") if args.kinds else None
    if args.case is not None:
        desc, text = make_case(args.seed, args.case, kinds)
        options = case_options(args.seed, args.case)
        outcome, detail = check_source(text, options=options)
        if not outcome.startswith("bug") and args.cli_every:
            cli_outcome, cli_detail = check_cli(text, options=options)
            if cli_outcome.startswith("bug"):
                outcome, detail = cli_outcome, cli_detail
        print("seed %s case %d (%s%s): %s" % (args.seed, args.case, desc, " --script" if options else "", outcome))
        if detail:
            print(detail)
        if args.show:
            print("---- input ----")
            print(text)
        return 1 if outcome.startswith("bug") else 0
    seconds = args.seconds if args.seconds is not None or args.cases is not None else 60.0
    print("fuzzing the compiler: seed %s, %s" % (args.seed, "%d cases" % args.cases if args.cases else
                                                 "%.0f s" % seconds), flush=True)
    stats = run(args.seed, args.cases, seconds, args.cli_every, args.out, args.shrink_seconds,
                log=lambda s: print(s, flush=True), stop_after=args.stop_after, start=args.start,
                kinds=kinds)
    print(stats.summary())
    if stats.failures:
        print("%d failures; reproducers in %s" % (len(stats.failures), args.out))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
