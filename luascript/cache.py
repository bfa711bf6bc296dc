"""Keys of the on-disk compile cache: source, file name and the compiler's own code.

Kept apart from the compiler so that a warm start imports neither tree-sitter nor the transforms."""
import hashlib
import os

from .version import VERSION


def cache_key(text, filename, script=False):
    h = hashlib.sha256()
    h.update(VERSION.encode())
    h.update(_compiler_fingerprint())
    h.update(b"script\0" if script else b"module\0")
    h.update(filename.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


_FINGERPRINT = None


def _compiler_fingerprint():
    """Changes whenever the compiler's own sources change, so stale cache entries are never used."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        h = hashlib.sha256()
        base = os.path.dirname(os.path.abspath(__file__))
        for d, _, files in sorted(os.walk(base)):
            for f in sorted(files):
                if f.endswith(".py"):
                    p = os.path.join(d, f)
                    st = os.stat(p)
                    h.update(("%s:%d:%d;" % (p, st.st_size, st.st_mtime_ns)).encode())
        _FINGERPRINT = h.digest()
    return _FINGERPRINT
