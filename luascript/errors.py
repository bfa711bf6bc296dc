"""Diagnostics in the `file:line:col: error: message` form, with the source line and a caret."""
import re

# Shown as "?": control characters other than tab (a lone CR or an ESC would move the terminal's
# cursor) and surrogates (bytes that were not UTF-8): one column each, so the caret stays in place.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def shown_line(text):
    return _UNSHOWABLE.sub("?", text)


class CompileError(Exception):
    def __init__(self, message, filename="<input>", line=1, col=1, source=None, kind="SyntaxError"):
        super().__init__(message)
        self.message, self.filename, self.line, self.col, self.source = message, filename, line, col, source
        self.kind = kind     # "SyntaxError" for early errors JS engines raise too; None: not supported here

    def format(self):
        msg = "%s: %s" % (self.kind, self.message) if self.kind else self.message
        out = "%s:%d:%d: error: %s" % (self.filename, self.line, self.col, msg)
        if self.source is not None:
            lines = self.source.split("\n")
            if 0 < self.line <= len(lines):
                text = shown_line(lines[self.line - 1].rstrip("\r"))
                # tabs before the column stay tabs, so the caret lines up however wide a tab shows
                lead = "".join(c if c == "\t" else " " for c in text[:self.col - 1])
                out += "\n  %s\n  %s^" % (text, lead.ljust(self.col - 1))
        return out

    def __str__(self):
        return self.format()


class JSError(Exception):
    """A JavaScript exception that reached Python: name, message and the .ljs stack."""

    def __init__(self, name, message, stack="", value=None):
        super().__init__("%s: %s" % (name, message) if message else name)
        self.name, self.message, self.stack, self.value = name, message, stack, value
