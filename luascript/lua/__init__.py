"""Lua AST node types and the printer (with source maps)."""
