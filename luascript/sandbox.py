"""Untrusted code and runtime faults: the sandbox's limits, poll points, and Ctrl-C.

- `add_poll_points(chunk)`: code compiled for the sandbox (compile option "poll") calls
  `J0_poll()` at the start of every function body and every loop body. The poll reads a flag in
  FFI memory (runtime/lua/ljs/sandbox.lua explains why it also stores a byte); LuaJIT inlines
  it into compiled traces, so a JIT-compiled `for (;;) {}` stops too.
- `Guard`: one per Runtime. A watcher thread writes that flag when a run's time limit passes or
  Ctrl-C arrives; lupa's allocator counts the Lua state's memory against `memory_limit`.
- `cli_interrupts()`: Ctrl-C for `luascript run`. While Lua runs, Python cannot run its signal
  handlers (they wait for the next bytecode, and lupa runs Lua without returning to Python), so
  the C-level handler writes to a wakeup fd that a thread reads. Code with poll points (the
  sandbox) stops at its next poll; other code cannot be stopped from outside (LuaJIT's hooks do
  not fire inside compiled traces), so after a short grace the thread flushes what the program
  printed and ends the process with status 130, as node does on SIGINT.

docs/sandbox.md lists what the sandbox guarantees and what it does not.
"""
import os
import sys
import threading
import time

from .errors import JSError

# why a run stopped: the values of the flag (runtime/lua/ljs/sandbox.lua)
TIME, INTERRUPT, MEMORY = 1, 2, 3


class LimitError(JSError):
    """A sandboxed program was stopped by one of its limits. No JS catch block sees it."""


class TimeLimitError(LimitError):
    pass


class MemoryLimitError(LimitError):
    pass


class Interrupted(JSError):
    """Runtime.interrupt() (Ctrl-C in `luascript run`) stopped a program at a poll point."""


# ---- poll points (compiler) -------------------------------------------------------------------

def add_poll_points(chunk):
    """Put `J0_poll()` first in every function body and loop body of a compiled chunk."""
    from .lua import ast as L
    seen = set()
    loops = (L.While, L.Repeat, L.NumFor, L.ForIn)
    stack = [chunk]
    while stack:
        n = stack.pop()
        if n is None or id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, L.Func):
            body = n.body.body if isinstance(n.body, L.Chunk) else n.body
            body.insert(0, L.ExprStat(L.Call(L.Name("J0_poll"), [])))
        elif isinstance(n, loops):
            n.body.insert(0, L.ExprStat(L.Call(L.Name("J0_poll"), [])))
        for slot in _slots(type(n)):
            v = getattr(n, slot, None)
            if isinstance(v, L.Node):
                stack.append(v)
            elif isinstance(v, (list, tuple)):
                for x in v:
                    if isinstance(x, L.Node):
                        stack.append(x)
                    elif isinstance(x, tuple):   # If clauses, Table items
                        stack.extend(y for y in x if isinstance(y, L.Node))
                    elif isinstance(x, list):
                        stack.extend(y for y in x if isinstance(y, L.Node))
    # the chunk's first statement is `local J0, J0_M = ...`
    chunk.body.insert(1, L.Local(["J0_poll"], [L.Index(L.Name("J0"), L.Str("poll"))]))
    return chunk


_SLOTS = {}


def _slots(cls):
    s = _SLOTS.get(cls)
    if s is None:
        s = []
        for c in cls.__mro__:
            s.extend(x for x in getattr(c, "__slots__", ()) if x != "pos")
        _SLOTS[cls] = s
    return s


# ---- the guard of one Runtime -----------------------------------------------------------------

class Guard:
    """Limits of one Runtime: the watcher thread that raises the interrupt flag, and the memory
    limit of its Lua state."""

    def __init__(self, rt, sandbox=False, memory_limit=None, time_limit=None):
        self.rt = rt
        self.sandbox = sandbox
        self.memory_limit = memory_limit
        self.time_limit = time_limit
        self.S = rt.lua.eval('require("ljs.sandbox")')
        self._flag_view = None
        self._cond = threading.Condition()
        self._deadline = None
        self._running = 0          # nesting of runs (a Python callback may run JS again)
        self._thread = None
        self._closed = False
        # runs need the flag reset and the clock armed only where something reads the flag
        self.watched = bool(rt._poll or time_limit is not None)
        self.call = rt._helpers.guarded   # a bridge function, run with the memory reserve (ljs/sandbox.lua)
        if sandbox:
            self.S.lock_down(rt.lua.table_from({"memory_limited": memory_limit is not None}))
        if memory_limit is not None:
            # the runtime's own data is not the program's: the limit counts from here, plus the
            # reserve kept for returning to Python (ljs/sandbox.lua)
            rt.lua.execute("collectgarbage()")
            total = rt.lua.get_memory_used(total=True) + int(memory_limit) + int(self.S.BALLAST)
            rt.R.memory_limit_total = total
            rt.lua.set_max_memory(total, total=True)

    @property
    def _flag(self):
        """The interrupt flag, written from any thread without entering Lua. It lives in the Lua
        state (R.interrupt), which this Runtime keeps alive as long as the watcher can write to it.
        Made on first use: ctypes costs a warm start 1.6 ms."""
        if self._flag_view is None:
            import ctypes
            self._flag_view = ctypes.c_int32.from_address(int(self.S.flag_address()))
        return self._flag_view

    # -- runs ------------------------------------------------------------------------------------
    def __enter__(self):
        with self._cond:
            # the flag is nonzero only where poll points read it or Python wrote it
            if self._running == 0 and (self.watched or self._flag_view is not None):
                self._flag.value = 0
                if self.time_limit is not None:
                    self._deadline = time.monotonic() + self.time_limit
                    self._ensure_thread()
                    self._cond.notify_all()
            self._running += 1
        return self

    def __exit__(self, *exc):
        with self._cond:
            self._running -= 1
            if self._running == 0:
                self._deadline = None
                self._cond.notify_all()
        return False

    def interrupt(self, code=INTERRUPT):
        """Ask the running program to stop at its next poll point (any thread)."""
        with self._cond:
            # only code with poll points reads the flag; elsewhere it would linger into the
            # next error this run reports
            if self._running and self.rt._poll:
                self._flag.value = code

    def _ensure_thread(self):
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="luascript-time-limit", daemon=True)
            self._thread.start()

    def _watch(self):
        with self._cond:
            while not self._closed:
                if self._deadline is None:
                    self._cond.wait()
                    continue
                left = self._deadline - time.monotonic()
                if left > 0:
                    self._cond.wait(left)
                    continue
                if self._running and self._flag.value == 0:
                    self._flag.value = TIME
                self._deadline = None

    def close(self):
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    # -- after a run -----------------------------------------------------------------------------
    def stopped(self, err=None):
        """The LimitError for a run that ended with `err` (a thrown Lua value, or a
        LuaMemoryError), or None when no limit stopped it."""
        code = self._flag.value
        reason = self.S.kill_reason(err) if err is not None and not isinstance(err, BaseException) else None
        oom = isinstance(err, MemoryError) or (isinstance(err, (bytes, str)) and b"not enough memory" in (
            err if isinstance(err, bytes) else err.encode()))
        if reason is None and code == 0 and not oom:
            return None
        kind = {"time": TIME, "interrupt": INTERRUPT, "memory": MEMORY}.get(_s(reason), code or MEMORY)
        if self._running == 0:
            # the outermost run: a run nested in a Python callback leaves the flag set, so that the
            # program around it stops at its next poll
            self.recover()
        if kind == TIME:
            return TimeLimitError("TimeLimitError", "the program ran past its time limit of %gs" % self.time_limit)
        if kind == INTERRUPT:
            return Interrupted("Interrupted", "the program was interrupted (Ctrl-C)")
        if self.memory_limit is not None:
            return MemoryLimitError("MemoryLimitError", "the program used more than its memory limit of %s" %
                                    _size(self.memory_limit))
        return MemoryLimitError("MemoryLimitError", "the program ran out of memory")

    def recover(self):
        """Make the runtime usable again after a stop: no stale jobs or timers, and the memory a
        stopped program held is collected (LuaJIT collects nothing when an allocation fails)."""
        lua = self.rt.lua
        limit = lua.get_max_memory(total=True) if self.memory_limit is not None else None
        if limit is not None:
            lua.set_max_memory(0)   # room to collect and clean up
        try:
            lua.execute("local R = require('ljs.rt'); R.clear_event_loop(); collectgarbage(); collectgarbage()")
        finally:
            if limit is not None:
                lua.set_max_memory(limit, total=True)
            self._flag.value = 0


def _s(v):
    return v.decode() if isinstance(v, bytes) else v


def _size(n):
    for unit, k in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= k:
            return "%g %s" % (n / k, unit)
    return "%d bytes" % n


# ---- Ctrl-C for the command line --------------------------------------------------------------

GRACE_S = 0.5   # how long a program with poll points has to stop itself before the process ends


def _flush_all():
    """Flush C stdio (where Lua's io.write goes) and Python's streams, without entering Lua: the
    main thread holds the Lua state while a program runs."""
    import ctypes
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):
        pass
    for f in (sys.stdout, sys.stderr):
        try:
            f.flush()
        except (OSError, ValueError):
            pass


def watch_sigint(handler, on_sigint, name):
    """Ctrl-C while Lua runs: Python runs signal handlers only between bytecodes, so `handler`
    (the SIGINT handler) only marks, and a thread reading the signal from a wakeup fd calls
    on_sigint() for each Ctrl-C. Returns the function that undoes it, or None where signals
    cannot be set (not the main thread, no wakeup fd)."""
    import signal
    if threading.current_thread() is not threading.main_thread():
        return None
    r, w = os.pipe()
    os.set_blocking(w, False)
    try:
        old_fd = signal.set_wakeup_fd(w, warn_on_full_buffer=False)
        old_handler = signal.signal(signal.SIGINT, handler)
    except (ValueError, OSError):
        os.close(r)
        os.close(w)
        return None

    def watch():
        while True:
            try:
                data = os.read(r, 64)
            except OSError:
                return
            if not data:
                return
            if signal.SIGINT in data:
                on_sigint()

    threading.Thread(target=watch, name=name, daemon=True).start()

    def undo():
        try:
            signal.set_wakeup_fd(old_fd)
            signal.signal(signal.SIGINT, old_handler)
        except (ValueError, OSError):
            pass
    return undo


def cli_interrupts(rt):
    """Make Ctrl-C stop `luascript run` with status 130 and no traceback, even while Lua runs.
    Returns (undo, seen): a function that undoes it, and one that tells whether Ctrl-C came (a
    run that returned after it still exits with 130)."""
    state = {"hit": False}

    def handler(signum, frame):
        # runs only when the main thread is back in Python (between Lua calls, while compiling):
        # the watcher below ends the process either way
        state["hit"] = True

    def stop():
        state["hit"] = True
        if rt._poll:
            rt._guard.interrupt(INTERRUPT)
            time.sleep(GRACE_S)
        try:
            _flush_all()
        finally:
            os._exit(130)

    undo = watch_sigint(handler, stop, "luascript-sigint")
    if undo is None:
        return (lambda: None), (lambda: False)
    return undo, (lambda: state["hit"])
