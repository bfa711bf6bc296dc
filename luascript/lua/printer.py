"""Lua AST → Lua text, with a Source Map v3 of where each piece came from."""
import json
import math
import re

from . import ast as L

# Binary operator precedence (higher binds tighter) and right-associativity, as Lua defines them.
BINARY = {
    "or": 1, "and": 2,
    "<": 3, ">": 3, "<=": 3, ">=": 3, "~=": 3, "==": 3,
    "..": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6, "^": 8,
}
RIGHT = {"..", "^"}
UNARY = 7
CONCAT_GROUP = 16


def concat_operands(e):
    """The operands of a chain of `..` however it nests. The compiler concatenates only strings
    (its `..` operands are proven strings or J0.tostr calls), so regrouping keeps the result."""
    out, stack = [], [e]
    while stack:
        x = stack.pop()
        if type(x) is L.BinOp and x.op == "..":
            stack.append(x.right)
            stack.append(x.left)
        else:
            out.append(x)
    return out


KEYWORDS = frozenset("""and break do else elseif end false for function goto if in local nil not or
repeat return then true until while""".split())
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")   # (\Z: "$" also matches before a final newline)


def is_name(s):
    return IDENT.match(s) is not None and s not in KEYWORDS


# The printer remembers what it made of the keys and short strings it printed: the same few are
# printed over and over. (Emptied at a size no program's own strings reach.)
_fields, _quoted = {}, {}


def _remember(memo, key, value):
    if len(memo) > 50000:
        memo.clear()
    memo[key] = value
    return value


def field_name(b):
    """A string key's bytes as a Lua name (`t.name`, `{name = v}`), or None where it needs brackets."""
    name = _fields.get(b, False)
    if name is False:
        name = _remember(_fields, b, b.decode("ascii") if b.isascii() and is_name(b.decode("ascii")) else None)
    return name


PLAIN = re.compile(rb'[ !#-\[\]-~]*')   # printable ASCII but '"' and '\\': quoted as it is


def lua_string(b):
    """Quote bytes as a Lua string literal that survives any content."""
    q = _quoted.get(b)
    if q is None:
        q = _quote(b) if len(b) > 32 else _remember(_quoted, b, _quote(b))
    return q


# the bytes a literal cannot hold as they are: the quote, backslash, controls, and the bytes UTF-8
# never uses (the shape key); other non-ASCII bytes pass through as Latin-1 code points, encoded
# back to bytes when the chunk is written
SPECIAL = re.compile('["\\\\\x00-\x1f\x7f\xf5-\xff]')
ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m):
    c = m.group()
    return ESCAPES.get(c) or "\\%03d" % ord(c)


def _quote(b):
    if PLAIN.fullmatch(b):
        return '"' + b.decode("ascii") + '"'
    return '"' + SPECIAL.sub(_escape, b.decode("latin-1")) + '"'


def lua_number(v):
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        if abs(v) < 2 ** 53:
            return str(v)
        v = float(v)
    if v != v:
        return "(0/0)"
    if v == math.inf:
        return "(1/0)"
    if v == -math.inf:
        return "(-1/0)"
    if v == int(v) and abs(v) < 2 ** 53:
        if v == 0 and math.copysign(1, v) < 0:
            return "(-0)"
        return str(int(v))
    return repr(v)


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def vlq(n):
    n = (-n << 1) | 1 if n < 0 else n << 1
    out = ""
    while True:
        digit = n & 31
        n >>= 5
        if n:
            digit |= 32
        out += B64[digit]
        if not n:
            return out


class Printer:
    def __init__(self):
        self.parts = []
        # w(s) writes a piece with no line break in it; only newline() starts a line. Columns are
        # counted where a mapping needs one, from the pieces written since the last count, so
        # writing is a bare list append.
        self.w = self.parts.append
        self.line = 0       # current generated line (0-based)
        self.counted = 0    # pieces of parts whose characters are in self.cols
        self.cols = 0       # characters on the current line up to there
        self.indent = 0
        self.mappings = []  # (gen_line, gen_col, src_line, src_col, name)
        self.strict = False     # whether the function being printed is strict code
        self.strict_lines = []  # the lines (1-based) where strict functions begin
        self.fn_infos = []      # (line, Func.info) of the functions that have one

    # ---- output ------------------------------------------------------------------------------
    def newline(self):
        self.parts.append("\n" + "  " * self.indent)
        self.line += 1
        self.counted = len(self.parts)
        self.cols = 2 * self.indent

    def col(self):
        """The current generated column (characters)."""
        parts = self.parts
        self.cols += sum(map(len, parts[self.counted:]))
        self.counted = len(parts)
        return self.cols

    def mark(self, pos):
        """A mapping from here to the source position pos (line, col[, name])."""
        m = self.mappings
        name = pos[2] if len(pos) > 2 else None
        last = m[-1] if m else None
        if last is None or last[0] != self.line or last[2] != pos[0] or last[3] != pos[1]:
            m.append((self.line, self.col(), pos[0], pos[1], name))
        elif name is not None and last[4] is None:
            m[-1] = last[:4] + (name,)

    # ---- statements --------------------------------------------------------------------------
    def block_stat(self, st, is_last):
        if not is_last and type(st) in (L.Return, L.Break):
            # Lua accepts return/break only as the last statement of a block
            self.w("do ")
            self.stat(st)
            self.w(" end")
        else:
            self.stat(st)

    def block(self, body):
        self.indent += 1
        last = len(body) - 1
        for i, st in enumerate(body):
            self.newline()
            self.block_stat(st, i == last)
        self.indent -= 1
        self.newline()

    def stat(self, s):
        if s.pos is not None:
            self.mark(s.pos)
        t = type(s)
        # `(f)(x)` after another statement would read as a call of its last value, and Lua 5.1 has
        # no empty statement to separate them: go through a local instead
        if t is L.ExprStat and _starts_with_paren(s.expr):
            self.w("do local _ = ")
            self.expr(s.expr)
            self.w(" end")
            return
        if t is L.Assign and len(s.targets) == 1 and type(s.targets[0]) is L.Index and _starts_with_paren(s.targets[0]):
            self.w("do local _ = ")
            self.expr(s.targets[0].obj)
            self.w("; _[")
            self.expr(s.targets[0].key)
            self.w("] = ")
            self.exprlist(s.exprs)
            self.w(" end")
            return
        STATEMENTS[t](self, s)

    def s_Local(self, s):
        self.w("local " + ", ".join(s.names))
        if s.exprs:
            self.w(" = ")
            self.exprlist(s.exprs)

    def s_Assign(self, s):
        self.exprlist(s.targets)
        self.w(" = ")
        self.exprlist(s.exprs)

    def s_ExprStat(self, s):
        e = s.expr
        if not isinstance(e, (L.Call, L.MethodCall)):
            # Lua accepts only calls as statements
            self.w("local _ = ")
        self.expr(e)

    def s_Do(self, s):
        self.w("do")
        self.block(s.body)
        self.w("end")

    def s_While(self, s):
        self.w("while ")
        self.expr(s.cond)
        self.w(" do")
        self.block(s.body)
        self.w("end")

    def s_Repeat(self, s):
        self.w("repeat")
        self.block(s.body)
        self.w("until ")
        self.expr(s.cond)

    def s_If(self, s):
        for i, (cond, body) in enumerate(s.clauses):
            self.w("if " if i == 0 else "elseif ")
            self.expr(cond)
            self.w(" then")
            self.block(body)
        if s.orelse:
            self.w("else")
            self.block(s.orelse)
        self.w("end")

    def s_NumFor(self, s):
        self.w("for %s = " % s.var)
        self.expr(s.start)
        self.w(", ")
        self.expr(s.stop)
        if s.step is not None:
            self.w(", ")
            self.expr(s.step)
        self.w(" do")
        self.block(s.body)
        self.w("end")

    def s_ForIn(self, s):
        self.w("for %s in " % ", ".join(s.names))
        self.exprlist(s.exprs)
        self.w(" do")
        self.block(s.body)
        self.w("end")

    def s_LocalFunction(self, s):
        self.w("local function %s" % s.name)
        self.funcbody(s.func)

    def s_Return(self, s):
        if s.exprs:
            self.w("return ")
            self.exprlist(s.exprs)
        else:
            self.w("return")

    def s_Break(self, s):
        self.w("break")

    def s_Goto(self, s):
        self.w("goto " + s.label)

    def s_Label(self, s):
        self.w("::%s::" % s.name)

    def s_Comment(self, s):
        self.w("-- " + s.text.replace("\n", " "))

    # ---- expressions -------------------------------------------------------------------------
    def exprlist(self, es):
        if es:
            expr, w = self.expr, self.w
            expr(es[0])
            for e in es[1:]:
                w(", ")
                expr(e)

    def expr(self, e, prec=0):
        if e.pos is not None:
            self.mark(e.pos)
        t = type(e)
        if t is L.Name:
            self.w(e.name)
        elif t is L.Lit:
            self.w(e.text)
        elif t is L.Num:
            self.w(lua_number(e.value))
        elif t is L.Str:
            self.w(lua_string(e.value))
        elif t is L.Vararg:
            self.w("...")
        elif t is L.Index:
            self.prefix(e.obj)
            k = e.key
            name = field_name(k.value) if type(k) is L.Str else None
            if name is not None:
                self.w("." + name)
            else:
                self.w("[")
                self.expr(k)
                self.w("]")
        elif t is L.Call:
            self.prefix(e.fn)
            self.args(e.args)
        elif t is L.MethodCall:
            self.prefix(e.obj)
            self.w(":" + e.name)
            self.args(e.args)
        elif t is L.BinOp:
            p = BINARY[e.op]
            if p < prec:
                self.w("(")
            if e.op == "..":
                self.concat(concat_operands(e))
            else:
                lp, rp = (p + 1, p) if e.op in RIGHT else (p, p + 1)
                if e.op in ("and", "or") and type(e.right) is L.BinOp and e.right.op == e.op:
                    # associative: `a or (b or c)` prints as `a or b or c`, which LuaJIT's parser reads
                    # without a level of nesting per operand (long ?: chains are such `or`s)
                    rp = p
                self.expr(e.left, lp)
                self.w(" %s " % e.op)
                self.expr(e.right, rp)
            if p < prec:
                self.w(")")
        elif t is L.UnOp:
            if UNARY < prec:
                self.w("(")
            self.w("not " if e.op == "not" else e.op)
            inner = e.operand
            # "- -x" must not print as the comment "--x"
            if e.op == "-" and (type(inner) is L.UnOp and inner.op == "-" or type(inner) is L.Num and str(lua_number(inner.value)).startswith("-")):
                self.w(" ")
            self.expr(inner, UNARY)
            if UNARY < prec:
                self.w(")")
        elif t is L.Paren:
            self.w("(")
            self.expr(e.expr)
            self.w(")")
        elif t is L.Func:
            self.w("function")
            self.funcbody(e)
        elif t is L.Table:
            self.table(e)
        else:
            raise TypeError("cannot print %r" % (e,))

    def concat(self, ops):
        """Operands of a `..` chain. LuaJIT's parser recurses once per `..` and holds every operand in
        a register, so a long chain prints as a balanced tree of parenthesised groups of at most
        CONCAT_GROUP operands; operands still evaluate left to right."""
        if len(ops) > CONCAT_GROUP:
            size = -(-len(ops) // CONCAT_GROUP)
            groups = [ops[i:i + size] for i in range(0, len(ops), size)]
        else:
            groups = [[op] for op in ops]
        for i, g in enumerate(groups):
            if i:
                self.w(" .. ")
            if len(g) == 1:
                self.expr(g[0], BINARY[".."] + 1)
            else:
                self.w("(")
                self.concat(g)
                self.w(")")

    def prefix(self, e):
        # Only names, indexing, calls and parenthesised expressions may start a call or index.
        if type(e) in (L.Name, L.Index, L.Call, L.MethodCall, L.Paren):
            self.expr(e)
        else:
            self.w("(")
            self.expr(e)
            self.w(")")

    def args(self, args):
        self.w("(")
        self.exprlist(args)
        self.w(")")

    def funcbody(self, f):
        # LuaJIT's linedefined of the function: where the runtime finds, of a frame whose store
        # failed, whether its code is strict (R.strict_now)
        outer = self.strict
        if f.strict is not None:
            self.strict = f.strict
        if self.strict:
            self.strict_lines.append(self.line + 1)
        if f.info is not None:
            # (no two functions begin on one line: every body starts on a line of its own)
            self.fn_infos.append((self.line + 1, f.info))
        params = list(f.params)
        if f.vararg:
            params.append("...")
        self.w("(" + ", ".join(params) + ")")
        self.block(f.body.body if isinstance(f.body, L.Chunk) else f.body)
        self.w("end")
        self.strict = outer

    def table(self, t):
        if not t.items:
            self.w("{}")
            return
        self.w("{")
        for i, (k, v) in enumerate(t.items):
            if i:
                self.w(", ")
            if k is None:
                self.expr(v)
            else:
                name = field_name(k.value) if type(k) is L.Str else None
                if name is not None:
                    self.w(name + " = ")
                else:
                    self.w("[")
                    self.expr(k)
                    self.w("] = ")
                self.expr(v)
        self.w("}")


# how each statement prints: Printer.s_<Lua AST class name>
STATEMENTS = {getattr(L, name[2:]): f for name, f in vars(Printer).items() if name.startswith("s_")}


def _starts_with_paren(e):
    """Whether the printed expression begins with '('."""
    chained = False
    while True:
        t = type(e)
        if t is L.Paren:
            return True
        if t is L.Call:
            e, chained = e.fn, True
        elif t is L.MethodCall or t is L.Index:
            e, chained = e.obj, True
        else:
            # printer.prefix() parenthesises anything but a name at the head of a chain
            return chained and t is not L.Name


def fn_info_table(fn_infos):
    """The Lua table of function facts by the line each function begins on (R.code_mode)."""
    items = []
    for line, (name, length, bare, kind) in fn_infos:
        fields = [lua_string(name.encode("utf-8", "surrogatepass")), str(length), "true" if bare else "false"]
        if kind:
            fields.append(lua_string(kind.encode()))
        items.append("[%d] = {%s}" % (line, ", ".join(fields)))
    return "{%s}" % ", ".join(items)


def print_chunk(chunk):
    """Returns (lua_text_as_bytes, mappings, the lines where strict functions begin, (line, info)
    of the functions with facts)."""
    p = Printer()
    last = len(chunk.body) - 1
    for i, st in enumerate(chunk.body):
        p.block_stat(st, i == last)
        p.newline()
    text = "".join(p.parts)
    return text.encode("latin-1"), p.mappings, p.strict_lines, p.fn_infos


def source_map(mappings, source_name, lua_name, source_text=None, names_list=None):
    """Source Map v3 (https://sourcemaps.info/spec.html) as a JSON-ready dict."""
    lines = {}
    for gl, gc, sl, sc, name in mappings:
        lines.setdefault(gl, []).append((gc, sl, sc, name))
    out_lines = []
    prev_sl = prev_sc = prev_name = 0
    names = []
    name_index = {}
    maxline = max(lines) if lines else -1
    for gl in range(maxline + 1):
        segs = []
        prev_gc = 0
        for gc, sl, sc, name in lines.get(gl, ()):
            if name is not None and name.startswith("()"):
                name = None      # callee texts serve error messages, not the source map
            seg = vlq(gc - prev_gc) + vlq(0) + vlq(sl - prev_sl) + vlq(sc - prev_sc)
            if name is not None:
                if name not in name_index:
                    name_index[name] = len(names)
                    names.append(name)
                seg += vlq(name_index[name] - prev_name)
                prev_name = name_index[name]
            prev_gc, prev_sl, prev_sc = gc, sl, sc
            segs.append(seg)
        out_lines.append(",".join(segs))
    m = {"version": 3, "file": lua_name, "sources": [source_name], "names": names,
         "mappings": ";".join(out_lines)}
    if source_text is not None:
        m["sourcesContent"] = [source_text]
    return m


def dumps(m):
    return json.dumps(m, separators=(",", ":"))
