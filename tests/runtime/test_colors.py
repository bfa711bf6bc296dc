"""When console.log, console.dir, util.styleText and the REPL colour what they print, as node 20
decides it: only for a terminal (process.stdout.isTTY) whose colour depth is over 2 bits, with
FORCE_COLOR, NO_COLOR, NODE_DISABLE_COLORS and TERM=dumb read from the environment. The programs
run under a pseudo-terminal (Python's pty module) or a pipe, in an environment made here, so the
results do not depend on the caller's terminal. The expected texts are node 20's for the same
program and environment. (Explicit colours, util.inspect(v, {colors: true}), are compared with
node in tests/node_core/inspect_colors.js.)"""
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

# variables of the environment that choose colour depths
COLOR_VARS = ("FORCE_COLOR", "NO_COLOR", "NODE_DISABLE_COLORS", "TERM", "COLORTERM", "TMUX", "CI",
              "TEAMCITY_VERSION", "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "NODE_OPTIONS")

PROGRAM = r"""
const util = require('util');
console.log({a: 1, s: 'x'}, 'plain', 5, null);
console.log('%o|%s|%d', [1], {b: 2}, 3);
console.dir({d: 'x'}, {colors: false});
console.log('just a string');
console.log(util.styleText('red', 'st'), util.styleText(['bold'], 'arr'));
console.log(process.stdout.isTTY === true);
console.error({e: [undefined]});
"""

# what node 20 prints for PROGRAM, with colours and without
COLORED = ("{ a: \x1b[33m1\x1b[39m, s: \x1b[32m'x'\x1b[39m } plain \x1b[33m5\x1b[39m \x1b[1mnull\x1b[22m\n"
           "[ \x1b[33m1\x1b[39m, [length]: \x1b[33m1\x1b[39m ]|{ b: 2 }|3\n"
           "{ d: 'x' }\n"
           "just a string\n"
           "\x1b[31mst\x1b[39m \x1b[1marr\x1b[22m\n")
PLAIN = ("{ a: 1, s: 'x' } plain 5 null\n"
         "[ 1, [length]: 1 ]|{ b: 2 }|3\n"
         "{ d: 'x' }\n"
         "just a string\n"
         "st \x1b[1marr\x1b[22m\n")   # (node 20.20 colours an array of formats whatever the stream)
TRUE_COLORED, TRUE_PLAIN = "\x1b[33mtrue\x1b[39m\n", "true\n"
ERR_COLORED = "{ e: [ \x1b[90mundefined\x1b[39m ] }\n"
ERR_PLAIN = "{ e: [ undefined ] }\n"


def environment(**extra):
    env = {k: v for k, v in os.environ.items() if k not in COLOR_VARS}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["LUASCRIPT_REPL_HISTORY"] = ""
    env.update(extra)
    return env


def _read_all(fd, proc, timeout=60):
    out = b""
    end = time.time() + timeout
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:   # (Linux: the other side closed)
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    return out.decode("utf-8", "replace").replace("\r\n", "\n")


def run(tmp_path, env, terminal):
    """Run PROGRAM with stdout a terminal (or a pipe) and stderr a pipe: (stdout, stderr)."""
    prog = tmp_path / "prog.js"
    prog.write_text(PROGRAM)
    argv = [sys.executable, "-m", "luascript", "run", str(prog)]
    if not terminal:
        r = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=60)
        return r.stdout, r.stderr
    master, slave = os.openpty()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=env,
                         cwd=str(tmp_path))
    os.close(slave)
    try:
        out = _read_all(master, p)
        err = p.stderr.read().decode()
        p.wait(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
        p.stderr.close()
        os.close(master)
    return out, err


@pytest.mark.parametrize("env", [{"TERM": "xterm"}, {"TERM": "xterm-256color"}, {"TERM": "dumb", "FORCE_COLOR": "1"},
                                 {"TERM": "xterm", "COLORTERM": "truecolor"}, {"TERM": "xterm", "FORCE_COLOR": "2"}])
def test_a_colour_terminal_gets_colours(tmp_path, env):
    out, err = run(tmp_path, environment(**env), terminal=True)
    assert out == COLORED + TRUE_COLORED
    assert err == (ERR_COLORED if "FORCE_COLOR" in env else ERR_PLAIN)   # (stderr is a pipe)


@pytest.mark.parametrize("env", [{"TERM": "xterm", "NO_COLOR": "1"}, {"TERM": "xterm", "NODE_DISABLE_COLORS": "1"},
                                 {"TERM": "dumb"}, {"TERM": "xterm", "FORCE_COLOR": "0"}, {}])
def test_no_colours_on_a_terminal_that_has_none(tmp_path, env):
    out, err = run(tmp_path, environment(**env), terminal=True)
    assert out == PLAIN + TRUE_PLAIN
    assert err == ERR_PLAIN


def test_a_pipe_gets_no_colours_unless_forced(tmp_path):
    out, err = run(tmp_path, environment(TERM="xterm"), terminal=False)
    assert out == PLAIN + "false\n"
    assert err == ERR_PLAIN
    out, err = run(tmp_path, environment(TERM="xterm", FORCE_COLOR="1"), terminal=False)
    assert out == COLORED + "\x1b[33mfalse\x1b[39m\n"
    assert err == ERR_COLORED
    # FORCE_COLOR wins over NO_COLOR, with node's warning
    out, err = run(tmp_path, environment(FORCE_COLOR="3", NO_COLOR="1"), terminal=False)
    assert out == COLORED + "\x1b[33mfalse\x1b[39m\n"
    assert err.startswith(ERR_COLORED + "(node:")
    assert "Warning: The 'NO_COLOR' env is ignored due to the 'FORCE_COLOR' env being set." in err


def _repl_on_terminal(env, lines):
    master, slave = os.openpty()
    p = subprocess.Popen([sys.executable, "-m", "luascript", "repl"], stdin=slave, stdout=slave, stderr=slave,
                         env=env)
    os.close(slave)
    try:
        for line in lines:
            os.write(master, line.encode() + b"\n")
        out = _read_all(master, p)
        p.wait(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
        os.close(master)
    return out


def test_repl_colours_values_on_a_colour_terminal():
    lines = ["({n: 5, s: 'x'})", "throw 7", "console.log([null])", ".exit"]
    out = _repl_on_terminal(environment(TERM="xterm"), lines)
    assert "{ n: \x1b[33m5\x1b[39m, s: \x1b[32m'x'\x1b[39m }\n" in out
    assert "Uncaught \x1b[33m7\x1b[39m\n" in out
    assert "[ \x1b[1mnull\x1b[22m ]\n\x1b[90mundefined\x1b[39m\n" in out
    out = _repl_on_terminal(environment(TERM="xterm", NO_COLOR="1"), lines)
    assert "{ n: 5, s: 'x' }\n" in out and "Uncaught 7\n" in out and "[ null ]\nundefined\n" in out
    assert "\x1b[3" not in out


def test_repl_session_colours():
    import io
    from luascript.repl import Session
    s = Session(out=io.StringIO())     # no terminal: no colours
    assert not s.colors
    assert s.evaluate("[1, 'a']") == "[ 1, 'a' ]"
    assert s.evaluate("process.stdout.isTTY") == "undefined"
    s = Session(out=io.StringIO(), colors=True)
    assert s.evaluate("[1, 'a']") == "[ \x1b[33m1\x1b[39m, \x1b[32m'a'\x1b[39m ]"
    # a custom inspect function's own util.inspect call is not coloured unless it asks
    s.evaluate("const util = require('util')")
    assert s.evaluate("({[util.inspect.custom]() { return util.inspect([2]) }})") == "[ 2 ]"
