"""speedscope JSON (https://www.speedscope.app/file-format-schema.json): the CPU samples as a
sampled profile in milliseconds, GPU kernels as a second one. speedscope has no counter track, so
the Lua heap over time, the VM states and the real sampling interval ride in a top-level
"luascript" object, which the schema allows and speedscope ignores."""
import json

from .model import VMSTATES, label

SCHEMA = "https://www.speedscope.app/file-format-schema.json"


def to_speedscope(profile):
    frames = [_frame(f) for f in profile.frames]
    cpu_samples = [list(profile.stacks[s]) for s, _ in profile.samples]
    cpu_weights = [round(c * profile.interval_ms, 3) for _, c in profile.samples]
    profiles = [{
        "type": "sampled",
        "name": "%s (CPU, %s mode)" % (profile.program or "luascript", profile.mode),
        "unit": "milliseconds",
        "startValue": 0,
        "endValue": round(sum(cpu_weights), 3),
        "samples": cpu_samples,
        "weights": cpu_weights,
    }]
    if profile.kernels:
        kernel_frames = {}
        samples, weights = [], []
        for name, ms, stack in profile.kernels:
            if name not in kernel_frames:
                kernel_frames[name] = len(frames)
                frames.append({"name": "[gpu] " + name})
            samples.append(list(profile.stacks[stack]) + [kernel_frames[name]])
            weights.append(round(ms, 6))
        profiles.append({"type": "sampled", "name": "GPU kernels (CUDA events)", "unit": "milliseconds",
                         "startValue": 0, "endValue": round(sum(weights), 6),
                         "samples": samples, "weights": weights})
    return {
        "$schema": SCHEMA,
        "shared": {"frames": frames},
        "profiles": profiles,
        "name": profile.program or "luascript profile",
        "activeProfileIndex": 0,
        "exporter": "luascript profile",
        "luascript": {
            "mode": profile.mode,
            "intervalMs": round(profile.interval_ms, 4),
            "requestedIntervalMs": profile.requested_ms,
            "cpuMs": round(profile.cpu_ms, 3),
            "samples": profile.total_samples,
            "vmStates": {VMSTATES.get(k, k): v for k, v in sorted(profile.vmstates.items())},
            "heapKb": [[round(t, 3), round(kb, 1)] for t, kb in profile.heap],
            "error": profile.error,
        },
    }


def _frame(f):
    out = {"name": label(f)}
    if f.file:
        out["file"] = f.file
    if f.line:
        out["line"] = f.line
    return out


def write_speedscope(profile, out):
    json.dump(to_speedscope(profile), out, separators=(",", ":"))


def read_speedscope(path):
    """(frame names, [(stack, weight)]) of the first sampled profile of a speedscope file."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict) or data.get("$schema") != SCHEMA:
        raise ValueError("%s is not a speedscope file (no $schema %s)" % (path, SCHEMA))
    names = [fr.get("name", "?") for fr in data["shared"]["frames"]]
    for p in data["profiles"]:
        if p.get("type") == "sampled":
            return names, list(zip(p["samples"], p["weights"]))
    raise ValueError("%s has no sampled profile" % path)
