"""WeakRef and FinalizationRegistry once their targets are collected (ljs/weakref.lua).

Node collects when V8 decides to, so tests/programs/weakref.ljs only covers what happens while
targets live; here $262.gc() (a full Lua collection) forces the issue. A target is reported
after two cycles: the first clears it from the weak table, the second finalizes the userdata
that watched it. Cleanup callbacks run as a task of their own, never inside the collector.
"""

import io

import luascript


def run(src):
    out = io.StringIO()
    rt = luascript.Runtime(stdout=out, stderr=out)
    assert rt.run_source(src, filename="weakref_gc.js") == 0, out.getvalue()
    rt.flush()
    return out.getvalue()


def test_cleanup_runs_in_a_later_task_in_registration_order():
    out = run("""
const log = [];
const reg = new FinalizationRegistry((held) => { log.push(held); console.log("cleanup", held); });
let ref;
(function () {
  const a = {}, b = {}, c = {}, token = {};
  reg.register(a, "a");
  reg.register(b, "b", token);
  reg.register(c, "c1");
  reg.register(c, "c2");
  ref = new WeakRef(a);
  reg.unregister(token);
  globalThis.kept = c;
})();
console.log("alive in its job:", typeof ref.deref());
setTimeout(() => {
  $262.gc(); $262.gc();
  console.log("deref after gc:", ref.deref(), "cleanups so far:", log.length);
  setTimeout(() => {
    console.log("then:", log.join());
    globalThis.kept = null;
    $262.gc(); $262.gc();
    setTimeout(() => console.log("finally:", log.join()), 1);
  }, 1);
}, 1);
""")
    assert out == ("alive in its job: object\n"
                   "deref after gc: undefined cleanups so far: 0\n"
                   "cleanup a\n"
                   "then: a\n"
                   "cleanup c1\n"
                   "cleanup c2\n"
                   "finally: a,c1,c2\n")


def test_live_targets_and_unregistered_cells_are_not_reported():
    out = run("""
const reg = new FinalizationRegistry((held) => console.log("cleanup", held));
const live = {};
reg.register(live, "live", live);
(function () { const t = {}; reg.register(t, "gone", t); globalThis.tok = t; })();
const ref = new WeakRef(live);
setTimeout(() => {
  $262.gc(); $262.gc();
  console.log("unregister live:", reg.unregister(live), ref.deref() === live);
  setTimeout(() => console.log("done"), 1);
}, 1);
""")
    assert out == "unregister live: true true\ndone\n"


def test_a_throwing_callback_is_an_uncaught_exception():
    out = run("""
process.on("uncaughtException", (e) => console.log("uncaught", e.message));
const reg = new FinalizationRegistry((held) => { throw new Error("from " + held); });
(function () { reg.register({}, "x"); reg.register({}, "y"); })();
setTimeout(() => { $262.gc(); $262.gc(); setTimeout(() => console.log("after"), 1); }, 1);
""")
    assert out == "uncaught from x\nuncaught from y\nafter\n"


def test_a_target_held_by_the_job_survives_a_collection():
    out = run("""
let ref = new WeakRef({});
$262.gc(); $262.gc();
console.log("same job:", typeof ref.deref());
setTimeout(() => { $262.gc(); $262.gc(); console.log("next task:", typeof ref.deref()); }, 1);
""")
    assert out == "same job: object\nnext task: undefined\n"
