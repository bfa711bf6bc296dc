"""The interactive prompt: `luascript` alone on a terminal, `luascript repl`, `luascript -i`.

Imported only when a REPL starts (the CLI's warm start stays free of it and of the compiler).

Each input is compiled as a classic script with the compiler's "repl" and "completion" options
(luascript/compiler.py): top-level `var` and function declarations become properties of the global
object, as in node's REPL, and top-level `let`, `const` and `class` bindings live in one table of
the session (J0_L) that every later input is compiled against, so an input sees what the ones
before it declared (names no input had declared yet are looked up when the code runs, so a
function may use a `let` of a later input). The chunk returns the value of its last expression
statement, which is printed through util.inspect as node's REPL prints it (in colour when the
output is a terminal with colours, as node decides it), once the input's
synchronous part has run; then the event loop runs until no timer or promise job is left (as
Runtime.eval does), so output of timers appears before the next prompt.
"""
import os
import re
import sys
import types

from . import __version__
from .errors import CompileError, JSError

HELP = """.break    Sometimes you get stuck, this gets you out
.clear    Alias for .break
.exit     Exit the REPL
.help     Print this help message
.load     Load JS from a file into the REPL session
.save     Save all evaluated commands in this REPL session to a file

Press Ctrl+C to abort current expression, Ctrl+D to exit the REPL
"""

HISTORY_FILE = "~/.luascript_repl_history"
HISTORY_SIZE = 1000
INTERRUPTED = "Script execution was interrupted by `SIGINT`"


class Incomplete(Exception):
    """The input so far is the start of a program: read another line (the '... ' prompt)."""


# Values shown in colour (node's REPL with useColors): util.inspect with {colors: true}.
_COLOR_LUA = """
local R = ...
require("ljs.inspect")
local M = {options = {colors = true}}
-- node's useColors: output a terminal and shouldColorize(output)
function M.use_colors()
  return require("ljs.node_tty").should_colorize(rawget(R.process, "stdout"))
end
function M.inspect(v) return R.inspect(v, M.options) end
function M.inspect_thrown(thrown_value, err) return R.inspect(thrown_value(err), M.options) end
return M
"""


class Session:
    """One REPL's state: its Runtime, the lexical names earlier inputs declared, the inputs so far.
    evaluate() runs one input; the loop around it (and the terminal) is main()'s.
    colors: show values in colour (None: as node's REPL decides, when out is a terminal)."""

    def __init__(self, rt=None, use_cache=True, out=None, colors=None):
        from .runtime import Runtime, _isatty
        self.out = out or sys.stdout
        # JS output goes through the same Python stream as the REPL's own, so the two stay in order
        self.rt = rt or Runtime(stdout=self.out, stderr=sys.stderr, use_cache=use_cache, interruptible=True)
        self.rt._helpers.set_argv(self.rt.lua.table_from(["luascript"]))
        self._colors = types.SimpleNamespace(**{_s(k): f for k, f in self.rt.lua.execute(_COLOR_LUA, self.rt.R).items()})
        self.colors = _isatty(self.out) and bool(self._colors.use_colors()) if colors is None else colors
        self.record, self.scope = self.rt._helpers.repl_new()
        self.names = {}       # name -> "let" | "const": top-level lexical declarations so far
        self.count = 0        # inputs compiled: REPL1, REPL2, ... in stack traces, as node names them
        self.history = []     # the inputs that ran (.save)
        self.running = False     # an input runs: Ctrl-C stops it
        self.at_prompt = False   # reading a line: Ctrl-C clears it
        self.ctrl_c = False      # Ctrl-C came between prompts

    # ---- compiling -------------------------------------------------------------------------------
    def compile(self, source):
        """The compiled input (a CompileResult, whose .source is the text compiled), or
        Incomplete when the parser wants more, or CompileError."""
        from .compiler import compile_source
        options = {"repl": dict(self.names), "completion": True, "poll": self.rt._poll}
        name = "REPL%d" % (self.count + 1)
        wrapped = _object_literal(source)
        if wrapped is not None:
            # node's REPL reads `{a: 1}` as an object literal rather than a block, where it can
            try:
                res = compile_source(wrapped, name, options)
                self.count += 1
                return res
            except CompileError:
                pass
        try:
            res = compile_source(source, name, options)
        except CompileError as e:
            if incomplete(source, e):
                raise Incomplete() from None
            self.count += 1
            raise
        self.count += 1
        return res

    # ---- running ---------------------------------------------------------------------------------
    def evaluate(self, source):
        """Run one input; returns its value as the REPL prints it (util.inspect). Raises
        Incomplete, CompileError, JSError (with .value), ProcessExit, or luascript.sandbox's
        Interrupted. The event loop has not run yet: drain() runs it."""
        res = self.compile(source)
        rt = self.rt
        name = "REPL%d" % self.count
        self.history.append(source)
        rt._sources[name] = res.source   # for Function.prototype.toString
        fn = rt._load_chunk(res.lua, name, res.positions(), res.call_names())
        for n, kind in res.repl_names.items():
            rt._helpers.repl_declare(self.scope, n, kind)   # (for functions of earlier inputs)
        ok, err, pending = self._run(rt._helpers.run_repl, fn, self.record, self.scope, res.is_async)
        # the names are the session's from here on, as a failed input's declarations stay in
        # node's REPL; when it threw (or its await never settled), reads of them check that the
        # declaration ran (the table holds J0.TDZ until it did)
        for n, kind in res.repl_names.items():
            self.names[n] = kind if ok and not pending else kind + "?"
        if not ok:
            self._raise(err)
        rt._helpers.repl_set_last()
        return _s(rt._helpers.repl_show(self._colors.options if self.colors else None))

    def drain(self):
        """Run the event loop until no timer or job is left (after the value was printed)."""
        ok, err, _ = self._run(self.rt._helpers.run_loop)
        if not ok:
            self._raise(err)

    def _run(self, fn, *args):
        self.running = True
        self.ctrl_c = False
        try:
            return self.rt._limited(fn, *args)    # (H.guarded passes three values on)
        finally:
            self.running = False

    def _raise(self, err):
        rt = self.rt
        rt._check_stopped(err)
        from .runtime import ProcessExit
        if rt._helpers.error_kind(err) == "exit":
            raise ProcessExit(int(rt._helpers.exit_code(err)))
        e = rt._js_error(err)
        rt._helpers.repl_set_error(rt._helpers.thrown_value(err))
        if self.colors and e.name == "Uncaught":
            e.message = _s(self._colors.inspect_thrown(rt._helpers.thrown_value, err))
        raise e

    def format_error(self, e):
        """What node's REPL prints for an error: "Uncaught " and the error as util.inspect shows
        it, without the frames of the REPL's own top level."""
        if isinstance(e, CompileError):
            return format_compile_error(e)
        from .sandbox import Interrupted
        if isinstance(e, Interrupted):
            return "Uncaught Error: " + INTERRUPTED
        if e.name == "Uncaught":              # a thrown value that is no Error: inspected already
            return "Uncaught " + e.message
        value = e.value
        if value is not None and self.rt._helpers.is_error(value):
            text = _s((self._colors.inspect if self.colors else self.rt._helpers.inspect_error)(value))
        else:
            text = e.stack or "%s: %s" % (e.name, e.message)
        return "Uncaught " + _drop_top_frames(text, e.stack, "REPL%d" % self.count)

    def complete(self, line):
        """Tab completion: the names that could finish the identifier at the end of line (after
        `a.b.` the properties of a.b, else variables, globals and keywords)."""
        m = re.search(r"((?:[A-Za-z_$][\w$]*\s*\.\s*)*)([A-Za-z_$][\w$]*)?$", line)
        path = [p.strip() for p in m.group(1).split(".") if p.strip()] if m else []
        prefix = (m.group(2) or "") if m else ""
        if m is None or (not path and not prefix):
            return []
        rt = self.rt
        got = rt._helpers.repl_complete(self.scope, rt.lua.table_from(path), prefix)
        names = [_s(got[i]) for i in range(1, len(got) + 1)]
        if not path:
            names = sorted(set(names) | {k for k in _KEYWORDS if k.startswith(prefix)})
        return names

    def load(self, path):
        """.load FILE: the file's text as one input."""
        from .source_text import read_source
        return read_source(os.path.expanduser(path))

    def save(self, path):
        with open(os.path.expanduser(path), "w", encoding="utf-8") as f:
            f.write("\n".join(self.history) + ("\n" if self.history else ""))


# ---- incomplete input ------------------------------------------------------------------------------
# node's REPL reads another line when the parser stops at the end of the input ("Unexpected end of
# input", an unterminated template literal). The parser's errors say where they are, but
# tree-sitter's recovery often files an error at the start of a statement it could not finish;
# a scan of brackets, strings and the last token tells an unfinished program from a wrong one.

_CONTINUING = {"+", "-", "*", "/", "%", "**", "=", "==", "===", "!=", "!==", "<", ">", "<=", ">=", "&&", "||",
               "??", "!", "~", "&", "|", "^", "<<", ">>", ">>>", "+=", "-=", "*=", "/=", "%=", "**=", "<<=",
               ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "??=", "=>", ",", ".", "?.", "?", ":", "...",
               "++", "--", "new", "typeof", "void", "delete", "await", "yield", "in", "instanceof", "of",
               "else", "do", "extends", "case", "function", "class", "async", "let", "const", "var",
               "import", "export", "throw"}
_KEYWORDS = ("await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
             "else", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
             "let", "new", "null", "return", "static", "super", "switch", "this", "throw", "true", "try", "typeof",
             "undefined", "var", "void", "while", "with", "yield", "async", "of")
_KEYWORDS_BEFORE_REGEX = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw",
                          "yield", "await", "instanceof"}
_PUNCT = sorted(_CONTINUING - {w for w in _CONTINUING if w.isalpha()}, key=len, reverse=True)
_WORD = re.compile(r"[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*")
_NUMBER = re.compile(r"\d[\w.]*|\.\d[\w]*")


def scan(source):
    """A rough tokenizer's verdict on source: "bad" (an unterminated quoted string, a closing
    bracket without its opening one), "open" (an open bracket, template literal or block
    comment) or the last token."""
    stack = []          # "(", "[", "{", "${"
    i, n = 0, len(source)
    last = None         # the last significant token
    template = False    # inside a template literal's text
    while i < n:
        c = source[i]
        if template:
            if c == "\\":
                i += 2
            elif c == "`":
                template = False
                last = "`"
                i += 1
            elif source.startswith("${", i):
                stack.append("${")
                template = False
                i += 2
                last = "${"
            else:
                i += 1
            continue
        if c in " \t\r\n":
            i += 1
        elif source.startswith("//", i):
            j = source.find("\n", i)
            i = n if j < 0 else j
        elif source.startswith("/*", i):
            j = source.find("*/", i + 2)
            if j < 0:
                return "open"
            i = j + 2
        elif c in "\"'":
            j = i + 1
            while j < n and source[j] != c and source[j] != "\n":
                j += 2 if source[j] == "\\" else 1
            if j >= n or source[j] != c:
                return "bad"
            i = j + 1
            last = "string"
        elif c == "`":
            template = True
            i += 1
        elif c in "([{":
            stack.append(c)
            last = c
            i += 1
        elif c in ")]}":
            want = {")": "(", "]": "[", "}": "{"}[c]
            if c == "}" and stack and stack[-1] == "${":
                stack.pop()
                template = True
                i += 1
                continue
            if not stack or stack[-1] != want:
                return "bad"
            stack.pop()
            last = c
            i += 1
        elif c == "/" and _regex_allowed(last):
            # a regular expression literal
            j, cls = i + 1, False
            while j < n and source[j] != "\n":
                if source[j] == "\\":
                    j += 2
                    continue
                if source[j] == "[":
                    cls = True
                elif source[j] == "]":
                    cls = False
                elif source[j] == "/" and not cls:
                    break
                j += 1
            if j >= n or source[j] != "/":
                return "bad"
            i = j + 1
            m = _WORD.match(source, i)
            if m:
                i = m.end()
            last = "regex"
        else:
            m = _WORD.match(source, i) or _NUMBER.match(source, i)
            if m:
                last = m.group(0)
                i = m.end()
                continue
            for p in _PUNCT:
                if source.startswith(p, i):
                    last = p
                    i += len(p)
                    break
            else:
                last = c
                i += 1
    if template or stack:
        return "open"
    return last


def _regex_allowed(last):
    """Does a `/` after this token start a regular expression literal (rather than divide)?"""
    return last is None or last in ("(", "[", "{", "${", ";", "}") or last in _KEYWORDS_BEFORE_REGEX or \
        (last in _CONTINUING and last not in ("++", "--"))


def incomplete(source, error):
    """Does the compile error only say that the input stops early?"""
    verdict = scan(source)
    if verdict == "bad":
        return False
    if verdict == "open" or verdict in _CONTINUING:
        return True
    if error.kind != "SyntaxError":
        return False
    if error.message == "unexpected end of input":
        return True
    # the error stands at the end of the input (`if (x)`: tree-sitter wants a ';' there)
    lines = source.rstrip().split("\n")
    return error.line > len(lines) or (error.line == len(lines) and error.col > len(lines[-1]))


def _object_literal(source):
    """node's REPL takes input that starts with `{` and does not end with `;` for an expression."""
    if re.match(r"\s*\{", source) and not re.search(r";\s*$", source):
        return "(" + source.strip() + ")\n"
    return None


def format_compile_error(e):
    """node's REPL: the source line, a caret, an empty line, Uncaught SyntaxError: message."""
    from .errors import shown_line
    lines = (e.source or "").split("\n")
    head = ""
    if 0 < e.line <= len(lines):
        text = shown_line(lines[e.line - 1].rstrip("\r"))
        lead = "".join(ch if ch == "\t" else " " for ch in text[:e.col - 1])
        head = "%s\n%s^\n\n" % (text, lead.ljust(e.col - 1))
    return "%sUncaught %s: %s" % (head, e.kind or "SyntaxError", e.message)


_FRAME = re.compile(r"^    at (?:.* \()?(.+?):(\d+):(\d+)\)?$")


def _drop_top_frames(text, stack, chunk):
    """node's REPL leaves out the frame of the input's own top level and those below it (the
    REPL's machinery); here that is the last frame in the input's chunk, when it is anonymous."""
    lines = (stack or "").split("\n")
    for i in range(len(lines) - 1, 0, -1):
        m = _FRAME.match(lines[i])
        if m and m.group(1) == chunk and lines[i].startswith("    at " + chunk + ":"):
            drop = lines[i:]
            out = text.split("\n")
            # the same lines in the inspected text (util.inspect shows the stack as it is)
            for k in range(len(out)):
                if out[k:k + len(drop)] == drop:
                    return "\n".join(out[:k] + out[k + len(drop):])
            return text
    return text


def _s(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "surrogateescape")
    return "" if v is None else str(v)


# ---- the loop --------------------------------------------------------------------------------------
class _Reader:
    """Lines from the terminal (input(), with readline's editing and history where it exists) or
    from a pipe (no prompts)."""

    def __init__(self, terminal, out, session=None):
        self.terminal = terminal
        self.out = out
        self.session = session
        self.readline = None
        self.history_path = None
        self._matches = []
        if terminal:
            try:
                import readline
            except ImportError:
                readline = None
            self.readline = readline
            if readline is not None:
                self._start_history()
                self._start_completion()

    def _start_completion(self):
        rl = self.readline
        try:
            rl.set_completer_delims(" \t\n`~!@#%^&*()-=+[{]}\\|;:'\",<>/?.")
            rl.set_completer(self._complete)
            if "libedit" in (getattr(rl, "__doc__", "") or ""):
                rl.parse_and_bind("bind ^I rl_complete")
            else:
                rl.parse_and_bind("tab: complete")
        except Exception:   # noqa: BLE001 — completion is a convenience
            pass

    def _complete(self, text, state):
        if state == 0:
            try:
                line = self.readline.get_line_buffer()[:self.readline.get_endidx()]
                self._matches = self.session.complete(line) if self.session is not None else []
            except Exception:   # noqa: BLE001 — (readline would swallow it anyway)
                self._matches = []
        return self._matches[state] if state < len(self._matches) else None

    def _start_history(self):
        path = os.environ.get("LUASCRIPT_REPL_HISTORY")
        if path is None:
            path = os.path.expanduser(HISTORY_FILE)
        if not path.strip():
            return            # LUASCRIPT_REPL_HISTORY="" turns history off, as NODE_REPL_HISTORY does
        self.history_path = path
        rl = self.readline
        try:
            rl.read_history_file(path)
        except (OSError, ValueError):
            pass
        rl.set_history_length(HISTORY_SIZE)

    def save_history(self):
        if self.readline is not None and self.history_path:
            try:
                self.readline.write_history_file(self.history_path)
            except OSError:
                pass

    def typed(self):
        """Whether the line being edited when Ctrl-C came held text."""
        if self.readline is None:
            return False
        try:
            return bool(self.readline.get_line_buffer())
        except Exception:   # noqa: BLE001
            return False

    def read(self, prompt):
        """A line without its newline; EOFError at the end, KeyboardInterrupt for Ctrl-C."""
        if self.terminal:
            return input(prompt)
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line[:-1] if line.endswith("\n") else line


def main(use_cache=True, terminal=None, out=None):
    """Run the REPL until .exit, end of input or process.exit(); returns the exit status."""
    out = out or sys.stdout
    if terminal is None:
        try:
            terminal = sys.stdin.isatty()
        except (AttributeError, ValueError, OSError):
            terminal = False
    session = Session(use_cache=use_cache, out=out)
    reader = _Reader(terminal, out, session)
    undo = _sigint(session)
    status = 0
    try:
        if terminal:
            out.write("Welcome to LuaScript %s.\nType \".help\" for more information.\n" % __version__)
        status = _loop(session, reader, out, terminal)
    finally:
        undo()
        reader.save_history()
        session.rt.flush()
        out.flush()
    return status


def _loop(session, reader, out, terminal):
    state = {"buffer": [], "ctrl_c": False}
    while True:
        try:
            status = _step(session, reader, out, terminal, state)
        except KeyboardInterrupt:
            status = _ctrl_c(reader, out, state)
        if status is not None:
            return status


def _ctrl_c(reader, out, state):
    """Ctrl-C at the prompt: clear the line or the input so far; on an empty line, a hint, and
    the second in a row exits."""
    out.write("\n")
    if state["buffer"] or reader.typed():
        state["buffer"] = []
        state["ctrl_c"] = False
        return None
    if state["ctrl_c"]:
        return 0
    state["ctrl_c"] = True
    out.write("(To exit, press Ctrl+C again or Ctrl+D or type .exit)\n")
    return None


def _step(session, reader, out, terminal, state):
    """Read a line and run the input it completes; an exit status to stop."""
    from .runtime import ProcessExit
    out.flush()
    buffer = state["buffer"]
    session.at_prompt = True
    try:
        if session.ctrl_c:
            session.ctrl_c = False
            raise KeyboardInterrupt
        line = reader.read("... " if buffer else "> ")
    except EOFError:
        if terminal:
            out.write("\n")
        return 0
    finally:
        session.at_prompt = False
    state["ctrl_c"] = False
    if not buffer and _is_command(line):
        cmd, _, arg = line.strip().partition(" ")
        done = _command(session, cmd, arg.strip(), out)
        if done is True:
            return 0
        if done is None:
            return None
        line = done          # .load: the file's text is the input
    elif buffer and line.strip() in (".break", ".clear"):
        state["buffer"] = []
        return None
    buffer.append(line)
    source = "\n".join(buffer)
    if not source.strip():
        state["buffer"] = []
        return None
    try:
        try:
            value = session.evaluate(source)
        except Incomplete:
            return None
        state["buffer"] = []
        session.rt.flush()
        out.write(value + "\n")
        session.drain()
    except ProcessExit as e:
        return e.code
    except (CompileError, JSError) as e:
        state["buffer"] = []
        session.rt.flush()
        out.write(session.format_error(e) + "\n")
    return None


def _is_command(line):
    """node's test: a line that starts with one dot and is no number (`.5` is JavaScript)."""
    t = line.strip()
    return t.startswith(".") and not t.startswith("..") and not re.match(r"\.\d", t)


def _command(session, cmd, arg, out):
    """A REPL command: True to exit, None when done, or text to evaluate (.load)."""
    if cmd == ".exit":
        return True
    if cmd == ".help":
        out.write(HELP)
        return None
    if cmd in (".break", ".clear"):
        return None
    if cmd == ".load":
        try:
            return session.load(arg)
        except OSError as e:
            out.write("Failed to load: %s (%s)\n" % (arg, e.strerror or e))
            return None
    if cmd == ".save":
        try:
            session.save(arg)
            out.write("Session saved to: %s\n" % arg)
        except OSError as e:
            out.write("Failed to save: %s (%s)\n" % (arg, e.strerror or e))
        return None
    out.write("Invalid REPL keyword\n")
    return None


def _sigint(session):
    """Ctrl-C: at the prompt, KeyboardInterrupt (input() clears the line); while an input runs, a
    stop at its next poll point (the Runtime is interruptible)."""
    def handler(signum, frame):
        # only at the prompt: raised anywhere else, the exception could surface in a Python
        # function that Lua called (JS output), which lupa cannot pass on
        if session.at_prompt:
            raise KeyboardInterrupt
        if not session.running:
            session.ctrl_c = True    # (between prompts: for the next one)

    def stop():
        if session.running:
            session.rt.interrupt()

    from .sandbox import watch_sigint
    return watch_sigint(handler, stop, "luascript-repl-sigint") or (lambda: None)
