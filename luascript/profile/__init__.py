"""luascript.profile: sample .ljs programs with LuaJIT's profiler and write flame graphs.

    with luascript.Runtime().profile() as p:   # or Session(rt, mode="line").start() ... .stop()
        rt.call("work")
    p.write("out.speedscope.json")               # speedscope (default), folded, svg, html, text
"""
from .collect import ProfilerBusy, Session
from .model import Frame, Profile, label

FORMATS = ("speedscope", "folded", "svg", "html", "text")
EXTENSIONS = {"speedscope": ".speedscope.json", "folded": ".folded", "svg": ".svg", "html": ".html",
              "text": ".txt"}


def writer(fmt):
    if fmt == "speedscope":
        from .speedscope import write_speedscope
        return write_speedscope
    if fmt == "folded":
        from .folded import write_folded
        return write_folded
    if fmt == "svg":
        from .flamegraph_svg import write_svg
        return write_svg
    if fmt == "html":
        from .html import write_html
        return write_html
    if fmt == "text":
        from .text import write_text
        return write_text
    raise ValueError("unknown profile format %r (one of %s)" % (fmt, ", ".join(FORMATS)))


def write_profile(profile, path, fmt="speedscope"):
    write = writer(fmt)
    with open(path, "w", encoding="utf-8") as out:
        write(profile, out)

__all__ = ["FORMATS", "EXTENSIONS", "Frame", "Profile", "ProfilerBusy", "Session", "label", "write_profile", "writer"]
