"""Syntax tree → Lua AST. One module per syntax family; each registers its visitors."""
from . import context, literals, expressions, assignment, statements, loops, functions, objects, classes, modules  # noqa: F401
