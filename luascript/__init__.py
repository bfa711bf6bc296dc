"""LuaScript: JavaScript syntax compiled to Lua, run on LuaJIT."""
from .errors import CompileError, JSError
from .version import VERSION as __version__


def compile_source(text, filename="<input>", options=None):
    """Compile JavaScript source to Lua; returns a CompileResult (see luascript.compiler)."""
    from .compiler import compile_source as _compile
    return _compile(text, filename, options)


def Runtime(*args, **kwargs):
    from .runtime import Runtime as _Runtime
    return _Runtime(*args, **kwargs)


__all__ = ["CompileError", "JSError", "Runtime", "compile_source", "__version__"]
