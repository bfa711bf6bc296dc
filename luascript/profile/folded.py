"""Folded stacks, one line per distinct stack: `root;caller;leaf COUNT` (flamegraph.pl, inferno)."""
from .model import label


def folded_lines(profile):
    lines = []
    for s, count in sorted(profile.stack_counts().items()):
        stack = profile.stacks[s]
        if stack:
            lines.append("%s %d" % (";".join(label(profile.frames[f]).replace(";", ",") for f in stack), count))
    return lines


def write_folded(profile, out):
    for line in folded_lines(profile):
        out.write(line + "\n")
