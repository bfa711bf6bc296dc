"""Switches read from the environment, kept in a module of their own: the cache key needs them on a
warm start, which must not import the compiler."""
import os


def optimizing():
    """LUASCRIPT_OPTIMIZE=0 turns every optimisation off (the tests run each program both ways)."""
    return os.environ.get("LUASCRIPT_OPTIMIZE", "1") != "0"
