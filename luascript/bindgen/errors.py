class BindgenError(Exception):
    """A user's mistake or a broken input: reported as one line, exit status 1."""
