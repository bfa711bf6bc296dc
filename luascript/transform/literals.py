"""Literals: numbers, strings, templates, regular expressions, true/false/null/undefined."""
from ..lua import ast as L
from .context import Transformer

visitor = Transformer.visitor


def parse_number(text):
    t = text.replace("_", "")
    low = t.lower()
    if low.endswith("n") and not low.startswith("0x") or (low.startswith("0x") and low.endswith("n")):
        return None
    if low.startswith("0x"):
        return float(int(t[2:], 16))
    if low.startswith("0o"):
        return float(int(t[2:], 8))
    if low.startswith("0b"):
        return float(int(t[2:], 2))
    if len(t) > 1 and t[0] == "0" and t.isdigit():
        # legacy octal (sloppy mode) unless it has 8 or 9
        if all(c in "01234567" for c in t):
            return float(int(t, 8))
    return float(t)


_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def decode_escape(esc):
    """The code units (as a Python str) of one escape sequence, e.g. '\\u00e9'."""
    body = esc[1:]
    c = body[0]
    if c in _SIMPLE and not (c == "0" and len(body) > 1 and body[1].isdigit()):
        return _SIMPLE[c]
    if c == "x":
        return chr(int(body[1:3], 16))
    if c == "u":
        if body[1] == "{":
            return chr(int(body[2:-1], 16))
        return chr(int(body[1:5], 16))
    if c in "\r\n\u2028\u2029":
        return ""                                  # line continuation
    if c.isdigit():
        return chr(int(body, 8)) if all(ch in "01234567" for ch in body) else body
    return body


def utf8(s):
    """Encode JS code units as UTF-8, joining surrogate pairs into one code point."""
    try:
        return s.encode("utf-8")                   # no surrogates: the common case
    except UnicodeEncodeError:
        pass
    out = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        o = ord(ch)
        if 0xD800 <= o < 0xDC00 and i + 1 < n and 0xDC00 <= ord(s[i + 1]) < 0xE000:
            o = 0x10000 + ((o - 0xD800) << 10) + (ord(s[i + 1]) - 0xDC00)
            out.append(chr(o))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out).encode("utf-8", "surrogatepass")


def string_value(tr, node):
    """The value of a string literal node as a Python str of code units."""
    parts = []
    for c in node.named_children:
        if c.type == "string_fragment":
            parts.append(tr.text(c))
        elif c.type == "escape_sequence":
            parts.append(decode_escape(tr.text(c)))
        elif c.type == "html_character_reference":
            parts.append(tr.text(c))
    return "".join(parts)


def is_bigint(tr, node):
    """A BigInt literal (123n): the grammar gives it the node type of numbers."""
    return node.type == "number" and tr.text(node).endswith("n")


@visitor("number")
def number(tr, node):
    text = tr.text(node)
    v = parse_number(text)
    if v is None:
        digits = text.replace("_", "")[:-1]
        if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
            raise tr.error(node, "Invalid BigInt syntax")   # no legacy octal BigInts (07n)
        return L.Call(tr.h("bigint"), [L.Str(digits.encode())], tr.pos(node))
    return L.Num(v, tr.pos(node))


@visitor("string")
def string(tr, node):
    return L.Str(utf8(string_value(tr, node)), tr.pos(node))


@visitor("true")
def true(tr, node):
    return L.Lit("true", tr.pos(node))


@visitor("false")
def false(tr, node):
    return L.Lit("false", tr.pos(node))


@visitor("null")
def null(tr, node):
    return tr.h("null", tr.pos(node))


@visitor("undefined")
def undefined(tr, node):
    b = tr.lookup("undefined")
    if b is not None:
        return b.ref(tr.pos(node))
    return L.Lit("nil", tr.pos(node))


def template_parts(tr, node, raw=False):
    """[(kind, value)] for a template: ("str", text) and ("expr", node). A cooked text with an
    escape that is none (a tagged template's `\\unicode`) is None."""
    parts = []
    cur = []
    for c in node.children:
        if c.type in ("`",):
            continue
        if c.type == "string_fragment":
            cur.append(tr.text(c).replace("\r\n", "\n"))
            if not raw and tr.src.bad_escapes and _masked_in(tr.src, c):
                cur.append(None)
        elif c.type == "escape_sequence":
            cur.append(tr.text(c) if raw else None if _not_template_escape(tr.text(c)) else decode_escape(tr.text(c)))
        elif c.type == "template_substitution":
            parts.append(("str", _joined(cur)))
            cur = []
            expr = [x for x in c.named_children if not x.is_extra][0]
            parts.append(("expr", expr))
    parts.append(("str", _joined(cur)))
    return parts


def _joined(texts):
    return None if None in texts else "".join(texts)


def _masked_in(src, node):
    return any(node.start_byte <= o < node.end_byte for o in src.bad_escapes)


def _not_template_escape(esc):
    """Legacy octal escapes and \\8, \\9 are none in templates (\\0 alone is NUL), nor is a code
    point past U+10FFFF."""
    return esc[1] in "123456789" or esc[1] == "0" and len(esc) > 2 and esc[2].isdigit() or beyond_unicode(esc)


def beyond_unicode(esc):
    return esc.startswith("\\u{") and int(esc[3:-1], 16) > 0x10FFFF


def template_escape_error(tr, node):
    """The SyntaxError of an untagged template that holds an escape that is none."""
    for c in node.children:
        if c.type == "string_fragment" and tr.src.bad_escapes:
            for o in tr.src.bad_escapes:
                if c.start_byte <= o < c.end_byte:
                    return tr.src.bad_escape_error(o)
        elif c.type == "escape_sequence" and _not_template_escape(tr.text(c)):
            esc = tr.text(c)
            return tr.error(c, "Undefined Unicode code-point" if beyond_unicode(esc) else
                            "\\8 and \\9 are not allowed in template strings" if esc[1] in "89" else
                            "Octal escape sequences are not allowed in template strings")
    return None


@visitor("template_string")
def template_string(tr, node):
    parts = template_parts(tr, node)
    if any(k == "str" and v is None for k, v in parts):
        raise template_escape_error(tr, node)
    exprs = [p[1] for p in parts if p[0] == "expr"]
    values = tr.exprs_in_order(exprs)
    pieces = []
    vi = 0
    for kind, v in parts:
        if kind == "str":
            if v:
                pieces.append(L.Str(utf8(v)))
        else:
            pieces.append((values[vi], tr.ty(exprs[vi])))
            vi += 1
    # a lone substitution must become a string; in a concatenation, catv leaves integers to `..`
    helper = tr.h("tostr" if len(pieces) == 1 else "catv")
    plain = set()    # pieces that are no strings: they neither start nor end with a surrogate
    for i, p in enumerate(pieces):
        if isinstance(p, tuple):
            pieces[i] = p[0] if p[1] == "string" else L.Call(helper, [p[0]])
            if p[1] in ("number", "boolean"):
                plain.add(i)
    if not pieces:
        return L.Str(b"", tr.pos(node))
    out = pieces[0]
    if len(pieces) == 1 and not isinstance(out, L.Str) and out.__class__ is not L.Call:
        return out
    out = join_strings(tr, pieces, plain)
    out.pos = tr.pos(node)
    return out


# A lone surrogate code unit is three bytes of its own (core.lua's pair_halves): where a string
# ending with a high one meets one starting with a low one, R.cat makes them one character.
def _edge(e, end):
    """Whether Lua string expression e certainly does not end (end) or start with half a pair."""
    if isinstance(e, L.Str):
        v = e.value
        if len(v) < 3:
            return len(v) > 0     # (too short to hold half a pair)
        return not (v[-3] == 0xED and 0xA0 <= v[-2] <= 0xAF) if end else not (v[0] == 0xED and 0xB0 <= v[1] <= 0xBF)
    if isinstance(e, L.BinOp) and e.op == "..":
        return _edge(e.right if end else e.left, end)
    if isinstance(e, L.Call) and len(e.args) == 2 and _helper_name(e.fn) in ("cat", "add"):
        return _edge(e.args[1] if end else e.args[0], end)
    return False


def _helper_name(fn):
    if isinstance(fn, L.Name) and fn.name.startswith("J0_"):
        return fn.name[3:]
    if isinstance(fn, L.Index) and isinstance(fn.obj, L.Name) and fn.obj.name == "J0" and isinstance(fn.key, L.Str):
        return fn.key.value.decode()
    return None


def join_strings(tr, pieces, plain=()):
    """The Lua expression of string pieces joined left to right: `..` where the junction is
    certainly no split pair, R.cat where it may be. plain: indexes of pieces that are no
    strings (numbers written by catv)."""
    groups = [[pieces[0]]]
    for i in range(1, len(pieces)):
        if i in plain or i - 1 in plain or _edge(pieces[i - 1], True) or _edge(pieces[i], False):
            groups[-1].append(pieces[i])
        else:
            groups.append([pieces[i]])
    return _balanced(tr, [balanced_concat(g) for g in groups])


def _balanced(tr, parts):
    if len(parts) == 1:
        return parts[0]
    mid = len(parts) // 2
    return L.Call(tr.h("cat"), [_balanced(tr, parts[:mid]), _balanced(tr, parts[mid:])])


def balanced_concat(pieces):
    """a .. b .. c as a tree of depth log2(n): the passes over Lua's AST recurse per level, and a
    template of a few thousand substitutions must not run them out of stack (the printer
    flattens the chain whatever its shape)."""
    if len(pieces) == 1:
        return pieces[0]
    mid = len(pieces) // 2
    return L.BinOp("..", balanced_concat(pieces[:mid]), balanced_concat(pieces[mid:]))


def regex_parts(tr, node):
    pattern = node.child_by_field_name("pattern")
    flags = node.child_by_field_name("flags")
    src = tr.text(pattern) if pattern is not None else ""
    fl = tr.text(flags) if flags is not None else ""
    from .early import check_regex
    check_regex(tr, node, src, fl)
    return src, fl


@visitor("regex")
def regex(tr, node):
    src, fl = regex_parts(tr, node)
    return L.Call(tr.h("regex"), [L.Str(src), L.Str(fl)], tr.pos(node))


def regex_site(tr, node):
    """A module constant {source, flags} for a literal that a built-in method consumes where it
    stands: the runtime keeps the one object all its evaluations can share there."""
    src, fl = regex_parts(tr, node)
    return tr.const(L.Table([(None, L.Str(src)), (None, L.Str(fl))]), "RE")
