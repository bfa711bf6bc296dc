"""A text table: the real sampling rate, VM states, the top functions and lines by self and
total time, GPU kernels."""
import os

from .model import VMSTATES, display_path, label


def _function_key(frame):
    func, file, _line, kind = frame
    if kind in ("ljs", "lua", "python"):
        return "%s (%s)" % (func, display_path(file))
    if kind == "runtime":
        return "%s [runtime %s]" % (func, os.path.basename(file))
    return label(frame)


def _line_key(frame):
    return "%s:%d" % (display_path(frame.file), frame.line) if frame.kind == "ljs" else None


def top_table(title, selfc, totalc, total, limit, order):
    rows = sorted(totalc, key=lambda k: (-(selfc if order == "self" else totalc).get(k, 0), k))
    out = ["%s (by %s time)" % (title, order), "  %7s %7s  %s" % ("self%", "total%", "name")]
    for k in rows[:limit]:
        if (selfc if order == "self" else totalc).get(k, 0) == 0:
            break
        out.append("  %6.1f%% %6.1f%%  %s" % (100.0 * selfc.get(k, 0) / total, 100.0 * totalc.get(k, 0) / total, k))
    return out


def text_report(profile, limit=15):
    total = profile.total_samples
    out = ["luascript profile of %s: %d samples, %.1f ms CPU, one sample every %.2f ms (requested %g ms), "
           "%s mode" % (profile.program or "?", total, profile.cpu_ms, profile.interval_ms, profile.requested_ms,
                        profile.mode)]
    if profile.error:
        out.append("the program failed: %s" % profile.error.splitlines()[0])
    if total:
        out.extend(_cpu_tables(profile, total, limit))
    else:
        out.append("no samples (the program ran for less than one sampling interval)")
    if profile.kernels:
        out.append("")
        out.append("GPU kernels (CUDA events)")
        agg = {}
        for name, ms, _ in profile.kernels:
            n, t = agg.get(name, (0, 0.0))
            agg[name] = (n + 1, t + ms)
        for name, (n, t) in sorted(agg.items(), key=lambda kv: -kv[1][1]):
            out.append("  %10.3f ms  %5d launches  %s" % (t, n, name))
    return "\n".join(out) + "\n"


def _cpu_tables(profile, total, limit):
    out = ["VM states: " + ", ".join("%s %.1f%%" % (VMSTATES.get(k, k), 100.0 * v / total)
                                     for k, v in sorted(profile.vmstates.items(), key=lambda kv: -kv[1]))]
    selfc, totalc = profile.self_total(_function_key)
    for order in ("self", "total"):
        out.append("")
        out.extend(top_table("Functions", selfc, totalc, total, limit, order))
    if profile.mode == "line":
        lself, ltotal = profile.self_total(_line_key)
        lself.pop(None, None)
        ltotal.pop(None, None)
        for order in ("self", "total"):
            out.append("")
            out.extend(top_table("Lines", lself, ltotal, total, limit, order))
    else:
        out.append("")
        out.append("(per-line times: --mode line)")
    if profile.heap:
        kbs = [kb for _, kb in profile.heap]
        out.append("")
        out.append("Lua heap: %.0f KB at start, %.0f KB peak, %.0f KB at end" % (kbs[0], max(kbs), kbs[-1]))
    return out


def write_text(profile, out):
    out.write(text_report(profile))
