"""Command line: luascript build | run | check | repl | bindgen | profile, and node's -e/-p."""
import os
import sys

from . import __version__
from .errors import CompileError

DESCRIPTION = "LuaScript: JavaScript syntax compiled to Lua, run on LuaJIT."


SCRIPT_HELP = ("compile FILE as a classic script instead of a CommonJS module: its top-level var and "
               "function declarations become properties of the global object and top-level this is "
               "the global object (as in a browser <script> or node's vm.runInThisContext)")


EPILOG = ("With no COMMAND: an interactive prompt (REPL) when standard input is a terminal, else the "
          "program read from standard input. As with node, `luascript FILE [args...]` runs FILE (as "
          "`luascript run FILE [args...]`), `luascript -e CODE [args...]` runs CODE, "
          "`luascript -p CODE [args...]` (or -pe) also prints the value of its last expression, and "
          "`luascript - [args...]` runs the program on standard input; args become process.argv[1:] "
          "(after \"-\" for standard input). See `luascript repl --help`.")


def _parser():
    import argparse
    p = argparse.ArgumentParser(prog="luascript", description=DESCRIPTION, epilog=EPILOG)
    p.add_argument("--version", action="version", version="luascript " + __version__)
    # -e/-p/-i are read before argparse sees the command line (main), as node reads them: the
    # arguments after CODE are the program's, not subcommands; they are here for --help
    p.add_argument("-e", "--eval", metavar="CODE",
                   help="run CODE as a classic script (require() resolves from the working directory); "
                        "arguments after CODE become process.argv[1:]")
    p.add_argument("-p", "--print", metavar="CODE",
                   help="as -e, and print the value of CODE's last expression as node -p does (a string "
                        "as it is, any other value through util.inspect)")
    p.add_argument("-i", "--interactive", action="store_true",
                   help="start the REPL even when standard input is not a terminal")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("build", help="compile a program and the modules it imports to Lua (+ source maps)",
                       description="Compile FILE and every module it imports (relative imports) to Lua. Writes "
                                   "OUT (default FILE with .lua), OUT.map (Source Map v3), one .lua/.map pair "
                                   "per imported module beside OUT, and the CUDA C of each // @gpu loop as "
                                   "OUT-STEM.ljs_L<line>.cu.")
    b.add_argument("file")
    b.add_argument("-o", "--output", help="output Lua file (default: FILE with the extension .lua)")
    b.add_argument("--script", action="store_true", help=SCRIPT_HELP)
    b.add_argument("--bundle", action="store_true",
                   help="also compile every module the program reaches, node_modules packages included, into "
                        "OUT's folder with a manifest (OUT-STEM.bundle.json), so that `luascript run OUT` runs "
                        "it without the sources (see docs/npm.md)")
    b.add_argument("--version", action="version", version="luascript " + __version__)

    r = sub.add_parser("run", help="compile (cached) and run a program",
                       description="Compile FILE (and its imports, cached on disk by source hash) and run it on "
                                   "LuaJIT. The exit code is the program's. FILE - reads the program from "
                                   "standard input and runs it as node runs piped input: a classic script named "
                                   "[stdin] whose require() resolves from the working directory, with "
                                   "process.argv [\"luascript\", \"-\", args...].")
    r.add_argument("file", help="the program (.ljs, .js, .mjs, .cjs, or a .lua bundle); - for standard input")
    r.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed to the program (process.argv)")
    r.add_argument("--no-cache", action="store_true", help="compile without reading or writing the cache")
    r.add_argument("--script", action="store_true", help=SCRIPT_HELP)
    r.add_argument("--sandbox", action="store_true",
                   help="run untrusted code: no lua: imports, FFI memory (typed arrays), file system outside FILE's "
                        "directory, environment, child processes or native modules (docs/sandbox.md)")
    r.add_argument("--time-limit", type=float, metavar="SECONDS",
                   help="stop the program after SECONDS of wall-clock time (exit status 1)")
    r.add_argument("--memory-limit", type=float, metavar="MIB",
                   help="stop the program when it has allocated more than MIB mebibytes (exit status 1)")
    r.add_argument("--version", action="version", version="luascript " + __version__)

    c = sub.add_parser("check", help="report diagnostics only",
                       description="Parse and compile FILE without running it; print diagnostics as "
                                   "file:line:col: error: message. Exit 0 when clean, 1 otherwise.")
    c.add_argument("file")
    c.add_argument("--script", action="store_true", help=SCRIPT_HELP)
    c.add_argument("--version", action="version", version="luascript " + __version__)

    rp = sub.add_parser("repl", help="interactive prompt (what `luascript` alone starts on a terminal)",
                        description="Read JavaScript line by line and print each input's value as node's REPL "
                                    "does (util.inspect; undefined for statements). Inputs share one global "
                                    "scope: let, const, class and function declarations stay visible to later "
                                    "inputs; top-level await works; `_` holds the last value and `_error` the "
                                    "last error. Incomplete input (an open bracket, a trailing operator) "
                                    "continues on a '... ' prompt. Commands: .help, .exit, .break, .clear, "
                                    ".load FILE, .save FILE; Ctrl-D exits, Ctrl-C clears the line (twice on "
                                    "an empty line exits) or stops a running input. Line editing, Tab "
                                    "completion and history (~/.luascript_repl_history, or $LUASCRIPT_REPL_HISTORY; empty "
                                    "turns it off) use Python's readline module where it exists. When "
                                    "standard input is not a terminal, the REPL prints no prompts and no "
                                    "banner: only each input's output and value, or its error.")
    rp.add_argument("--no-cache", action="store_true", help="compile modules the REPL requires without the cache")
    rp.add_argument("--version", action="version", version="luascript " + __version__)

    g = sub.add_parser("bindgen", help="generate a LuaJIT FFI module from C headers",
                       description="Preprocess and parse C HEADERs, keep the declarations whose names start "
                                   "with an --include-prefix (plus every type they need) and write a Lua module "
                                   "that declares them with ffi.cdef, loads the library and returns one table of "
                                   "its functions and constants. See docs/bindgen.md.")
    g.add_argument("headers", nargs="+", metavar="HEADER", help="a header file (or a name found in an -I directory)")
    g.add_argument("--lib", action="append", required=True, metavar="NAME",
                   help="library name or path for ffi.load; repeat to give other names to try (libfoo.so.1)")
    g.add_argument("--include-prefix", action="append", required=True, metavar="PREFIX", dest="prefixes",
                   help="keep declarations and constants whose names start with PREFIX (repeatable)")
    g.add_argument("-I", action="append", default=[], metavar="DIR", dest="include_dirs", help="include directory")
    g.add_argument("-D", action="append", default=[], metavar="NAME[=VALUE]", dest="defines", help="define a macro")
    g.add_argument("--lib-path", action="append", default=[], metavar="DIR", dest="lib_dirs",
                   help="directory the module searches for the library when ffi.load(NAME) fails (repeatable)")
    g.add_argument("--name", help="module name used in messages (default: the first --lib)")
    g.add_argument("--version-macro", action="append", default=[], metavar="MACRO",
                   help="record this macro's value in the module's first lines")
    g.add_argument("--note", action="append", default=[],
                   help="a line for the module's first lines (where the headers came from, their version)")
    g.add_argument("-o", "--output", help="output Lua file (default: standard output)")

    pr = sub.add_parser("profile", help="run a program under the sampling profiler and write a flame graph",
                        description="Run FILE under LuaJIT's sampling profiler and write its profile with .ljs "
                                    "function names, files and lines: speedscope JSON (default), folded stacks, "
                                    "an SVG flame graph, an HTML page or a text table. Options may go before or after FILE; "
                                    "program arguments that look like them go after --. "
                                    "See docs/profiler.md.")
    from .profile.cli import add_arguments as add_profile_arguments
    add_profile_arguments(pr)
    return p


def _read(path):
    from .source_text import read_source
    try:
        return read_source(path)
    except OSError as e:
        print("luascript: cannot read %s: %s" % (path, e.strerror or e), file=sys.stderr)
        sys.exit(1)


def _options(args):
    return {"script": True} if getattr(args, "script", False) else None


def cmd_check(args):
    from .compiler import compile_source
    text = _read(args.file)
    try:
        compile_source(text, args.file, _options(args))
    except CompileError as e:
        print(e.format(), file=sys.stderr)
        return 1
    return 0


def cmd_build(args):
    from .compiler import compile_source
    from .runtime import resolve
    main = os.path.abspath(args.file)
    out = os.path.abspath(args.output) if args.output else os.path.splitext(main)[0] + ".lua"
    out_dir = os.path.dirname(out)
    if getattr(args, "bundle", False):
        from .bundle import build
        from .resolve import is_builtin
        return build(main, out, _options(args), _read, _module_specs, is_builtin)
    todo = [(main, out)]
    done = set()
    while todo:
        path, dest = todo.pop()
        if path in done:
            continue
        done.add(path)
        text = _read(path)
        try:
            if path == main:
                res = compile_source(text, args.file, _options(args))
            else:
                res = compile_source(text, os.path.relpath(path))
        except CompileError as e:
            print(e.format(), file=sys.stderr)
            return 1
        try:
            _write_outputs(res, dest)
        except OSError as e:
            print("luascript: cannot write %s: %s" % (e.filename or dest, e.strerror or e), file=sys.stderr)
            return 1
        for spec in _imports_of(text, path):
            target = resolve(spec, os.path.dirname(path))
            if target and target.endswith((".ljs", ".js", ".mjs", ".cjs")):
                rel = os.path.relpath(target, os.path.dirname(main))
                todo.append((target, os.path.join(out_dir, os.path.splitext(rel)[0] + ".lua")))
    return 0


def _write_outputs(res, dest):
    os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
    with open(dest, "wb") as f:
        f.write(res.lua)
    with open(dest + ".map", "w") as f:
        import json
        json.dump(res.source_map(os.path.basename(dest)), f)
    for k in res.kernels:
        # the CUDA C of each @gpu loop, beside the Lua: OUT-STEM.ljs_L<line>.cu
        with open("%s.%s.cu" % (os.path.splitext(dest)[0], k.name), "w", encoding="utf-8") as f:
            f.write(k.source)


def _imports_of(text, path):
    """Relative module specifiers a module imports or requires (statically)."""
    return [s for s, _ in _module_specs(text, path) if s.startswith(".")]


def _module_specs(text, path):
    """(specifier, "import" | "require") of every literal import, re-export, import(), require() and
    require.resolve()."""
    from .syntax import parse
    from .transform.literals import string_value
    try:
        tree, src = parse(text, path)
    except CompileError:
        return []
    out = []
    stack = [tree.root_node]

    class T:
        def text(self, n):
            return src.node_text(n)
    t = T()
    while stack:
        n = stack.pop()
        if n.type in ("import_statement", "export_statement"):
            s = n.child_by_field_name("source")
            if s is not None:
                out.append((string_value(t, s), "import"))
        elif n.type == "call_expression":
            f = n.child_by_field_name("function")
            a = n.child_by_field_name("arguments")
            callee = src.node_text(f) if f is not None else ""
            if callee in ("require", "import", "require.resolve") and f.type in ("identifier", "import", "member_expression") \
                    and a is not None and a.named_children and a.named_children[0].type == "string":
                out.append((string_value(t, a.named_children[0]), "import" if callee == "import" else "require"))
        stack.extend(n.named_children)
    return out


def cmd_run(args):
    from .runtime import Runtime
    stdin = args.file == "-"
    if not stdin and not os.path.isfile(args.file):
        print("luascript: cannot read %s: no such file" % args.file, file=sys.stderr)
        return 1
    sandbox = getattr(args, "sandbox", False)
    time_limit = getattr(args, "time_limit", None)
    memory_limit = getattr(args, "memory_limit", None)
    for name, v in (("--time-limit", time_limit), ("--memory-limit", memory_limit)):
        if v is not None and not v > 0:
            print("luascript: %s must be a positive number" % name, file=sys.stderr)
            return 2
    rt = Runtime(use_cache=not args.no_cache, sandbox=sandbox, time_limit=time_limit,
                 memory_limit=None if memory_limit is None else int(memory_limit * (1 << 20)))
    if stdin:
        return _run_stdin(rt, (["-"] if getattr(args, "dash", True) else []) + list(args.args))
    path = args.file
    if path.endswith(".lua"):
        from .bundle import attach, is_bundle
        if is_bundle(path):   # the output of build --bundle
            if rt._poll:
                # a bundle's Lua was compiled without the sandbox's poll points
                print("luascript: --sandbox and --time-limit run .ljs/.js sources, not bundles", file=sys.stderr)
                return 1
            path = attach(rt, path)
    return _execute(rt, lambda: rt.run_file(path, args.args, script=args.script))


def _run_stdin(rt, argv):
    """The program on standard input, as node runs it: a classic script named [stdin]; argv:
    process.argv after "luascript" ("-" and the program's arguments for `run -`)."""
    from .source_text import decode_source
    try:
        text = decode_source(sys.stdin.buffer.read())
    except (OSError, ValueError) as e:
        print("luascript: cannot read standard input: %s" % e, file=sys.stderr)
        return 1
    return _execute(rt, lambda: rt.run_source(text, "[stdin]", argv), {"[stdin]": text})


def cmd_eval(code, args, print_result):
    """`luascript -e CODE [args...]` / `-p CODE`: as node, CODE runs as a classic script named
    [eval], process.argv is ["luascript", args...]; -p prints the last expression's value."""
    from .runtime import Runtime
    rt = Runtime()
    return _execute(rt, lambda: rt.run_source(code, "[eval]", args, print_result), {"[eval]": code})


def cmd_repl(args):
    from .repl import main as repl_main
    return repl_main(use_cache=not getattr(args, "no_cache", False))


def _execute(rt, run, sources=None):
    """run() (a Runtime's run_file or run_source) with the command line's handling of Ctrl-C,
    limits, compile errors, process.exit and uncaught exceptions; returns the exit status.
    sources: {name: text} of programs that are no file, for the line an uncaught error shows."""
    from .runtime import ProcessExit
    from .errors import JSError
    from .sandbox import LimitError, Interrupted, cli_interrupts
    undo_interrupts, interrupted = cli_interrupts(rt)
    try:
        code = run()
        if interrupted():
            code = 130
    except Interrupted:
        _flush(rt)
        return 130
    except LimitError as e:
        _flush(rt)
        print("luascript: %s" % e.message, file=sys.stderr)
        return 1
    except CompileError as e:
        _flush(rt)
        print(e.format(), file=sys.stderr)
        return 1
    except ProcessExit as e:
        _flush(rt)
        return e.code
    except JSError as e:
        _flush(rt)
        print(format_uncaught(e, sources), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        _flush(rt)
        return 130
    finally:
        undo_interrupts()
    _flush(rt)
    return code


def cmd_bindgen(args):
    from .bindgen import BindgenError, command_line, generate
    try:
        text = generate(args.headers, args.lib, args.prefixes, args.include_dirs, args.defines, args.lib_dirs,
                        name=args.name, version_macros=args.version_macro, notes=args.note,
                        command=command_line(args))
    except BindgenError as e:
        print("luascript bindgen: error: %s" % e, file=sys.stderr)
        return 1
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        with open(args.output, "w") as f:
            f.write(text)
    except OSError as e:
        print("luascript bindgen: error: cannot write %s: %s" % (args.output, e.strerror or e), file=sys.stderr)
        return 1
    return 0


def cmd_profile(args):
    from .profile.cli import cmd_profile as profile
    return profile(args)


def format_uncaught(e, sources=None):
    """What node prints for an exception nothing caught: where it was thrown, then the error.
    sources: {name: text} of programs that are no file (-e code, standard input)."""
    if e.name == "Uncaught":
        return "Uncaught %s" % e.message
    if e.stack:
        from .errors import throw_site
        return throw_site(e.stack, sources) + "Uncaught " + e.stack
    return "Uncaught %s: %s" % (e.name, e.message)


def _flush(rt=None):
    if rt is not None:
        rt.flush()
    sys.stdout.flush()


class _RunArgs:
    def __init__(self, file, args, dash=True):
        self.file, self.args, self.no_cache, self.script = file, args, False, False
        self.dash = dash     # standard input: "-" in process.argv, as node puts it there for `node -`


# node's -e/-p spellings: option -> whether the value of the code is printed
_EVAL_OPTIONS = {"-e": False, "--eval": False, "-p": True, "--print": True, "-pe": True, "-ep": True}


COMMANDS = ("build", "run", "check", "bindgen", "profile", "repl")


def _node_style(argv):
    """node's command lines that are no subcommand, read before argparse (whose subcommands would
    take the program's arguments for commands): FILE, -e CODE, -p CODE, -, -i, nothing at all.
    Returns a function that runs it, or None."""
    a0 = argv[0] if argv else None
    if a0 is None:
        if _stdin_is_terminal():
            return lambda: cmd_repl(None)
        # as `node < app.js`: process.argv has no "-"
        return lambda: cmd_run(_RunArgs("-", [], dash=False))
    if a0 in ("-i", "--interactive") and len(argv) == 1:
        return lambda: cmd_repl(None)
    if a0 == "-":
        return lambda: cmd_run(_RunArgs("-", argv[1:]))
    if not a0.startswith("-") and a0 not in COMMANDS:
        if not os.path.exists(a0) and not any(c in a0 for c in "./\\"):
            return lambda: _usage_error("no such file or command: %s (commands: %s)" % (a0, ", ".join(COMMANDS)))
        # `luascript app.js args...` runs the file, as `node app.js` does
        return lambda: cmd_run(_RunArgs(a0, argv[1:]))
    opt, code, rest = None, None, None
    if a0 in _EVAL_OPTIONS:
        opt = a0
        if len(argv) < 2:
            return lambda: _usage_error("%s requires an argument" % a0)
        code, rest = argv[1], argv[2:]
    elif a0.startswith(("--eval=", "--print=")):
        opt, code = a0.split("=", 1)
        rest = argv[1:]
    else:
        return None
    if rest[:1] == ["--"]:   # as node: `-e CODE -- args` passes args without the --
        rest = rest[1:]
    return lambda: cmd_eval(code, rest, _EVAL_OPTIONS[opt])


def _usage_error(message):
    print("luascript: %s" % message, file=sys.stderr)
    return 2


def _stdin_is_terminal():
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    # `luascript run FILE [args...]` is the hot path: no argparse import on a warm start
    if len(argv) >= 2 and argv[0] == "run" and not argv[1].startswith("-"):
        try:
            return cmd_run(_RunArgs(argv[1], argv[2:]))
        except KeyboardInterrupt:
            return 130
    node_style = _node_style(argv)
    if node_style is not None:
        try:
            return node_style()
        except KeyboardInterrupt:
            return 130
    p = _parser()
    args = p.parse_args(argv)
    if args.command is None:
        if args.interactive:
            return cmd_repl(args)
        p.print_help()
        return 2
    handler = dict(zip(COMMANDS, (cmd_build, cmd_run, cmd_check, cmd_bindgen, cmd_profile, cmd_repl)))[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
