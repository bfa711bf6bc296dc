"""Diagnostics in the `file:line:col: error: message` form, with the source line and a caret."""


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
                text = lines[self.line - 1].rstrip("\r")
                out += "\n  %s\n  %s^" % (text, " " * (self.col - 1))
        return out

    def __str__(self):
        return self.format()


class JSError(Exception):
    """A JavaScript exception that reached Python: name, message and the .ljs stack."""

    def __init__(self, name, message, stack="", value=None):
        super().__init__("%s: %s" % (name, message) if message else name)
        self.name, self.message, self.stack, self.value = name, message, stack, value
