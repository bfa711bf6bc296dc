"""Runtime: one LuaJIT state (through lupa) with the LuaScript runtime, a module loader that
compiles .ljs/.js on demand, and the Python <-> JS value bridge."""
import marshal
import os
import shutil
import sys
import types

from .cache import cache_key
from .errors import CompileError, JSError
from .resolve import FileSystem, ResolveError, resolve, resolve_module  # noqa: F401 (resolve: used by the CLI)
from .source_text import read_source

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
# Allocation between garbage-collection cycles, at least (runtime/lua/ljs/gcbudget.lua): the
# runtime's own heap is a few MB that every cycle passes over again.
GC_BUDGET = 8 << 20


def find_lua_root():
    """runtime/lua in a source checkout, or luascript/_lua in an installed wheel."""
    for cand in (os.path.join(PACKAGE_DIR, "_lua"), os.path.join(os.path.dirname(PACKAGE_DIR), "runtime", "lua")):
        if os.path.isfile(os.path.join(cand, "ljs", "rt.lua")):
            return cand
    raise RuntimeError("LuaScript runtime files not found (looked in luascript/_lua and runtime/lua)")


def cache_dir():
    d = os.environ.get("LUASCRIPT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "luascript")
    return d


def compile_file(path, use_cache=True, script=False, poll=False):
    """Compile a file (as a classic script when `script`), reusing the on-disk cache keyed by
    source hash. Returns (lua_bytes, positions, call_names)."""
    return compile_text(read_source(path), path, use_cache, script, poll)


def compile_text(text, path, use_cache=True, script=False, poll=False, completion=False):
    """compile_file for source text that `path` names (a file, or "[eval]" for `-e` code);
    `completion`: the chunk returns the value of its last expression statement (`-p`)."""
    key = cache_key(text, path, script, poll, completion)
    d = cache_dir()
    lua_path = os.path.join(d, key[:2], key + ".lua")
    # the line table and call names in marshal's format: json costs a warm start 2 ms to import
    meta_path = lua_path[:-4] + ".meta"
    if use_cache and os.path.isfile(lua_path) and os.path.isfile(meta_path):
        try:
            with open(lua_path, "rb") as f:
                lua = f.read()
            with open(meta_path, "rb") as f:
                lines, calls = marshal.load(f)
            if isinstance(lines, list) and isinstance(calls, dict):
                return lua, lines, calls
        except (OSError, ValueError, EOFError, TypeError):
            pass
    from .compiler import compile_source
    options = {"script": True} if script else {}
    if poll:
        options["poll"] = True   # the sandbox's poll points (luascript/sandbox.py)
    if completion:
        options["completion"] = True
    res = compile_source(text, path, options or None)
    lines = res.positions()
    calls = res.call_names()
    if use_cache:
        try:
            os.makedirs(os.path.dirname(lua_path), exist_ok=True)
            tmp = lua_path + ".%d.tmp" % os.getpid()
            with open(tmp, "wb") as f:
                f.write(res.lua)
            os.replace(tmp, lua_path)
            with open(meta_path + ".tmp", "wb") as f:
                marshal.dump((lines, calls), f)
            os.replace(meta_path + ".tmp", meta_path)
        except OSError:
            pass
    return res.lua, lines, calls


class ProcessExit(Exception):
    def __init__(self, code):
        super().__init__("process.exit(%d)" % code)
        self.code = code


class Runtime:
    """An embedded LuaScript runtime.

    rt = Runtime(); rt.eval("1 + 2") -> 3; rt.run_file("app.ljs"); rt.get("x"); rt.set("x", 1)
    """

    def __init__(self, stdout=None, stderr=None, use_cache=True, sandbox=False, memory_limit=None, time_limit=None,
                 interruptible=False):
        """sandbox: run untrusted code (no lua: imports, FFI memory, file system, environment or
        host process; docs/sandbox.md). memory_limit: bytes the program may allocate beyond the
        runtime's own; without one, a GC cycle waits for GC_BUDGET bytes of allocation at least.
        time_limit: seconds each run (run_file, eval, call) may take. A program stopped by a limit
        raises luascript.sandbox.TimeLimitError / MemoryLimitError, which no JS catch block sees,
        and the runtime stays usable. interruptible: compile with poll points, so that
        interrupt() stops a run (the REPL's Ctrl-C), as the sandbox and a time limit do."""
        from lupa import luajit21
        # Lua code never reads attributes of Python objects: the filter denies them all, so no
        # value that reaches JS can lead back into Python (no __globals__, no builtins).
        # max_memory=0: lupa's counting allocator, without a limit until the runtime is loaded
        self.lua = luajit21.LuaRuntime(unpack_returned_tuples=True, register_eval=False, register_builtins=False,
                                       attribute_filter=_deny_attributes,
                                       max_memory=None if memory_limit is None else 0)
        self.sandbox = bool(sandbox)
        self._poll = self.sandbox or time_limit is not None or bool(interruptible)   # compile with poll points
        self._module_root = None   # sandbox: the only directory tree modules load from
        self._approved = set()     # sandbox: files the resolver let through
        self._guard = None
        self.use_cache = use_cache
        self._fs = FileSystem()   # resolution's view of the files, cached for this runtime's life
        self._stdout = stdout
        self._stderr = stderr
        root = find_lua_root()
        lg = self.lua.globals()
        lg.package.path = root + "/?.lua;" + lg.package.path
        if not os.path.isdir(os.path.join(root, "bindings")):
            # a source checkout: the Lua trees beside runtime/ (bindings/, ternary/) are at the top,
            # where a wheel carries them inside luascript/_lua
            lg.package.path = lg.package.path + ";" + os.path.dirname(os.path.dirname(root)) + "/?.lua"
        lg.python = None
        if use_cache:
            # the runtime's modules load from cached bytecode: parsing them costs more than the
            # rest of a warm start
            bc_dir = os.path.join(cache_dir(), "bytecode")
            try:
                os.makedirs(bc_dir, exist_ok=True)
                stamps = {}
                for f in os.listdir(os.path.join(root, "ljs")):
                    if f.endswith(".lua") and f not in SOURCE_ONLY:
                        st = os.stat(os.path.join(root, "ljs", f))
                        stamps["ljs." + f[:-4]] = "%d-%d" % (st.st_size, st.st_mtime_ns)
                self.lua.eval('require("ljs.bytecode")').install(root, bc_dir, self.lua.table_from(stamps))
            except OSError:
                pass
        self.R = self.lua.eval('require("ljs.rt")')
        R = self.R
        R.host_resolve = self._host_resolve
        R.host_load = self._host_load
        R.host_read = self._host_read
        R.host_function_text = self._host_function_text
        self._parsed = {}
        self._sources = {}   # chunk name -> source text of code that is no file (REPL inputs, -e)
        R.host_eval = self._host_eval
        R.host_library_dirs = _wheel_library_dirs   # where pip wheels keep the libraries bindings load
        R.host_normalize = _normalize
        R.cwd = os.getcwd()
        # node's fs (metadata calls) and process.env (name, value, ... in the environment's order)
        if not self.sandbox:
            from . import nodefs
            nodefs.install(self.lua, R)
            R.set_environment(self.lua.table_from([x for kv in os.environ.items() for x in kv]))
            R.set_exec_path(_exec_path())
        if stdout is not None or stderr is not None or not _is_real_stdout():
            out = stdout or sys.stdout
            err = stderr or sys.stderr
            R.write_out = lambda s: out.write(_lua_str(s))
            R.write_err = lambda s: err.write(_lua_str(s))
            for key, stream in (("stdout", out), ("stderr", err)):
                if not _isatty(stream):
                    R.not_terminal(key)
        # the bridge's functions as Python attributes: lupa (2.8) indexes a Lua table on the state
        # of the coroutine that called into Python, and from inside one (code after an `await`)
        # `table.name` came back as a tuple of whatever that stack held. Calls are not affected.
        self._helpers = types.SimpleNamespace(**{_lua_str(k): f for k, f in self.lua.execute(_BRIDGE_LUA).items()})
        self._gpu = None           # ljs.gpu, once a CUDA array has crossed
        self._is_device_array = self.lua.eval(
            "function(v) local m = getmetatable(v); return m ~= nil and m.device_array == true end")
        self._eval_count = 0
        self._eval_chunks = {}     # (source, filename) -> (Lua text, chunk name), see eval
        self.main = None
        self._script_path = None   # the main file, when it runs as a classic script
        self._main_path = None     # the main file (its compile error is the run's, not a SyntaxError)
        if memory_limit is None:
            # (under a limit, garbage waiting for a later cycle would count against the program)
            self.lua.eval('require("ljs.gcbudget")')(GC_BUDGET)
        # every runtime keeps a memory reserve for returning to Python after a program ran out
        # of memory (luascript/sandbox.py); the limits and the lock-down only when asked for
        from .sandbox import Guard
        self._guard = Guard(self, self.sandbox, memory_limit, time_limit)

    # ---- module loading --------------------------------------------------------------------
    def _host_resolve(self, spec, from_dir, kind=None):
        try:
            path = resolve_module(_lua_str(spec), _lua_str(from_dir), _lua_str(kind) or "require", self._fs)
        except ResolveError as e:
            if e.code == "MODULE_NOT_FOUND" and _lua_str(kind) == "import":
                return (None,) + _esm_not_found(_lua_str(spec), _lua_str(from_dir), e.message)
            return None, e.message, e.code
        if self.sandbox and isinstance(path, str):
            # the sandbox's file system is the main program's directory tree, nothing else
            real = os.path.realpath(path)
            root = self._module_root
            if root is None or not (real == root or real.startswith(root.rstrip("/") + "/")):
                return None, "Cannot find module '%s' (the sandbox loads modules only from the program's " \
                             "directory)" % _lua_str(spec), "MODULE_NOT_FOUND"
            self._approved.add(path)
        return path

    def _sandbox_check(self, path):
        if self.sandbox and path not in self._approved:
            raise PermissionError("the sandbox has no file system access (%s)" % path)

    def _host_read(self, path):
        path = _lua_str(path)
        self._sandbox_check(path)
        with open(path, encoding="utf-8") as f:
            return f.read()

    def _host_function_text(self, path, line, col):
        """Function.prototype.toString of a compiled function: the source text of the function or
        class that starts first at or after line:col (1-based, in characters) of path, on that line."""
        path = _lua_str(path)
        text = self._sources.get(path)
        if text is None:
            self._sandbox_check(path)
        from .syntax import parse
        from .transform.statements import FUNCTION_TYPES
        got = self._parsed.get(path)
        if got is None:
            got = parse(read_source(path) if text is None else text, path)    # CR LF stays in the text
            self._parsed = {path: got}     # the last file asked about: toString is rare, sources large
        tree, src = got
        best, stack = None, [tree.root_node]
        while stack:
            n = stack.pop()
            if n.start_point[0] > line - 1 or n.end_point[0] < line - 1:
                continue
            if n.type in FUNCTION_TYPES and n.start_point[0] == line - 1:
                c = src.col(n.start_point)
                if c >= col - 1 and (best is None or c < best[0]):
                    best = (c, n)
            stack.extend(n.named_children)
        if best is None:
            return None
        n = best[1]
        start = n.start_byte
        if n.type == "method_definition" and n.children[0].type == "static":   # V8 leaves it out
            start = next(c.start_byte for c in n.children[1:] if c.type != "comment")
        return src.data[start:n.end_byte].decode("utf-8", "surrogateescape")

    def _host_load(self, path):
        path = _lua_str(path)
        self._sandbox_check(path)
        try:
            lua, lines, calls = compile_file(path, self.use_cache, path == self._script_path, self._poll)
        except CompileError as e:
            if path == self._main_path:
                raise _CompileFailure(e)
            # a module loaded while the program runs (require, import): the error is a SyntaxError
            # the program may catch, thrown where the module would have run, naming its place
            return self._helpers.failed_chunk(e.message, "%s:%d:%d" % (e.filename, e.line, e.col))
        return self._load_chunk(lua, path, lines, calls)

    def _host_eval(self, source):
        """eval / new Function: compile JS source at run time; returns Lua text, or nil and the
        SyntaxError message."""
        from .compiler import compile_source
        try:
            res = compile_source(_as_eval(_lua_str(source)), "<eval>",
                                 {"eval": True, "poll": True} if self._poll else {"eval": True})
        except CompileError as e:
            return None, e.message
        return res.lua

    def _load_chunk(self, lua, path, lines, calls=None):
        chunk_name = "@" + path
        self._helpers.set_lines(chunk_name, self.lua.table_from(lines) if lines else self.lua.table())
        if calls:
            self._helpers.set_calls(chunk_name, self.lua.table_from(
                {k: self.lua.table_from(v) for k, v in calls.items()}))
        fn, err = self._helpers.load(lua, chunk_name)
        if not fn:
            raise RuntimeError("internal compiler error: generated Lua for %s does not load: %s" % (path, err))
        return fn

    # ---- running ---------------------------------------------------------------------------
    def run_file(self, path, argv=None, script=False):
        """Run a program file as the main module (with the event loop). Returns the exit code.
        With `script`, the file runs as a classic script rather than a CommonJS module: its
        top-level var and function declarations become properties of the global object and
        top-level `this` is the global object."""
        path = os.path.abspath(path)
        self._main_path = path
        if script:
            self._script_path = path
        args = ["luascript", path] + list(argv or [])
        self._helpers.set_argv(self.lua.table_from(args))
        jitlog = os.environ.get("LUASCRIPT_JIT_LOG")
        if jitlog:
            log = self.lua.eval('require("ljs.jitlog")')
            log.start()
        if self.sandbox and self._module_root is None:
            self._module_root = os.path.realpath(os.path.dirname(path))
            self._approved.add(path)
        try:
            ok, err, code = self._limited(self._helpers.run_main, path)
        finally:
            if jitlog:
                log.report(sys.stderr.write)
        return self._finish(ok, err, code)

    def run_source(self, source, filename="[eval]", argv=None, print_result=False):
        """Run JS source text as the main program, as node runs `-e`/`-p` code and a program read
        from standard input: a classic script (an ES module when it uses import/export) named
        `filename` in stack traces, whose require() resolves from the working directory, with its
        event loop. argv: process.argv after its first element ("luascript"). print_result: print
        the value of the last expression statement after the program's synchronous part, a string
        as it is and anything else through util.inspect, as `node -p` does. Returns the exit code."""
        path = os.path.join(os.getcwd(), filename)
        lua, lines, calls = compile_text(source, filename, self.use_cache, script=True, poll=self._poll,
                                         completion=bool(print_result))
        self._sources[filename] = source
        fn = self._load_chunk(lua, filename, lines, calls)
        self._helpers.set_argv(self.lua.table_from(["luascript"] + list(argv or [])))
        if self.sandbox and self._module_root is None:
            self._module_root = os.path.realpath(os.getcwd())
        ok, err, code = self._limited(self._helpers.run_source, fn, path, bool(print_result))
        return self._finish(ok, err, code)

    def _limited(self, fn, *args):
        """fn(*args) under this runtime's limits (time, memory, Ctrl-C at poll points)."""
        g = self._guard
        try:
            if not g.watched:
                return g.call(fn, *args)
            with g:
                return g.call(fn, *args)
        except MemoryError as e:   # lupa's LuaMemoryError: not even the bridge found memory
            stop = g.stopped(e)
            if stop is None:
                raise
            raise stop from None

    def _check_stopped(self, err):
        stop = self._guard.stopped(err)
        if stop is not None:
            raise stop

    def _finish(self, ok, err, code):
        if ok:
            return int(code or 0)
        if isinstance(err, _CompileFailure):
            raise err.error
        self._check_stopped(err)
        kind = self._helpers.error_kind(err)
        if kind == "exit":
            raise ProcessExit(int(self._helpers.exit_code(err)))
        if kind == "compile":
            raise self._pending_compile_error
        raise self._js_error(err)

    def _js_error(self, err):
        name, message, stack, value = self._helpers.describe(err)
        return JSError(_lua_str(name), _lua_str(message), _lua_str(stack), value, int(self.R.fatal_exit_code or 1))

    def eval(self, source, filename="<eval>"):
        """Evaluate JS source; returns the value of the last expression statement."""
        # Sources seen before reuse their compiled chunk and its name: compiling costs ~1 ms, and
        # every chunk name keeps a line table for stack traces for the runtime's life, so a host
        # evaluating the same few programs over and over would otherwise grow without end.
        cache = self._eval_chunks
        hit = cache.get((source, filename))
        if hit is not None:
            lua, name = hit
            fn, err = self._helpers.load(lua, "@" + name)
        else:
            from .compiler import compile_source
            self._eval_count += 1
            res = compile_source(_as_eval(source), filename,
                                 {"eval": True, "poll": True} if self._poll else {"eval": True})
            lines = res.positions()
            name = filename + "#%d" % self._eval_count
            fn = self._load_chunk(res.lua, name, lines, res.call_names())
            if len(cache) >= 256:
                cache.pop(next(iter(cache)))
            cache[(source, filename)] = (res.lua, name)
        ok, err, value = self._limited(self._helpers.run_eval, fn)
        if not ok:
            if isinstance(err, _CompileFailure):
                raise err.error
            self._check_stopped(err)
            if self._helpers.error_kind(err) == "exit":
                raise ProcessExit(int(self._helpers.exit_code(err)))
            raise self._js_error(err)
        return self.to_python(value)

    def flush(self):
        """Flush what the program wrote through C stdio (the CLI's stdout and stderr)."""
        self.lua.execute("io.stdout:flush(); io.stderr:flush()")

    def get(self, name):
        return self.to_python(self._helpers.global_get(name))

    def profile(self, mode="function", interval_ms=1):
        """Sample the .ljs code this runtime runs: `with rt.profile() as p: ...`, then p.profile,
        p.write(path, format). Python frames that call into it sit on top (luascript.profile)."""
        from .profile import Session
        return Session(self, mode, interval_ms, python=True)

    def set(self, name, value):
        self._helpers.global_set(name, self.to_js(value))

    def call(self, fn, *args):
        f = self.R.G[fn] if isinstance(fn, str) else fn
        ok, err, value = self._limited(self._helpers.call, f, *[self.to_js(a) for a in args])
        if not ok:
            self._check_stopped(err)
            raise self._js_error(err)
        return self.to_python(value)

    def interrupt(self):
        """Stop the program this runtime is running (from another thread or a signal handler):
        it raises luascript.sandbox.Interrupted at its next poll point. Only code compiled with
        poll points (sandbox=True or a time_limit) can be stopped this way."""
        from .sandbox import INTERRUPT
        self._guard.interrupt(INTERRUPT)

    # ---- values ----------------------------------------------------------------------------
    def to_js(self, v):
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            # an int the double holds exactly is a number; a larger one a BigInt rather than rounded
            try:
                if int(float(v)) == v:
                    return float(v)
            except OverflowError:
                pass
            return self._helpers.bigint("%x" % v)
        if isinstance(v, float):
            return v
        if isinstance(v, (list, tuple)):
            return self._helpers.array(self.lua.table_from([self.to_js(x) for x in v]), len(v))
        if isinstance(v, dict):
            keys = [str(k) for k in v]
            vals = [self.to_js(x) for x in v.values()]
            return self._helpers.object(self.lua.table_from(keys), self.lua.table_from(vals), len(keys))
        if hasattr(v, "__cuda_array_interface__"):    # CuPy, PyTorch, Numba, pycuda: stays on the device
            return self._cuda_to_js(v)
        if hasattr(v, "__array_interface__") and hasattr(v, "dtype"):
            return self._numpy_to_js(v)
        if callable(v):
            rt = self

            def bridge(*args):
                return rt.to_js(v(*[rt.to_python(a) for a in args]))
            return self._helpers.pyfunc(bridge)
        raise TypeError("cannot pass %r to JavaScript" % type(v).__name__)

    def to_python(self, v):
        t = self.lua.eval("type")(v)
        if t in ("nil",):
            return None
        if t in ("number",):
            if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53:
                return int(v)
            return v
        if t in ("string", "boolean"):
            return _lua_str(v) if t == "string" else v
        kind = self._helpers.kind(v)
        if kind == "null":
            return None
        if kind == "array":
            n = int(self._helpers.length(v))
            return [self.to_python(self._helpers.rawindex(v, i)) for i in range(n)]
        if kind == "typed":
            if self._is_device_array(v):
                return _CudaArray(v, *self._gpu_module().cuda_interface(v))
            return self._typed_to_numpy(v)
        if kind == "bigint":
            return int(_lua_str(self._helpers.bigint_hex(v)), 16)
        if kind == "integer":
            return _int_from_decimal(_lua_str(self._helpers.integer_text(v)))
        if kind == "promise":
            # the event loop has run by the time a value comes back (eval, call): a settled
            # promise is its value, or the JSError of its reason; a pending one stays a JS object
            state, value = self._helpers.promise(v)
            if state == "fulfilled":
                return self.to_python(value)
            if state == "rejected":
                raise self._js_error(value)
            return v
        if kind == "function":
            rt = self

            def call(*args):
                return rt.call(v, *args)
            return call
        if kind == "object":
            keys = self._helpers.objkeys(v)
            out = {}
            for i in range(1, int(self._helpers.length_of_list(keys)) + 1):
                k = self._helpers.rawindex(keys, i)
                out[_lua_str(k) if isinstance(k, (bytes, str)) else k] = self.to_python(self._helpers.index(v, k))
            return out
        return v

    def _numpy_to_js(self, a):
        import numpy as np
        kinds = {"float32": "Float32Array", "float64": "Float64Array", "int8": "Int8Array", "uint8": "Uint8Array",
                 "int16": "Int16Array", "uint16": "Uint16Array", "int32": "Int32Array", "uint32": "Uint32Array",
                 "int64": "BigInt64Array", "uint64": "BigUint64Array"}
        kind = kinds.get(str(a.dtype))
        if kind is None:
            raise TypeError("NumPy dtype %s has no typed array" % a.dtype)
        if not a.flags["C_CONTIGUOUS"]:
            raise ValueError("only C-contiguous NumPy arrays are shared with JavaScript")
        if not a.flags["WRITEABLE"]:
            # JavaScript may store into any typed array: a read-only array goes over as a copy
            a = a.copy()
        ptr = a.__array_interface__["data"][0]
        keep = self._helpers.keepalive(a)
        return self._helpers.typed_from_address(kind, ptr, a.size, keep)

    def _gpu_module(self):
        if self._gpu is None:
            self._gpu = self.lua.eval('require("ljs.gpu")')
        return self._gpu

    def _cuda_to_js(self, v):
        """A device array (ljs.gpu) over the memory of a `__cuda_array_interface__` object."""
        cai = v.__cuda_array_interface__
        typestr = cai["typestr"]
        kind = _CUDA_KINDS.get(typestr[1:]) if typestr[:1] in "<|" else None
        if kind is None:
            raise TypeError("__cuda_array_interface__ type %s has no typed array" % typestr)
        shape = tuple(cai["shape"])
        n, size = 1, int(typestr[2:])
        for d in shape:
            n *= d
        strides = cai.get("strides")
        if strides is not None and n > 1:
            want, step = [], size
            for d in reversed(shape):
                want.insert(0, step)
                step *= d
            if any(s != w for s, w, d in zip(strides, want, shape) if d > 1):
                raise ValueError("only C-contiguous CUDA arrays are shared with JavaScript")
        if cai.get("mask") is not None:
            raise ValueError("masked CUDA arrays are not shared with JavaScript")
        addr, readonly = cai["data"]
        return self._gpu_module().from_device(kind, addr, n, bool(readonly), self._helpers.keepalive(v), cai.get("stream"))

    def _typed_to_numpy(self, v):
        import numpy as np
        import ctypes
        kind, addr, n = self._helpers.typed_info(v)
        dtypes = {"Float32Array": np.float32, "Float64Array": np.float64, "Int8Array": np.int8,
                  "Uint8Array": np.uint8, "Uint8ClampedArray": np.uint8, "Int16Array": np.int16,
                  "Uint16Array": np.uint16, "Int32Array": np.int32, "Uint32Array": np.uint32,
                  "BigInt64Array": np.int64, "BigUint64Array": np.uint64}
        dt = np.dtype(dtypes[_lua_str(kind)])
        n = int(n)
        if n == 0:
            return np.zeros(0, dt)
        # the array's base holds the Lua typed array, so its memory lives as long as the view
        return np.asarray(_TypedView(v, int(addr), n, dt))


def _wheel_library_dirs():
    from .bindgen import wheel_library_dirs
    return ":".join(wheel_library_dirs())


def _esm_not_found(spec, from_dir, message):
    """node's error for an import that finds nothing: (message, code); ljs.rt adds "imported from"."""
    if spec.startswith(("./", "../", "/")) or spec in (".", ".."):
        return "Cannot find module '%s'" % os.path.normpath(os.path.join(from_dir, spec)), "ERR_MODULE_NOT_FOUND"
    if message == "Cannot find module '%s'" % spec:   # the package itself, not a file inside it
        parts = spec.split("/")
        return "Cannot find package '%s'" % "/".join(parts[:2 if spec.startswith("@") else 1]), "ERR_MODULE_NOT_FOUND"
    return message, "ERR_MODULE_NOT_FOUND"


def _normalize(s, form):
    import unicodedata
    return unicodedata.normalize(_lua_str(form), _lua_str(s))


def _deny_attributes(obj, attr_name, is_setting):
    raise AttributeError("Python attributes are not accessible from LuaScript")


class _TypedView:
    def __init__(self, owner, addr, n, dtype):
        self.owner = owner
        self.__array_interface__ = {"shape": (n,), "typestr": dtype.str, "data": (addr, False), "version": 3}


_CUDA_KINDS = {"f4": "Float32Array", "f8": "Float64Array", "i1": "Int8Array", "u1": "Uint8Array",
               "i2": "Int16Array", "u2": "Uint16Array", "i4": "Int32Array", "u4": "Uint32Array",
               "i8": "BigInt64Array", "u8": "BigUint64Array"}
_CUDA_TYPESTR = {k: ("|" if t[1] == "1" else "<") + t for t, k in _CUDA_KINDS.items()}
_CUDA_TYPESTR["Uint8ClampedArray"] = "|u1"


class _CudaArray:
    """A JS device array handed to Python: CuPy, PyTorch and Numba take it without a copy
    (`cupy.asarray(a)`, `torch.as_tensor(a, device="cuda")`); it keeps the JS array alive."""

    def __init__(self, owner, addr, kind, n, readonly):
        self.owner = owner
        self.__cuda_array_interface__ = {"shape": (int(n),), "typestr": _CUDA_TYPESTR[_lua_str(kind)],
                                         "data": (int(addr), bool(readonly)), "strides": None,
                                         "version": 3, "stream": None}

    def __repr__(self):
        cai = self.__cuda_array_interface__
        return "<luascript device array %s[%d] at 0x%x>" % (cai["typestr"], cai["shape"][0], cai["data"][0])


class _CompileFailure(Exception):
    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def _int_from_decimal(text):
    """int(text) at any length: Python refuses decimal strings past its limit (4,300 digits
    unless sys.set_int_max_str_digits says otherwise), so a longer one is read in halves."""
    try:
        return int(text)
    except ValueError:
        if len(text) <= 4000:
            raise
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-")
    k = len(digits) // 2
    return sign * (_int_from_decimal(digits[:-k]) * 10 ** k + _int_from_decimal(digits[-k:]))


def _lua_str(s):
    if isinstance(s, bytes):
        return s.decode("utf-8", "surrogateescape")
    return s if s is not None else ""


def _exec_path():
    """process.execPath: the luascript command this process was started as, else the one on PATH
    (`luascript FILE` runs a file as `node FILE` does), else the Python interpreter."""
    a0 = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if os.path.basename(a0).startswith("luascript") and not a0.endswith(".py") and os.access(a0, os.X_OK):
        return a0
    return shutil.which("luascript") or sys.executable


def _isatty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _is_real_stdout():
    try:
        return sys.stdout is sys.__stdout__ and sys.stdout.fileno() == 1
    except (AttributeError, ValueError, OSError):
        return False


def _as_eval(source):
    """Make the last expression statement's value the chunk's result."""
    from .syntax import parse
    tree, src = parse(source, "<eval>")
    if "__luascript_eval_result" in source:
        return source
    stmts = [c for c in tree.root_node.named_children if c.type != "comment"]
    if stmts and stmts[-1].type == "expression_statement":
        last = stmts[-1]
        data = src.data
        inner = last.named_children[0]
        expr = data[inner.start_byte:inner.end_byte].decode("utf-8", "surrogatepass")
        before = data[:last.start_byte].decode("utf-8", "surrogatepass")
        return before + "globalThis.__luascript_eval_result = (" + expr + ");"
    return source + "\n;globalThis.__luascript_eval_result = undefined;"


# The runtime module that loads from source even with the bytecode cache: that cache's loader
SOURCE_ONLY = frozenset(("bytecode.lua",))

_BRIDGE_LUA = r"""
local R = require("ljs.rt")
local null = R.null
local H = {}
local ffi = require("ffi")

function H.set_lines(name, t)
  local m = {}
  for i = 1, #t do if t[i] ~= 0 then m[i] = t[i] end end
  R.linemaps[name] = m
end
function H.set_calls(name, t) R.callnames[name] = t end
function H.load(text, name) local f, e = load(text, name); return f or false, e or false end
function H.set_argv(t)
  local a = R.pack()
  for i = 1, #t do a[i - 1] = t[i] end
  R.process.argv = a
end

local function classify(e)
  if type(e) == "table" then
    local mt = getmetatable(e)
    if mt == R.EXIT then return "exit" end
  end
  return "js"
end
function H.error_kind(e) return classify(e) end
-- what a module that does not compile runs instead: its SyntaxError, at the offending place
function H.failed_chunk(msg, where)
  return function()
    local e = R.make_error("SyntaxError", msg)
    R.set_error_stack(e, "SyntaxError: " .. msg .. "\n    at " .. where)
    R.throw(e)
  end
end
function H.exit_code(e) return e.code end

local function traceback_handler(e)
  if type(e) == "string" and not e:find("^[^:\n]*:%d+: ") then
    return e
  end
  return e
end

-- A main program: start() runs its chunk, then come the event loop and process's beforeExit and
-- exit, as node ends a program. Returns ok, the error, the exit code.
local function run_program(start)
  local exited = false
  local ok, err = pcall(function()
    start()
    R.run_event_loop()
    -- beforeExit each time the loop empties, as long as its listeners give it more to do
    repeat
      R.process_emit("beforeExit", R.tonum(R.process.exitCode or 0))
      local more = R.loop_alive()
      R.run_event_loop()
    until not more
    exited = true
    R.process_emit("exit", R.tonum(R.process.exitCode or 0))
  end)
  if ok then
    local code = R.process.exitCode
    return true, nil, code and R.tonum(code) or 0
  end
  if type(err) == "table" and getmetatable(err) == R.EXIT then
    if not exited then pcall(R.process_emit, "exit", err.code) end
  elseif not (type(err) == "string" and err:find("not enough memory", 1, true)) then
    -- an uncaught error ends the program with code 1, and 'exit' listeners hear it (once: an
    -- error thrown by one of them is not announced to them again)
    R.process.exitCode = 1
    if not exited then pcall(R.process_emit, "exit", 1) end
  end
  return false, err, nil
end

function H.run_main(path)
  local mod = R.new_main_record(path)
  return run_program(function()
    local chunk = R.host_load(path)
    R.run_task(chunk, R, mod)
    mod.loaded = true
  end)
end

-- `-e`/`-p` code and a program read from standard input (Runtime.run_source): run_main for a
-- chunk compiled already; with print_result, the chunk returns its last expression's value (or,
-- with top-level await, the promise of its body) and that is printed as node -p prints it
local function print_value(v)
  R.write_out((type(v) == "string" and v or R.inspect(v)) .. "\n")
end
function H.run_source(fn, path, print_result)
  local mod = R.new_main_record(path)
  return run_program(function()
    local value
    local ran = R.run_task(function(...) value = fn(...) end, R, mod)
    mod.loaded = true
    if ran and print_result then
      if value ~= nil and rawget(mod, "promise") == value then
        -- (a derived promise takes a rejection on, which goes unhandled as without -p)
        R.promise_then(value, function(_, v) print_value(v) end, nil, R.new_promise())
      else
        print_value(value)
      end
    end
  end)
end

-- The REPL (luascript/repl.py). repl_new: the session's module record (require() from the working
-- directory), its table of top-level lexical declarations (J0_L of the compiled inputs), and the
-- global accessors `_` and `_error` (the last value and the last error, as node's REPL has them;
-- assigning one turns its updates off). Timers sleep in slices, so Ctrl-C stops a wait for one.
local repl_last, repl_error = {auto = true}, {auto = true}
-- A name no input had declared when an input was compiled (a function may read a let that a
-- later input declares): the session's table, where that declares it, else the global object.
-- repl_kinds[scope][name] = "let" | "const" for every top-level lexical declaration compiled so
-- far (H.repl_declare, before its input runs); the table holds R.TDZ until the declaration ran.
local repl_kinds = setmetatable({}, {__mode = "k"})
local TDZ = R.TDZ
function R.repl_get(L, name)
  local v = L[name]
  if v == nil then
    if not repl_kinds[L][name] then return R.global(name) end
  elseif v == TDZ then R.tdz(name) end
  return v
end
function R.repl_peek(L, name)   -- typeof: an undeclared name is no error
  local v = L[name]
  if v == nil then
    if not repl_kinds[L][name] then return R.G[name] end
  elseif v == TDZ then R.tdz(name) end
  return v
end
function R.repl_set(L, name, v)
  local kind = repl_kinds[L][name]
  if kind == nil then R.G[name] = v; return end
  if L[name] == TDZ then R.tdz(name) end
  if kind == "const" then R.const_assign(name) end
  L[name] = v
end
function H.repl_declare(L, name, kind) repl_kinds[L][name] = kind end
function H.repl_new()
  local mod = R.new_record(R.cwd .. "/<repl>", R.cwd)
  -- each input decides whether failed assignments throw, as the entry module does: sloppy, as in
  -- node's REPL, unless it starts with "use strict"
  rawset(mod, "main", true)
  for name, slot in pairs({_ = repl_last, _error = repl_error}) do
    R.defprop(R.G, name, {
      get = function() return slot.value end,
      set = function(_, v)
        slot.value = v
        if slot.auto then
          slot.auto = false
          R.write_out("Expression assignment to " .. name .. " now disabled.\n")
        end
      end,
      enumerable = false, configurable = true})
  end
  R.sleep_ms = require("ljs.sandbox").sliced_sleep(R.sleep_ms, 50)
  local scope = {}
  repl_kinds[scope] = {}
  return mod, scope
end
-- one input: fn(R, mod, scope) returns the value of the last expression; the host prints it and
-- then runs the event loop (H.run_loop), as node's REPL prints a value before the timers and
-- promise jobs the input started run. With top-level await fn returns the promise of the body,
-- and the event loop runs here until nothing is left, the body's end included. Returns ok, the
-- thrown error (an unhandled rejection for an await that threw) and whether the await never
-- settled. The value stays here (H.repl_show, H.repl_set_last): through Python, -0 would come
-- back as 0 and a huge integral double as a Python int that no Lua number holds.
local repl_value
function H.repl_show(opts) return R.inspect(repl_value, opts) end
function H.run_repl(fn, mod, scope, is_async)
  local ok, err, pending = H.run_repl_input(fn, mod, scope, is_async)
  if ok then repl_value = err; err = nil else repl_value = nil end
  return ok, err, pending
end
function H.run_repl_input(fn, mod, scope, is_async)
  local state = {}
  local ok, err = pcall(function()
    local v = fn(R, mod, scope)
    if is_async and R.is_promise(v) then
      state.promise = v
      R.promise_then(v, function(_, x) state.done, state.value = true, x end,
                     function(_, e) state.done, state.failed, state.value = true, true, e end)
      R.run_event_loop()
    else
      state.done, state.value = true, v
    end
  end)
  if not ok then return false, err, false end
  if state.failed then return false, setmetatable({value = state.value}, R.UNCAUGHT), false end
  if not state.done then return true, state.promise, true end   -- an await that never settles
  return true, state.value, false
end
function H.run_loop()
  local ok, err = pcall(R.run_event_loop)
  return ok, ok and nil or err, false
end
function H.repl_set_last() if repl_last.auto then repl_last.value = repl_value end end
function H.repl_set_error(v) if repl_error.auto then repl_error.value = v end end
-- the value of a thrown value (an unhandled rejection's reason), for `_error`
function H.thrown_value(e)
  if type(e) == "table" and getmetatable(e) == R.UNCAUGHT then return e.value end
  return R.caught(e)
end
-- Tab completion: the names that start with prefix, of the value at path (a list of property names
-- from a variable: a top-level let of the session or a global), or of the variables themselves
-- when path is empty; own and inherited property names, as node's REPL completes them
function H.repl_complete(scope, path, prefix)
  local ok, res = pcall(function()
    local Object = R.G.Object
    local names = R.get(Object, "getOwnPropertyNames")
    local proto = R.get(Object, "getPrototypeOf")
    local seen, out = {}, {}
    local function take(k)
      if type(k) == "string" and not seen[k] and string.sub(k, 1, #prefix) == prefix then
        seen[k] = true
        out[#out + 1] = k
      end
    end
    local function walk(o)
      for _ = 1, 32 do
        if o == nil or o == null then return end
        local list = names(nil, o)
        for i = 0, (rawget(list, "length") or 0) - 1 do take(rawget(list, i)) end
        o = proto(nil, o)
      end
    end
    if #path == 0 then
      for k in pairs(repl_kinds[scope]) do take(k) end
      walk(R.G)
    else
      local v = scope[path[1]]
      if v == nil and not repl_kinds[scope][path[1]] then v = R.G[path[1]] end
      if v == TDZ then return {} end
      for i = 2, #path do v = R.get(v, path[i]) end
      walk(v)
    end
    table.sort(out)
    return out
  end)
  return ok and res or {}
end
function H.is_error(v) return R.is_error(v) == true end
function H.inspect_error(v) return R.inspect(v) end

-- one module record serves every eval, as node's REPL has one: a record per eval would stay
-- forever (its require function's properties refer back to it, and LuaJIT's weak tables have
-- no ephemerons), 2.5 KB for every eval of a long-lived runtime
local eval_record
function H.run_eval(fn)
  eval_record = eval_record or R.new_record(R.cwd .. "/<eval>", R.cwd)
  local mod = eval_record
  local ok, err = pcall(function()
    fn(R, mod)
    R.run_event_loop()
  end)
  if not ok then return false, err, nil end
  local v = rawget(R.G, "__luascript_eval_result")
  rawset(R.G, "__luascript_eval_result", nil)
  return true, nil, v
end

function H.call(f, ...)
  local args = {...}
  local n = select("#", ...)
  local ok, r = pcall(function() return f(nil, unpack(args, 1, n)) end)
  if ok then
    local ok2, err = pcall(R.run_event_loop)
    if not ok2 then return false, err, nil end
    return true, nil, r
  end
  return false, r, nil
end

-- f(...), a function above, with the memory reserve of ljs.sandbox around it (luascript/sandbox.py)
local S = require("ljs.sandbox")
function H.guarded(f, ...)
  S.before_run()
  local ok, r1, r2, r3 = pcall(f, ...)
  if not ok then r1, r2, r3 = false, r1, nil end
  S.after_run(r1, r2)
  return r1, r2, r3
end

-- name, message, stack, value of a thrown value
function H.describe(e)
  local v
  -- an unhandled rejection carries the JS reason itself: a string reason is no Lua error
  if type(e) == "table" and getmetatable(e) == R.UNCAUGHT then v = e.value else v = R.caught(e) end
  if R.is_error(v) then
    local name = v.name
    local stack = R.error_stack(v)
    return R.tostr(name), R.tostr(v.message), stack and R.tostr(stack) or "", v
  end
  local desc = R.inspect and R.inspect(v) or R.tostr(v)
  return "Uncaught", desc, "", v
end

function H.global_get(name) return rawget(R.G, name) or R.lookup(R.ObjectPrototype, name, R.G) end
function H.global_set(name, v) R.G[name] = v end

function H.kind(v)
  if v == null then return "null" end
  local t = type(v)
  if t == "function" then return "function" end
  if t == "table" then
    if R.isarray(v) then return "array" end
    if R.typed_kind and R.typed_kind(v) then return "typed" end
    if getmetatable(v) == R.BigIntMT then return "bigint" end
    if R.host_integers and H.integer_maker(v) then return "integer" end
    if R.is_promise(v) then return "promise" end
    return "object"
  end
  return t
end
function H.length(v) return rawget(v, "length") end
-- a promise's state and value; a rejection Python has seen counts as handled
function H.promise(p)
  local state, value = R.promise_state(p)
  if state == "rejected" then R.promise_then(p, nil, function() end) end
  return state, value
end
function H.objkeys(v)
  local ks, n = R.ownkeys(v)
  local out = {}
  for i = 1, n do out[i] = type(ks[i]) == "number" and R.numtostr(ks[i]) or ks[i] end
  return out
end
function H.length_of_list(t) return #t end
function H.index(v, k) return R.get(v, k) end
function H.rawindex(t, k) return rawget(t, k) end
function H.array(t, n)
  local a = {length = n}
  for i = 1, n do a[i - 1] = t[i] end
  return setmetatable(a, R.ArrayMT)
end
function H.object(keys, vals, n)
  local o = R.newobj()
  for i = 1, n do R.put(o, keys[i], vals[i]) end
  return o
end
function H.pyfunc(f)
  return R.fn(function(this, ...) return f(...) end, "python", 0)
end
-- The typed array's buffer holds this table, and so the NumPy array, for as long as a view of it
-- lives; nothing else may hold it, or every array handed in would stay alive for good.
function H.keepalive(obj)
  return {obj = obj}
end
function H.typed_from_address(kind, addr, n, keepalive)
  require("ljs.typedarray")
  local ctypes = {Float32Array = "float*", Float64Array = "double*", Int8Array = "int8_t*", Uint8Array = "uint8_t*",
    Int16Array = "int16_t*", Uint16Array = "uint16_t*", Int32Array = "int32_t*", Uint32Array = "uint32_t*",
    BigInt64Array = "int64_t*", BigUint64Array = "uint64_t*"}
  local ptr = ffi.cast(ctypes[kind], ffi.cast("uintptr_t", addr))
  return R.typed_from_pointer(kind, ptr, n, keepalive)
end
-- BigInts cross to Python as hexadecimal text ("-ff"), which Python's int() reads
function H.bigint(hex)
  local neg = string.sub(hex, 1, 1) == "-"
  local v = R.big.from_string("0x" .. (neg and string.sub(hex, 2) or hex))
  return neg and R.bigint_unop("neg", v) or v
end
function H.bigint_hex(v) return R.big.tostring(v, 16) end
-- the decimal text of an integer of a library's type (a ternary Ternary, or a subclass's): the
-- function making it, found by v's prototype chain (nil: none, or v lacks the type's slots)
function H.integer_maker(v)
  local integers, p = R.host_integers, R.getproto(v)
  if not integers then return nil end
  for _ = 1, 64 do
    if p == nil or p == R.null then return nil end
    local text = integers[p]
    if text then return text(v, true) and text or nil end
    p = R.getproto(p)
  end
end
function H.integer_text(v) return H.integer_maker(v)(v) end
function H.typed_info(v)
  return R.typed_kind(v), tonumber(ffi.cast("uintptr_t", v[R.TA_PTR])), v[R.TA_LEN]
end
return H
"""
