"""A self-contained SVG flame graph (root at the bottom): hover names the frame with its file:line,
time and share; click zooms into a frame, click the root (or press Escape) to zoom out."""
import zlib
from xml.sax.saxutils import escape, quoteattr

from .model import label

WIDTH = 1200
ROW = 17
PAD_TOP = 40
MIN_FRACTION = 0.0002        # frames narrower than this share are left out

_COLORS = {"ljs": (230, 90, 40), "runtime": (70, 130, 200), "lua": (90, 160, 200), "python": (80, 170, 90),
           "builtin": (150, 150, 150), "native": (170, 170, 170), "vm": (150, 100, 190)}

_SCRIPT = """
(function () {
  var svg = document.currentScript ? document.currentScript.closest('svg') : document.documentElement;
  if (!svg || !svg.querySelector) svg = document.documentElement;
  var W = %(width)d, nodes = Array.prototype.slice.call(svg.querySelectorAll('g.fg'));
  var details = svg.querySelector('.fg-details');
  function fit(g, x, w) {
    var r = g.querySelector('rect'), t = g.querySelector('text');
    r.setAttribute('x', x); r.setAttribute('width', Math.max(w - 0.5, 0));
    t.setAttribute('x', x + 3);
    var name = g.getAttribute('data-name'), n = Math.floor((w - 6) / 7);
    t.textContent = n < 3 ? '' : (name.length <= n ? name : name.slice(0, n - 2) + '..');
  }
  function zoom(target) {
    var x0 = +target.getAttribute('data-x'), w0 = +target.getAttribute('data-w');
    var d0 = +target.getAttribute('data-depth');
    nodes.forEach(function (g) {
      var x = +g.getAttribute('data-x'), w = +g.getAttribute('data-w'), d = +g.getAttribute('data-depth');
      var inside = x >= x0 - 1e-9 && x + w <= x0 + w0 + 1e-9;
      if (d < d0) inside = x <= x0 + 1e-9 && x + w >= x0 + w0 - 1e-9;
      g.style.display = inside ? '' : 'none';
      if (!inside) return;
      if (d < d0) fit(g, 0, W); else fit(g, (x - x0) / w0 * W, w / w0 * W);
    });
  }
  nodes.forEach(function (g) {
    g.addEventListener('click', function () { zoom(g); });
    g.addEventListener('mouseover', function () {
      if (details) details.textContent = g.querySelector('title').textContent;
    });
    g.addEventListener('mouseout', function () { if (details) details.textContent = ' '; });
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && nodes.length) zoom(nodes[0]);
  });
})();
"""


def _tree(profile):
    root = [0, {}]          # count, children by frame index
    for s, count in profile.stack_counts().items():
        node = root
        node[0] += count
        for f in profile.stacks[s]:
            node = node[1].setdefault(f, [0, {}])
            node[0] += count
    return root


def _color(frame):
    r, g, b = _COLORS.get(frame.kind, (200, 120, 60))
    h = zlib.crc32(frame.func.encode("utf-8", "replace")) % 40 - 20
    return "rgb(%d,%d,%d)" % (max(0, min(255, r + h)), max(0, min(255, g + h)), max(0, min(255, b + h // 2)))


def flamegraph_svg(profile, title=None):
    root = _tree(profile)
    total = root[0]
    rows = []               # (depth, x fraction, w fraction, frame index, count)

    def walk(node, depth, x):
        for f, child in sorted(node[1].items(), key=lambda kv: -kv[1][0]):
            w = child[0] / total
            if w >= MIN_FRACTION:
                rows.append((depth, x, w, f, child[0]))
                walk(child, depth + 1, x)
            x += w
    if total:
        walk(root, 1, 0.0)
    depth = max((r[0] for r in rows), default=0) + 1
    height = PAD_TOP + depth * ROW + 10
    title = title or "luascript profile: %s" % (profile.program or "")
    ms = profile.interval_ms
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="Verdana, sans-serif" font-size="12">' % (WIDTH, height, WIDTH, height),
           '<style>g.fg:hover rect { stroke: #000; stroke-width: 0.5; } g.fg { cursor: pointer; }</style>',
           '<rect x="0" y="0" width="%d" height="%d" fill="#fdfdf6"/>' % (WIDTH, height),
           '<text x="%d" y="16" text-anchor="middle" font-size="15">%s</text>' % (WIDTH // 2, escape(title)),
           '<text class="fg-details" x="6" y="33"> </text>']
    allrows = [(0, 0.0, 1.0, None, total)] + rows
    for d, x, w, f, count in allrows:
        if f is None:
            name, fill = "all (%d samples, %.1f ms)" % (total, total * ms), "rgb(200,200,200)"
            where = ""
        else:
            fr = profile.frames[f]
            name, fill = label(fr), _color(fr)
            where = " — %s:%d" % (fr.file, fr.line) if fr.file else ""
        tip = "%s%s — %.1f ms, %.2f%%" % (name, where, count * ms, 100.0 * count / total if total else 0)
        y = height - 10 - (d + 1) * ROW
        px, pw = x * WIDTH, w * WIDTH
        n = int((pw - 6) / 7)
        text = "" if n < 3 else name if len(name) <= n else name[:n - 2] + ".."
        out.append('<g class="fg" data-name=%s data-x="%.3f" data-w="%.3f" data-depth="%d"><title>%s</title>'
                   '<rect x="%.3f" y="%d" width="%.3f" height="%d" rx="2" fill="%s"/>'
                   '<text x="%.3f" y="%d">%s</text></g>'
                   % (quoteattr(name), px, pw, d, escape(tip), px, y, max(pw - 0.5, 0), ROW - 1, fill,
                      px + 3, y + ROW - 5, escape(text)))
    out.append("<script><![CDATA[%s]]></script>" % (_SCRIPT % {"width": WIDTH}))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_svg(profile, out):
    out.write(flamegraph_svg(profile))
