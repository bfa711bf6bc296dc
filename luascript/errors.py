"""Diagnostics in the `file:line:col: error: message` form, with the source line and a caret."""
import re

# Shown as "?": control characters other than tab (a lone CR or an ESC would move the terminal's
# cursor) and surrogates (bytes that were not UTF-8): one column each, so the caret stays in place.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def shown_line(text):
    return _UNSHOWABLE.sub("?", text)


# Lines longer than this show a window of this many characters around the column, marked "..."
# where it cuts: a minified library is one line of 100 KB.
WINDOW = 120


def caret_lines(source, line, col):
    """"\n  <line `line` of source>\n  <a caret under column col>", or "" past its end."""
    lines = source.split("\n")
    if not 0 < line <= len(lines):
        return ""
    text = shown_line(lines[line - 1].rstrip("\r"))
    if len(text) > WINDOW:
        start = min(max(0, col - 1 - WINDOW // 2), len(text) - WINDOW)
        head = "..." if start > 0 else ""
        tail = "..." if start + WINDOW < len(text) else ""
        text = head + text[start:start + WINDOW] + tail
        col += len(head) - start
    # tabs before the column stay tabs, so the caret lines up however wide a tab shows
    lead = "".join(c if c == "\t" else " " for c in text[:col - 1])
    return "\n  %s\n  %s^" % (text, lead.ljust(col - 1))


# a frame of a stack string as V8 and ljs.error print it: "    at name (file:line:col)" or
# "    at file:line:col"
_FRAME = re.compile(r"^    at (?:.* \()?(.+?):(\d+):(\d+)\)?$", re.M)


def throw_site(stack, sources=None):
    """"file:line:col", the source line and a caret for the first frame of a JS stack string,
    as node shows where an uncaught exception was thrown; "" when the file cannot be read.
    sources: {name: text} of programs that are no file ("[eval]" for -e code)."""
    m = _FRAME.search(stack or "")
    if not m:
        return ""
    path, line, col = m.group(1), int(m.group(2)), int(m.group(3))
    if sources and path in sources:
        source = sources[path]
    else:
        from .source_text import read_source
        try:
            source = read_source(path)
        except OSError:
            return ""
    shown = caret_lines(source, line, col)
    return "%s:%d:%d%s\n\n" % (path, line, col, shown) if shown else ""


class CompileError(Exception):
    def __init__(self, message, filename="<input>", line=1, col=1, source=None, kind="SyntaxError"):
        super().__init__(message)
        self.message, self.filename, self.line, self.col, self.source = message, filename, line, col, source
        self.kind = kind     # "SyntaxError" for early errors JS engines raise too; None: not supported here

    def format(self):
        msg = "%s: %s" % (self.kind, self.message) if self.kind else self.message
        out = "%s:%d:%d: error: %s" % (self.filename, self.line, self.col, msg)
        if self.source is not None:
            out += caret_lines(self.source, self.line, self.col)
        return out

    def __str__(self):
        return self.format()


class JSError(Exception):
    """A JavaScript exception that reached Python: name, message and the .ljs stack."""

    def __init__(self, name, message, stack="", value=None, exit_code=1):
        super().__init__("%s: %s" % (name, message) if message else name)
        self.name, self.message, self.stack, self.value = name, message, stack, value
        self.exit_code = exit_code   # what `luascript run` exits with (node's: 1, or 7 from a handler)
