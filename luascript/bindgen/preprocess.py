"""Run the system C preprocessor over the headers: the declarations as text for pycparser, and the
object-like macros the prefixes select, expanded in the headers' own context."""
import os
import re
import shutil
import subprocess

from .errors import BindgenError

# GCC and MSVC extensions pycparser cannot parse. Layout attributes (packed, aligned) are dropped with
# the rest: a header that packs structures with __attribute__ instead of #pragma pack is not supported.
PRELUDE = """\
#define __attribute__(x)
#define __attribute(x)
#define __declspec(x)
#define __extension__
#define __restrict
#define __restrict__
#define __inline
#define __inline__
#define __forceinline
#define __asm__(...)
#define __asm(...)
#define __volatile__
#define __const const
#define __signed__ signed
#define __thread
#define __int128 long long
#define __cdecl
#define __stdcall
#define __fastcall
#define __ptr64
#define _Nullable
#define _Nonnull
#define __builtin_offsetof(t, m) ((unsigned long)&((t *)0)->m)
typedef void *__builtin_va_list;
typedef float _Float16;
typedef float _Float32;
typedef double _Float64;
typedef double _Float32x;
typedef long double _Float64x;
typedef long double _Float128;
typedef long double __float128;
"""

PROBES = "__BINDGEN_PROBES__"
_DEFINE = re.compile(r"#define ([A-Za-z_]\w*)(\(?)")
_PROBE = re.compile(r'^"(\w+)" (.*)$')


def preprocessor():
    """The preprocessor command: $CPP, else the first C compiler found run with -E."""
    if os.environ.get("CPP"):
        return os.environ["CPP"].split()
    for cc in ("gcc", "cc", "clang"):
        if shutil.which(cc):
            return [cc, "-E"]
    if shutil.which("cpp"):
        return ["cpp"]
    raise BindgenError("no C preprocessor found (install gcc or set CPP)")


def find_header(name, include_dirs):
    if os.path.isfile(name):
        return os.path.abspath(name)
    for d in include_dirs:
        cand = os.path.join(d, name)
        if os.path.isfile(cand):
            return os.path.abspath(cand)
    where = ", ".join(["."] + list(include_dirs))
    raise BindgenError("header not found: %s (looked in %s)" % (name, where))


def _run(args, text):
    cmd = preprocessor() + ["-x", "c", "-std=gnu11"] + args + ["-"]
    try:
        p = subprocess.run(cmd, input=text, capture_output=True, text=True, errors="surrogateescape")
    except OSError as e:
        raise BindgenError("cannot run the preprocessor %s: %s" % (cmd[0], e.strerror or e))
    if p.returncode != 0:
        lines = [ln for ln in p.stderr.splitlines() if "error" in ln] or p.stderr.splitlines() or ["exit %d" % p.returncode]
        raise BindgenError("preprocessor failed: " + lines[0].strip())
    return p.stdout


def preprocess(headers, include_dirs=(), defines=(), prefixes=(), names=()):
    """Returns (declarations text with line markers, {macro name: expansion}) for the headers: the
    object-like macros whose names start with a prefix or are in `names`."""
    flags = ["-I" + d for d in include_dirs] + ["-D" + d for d in defines]
    unit = PRELUDE + "".join('#include "%s"\n' % h for h in headers)
    probed = []
    for m in _DEFINE.finditer(_run(flags + ["-dM"], unit)):
        if not m.group(2) and (m.group(1).startswith(tuple(prefixes)) or m.group(1) in names):
            probed.append(m.group(1))
    probes = "".join('"%s" %s\n' % (n, n) for n in probed)
    out = _run(flags, unit + PROBES + "\n" + probes)
    decls, _, tail = out.partition("\n" + PROBES + "\n")
    macros = {}
    for line in tail.splitlines():
        m = _PROBE.match(line)
        if m and m.group(2).strip() and m.group(2).strip() != m.group(1):
            macros[m.group(1)] = m.group(2).strip()
    return decls, macros
