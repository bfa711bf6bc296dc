"""Names for sampled frames: a "path:line" of generated Lua becomes the .ljs function, file and line.

A frame's Lua line picks the innermost Lua function (prototype) around it; that prototype's own
lines map through the line table to .ljs lines, and the innermost .ljs function spanning them
names it (tree-sitter over the .ljs source, named as JS engines name functions). Runtime Lua
files are named from the line that defines each function."""
import os
import re

from ..errors import CompileError
from ..source_text import read_source
from ..transform.statements import FUNCTION_TYPES
from .model import Frame

_FUNCTION_NODES = frozenset(FUNCTION_TYPES)
TOP_LEVEL = "(top level)"
ANONYMOUS = "(anonymous)"


def js_functions(text):
    """(start_line, start_col, end_line, end_col, name) of every function and class, 1-based lines."""
    from ..syntax import parse
    tree, src = parse(text, "<profile>")
    out = []
    stack = [tree.root_node]
    while stack:
        n = stack.pop()
        if n.type in _FUNCTION_NODES:
            out.append((n.start_point[0] + 1, n.start_point[1], n.end_point[0] + 1, n.end_point[1],
                        _js_name(n, src)))
        stack.extend(n.named_children)
    return out


def _field_text(node, field, src):
    c = node.child_by_field_name(field)
    return src.node_text(c) if c is not None else None


def _class_name(cls, src):
    name = _field_text(cls, "name", src)
    if name:
        return name
    return _binding_name(cls, src) or ANONYMOUS


def _binding_name(node, src):
    """The name a function or class expression gets from where it is stored."""
    p = node.parent
    while p is not None and p.type == "parenthesized_expression":
        p = p.parent
    if p is None:
        return None
    if p.type == "variable_declarator":
        return _field_text(p, "name", src)
    if p.type in ("assignment_expression", "augmented_assignment_expression"):
        return _field_text(p, "left", src)
    if p.type == "pair":
        return _field_text(p, "key", src).strip("'\"")
    if p.type == "field_definition":
        owner = p.parent.parent if p.parent is not None else None
        prop = _field_text(p, "property", src) or ""
        return (_class_name(owner, src) + "." + prop) if owner is not None else prop
    return None


def _js_name(n, src):
    if n.type in ("class_declaration", "class"):
        return _class_name(n, src)
    if n.type == "method_definition":
        name = _field_text(n, "name", src) or ANONYMOUS
        accessor = next((c.type for c in n.children if c.type in ("get", "set")), None)
        body = n.parent
        if body is not None and body.type == "class_body":
            cls = _class_name(body.parent, src)
            name = cls if name == "constructor" else cls + "." + name
        return accessor + " " + name if accessor else name
    return _field_text(n, "name", src) or _binding_name(n, src) or ANONYMOUS


class LuaFunctions:
    """Prototype extents of one Lua chunk: innermost function around a line."""

    def __init__(self, spans):
        self.spans = spans          # (linedefined, lastlinedefined, parent index) parents first

    def innermost(self, line):
        best = 0
        for i, (first, last, _parent) in enumerate(self.spans):
            if i and first < line <= last and first >= self.spans[best][0]:
                best = i
        return best

    def own_lines(self, i):
        """Lines of prototype i outside its nested prototypes (the chunk: all lines)."""
        first, last, _ = self.spans[i]
        if i == 0:
            first, last = 0, max((s[1] for s in self.spans), default=0)
        inner = set()
        for j, (f, l, p) in enumerate(self.spans):
            if p == i + 1:
                inner.update(range(f + 1, l + 1))
        return [x for x in range(first + 1, last + 1) if x not in inner]


class Symbols:
    """Resolves raw dumpstack frames ("path:line", "[builtin#N]", "@0x...") to Frames.

    symbols_lua: profiler/symbols.lua loaded in a LuaJIT state; chunk_lua(path): the
    generated Lua and line table of a .ljs chunk (None when unknown); lua_root: the runtime's
    Lua directory; mode: "function" or "line"."""

    def __init__(self, symbols_lua, chunk_lua, lua_root, mode):
        self._lua = symbols_lua
        self._chunk_lua = chunk_lua
        self._lua_root = os.path.abspath(lua_root) + os.sep
        self._mode = mode
        self._builtins = None
        self._chunks = {}
        self._frames = {}

    def frame(self, raw):
        """A Frame, or None for frames of the host's glue code (dropped)."""
        f = self._frames.get(raw, False)
        if f is False:
            f = self._frames[raw] = self._resolve(raw)
        return f

    def _resolve(self, raw):
        if raw.startswith("[builtin#"):
            return Frame(self._builtin(raw), "", 0, "builtin")
        if raw.startswith("@0x") or raw.startswith("0x"):
            return Frame("(C function)", "", 0, "native")     # its address differs from run to run
        path, _, line = raw.rpartition(":")
        # [string ...]: chunks loaded from strings, the host's glue and the runtime's Math fast paths
        # (rt.lua), whose time belongs to the line that called them
        if not line.isdigit() or path.startswith("[string") or path.startswith("="):
            return None
        line = int(line)
        if path.endswith(os.sep + "profiler" + os.sep + "sampler.lua"):
            return None
        info = self._chunk(path)
        if info is None:
            return Frame(os.path.basename(path), path, line, "lua")
        kind, functions, names, deflines, linemap = info
        i = functions.innermost(line) if functions else 0
        if kind == "ljs":
            js = _jsline(linemap, line) or deflines[i] or 1
            return Frame(names[i], path, deflines[i] if self._mode == "function" else js, "ljs")
        first = functions.spans[i][0] if functions else line
        return Frame(names[i], path, first if self._mode == "function" and first else line, kind)

    def _builtin(self, raw):
        if self._builtins is None:
            self._builtins = {}
            for row in _str(self._lua.builtins()).split("\n"):
                ffid, _, name = row.partition(" ")
                if ffid.isdigit():
                    self._builtins[int(ffid)] = name
        ffid = raw[len("[builtin#"):].rstrip("]")
        return self._builtins.get(int(ffid), "builtin #" + ffid) if ffid.isdigit() else raw

    def _chunk(self, path):
        if path not in self._chunks:
            self._chunks[path] = self._load_chunk(path)
        return self._chunks[path]

    def _load_chunk(self, path):
        if os.path.abspath(path).startswith(self._lua_root) or path.endswith(".lua"):
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
            except OSError:
                return None
            functions = self._functions(text, path)
            lines = text.split("\n")
            names = [_lua_name(lines, s[0], path) for s in functions.spans]
            kind = "runtime" if os.path.abspath(path).startswith(self._lua_root) else "lua"
            return kind, functions, names, [s[0] for s in functions.spans], None
        got = self._chunk_lua(path)
        if got is None:
            return None
        lua, linemap = got
        functions = self._functions(lua, path)
        try:
            jsfns = js_functions(read_source(path))
        except (OSError, CompileError):      # a file that no longer parses keeps its line numbers only
            jsfns = []
        names, deflines = [], []
        for i in range(len(functions.spans)):
            fn = _js_function_of(functions, i, linemap, jsfns)
            names.append(fn[4] if fn else TOP_LEVEL if i == 0 else ANONYMOUS)
            deflines.append(fn[0] if fn else 1)
        return "ljs", functions, names, deflines, linemap

    def _functions(self, text, path):
        spans = []
        for row in _str(self._lua.functions(text, "@" + path)).split("\n"):
            parts = row.split()
            if len(parts) == 3:
                spans.append(tuple(int(x) for x in parts))
        return LuaFunctions(spans or [(0, 0, 0)])


def _str(s):
    return s.decode("utf-8", "replace") if isinstance(s, bytes) else (s or "")


def _jsline(linemap, line):
    """The .ljs line of a Lua line: the nearest mapped line at or above it (as stack traces do)."""
    while line > 0:
        if line <= len(linemap) and linemap[line - 1]:
            return linemap[line - 1]
        line -= 1
    return 0


def _js_function_of(functions, i, linemap, jsfns):
    """The innermost .ljs function spanning the lines of Lua prototype i (None: top level)."""
    js = {linemap[x - 1] for x in functions.own_lines(i) if 0 < x <= len(linemap) and linemap[x - 1]}
    if not js and i:
        first, last, _ = functions.spans[i]
        js = {linemap[x - 1] for x in range(first, last + 1) if 0 < x <= len(linemap) and linemap[x - 1]}
    if not js or i == 0:
        return None
    lo, hi = min(js), max(js)
    best = None
    for fn in jsfns:
        if fn[0] <= lo and fn[2] >= hi:
            if best is None or (fn[2] - fn[0], -fn[0], -fn[1]) < (best[2] - best[0], -best[0], -best[1]):
                best = fn
    return best


_LUA_DEF = [re.compile(p) for p in (
    r"function\s+([\w.:]+)\s*\(",                       # function R.get( / local function f(
    r"([\w.\[\]\"']+)\s*=\s*function\s*\(",             # R.x = function( / local f = function(
    r"\(\s*[\w.]+\s*,\s*\"([^\"]+)\"\s*,\s*[^,]*,\s*function\s*\(",   # R.method(o, "name", n, function(
    r"\"([^\"]+)\"\s*,\s*function\s*\(",                # ("name", function(
)]


def _lua_name(lines, first, path):
    """A runtime function's name from its defining line, else file:line."""
    base = os.path.splitext(os.path.basename(path))[0]
    if first <= 0:
        return base + " (module)"
    text = lines[first - 1] if first <= len(lines) else ""
    for pat in _LUA_DEF:
        m = pat.search(text)
        if m:
            name = m.group(1)
            for prefix in ("R.", "M.", "H."):
                if name.startswith(prefix):
                    name = name[len(prefix):]
            return name
    return "%s:%d" % (base, first)
