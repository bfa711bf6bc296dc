"""luascript profile: .ljs names in the samples, the output formats, --compare, embedding."""
import json
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from luascript.cli import main
from luascript.profile import ProfilerBusy, Session, label
from luascript.runtime import Runtime

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "profile")
HOT = os.path.join(FIXTURES, "hot.ljs")


def fixture(name):
    return os.path.join(FIXTURES, name)


def profile_cli(tmp_path, *args, fmt="speedscope", name="out"):
    out = str(tmp_path / name)
    code = main(["profile", "--format", fmt, "-o", out] + list(args))
    return code, out


def speedscope_problems(data):
    """What the speedscope file-format schema requires, checked by hand."""
    bad = []
    if data.get("$schema") != "https://www.speedscope.app/file-format-schema.json":
        bad.append("$schema")
    frames = data.get("shared", {}).get("frames")
    if not isinstance(frames, list) or not all(isinstance(f.get("name"), str) for f in frames):
        bad.append("shared.frames")
    for f in frames or []:
        if "line" in f and not isinstance(f["line"], (int, float)) or "file" in f and not isinstance(f["file"], str):
            bad.append("frame %r" % f)
    profiles = data.get("profiles")
    if not isinstance(profiles, list) or not profiles:
        bad.append("profiles")
    for p in profiles or []:
        for key in ("type", "name", "unit", "startValue", "endValue", "samples", "weights"):
            if key not in p:
                bad.append("profile.%s" % key)
        if p.get("type") != "sampled" or p.get("unit") not in ("none", "nanoseconds", "microseconds",
                                                               "milliseconds", "seconds", "bytes"):
            bad.append("profile type/unit")
        if len(p.get("samples", [])) != len(p.get("weights", [])):
            bad.append("samples/weights lengths")
        for s in p.get("samples", []):
            if not all(isinstance(i, int) and 0 <= i < len(frames) for i in s):
                bad.append("sample indexes")
                break
        if not p.get("endValue", 0) >= p.get("startValue", 0):
            bad.append("endValue")
    return bad


def self_shares(data, key=lambda name: name):
    p = data["profiles"][0]
    names = [f["name"] for f in data["shared"]["frames"]]
    total, shares = 0.0, {}
    for stack, w in zip(p["samples"], p["weights"]):
        total += w
        k = key(names[stack[-1]])
        shares[k] = shares.get(k, 0.0) + w
    return {k: v / total for k, v in shares.items()}


def test_hot_function_dominates_and_is_named_with_file_and_line(tmp_path):
    code, out = profile_cli(tmp_path, HOT)
    assert code == 0
    data = json.load(open(out))
    assert speedscope_problems(data) == []
    frames = data["shared"]["frames"]
    burn = [f for f in frames if f["name"].startswith("burn ")]
    assert burn and burn[0]["file"] == HOT and burn[0]["line"] == 8      # function mode: its definition
    shares = self_shares(data)
    assert max(shares, key=shares.get) == burn[0]["name"]
    assert shares[burn[0]["name"]] > 0.6
    meta = data["luascript"]
    # the kernel's tick rounds the requested 1 ms up; the real interval is what is reported
    assert meta["requestedIntervalMs"] == 1 and meta["intervalMs"] >= 1
    assert abs(meta["intervalMs"] * meta["samples"] - meta["cpuMs"]) < 0.01 * meta["cpuMs"] + 1
    assert sum(data["profiles"][0]["weights"]) == pytest.approx(meta["cpuMs"], rel=0.02)
    assert meta["heapKb"] and all(kb > 0 for _, kb in meta["heapKb"])
    assert set(meta["vmStates"]) <= {"compiled", "interpreted", "C code", "garbage collector", "JIT compiler"}


def test_line_mode_names_the_hot_line(tmp_path):
    code, out = profile_cli(tmp_path, "--mode", "line", HOT)
    assert code == 0
    data = json.load(open(out))
    shares = self_shares(data)
    top = max(shares, key=shares.get)
    assert re.fullmatch(r"burn \(.*hot\.ljs:1[012]\)", top), top     # the loop of burn()
    frames = {f["name"]: f for f in data["shared"]["frames"]}
    assert frames[top]["line"] in (10, 11, 12)


def test_folded_output_parses(tmp_path):
    code, out = profile_cli(tmp_path, fixture("calls.ljs"), fmt="folded")
    assert code == 0
    lines = open(out).read().splitlines()
    assert lines
    total = 0
    for line in lines:
        m = re.fullmatch(r"(.+) (\d+)", line)
        assert m, line
        assert all(frame for frame in m.group(1).split(";"))
        total += int(m.group(2))
    work = sum(int(line.rsplit(" ", 1)[1]) for line in lines if "work (" in line)
    assert work > 0.5 * total


def test_svg_is_well_formed_and_html_is_offline(tmp_path):
    code, out = profile_cli(tmp_path, HOT, fmt="svg", name="g.svg")
    assert code == 0
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert any(t.startswith("burn (") and "hot.ljs:8" in t and "%" in t for t in titles)
    code, page = profile_cli(tmp_path, HOT, fmt="html", name="p.html")
    text = open(page).read()
    assert code == 0 and "<svg" in text and "Lua heap" in text and "burn (" in text
    assert not re.search(r"(src|href)=[\"']https?:", text)


def test_text_table(tmp_path):
    code, out = profile_cli(tmp_path, "--mode", "line", HOT, fmt="text", name="t.txt")
    assert code == 0
    text = open(out).read()
    assert "Functions (by self time)" in text and "Lines (by self time)" in text
    first = text.split("Functions (by self time)")[1].splitlines()[2]
    assert "burn (" in first and "hot.ljs" in first


def test_options_may_follow_the_program(tmp_path, capsys):
    out = str(tmp_path / "after.txt")
    # profiler options after FILE are the profiler's; after `--` everything is the program's
    code = main(["profile", HOT, "--format", "text", "-o", out, "--mode=line", "--", "2", "--mode"])
    assert code == 0
    text = open(out).read()
    assert "line mode" in text and "Lines (by self time)" in text and "burn (" in text
    assert main(["profile", HOT, "--interval-ms", "often"]) == 1
    assert "--interval-ms needs an integer" in capsys.readouterr().err


def test_a_throwing_program_still_yields_its_profile(tmp_path, capsys):
    code, out = profile_cli(tmp_path, fixture("throws.ljs"))
    assert code == 1
    assert "boom after spinning" in capsys.readouterr().err
    data = json.load(open(out))
    assert "boom after spinning" in data["luascript"]["error"]
    assert any(f["name"].startswith("spin (") for f in data["shared"]["frames"])


def test_unwritable_output_is_an_error_before_the_run(tmp_path, capsys):
    code = main(["profile", "-o", str(tmp_path / "missing" / "x.json"), HOT])
    captured = capsys.readouterr()
    assert code == 1
    assert "cannot write" in captured.err and "Traceback" not in captured.err
    assert "done" not in captured.out       # the program did not run


def test_compare_flags_a_planted_regression(tmp_path, capsys):
    _, base = profile_cli(tmp_path, fixture("regress.ljs"), "1", name="base.json")
    _, new = profile_cli(tmp_path, fixture("regress.ljs"), "4", name="new.json")
    capsys.readouterr()
    assert main(["profile", "--compare", base, new]) == 1
    report = capsys.readouterr().out
    grew = [line for line in report.splitlines() if line.strip().startswith("grew")]
    assert grew and "grows (" in grew[0]
    assert any("steady (" in line for line in report.splitlines() if line.strip().startswith("shrank"))
    assert main(["profile", "--compare", base, base]) == 0


def test_runtime_frames_are_marked(tmp_path):
    code, out = profile_cli(tmp_path, fixture("runtime_heavy.ljs"))
    assert code == 0
    data = json.load(open(out))
    runtime = [f for f in data["shared"]["frames"] if "[runtime " in f["name"]]
    assert runtime and all(f["file"].endswith(".lua") and os.sep + "ljs" + os.sep in f["file"] for f in runtime)
    assert any(f["name"].startswith("stringify [runtime json.lua") for f in runtime)


def _driver(rt):
    return rt.call("burn", 3e6)


def test_embedding_merges_python_frames_on_top():
    rt = Runtime()
    rt.eval("globalThis.burn = require(%s).burn" % json.dumps(fixture("lib.ljs")))
    with rt.profile() as p:
        for _ in range(3):
            _driver(rt)
    prof = p.profile
    assert prof.total_samples > 10
    counts = prof.stack_counts()
    hot = max(counts, key=counts.get)
    names = [label(prof.frames[f]) for f in prof.stacks[hot]]
    kinds = [prof.frames[f].kind for f in prof.stacks[hot]]
    py = [n for n, k in zip(names, kinds) if k == "python"]
    assert any(n.startswith("_driver (") for n in py)
    assert any(n.startswith("test_embedding_merges_python_frames_on_top (") for n in py)
    first_lua = kinds.index("ljs")
    assert all(k == "python" for k in kinds[:first_lua])            # Python on top, then .ljs
    assert names[first_lua].startswith("burn (")


def test_only_one_runtime_is_sampled_at_a_time():
    a, b = Runtime(), Runtime()
    with a.profile():
        with pytest.raises(ProfilerBusy, match="only one runtime per process"):
            b.profile().start()
    with b.profile() as p:              # free again once the first stopped
        b.eval("1 + 1")
    assert p.profile is not None


def test_gpu_kernel_times_appear_beside_the_samples(tmp_path):
    rt = Runtime()
    s = Session(rt, program="gpu").start()
    rt.R.profile_kernel("saxpy", 2.5)       # what the GPU runtime calls with its CUDA event times
    s.kernel_time("saxpy", 1.5)
    s.kernel_time("reduce", 0.25)
    prof = s.stop()
    assert sorted((n, ms) for n, ms, _ in prof.kernels) == [("reduce", 0.25), ("saxpy", 1.5), ("saxpy", 2.5)]
    s.write(str(tmp_path / "k.json"))
    data = json.load(open(tmp_path / "k.json"))
    assert speedscope_problems(data) == []
    gpu = data["profiles"][1]
    assert gpu["name"].startswith("GPU kernels") and sum(gpu["weights"]) == pytest.approx(4.25)
    s.write(str(tmp_path / "k.txt"), "text")
    assert re.search(r"4\.000 ms\s+2 launches\s+saxpy", open(tmp_path / "k.txt").read())


def test_profile_python_app(tmp_path):
    script = tmp_path / "app.py"
    script.write_text("import luascript\n"
                      "def compute(rt):\n"
                      "    return rt.call('burn', 4e6)\n"
                      "rt = luascript.Runtime()\n"
                      "rt.eval(%r)\n"
                      "for _ in range(3):\n"
                      "    compute(rt)\n" % ("globalThis.burn = require(%s).burn" % json.dumps(fixture("lib.ljs"))))
    code, out = profile_cli(tmp_path, "--python", str(script), fmt="folded")
    assert code == 0
    lines = open(out).read().splitlines()
    hot = max(lines, key=lambda line: int(line.rsplit(" ", 1)[1]))
    assert re.match(r"<module> \(.*app\.py:1\) \[python\];compute \(.*app\.py:2\) \[python\];.*burn \(", hot), hot


def test_ctrl_c_writes_the_profile_so_far(tmp_path):
    out = tmp_path / "int.json"
    proc = subprocess.Popen([sys.executable, "-m", "luascript", "profile", "-o", str(out), fixture("forever.ljs")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)            # start-up, then about a second of the loop
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    data = json.load(open(out))
    assert data["luascript"]["error"] == "interrupted (Ctrl-C)"
    assert data["luascript"]["samples"] > 20
    assert any(f["name"].startswith("loop (") for f in data["shared"]["frames"])


def test_open_falls_back_to_the_html_page_in_a_browser(tmp_path, monkeypatch):
    import shutil
    import webbrowser
    log = tmp_path / "opened.log"
    browser = tmp_path / "browser.sh"
    browser.write_text('#!/bin/sh\necho "$1" >> %s\n' % log)
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name in ("speedscope", "npx") else real_which(name))
    code, out = profile_cli(tmp_path, "--open", HOT, name="o.speedscope.json")
    assert code == 0
    page = str(tmp_path / "o.speedscope.html")
    assert open(log).read().strip() == "file://" + page
    assert "<svg" in open(page).read()
