"""Keys of the on-disk compile cache: source, file name and the compiler's own code.

Kept apart from the compiler so that a warm start imports neither tree-sitter nor the transforms."""
import os

try:   # CPython's own SHA-256: `import hashlib` loads OpenSSL, 2 ms of a 40 ms warm start
    from _sha256 import sha256
except ImportError:
    try:
        from _sha2 import sha256
    except ImportError:
        from hashlib import sha256

from .version import VERSION
from .settings import optimizing


def cache_key(text, filename, script=False, poll=False, completion=False):
    h = sha256()
    h.update(VERSION.encode())
    h.update(_compiler_fingerprint())
    h.update(b"script\0" if script else b"module\0")
    if poll:
        h.update(b"poll\0")
    if completion:
        h.update(b"completion\0")   # `-p`: the chunk returns its last expression's value
    if not optimizing():
        h.update(b"plain\0")   # LUASCRIPT_OPTIMIZE=0   # compiled for the sandbox (luascript/sandbox.py)
    h.update(filename.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


_FINGERPRINT = None


def _compiler_fingerprint():
    """Changes whenever the compiler's own sources change, so stale cache entries are never used."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        h = sha256()
        base = os.path.dirname(os.path.abspath(__file__))
        for d, _, files in sorted(os.walk(base)):
            for f in sorted(files):
                if f.endswith(".py"):
                    p = os.path.join(d, f)
                    st = os.stat(p)
                    h.update(("%s:%d:%d;" % (p, st.st_size, st.st_mtime_ns)).encode())
        _FINGERPRINT = h.digest()
    return _FINGERPRINT
