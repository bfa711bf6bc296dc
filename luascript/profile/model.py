"""The profile every output is written from: frames, stacks (root first) and samples in time order."""
import os
from collections import namedtuple

# kind: "ljs" (a .ljs/.js function), "runtime" (LuaScript's Lua runtime), "lua" (other Lua code),
# "builtin" (a LuaJIT fast function), "python" (a Python frame above the Lua ones), "native" (time
# outside Lua: C or Python called from it), "vm" (garbage collector, JIT compiler)
Frame = namedtuple("Frame", "func file line kind")

VMSTATES = {"N": "compiled", "I": "interpreted", "C": "C code", "G": "garbage collector", "J": "JIT compiler"}


def display_path(path):
    """A path relative to the working directory when it lies below it."""
    if not path or not os.path.isabs(path):
        return path
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def label(frame):
    """The one text that names a frame in every output."""
    func, file, line, kind = frame
    if kind in ("ljs", "lua"):
        return "%s (%s:%d)" % (func, display_path(file), line)
    if kind == "python":
        return "%s (%s:%d) [python]" % (func, display_path(file), line)
    if kind == "runtime":
        return "%s [runtime %s:%d]" % (func, os.path.basename(file), line)
    if kind == "builtin":
        return "%s [builtin]" % func
    return func


class Profile:
    """samples: (stack index, sample count) in time order; weights in ms are count * interval_ms.
    heap: (cpu ms, KB) pairs; kernels: (name, ms, stack index) from the GPU runtime's CUDA events."""

    def __init__(self, frames, stacks, samples, mode, interval_ms, requested_ms, cpu_ms,
                 heap=(), kernels=(), vmstates=None, program="", error=None):
        self.frames = list(frames)
        self.stacks = list(stacks)
        self.samples = list(samples)
        self.mode = mode
        self.interval_ms = interval_ms
        self.requested_ms = requested_ms
        self.cpu_ms = cpu_ms
        self.heap = list(heap)
        self.kernels = list(kernels)
        self.vmstates = dict(vmstates or {})
        self.program = program
        self.error = error

    @property
    def total_samples(self):
        return sum(c for _, c in self.samples)

    @property
    def total_ms(self):
        return self.total_samples * self.interval_ms

    def stack_counts(self):
        """Sample count of each distinct stack."""
        out = {}
        for s, c in self.samples:
            out[s] = out.get(s, 0) + c
        return out

    def self_total(self, key=lambda frame: frame):
        """Self and total sample counts per key of a frame; a key counts once per sample even
        when recursion puts it on the stack several times."""
        selfc, totalc = {}, {}
        for s, c in self.stack_counts().items():
            stack = self.stacks[s]
            if not stack:
                continue
            keys = [key(self.frames[f]) for f in stack]
            selfc[keys[-1]] = selfc.get(keys[-1], 0) + c
            for k in set(keys):
                totalc[k] = totalc.get(k, 0) + c
        return selfc, totalc
