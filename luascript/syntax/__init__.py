"""tree-sitter front end: source text in, syntax tree out, syntax errors as CompileError."""
import re
from bisect import bisect_left

import tree_sitter
import tree_sitter_javascript

from ..errors import CompileError

_LANGUAGE = tree_sitter.Language(tree_sitter_javascript.language())
_PARSER = tree_sitter.Parser(_LANGUAGE)


class Source:
    """Source text with position helpers (tree-sitter counts bytes; users count characters)."""

    def __init__(self, text, filename):
        self.text = text
        self.shown = text   # what diagnostics quote: the text as written, before inserted semicolons
        self.filename = filename
        self.data = text.encode("utf-8", "surrogatepass")
        self.parsed = self.data     # what tree-sitter reads: data with bad escapes masked
        self.bad_escapes = ()       # byte offsets of the masked backslashes
        self.lines = self.data.split(b"\n")
        self.ascii = self.data.isascii()
        self._wide = {}

    def col(self, point):
        """0-based character column of a tree-sitter point."""
        return self._col(*point)

    def _col(self, row, byte_col):
        wide = self._wide.get(row)
        if wide is None:
            wide = self._wide[row] = self._wide_bytes(row)
        if len(wide) == 1:
            return byte_col if byte_col <= wide[0] else wide[0]
        byte_col = min(byte_col, wide[0])
        return byte_col - bisect_left(wide, byte_col, 1) + 1

    def _wide_bytes(self, row):
        """A line's length, then the offsets of its UTF-8 continuation bytes, which start no
        character (an escaped surrogate's too: the text was encoded with surrogatepass). Counted
        once per line, as minified code puts a whole program on one."""
        line = self.lines[row] if row < len(self.lines) else b""
        if line.isascii():
            return (len(line),)
        return [len(line)] + [i for i, b in enumerate(line) if 0x80 <= b < 0xC0]

    def pos(self, node):
        if self.ascii:      # (most sources: a character is a byte, the point is the position)
            return node.start_point
        row, byte_col = node.start_point
        return (row, self._col(row, byte_col))

    def error(self, node, message, kind="SyntaxError"):
        line, col = self.pos(node)
        return CompileError(message, self.filename, line + 1, col + 1, self.shown, kind)

    def error_at(self, offset, message):
        row = self.data.count(b"\n", 0, offset)
        start = self.data.rfind(b"\n", 0, offset) + 1
        return CompileError(message, self.filename, row + 1, self._col(row, offset - start) + 1, self.shown,
                            "SyntaxError")

    def bad_escape_error(self, offset):
        """The SyntaxError of the escape that is none at offset (one masked for tree-sitter)."""
        return self.error_at(offset, BAD_ESCAPE_MESSAGES[self.data[offset + 1:offset + 2]])

    def node_text(self, node):
        raw = self.data[node.start_byte:node.end_byte]
        try:
            return raw.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            # tree-sitter reads bytes that are not UTF-8 one by one, so a node may end inside the
            # 3 bytes of an escaped surrogate (the CLI's reading of a byte that was not UTF-8)
            return raw.decode("utf-8", "replace")


def parse(text, filename="<input>"):
    """Parse JavaScript source; raise CompileError at the first syntax error."""
    src = Source(text, filename)
    tree = _PARSER.parse(src.data)
    root = tree.root_node
    if root.has_error and _mask_bad_escapes(src):
        tree = _PARSER.parse(src.parsed)
        root = tree.root_node
    inserted = -1
    while root.has_error:
        at = _semicolon_due(root, _first_error(root))
        if at is None or at <= inserted:   # (each insertion must move the first error on)
            break
        # insert it at the end of its line, where no other node's line or column moves
        data = src.data[:at] + b";" + src.data[at:]
        old, src = src, Source(data.decode("utf-8", "surrogatepass"), filename)
        src.shown = text
        if old.bad_escapes:
            src.parsed = old.parsed[:at] + b";" + old.parsed[at:]
            src.bad_escapes = tuple(o + (o >= at) for o in old.bad_escapes)
        tree = _PARSER.parse(src.parsed)
        root, inserted = tree.root_node, at
    if root.has_error:
        bad = _first_error(root)
        if bad is not None:
            if bad.is_missing:
                raise src.error(bad, "expected '%s'" % bad.type)
            # tree-sitter's ERROR node holds what it skipped; the offending token usually follows it
            tok = _token_after(root, bad)
            if tok is None:
                if bad.end_byte >= len(src.data.rstrip()):
                    raise src.error(bad, "unexpected end of input")
                tok = bad
            text = src.node_text(tok).strip().split("\n")[0][:30]
            raise src.error(tok, "unexpected token %s" % (repr(text) if text else "end of input"))
    if src.bad_escapes:
        _check_masked(src, root)
    deep = _too_deep(root)
    if deep is not None:
        raise src.error(deep, "nesting too deep (more than %d levels of syntax)" % MAX_NESTING, kind=None)
    return tree, src


# A tagged template may hold escapes that are no escapes (String.raw`C:\users`): its cooked string
# is undefined, its raw string the text. tree-sitter's grammar has no token for them, so where a
# parse fails they are masked: the backslash becomes a byte that template text may hold, the
# tree is read from the masked bytes and the text from the source. The template visitors look
# the masked offsets up (literals.template_parts); anywhere else but a regex or a comment such
# an escape is the SyntaxError it always was.
_ESCAPE = re.compile(rb"\\(?:u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|([ux])|.)", re.S)
BAD_ESCAPE_MESSAGES = {b"u": "Invalid Unicode escape sequence", b"x": "Invalid hexadecimal escape sequence"}


def _mask_bad_escapes(src):
    bad = [m.start() for m in _ESCAPE.finditer(src.data) if m.group(1)]
    if not bad:
        return False
    masked = bytearray(src.data)
    for o in bad:
        masked[o] = 1
    src.parsed, src.bad_escapes = bytes(masked), tuple(bad)
    return True


def _check_masked(src, root):
    for o in src.bad_escapes:
        n = root.descendant_for_byte_range(o, o + 1)
        while n is not None and n.type not in ("template_string", "regex", "comment", "string"):
            n = n.parent
        if n is None or n.type == "string":
            raise src.bad_escape_error(o)


# The transform and the printer recurse once or more per level of the syntax tree. Up to this depth
# compile_source gives them a thread with the stack they need (compiler._on_big_stack); deeper input
# is refused here. LuaJIT's own parser stops at 200 levels, so only chains it reads without nesting
# (else-if chains, `a + b + ...` on numbers, `&&`/`||`/`?:` chains, string concatenation) can use
# this much (an else-if link counts one level, though tree-sitter puts an else clause between the
# two ifs); the deepest of the test programs has 31 levels. Some analyses cost time quadratic in
# the depth: at 500 levels the slowest shape (nested for loops) takes about 3 s.
MAX_NESTING = 500


def _too_deep(root):
    """The first node (in source order) nested more than MAX_NESTING levels deep, if any."""
    if root.descendant_count <= MAX_NESTING:
        return None
    cursor = root.walk()
    depth = 0
    levels = []      # what each step down added: an else clause adds none (else-if is one level)
    while True:
        # a subtree of c nodes reaches at most c - 1 levels below its top: only larger ones are entered
        if cursor.node.descendant_count + depth > MAX_NESTING and cursor.goto_first_child():
            step = 0 if cursor.node.type == "else_clause" else 1
            levels.append(step)
            depth += step
            if depth > MAX_NESTING:
                return cursor.node
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return None
            depth -= levels.pop()
        # (a sibling is at its predecessor's depth: undo that one's step, redo its own)
        depth -= levels.pop()
        step = 0 if cursor.node.type == "else_clause" else 1
        levels.append(step)
        depth += step


def _semicolon_due(root, bad):
    """Where JavaScript inserts a semicolon that tree-sitter did not: after a declared name followed
    by a line that starts with `[` (`let x` then `[x, y] = f()`, as argparse writes it), which
    cannot continue the declaration. tree-sitter reads on, and files the name under an ERROR or
    wants a semicolon there."""
    if bad is None or bad.parent is None or bad.parent.type not in ("lexical_declaration", "variable_declaration"):
        return None
    if bad.is_missing and bad.type == ";":
        after = _token_after(root, bad)
        return bad.start_byte if after is not None and after.start_point[0] > bad.start_point[0] else None
    kids = bad.named_children
    after = bad.next_sibling
    if bad.type != "ERROR" or len(kids) != 1 or kids[0].type != "identifier" or after is None or \
            after.type != "variable_declarator" or after.start_point[0] <= bad.end_point[0]:
        return None
    return bad.end_byte


def _token_after(root, node):
    """The first leaf token that starts at or after the end of node, if any."""
    end = node.end_byte
    stack = [root]
    while stack:
        n = stack.pop()
        if n.end_byte <= end and n.child_count:
            continue
        if n.child_count == 0:
            if n.start_byte >= end and n.end_byte > n.start_byte:
                return n
            continue
        stack.extend(reversed(n.children))
    return None


def _first_error(node):
    """The earliest ERROR or MISSING node (depth first, in source order)."""
    # iterative: the error may sit under thousands of levels of nesting
    stack = [node]
    while stack:
        n = stack.pop()
        if n.is_missing or n.type == "ERROR":
            return n
        stack.extend(reversed([c for c in n.children if c.has_error or c.is_missing]))
    return None
