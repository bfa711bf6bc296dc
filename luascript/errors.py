"""Diagnostics in the `file:line:col: error: message` form, with the source line and a caret."""


class CompileError(Exception):
    def __init__(self, message, filename="<input>", line=1, col=1, source=None):
        super().__init__(message)
        self.message, self.filename, self.line, self.col, self.source = message, filename, line, col, source

    def format(self):
        out = "%s:%d:%d: error: %s" % (self.filename, self.line, self.col, self.message)
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
