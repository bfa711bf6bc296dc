"""A compile leaves no reference cycles behind. compile_source turns the cyclic collector off while
it runs (its passes over the growing trees cost 8% of a compile), which is only sound when the
compile's garbage is freed by reference counts: one recursive closure in the transform (a nested
`def walk` that calls itself) holds the Transformer, and with it every syntax node and Lua AST
node of the file, until a collection finds them."""
import gc
from pathlib import Path

import pytest

from luascript import compile_source

PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.ljs"))


@pytest.fixture
def saved_garbage():
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield
    finally:
        gc.set_debug(0)
        del gc.garbage[:]
        if was_enabled:
            gc.enable()


def test_programs_compile_without_reference_cycles(saved_garbage):
    assert len(PROGRAMS) > 100
    leaky = {}
    for path in PROGRAMS:
        compile_source(path.read_text(encoding="utf-8"), str(path))
        found = gc.collect()
        if found:
            names = sorted({o.__qualname__ for o in gc.garbage if type(o).__name__ == "function"})
            leaky[path.name] = (found, names)
        del gc.garbage[:]
    assert leaky == {}
