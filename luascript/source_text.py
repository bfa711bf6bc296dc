"""Reading a source file as the compiler reads it (no tree-sitter import: warm starts read files too)."""


def decode_source(data):
    """UTF-8, bytes that are not UTF-8 kept as surrogates, CR LF kept, a leading BOM dropped."""
    text = data.decode("utf-8", "surrogateescape")
    return text[1:] if text.startswith("\ufeff") else text


def read_source(path):
    with open(path, "rb") as f:
        return decode_source(f.read())
