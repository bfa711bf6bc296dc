"""`luascript profile`: run a program (or a Python app that embeds LuaScript) under the sampler and
write the profile; `--compare` checks two profiles for functions whose share changed."""
import os
import signal
import sys

from . import EXTENSIONS, FORMATS, write_profile
from .collect import Session


def add_arguments(p):
    import argparse
    p.add_argument("file", nargs="?", help="the program (.ljs/.js), or with --python a Python script")
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the program")
    p.add_argument("-o", "--output", help="output file ('-' for standard output; default: FILE's name with the "
                                          "format's extension in the current directory; text: standard output)")
    p.add_argument("--format", choices=FORMATS, default="speedscope", help="output format (default speedscope)")
    p.add_argument("--interval-ms", type=int, default=1, metavar="N",
                   help="sampling interval in ms (default 1; the kernel's tick rounds it up, the real interval "
                        "is reported)")
    p.add_argument("--mode", choices=("function", "line"), default="function",
                   help="function (default, lowest overhead) or line (per-line times)")
    p.add_argument("--open", action="store_true", help="show the result: speedscope where installed, else the "
                                                       "HTML page in the default browser")
    p.add_argument("--python", action="store_true", help="FILE is a Python script that embeds LuaScript: profile "
                                                         "the first Runtime it creates, Python frames on top")
    p.add_argument("--compare", nargs=2, metavar=("BASE", "NEW"),
                   help="compare two speedscope profiles; exit 1 when a function's share grew by more than "
                        "--threshold points")
    p.add_argument("--threshold", type=float, default=5.0, help="percentage points for --compare (default 5)")
    p.add_argument("--metric", choices=("self", "total"), default="self", help="share compared by --compare")
    p.add_argument("--no-cache", action="store_true", help="compile without reading or writing the cache")
    p.add_argument("--script", action="store_true", help="compile FILE as a classic script (as `run --script`)")


# options that may also follow FILE (`luascript profile app.ljs -o out.json`): name -> takes a value
_TRAILING = {"-o": True, "--output": True, "--format": True, "--interval-ms": True, "--mode": True,
             "--open": False, "--no-cache": False, "--script": False}


def _trailing_options(args):
    """Move the profiler's own options written after FILE out of the program's arguments; after
    `--`, everything is the program's."""
    rest, i, out = args.args, 0, []
    while i < len(rest):
        word = rest[i]
        name, eq, value = word.partition("=")
        if word == "--":
            out.extend(rest[i + 1:])
            break
        if name in _TRAILING:
            takes = _TRAILING[name]
            if takes and not eq:
                if i + 1 >= len(rest):
                    raise ValueError("option %s needs a value" % name)
                value = rest[i + 1]
                i += 1
            dest = {"-o": "output"}.get(name, name[2:].replace("-", "_"))
            if not takes:
                value = True
            elif dest == "interval_ms":
                try:
                    value = int(value)
                except ValueError:
                    raise ValueError("--interval-ms needs an integer, got %r" % value)
            elif dest == "format" and value not in FORMATS:
                raise ValueError("--format must be one of %s, got %r" % (", ".join(FORMATS), value))
            elif dest == "mode" and value not in ("function", "line"):
                raise ValueError("--mode must be function or line, got %r" % value)
            setattr(args, dest, value)
        else:
            out.append(word)
        i += 1
    args.args = out


def _fail(msg):
    print("luascript profile: " + msg, file=sys.stderr)
    return 1


def _output_path(args):
    if args.output:
        return args.output
    if args.format == "text":
        return "-"
    base = os.path.splitext(os.path.basename(args.file))[0]
    return base + EXTENSIONS[args.format]


def _check_writable(path):
    """Why `path` cannot be written, or None."""
    if path == "-":
        return None
    if os.path.isdir(path):
        return "cannot write %s: it is a directory" % path
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        return "cannot write %s: no such directory %s" % (path, parent)
    if not os.access(path if os.path.exists(path) else parent, os.W_OK):
        return "cannot write %s: permission denied" % path
    return None


def cmd_profile(args):
    if args.compare:
        return _compare(args)
    if not args.file:
        return _fail("no program given (luascript profile [options] FILE [args...])")
    try:
        _trailing_options(args)
    except ValueError as e:
        return _fail(str(e))
    if not os.path.isfile(args.file):
        return _fail("cannot read %s: no such file" % args.file)
    if args.interval_ms < 1:
        return _fail("--interval-ms must be at least 1")
    out = _output_path(args)
    why = _check_writable(out)
    if why:
        return _fail(why)
    if args.python:
        return _profile_python(args, out)
    return _profile_program(args, out)


def _compare(args):
    from .compare import compare
    try:
        changes, lines = compare(args.compare[0], args.compare[1], args.threshold, args.metric)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as e:
        return _fail("cannot compare: %s" % e)
    print("\n".join(lines))
    return 1 if any(n > b for _, b, n in changes) else 0


class _Finisher:
    """Writes the profile once: at the end, or from inside the sampler when Ctrl-C arrives."""

    def __init__(self, args, out, session):
        self.args, self.out, self.session = args, out, session
        self.done = False

    def write(self, profile):
        if self.done:
            return
        self.done = True
        if self.out == "-":
            from . import writer
            writer(self.args.format)(profile, sys.stdout)
            sys.stdout.flush()
        else:
            write_profile(profile, self.out, self.args.format)
        print("luascript profile: %d samples, one every %.2f ms of CPU time (requested %d ms), %s mode%s"
              % (profile.total_samples, profile.interval_ms, self.args.interval_ms, profile.mode,
                 "" if self.out == "-" else "; wrote " + self.out), file=sys.stderr)
        if self.args.open and self.out != "-":
            open_result(self.out, self.args.format, profile)

    def interrupt_now(self):
        """Ctrl-C: write what was collected so far and leave at once (the program is abandoned)."""
        self.session.error = "interrupted (Ctrl-C)"
        try:
            _flush_c_stdio()
            self.write(self.session.build())
        finally:
            sys.stderr.flush()
            os._exit(130)


def _flush_c_stdio():
    import ctypes
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):
        pass
    sys.stdout.flush()


def _install_sigint(finisher):
    session = finisher.session

    def on_sigint(signum, frame):
        if session.interrupted:           # a second Ctrl-C: do not wait for the sampler
            finisher.interrupt_now()
        session.interrupted = True

    session.on_interrupt = finisher.interrupt_now
    return signal.signal(signal.SIGINT, on_sigint)


def _profile_program(args, out):
    from ..cli import format_uncaught
    from ..errors import CompileError, JSError
    from ..runtime import ProcessExit, Runtime
    rt = Runtime(use_cache=not args.no_cache)
    session = Session(rt, args.mode, args.interval_ms, program=args.file)
    finisher = _Finisher(args, out, session)
    previous = _install_sigint(finisher)
    session.start()
    code = 0
    try:
        code = rt.run_file(args.file, args.args, script=args.script)
    except CompileError as e:
        session.stop()
        rt.flush()
        print(e.format(), file=sys.stderr)
        return 1
    except ProcessExit as e:
        code = e.code
    except JSError as e:
        rt.flush()
        session.error = format_uncaught(e)
        print(session.error, file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        session.interrupted = True
    finally:
        signal.signal(signal.SIGINT, previous)
    rt.flush()
    sys.stdout.flush()
    if session.interrupted:
        session.error = "interrupted (Ctrl-C)"
        code = 130
    finisher.write(session.stop())
    return code


def _profile_python(args, out):
    """Runs a Python script; the first luascript Runtime it creates is sampled."""
    import runpy
    import traceback
    from .. import runtime as runtime_module
    state = {"session": None, "warned": False}
    original_init = runtime_module.Runtime.__init__

    def init(rt, *a, **kw):
        original_init(rt, *a, **kw)
        if state["session"] is None:
            session = Session(rt, args.mode, args.interval_ms, python=True, program=args.file)
            session.python_root = os.path.abspath(args.file)
            state["session"] = session.start()
        elif not state["warned"]:
            state["warned"] = True
            print("luascript profile: the script created a second Runtime; only one runtime per process can be "
                  "sampled (LuaJIT's profiler is process-wide), so only the first is profiled", file=sys.stderr)

    # the app builds its runtimes itself: the class is wrapped for the length of this run only
    runtime_module.Runtime.__init__ = init
    saved_argv, code = sys.argv, 0
    sys.argv = [args.file] + list(args.args)
    try:
        runpy.run_path(os.path.abspath(args.file), run_name="__main__")
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except KeyboardInterrupt:
        code = 130
    except BaseException:          # noqa: BLE001 - the app's own failure: its traceback, then the profile
        traceback.print_exc()
        code = 1
    finally:
        runtime_module.Runtime.__init__ = original_init
        sys.argv = saved_argv
    session = state["session"]
    if session is None:
        return _fail("%s created no luascript Runtime: nothing was profiled" % args.file)
    if code == 130:
        session.error = "interrupted (Ctrl-C)"
    _Finisher(args, out, session).write(session.stop())
    return code


def open_result(path, fmt, profile):
    """speedscope's viewer where it is installed, else the HTML page in the default browser."""
    import shutil
    import subprocess
    import webbrowser
    if fmt == "speedscope":
        for cmd in ([shutil.which("speedscope"), path], [shutil.which("npx"), "--no-install", "speedscope", path]):
            if cmd[0]:
                try:
                    if subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      timeout=60).returncode == 0:
                        return
                except (OSError, subprocess.SubprocessError):
                    pass
    page = path
    if fmt not in ("html", "svg"):
        page = os.path.splitext(path)[0] + ".html"
        write_profile(profile, page, "html")
    if not webbrowser.open("file://" + os.path.abspath(page)):
        print("luascript profile: no browser found; open %s" % page, file=sys.stderr)
