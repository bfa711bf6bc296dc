"""tree-sitter front end: source text in, syntax tree out, syntax errors as CompileError."""
import tree_sitter
import tree_sitter_javascript

from ..errors import CompileError

_LANGUAGE = tree_sitter.Language(tree_sitter_javascript.language())
_PARSER = tree_sitter.Parser(_LANGUAGE)


class Source:
    """Source text with position helpers (tree-sitter counts bytes; users count characters)."""

    def __init__(self, text, filename):
        self.text = text
        self.filename = filename
        self.data = text.encode("utf-8", "surrogatepass")
        self.lines = self.data.split(b"\n")

    def col(self, point):
        """0-based character column of a tree-sitter point."""
        row, byte_col = point
        line = self.lines[row] if row < len(self.lines) else b""
        return len(line[:byte_col].decode("utf-8", "replace"))

    def pos(self, node):
        return (node.start_point[0], self.col(node.start_point))

    def error(self, node, message, kind="SyntaxError"):
        line, col = self.pos(node)
        return CompileError(message, self.filename, line + 1, col + 1, self.text, kind)

    def node_text(self, node):
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "surrogatepass")


def parse(text, filename="<input>"):
    """Parse JavaScript source; raise CompileError at the first syntax error."""
    src = Source(text, filename)
    tree = _PARSER.parse(src.data)
    root = tree.root_node
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
    return tree, src


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
    if node.is_missing:
        return node
    if node.type == "ERROR":
        # point at the first token inside the error that is itself unexpected
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = _first_error(child)
            if found is not None:
                return found
    return None
