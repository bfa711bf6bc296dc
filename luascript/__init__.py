"""LuaScript: JavaScript syntax compiled to Lua, run on LuaJIT."""
from .errors import CompileError, JSError
from .compiler import VERSION as __version__, compile_source


def Runtime(*args, **kwargs):
    from .runtime import Runtime as _Runtime
    return _Runtime(*args, **kwargs)


__all__ = ["CompileError", "JSError", "Runtime", "compile_source", "__version__"]
