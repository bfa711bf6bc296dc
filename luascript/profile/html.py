"""One offline HTML page: the flame graph (hover: file:line and share, click: zoom), the Lua heap
over time, VM states, GPU kernels and the text tables. Nothing is fetched from the network."""
from xml.sax.saxutils import escape

from .flamegraph_svg import flamegraph_svg
from .model import VMSTATES
from .text import text_report


def heap_svg(heap, width=1200, height=160):
    """The Lua heap (KB) against sampled CPU time (ms) as a line chart."""
    if len(heap) < 2:
        return "<p>Lua heap: too few samples for a chart.</p>"
    t0, t1 = heap[0][0], heap[-1][0]
    lo, hi = min(kb for _, kb in heap), max(kb for _, kb in heap)
    span_t, span_k = (t1 - t0) or 1.0, (hi - lo) or 1.0
    step = max(1, len(heap) // 2000)
    pts = " ".join("%.1f,%.1f" % (40 + (t - t0) / span_t * (width - 50), height - 20 - (kb - lo) / span_k * (height - 40))
                   for t, kb in heap[::step])
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-size="11" font-family="Verdana">'
            '<polyline fill="none" stroke="#3a7" stroke-width="1.5" points="%s"/>'
            '<text x="2" y="14">%.0f KB</text><text x="2" y="%d">%.0f KB</text>'
            '<text x="40" y="%d">%.0f ms</text><text x="%d" y="%d" text-anchor="end">%.0f ms CPU</text></svg>'
            % (width, height, pts, hi, height - 22, lo, height - 4, t0, width - 10, height - 4, t1))


def html_page(profile):
    svg = flamegraph_svg(profile).split("\n", 1)[1]      # without the XML declaration
    total = profile.total_samples or 1
    states = "".join("<tr><td>%s</td><td>%.1f%%</td></tr>" % (escape(VMSTATES.get(k, k)), 100.0 * v / total)
                     for k, v in sorted(profile.vmstates.items(), key=lambda kv: -kv[1]))
    error = "<p class=err>The program failed: %s</p>" % escape(profile.error) if profile.error else ""
    return """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>luascript profile: %(prog)s</title>
<style>body{font-family:Verdana,sans-serif;margin:16px;color:#222} h2{font-size:15px;margin:18px 0 6px}
pre{background:#f6f6f2;padding:8px;font-size:12px} table{border-collapse:collapse;font-size:12px}
td{padding:2px 10px;border-bottom:1px solid #ddd} .err{color:#b00}</style></head><body>
<h1 style="font-size:18px">luascript profile: %(prog)s</h1>
<p>%(samples)d samples, one every %(interval).2f ms of CPU time (requested %(req)g ms), %(mode)s mode.</p>
%(error)s
%(svg)s
<h2>Lua heap</h2>
%(heap)s
<h2>VM states</h2><table>%(states)s</table>
<h2>Summary</h2><pre>%(text)s</pre>
</body></html>
""" % {"prog": escape(profile.program or ""), "samples": profile.total_samples, "interval": profile.interval_ms,
       "req": profile.requested_ms, "mode": profile.mode, "error": error, "svg": svg,
       "heap": heap_svg(profile.heap), "states": states, "text": escape(text_report(profile))}


def write_html(profile, out):
    out.write(html_page(profile))
