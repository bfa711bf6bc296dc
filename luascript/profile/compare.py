"""Compares two speedscope profiles function by function: whose share of the samples grew or shrank
by more than a threshold (percentage points). A function is its name and file, not its line, so
that edits that move code do not count as changes."""
import re

from .speedscope import read_speedscope

_LINE = re.compile(r":\d+(?=\)|\]|$)")


def function_key(name):
    return _LINE.sub("", name)


def shares(path):
    """{function: (self %, total %)} of a speedscope file."""
    names, samples = read_speedscope(path)
    selfw, totalw, total = {}, {}, 0.0
    for stack, weight in samples:
        if not stack:
            continue
        total += weight
        keys = [function_key(names[i]) for i in stack]
        selfw[keys[-1]] = selfw.get(keys[-1], 0.0) + weight
        for k in set(keys):
            totalw[k] = totalw.get(k, 0.0) + weight
    if total <= 0:
        return {}
    return {k: (100.0 * selfw.get(k, 0.0) / total, 100.0 * totalw[k] / total) for k in totalw}


def compare(base_path, new_path, threshold=5.0, metric="self"):
    """(changes, report lines): changes are (function, base %, new %) beyond the threshold, largest first."""
    base, new = shares(base_path), shares(new_path)
    col = 0 if metric == "self" else 1
    changes = []
    for k in set(base) | set(new):
        b = base.get(k, (0.0, 0.0))[col]
        n = new.get(k, (0.0, 0.0))[col]
        if abs(n - b) > threshold:
            changes.append((k, b, n))
    changes.sort(key=lambda c: -abs(c[2] - c[1]))
    grew = [c for c in changes if c[2] > c[1]]
    shrank = [c for c in changes if c[2] < c[1]]
    lines = ["comparing %s share of samples: %s -> %s (threshold %g points)" % (metric, base_path, new_path, threshold)]
    for title, group in (("grew", grew), ("shrank", shrank)):
        for k, b, n in group:
            lines.append("  %-6s %6.1f%% -> %6.1f%%  (%+.1f)  %s" % (title, b, n, n - b, k))
    if not changes:
        lines.append("  no function changed by more than %g points" % threshold)
    return changes, lines
