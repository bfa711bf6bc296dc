"""Sampling a Runtime: starts profiler/sampler.lua in its Lua state, takes the records it hands
over, and turns them into a Profile with .ljs names."""
import os
import sys

from .model import Frame, Profile

MODES = {"function": "f", "line": "l"}
_VM_LEAVES = {"C": Frame("(outside Lua: C or Python)", "", 0, "native"),
              "G": Frame("(garbage collector)", "", 0, "vm"),
              "J": Frame("(JIT compiler)", "", 0, "vm")}
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep

_active = None      # the Session sampling now: LuaJIT's profiler is one per process


class ProfilerBusy(RuntimeError):
    """A second runtime asked to be sampled while another one is."""


def find_profiler_root():
    """profiler/ in a source checkout, or luascript/_profiler in an installed wheel."""
    for cand in (os.path.join(_PACKAGE_DIR, "_profiler"),
                 os.path.join(os.path.dirname(os.path.dirname(_PACKAGE_DIR)), "profiler")):
        if os.path.isfile(os.path.join(cand, "sampler.lua")):
            return cand
    raise RuntimeError("LuaScript profiler files not found (looked in luascript/_profiler and profiler)")


def _load_lua_module(lua, name):
    path = os.path.join(find_profiler_root(), name + ".lua")
    return lua.eval("function(p) local f, e = loadfile(p); if not f then error(e, 0) end; return f() end")(path)


def _skip_python_file(filename):
    # LuaScript's own frames (Runtime.call, this module) and runpy's are glue, not the app
    return filename.startswith(_PACKAGE_DIR) or "runpy" in filename


class Session:
    """Samples one Runtime between start() and stop(); as a context manager, `profile` holds the
    result after the block. With `python`, the Python frames that called into Lua sit on top of
    the .ljs frames in each stack."""

    def __init__(self, runtime, mode="function", interval_ms=1, python=False, depth=256, program=""):
        if mode not in MODES:
            raise ValueError("profile mode must be 'function' or 'line', not %r" % (mode,))
        if not (isinstance(interval_ms, int) and interval_ms >= 1):
            raise ValueError("profile interval must be a whole number of milliseconds >= 1")
        self.rt = runtime
        self.mode = mode
        self.interval_ms = interval_ms
        self.python = python
        self.depth = depth
        self.program = program
        self.python_root = None      # a script path: Python frames above its own are left out
        self.profile = None
        self.error = None
        self.interrupted = False
        self.on_interrupt = None     # called from inside the sampler when Ctrl-C arrives
        self._sampler = None
        self._keys = {}              # id -> (vmstate, python stack id, raw stack)
        self._samples = []           # (id, count, cpu ms, heap KB)
        self._kernels = []           # (name, ms, raw stack)
        self._pystacks = [()]
        self._pyids = {(): 0}
        self._cpu_ms = 0.0

    # ---- sampling --------------------------------------------------------------------------
    def start(self):
        global _active
        if _active is not None:
            raise ProfilerBusy("only one runtime per process can be sampled at a time (LuaJIT's profiler is "
                               "process-wide); stop the profile of the other runtime first")
        self._sampler = _load_lua_module(self.rt.lua, "sampler")
        ok = self._sampler.start(MODES[self.mode], self.interval_ms, self.depth, self._sink,
                                 self._pystack if self.python else None)
        if not ok:
            raise ProfilerBusy("this runtime is already being sampled")
        _active = self
        self.rt.R.profile_kernel = self._sampler.kernel
        return self

    def stop(self):
        """Stops sampling and returns the Profile (also kept as `self.profile`)."""
        global _active
        if self._sampler is None:
            return self.profile
        text, cpu_ms, _total = self._sampler.stop()
        self.rt.R.profile_kernel = None
        self._sampler = None
        _active = None
        self._absorb(text)
        self._cpu_ms = float(cpu_ms or 0)
        self.profile = self.build()
        return self.profile

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        self.stop()
        if self.interrupted and exc_type is None:
            raise KeyboardInterrupt
        return False

    def write(self, path, fmt="speedscope"):
        """Writes the profile of a stopped session (formats: luascript.profile.FORMATS)."""
        if self.profile is None:
            raise RuntimeError("the profile session has not stopped yet")
        from . import write_profile
        write_profile(self.profile, path, fmt)

    def kernel_time(self, name, ms):
        """What the GPU runtime reports for a kernel (name, milliseconds from CUDA events)."""
        hook = self.rt.R.profile_kernel
        if hook is not None:
            hook(name, ms)

    def _sink(self, text):
        # Runs inside LuaJIT's profiler callback: anything raised here would be lost there.
        try:
            self._absorb(text)
            if self.interrupted and self.on_interrupt:
                self.on_interrupt()
        except KeyboardInterrupt:
            self.interrupted = True
            if self.on_interrupt:
                self.on_interrupt()
            return False
        return True

    def _pystack(self):
        f = sys._getframe(1)
        frames = []
        while f is not None:
            co = f.f_code
            if not _skip_python_file(co.co_filename):
                frames.append((co.co_filename, co.co_name, f.f_lineno, co.co_firstlineno))
            f = f.f_back
        key = tuple(reversed(frames))
        if self.python_root:            # --python: the app's script is the root, not its launcher
            starts = [i for i, fr in enumerate(key) if fr[0] == self.python_root]
            key = key[starts[0]:] if starts else key
        i = self._pyids.get(key)
        if i is None:
            i = self._pyids[key] = len(self._pystacks)
            self._pystacks.append(key)
        return i

    def _absorb(self, text):
        text = text.decode("utf-8", "surrogateescape") if isinstance(text, bytes) else (text or "")
        for row in text.split("\n"):
            parts = row.split("\t")
            tag = parts[0]
            if tag == "S" and len(parts) == 5:
                self._samples.append((int(parts[1]), int(parts[2]), float(parts[3]), float(parts[4])))
            elif tag == "K" and len(parts) == 5:
                self._keys[int(parts[1])] = (parts[2], int(parts[3] or 0), parts[4])
            elif tag == "G" and len(parts) == 4:
                self._kernels.append((parts[2], float(parts[1]), parts[3]))

    # ---- the profile -----------------------------------------------------------------------
    def build(self):
        from .symbols import Symbols
        from ..runtime import find_lua_root
        from lupa import luajit21
        state = luajit21.LuaRuntime(unpack_returned_tuples=True, register_eval=False, register_builtins=False)
        symbols = Symbols(_load_lua_module(state, "symbols"), self._chunk_lua, find_lua_root(), self.mode)
        frames, frame_ids, stacks, stack_ids = [], {}, [], {}

        def frame_id(fr):
            i = frame_ids.get(fr)
            if i is None:
                i = frame_ids[fr] = len(frames)
                frames.append(fr)
            return i

        def stack_id(vm, py, raw):
            key = (vm, py, raw)
            i = stack_ids.get(key)
            if i is None:
                lua = [symbols.frame(r) for r in raw.split("\1")] if raw else []
                lua = _drop_host_frames([f for f in lua if f is not None])
                chain = [self._python_frame(p) for p in self._pystacks[py]] + lua
                if vm in _VM_LEAVES:
                    chain.append(_VM_LEAVES[vm])
                i = stack_ids[key] = len(stacks)
                stacks.append(tuple(frame_id(f) for f in chain))
            return i

        total = sum(c for _, c, _, _ in self._samples)
        # before stop() (Ctrl-C) the last sample's clock stands in for the CPU time sampled
        cpu_ms = self._cpu_ms or (self._samples[-1][2] if self._samples else 0.0)
        interval = cpu_ms / total if total >= 10 and cpu_ms > 0 else float(self.interval_ms)
        samples, vmstates, heap = [], {}, []
        for kid, count, t, kb in self._samples:
            vm, py, raw = self._keys.get(kid, ("I", 0, ""))
            s = stack_id(vm, py, raw)
            if samples and samples[-1][0] == s:
                samples[-1] = (s, samples[-1][1] + count)
            else:
                samples.append((s, count))
            vmstates[vm] = vmstates.get(vm, 0) + count
            heap.append((t, kb))
        kernels = [(name, ms, stack_id("N", 0, raw)) for name, ms, raw in self._kernels]
        return Profile(frames, stacks, samples, self.mode, interval, float(self.interval_ms), cpu_ms,
                       heap, kernels, vmstates, self.program, self.error)

    def _python_frame(self, pf):
        filename, func, line, first = pf
        return Frame(func, filename, first if self.mode == "function" else line, "python")

    def _chunk_lua(self, path):
        """Generated Lua and line table of a .ljs chunk, as the runtime compiled it."""
        if not os.path.isfile(path):
            return None
        from ..compiler import POS_COLUMNS
        from ..errors import CompileError
        from ..runtime import compile_file
        try:
            lua, positions, _calls = compile_file(path, self.rt.use_cache, path == getattr(self.rt, "_script_path", None))
        except (OSError, CompileError):      # a file that no longer compiles is named by file:line only
            return None
        return lua, [p // POS_COLUMNS for p in positions]


def _drop_host_frames(frames):
    """Builtins (pcall) on the host's side of the first Lua frame are the bridge's, not the app's."""
    i = 0
    while i < len(frames) and frames[i].kind == "builtin":
        i += 1
    return frames[i:] if i < len(frames) else frames
