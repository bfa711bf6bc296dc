"""ljs.regexp_codegen against the VM of ljs.regexp_engine: the same matches and captures.

Random patterns from a small grammar (seeded) run on random short subjects, each once on
the VM and once on the pattern's generated Lua; test_regexp_engine.py runs its node-recorded
cases on both as well.
"""

import random

import pytest

from test_regexp_engine import new_runtime

COMPARE = r"""
local E = require("ljs.regexp_engine")
local function result(prog, s, init)
  local a, b, caps = E.exec(prog, s, init, false)
  if not a then return "none" end
  local out = { a, b }
  for i = 1, 2 * prog.ngroups do out[#out + 1] = tostring(caps[i]) end
  return table.concat(out, ",")
end
-- pattern, flags, subjects -> nil when both agree, else a description of the first difference;
-- "generated" tells whether the pattern got generated code at all
return function(src, flags, subjects)
  local ok, vm = pcall(E.compile, src, flags)
  if not ok then return nil, false end
  local gen = E.compile(src, flags)
  E.set_hot(10^9)
  local want = {}
  for i = 1, #subjects do
    local s = subjects[i]
    for init = 1, #s + 1 do want[#want + 1] = result(vm, s, init) end
  end
  E.set_hot(1)
  local k = 0
  for i = 1, #subjects do
    local s = subjects[i]
    for init = 1, #s + 1 do
      k = k + 1
      local got = result(gen, s, init)
      if got ~= want[k] then
        return string.format("%q at %d: vm %s, generated %s", s, init, want[k], got), gen.fn ~= false
      end
    end
  end
  return nil, gen.fn ~= false
end
"""

ATOMS = ["a", "b", "c", "1", " ", ".", r"\d", r"\w", r"\s", r"\W", "[ab]", "[^a]", "[a-c1]",
         r"\b", r"\B", "^", "$", "é", "[é-ü]"]
QUANTS = ["", "", "", "*", "+", "?", "{1,3}", "{2}", "*?", "+?", "??", "{0,2}?"]


def pattern(rng, depth=0):
    parts = []
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        if depth < 2 and r < 0.2:
            inner = pattern(rng, depth + 1)
            atom = rng.choice(["(%s)", "(?:%s)"]) % inner
        elif depth < 2 and r < 0.3:
            atom = "(?:%s|%s)" % (pattern(rng, depth + 1), pattern(rng, depth + 1))
        elif depth < 2 and r < 0.38:
            # lookarounds: their bodies run on the VM inside generated code
            atom = rng.choice(["(?=%s)", "(?!%s)", "(?<=%s)", "(?<!%s)", "(?=(%s))"]) % pattern(rng, depth + 1)
        else:
            atom = rng.choice(ATOMS)
        if atom not in ("^", "$", r"\b", r"\B") and not atom.startswith("(?=") and not atom.startswith("(?!") \
                and not atom.startswith("(?<"):
            atom += rng.choice(QUANTS)
        parts.append(atom)
    src = "".join(parts)
    if "(" in src and rng.random() < 0.2:
        src += r"\1"
    if rng.random() < 0.15:
        src += "|" + pattern(rng, depth + 1)
    return src


def subjects(rng):
    alphabet = ["a", "b", "c", "1", " ", "\n", "é", "ü", "A"]
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9))) for _ in range(4)]


@pytest.fixture(scope="module")
def lua():
    return new_runtime()


@pytest.mark.parametrize("seed", range(8))
def test_random_patterns_agree(lua, seed):
    compare = lua.execute(COMPARE)
    rng = random.Random(seed)
    generated = 0
    for _ in range(150):
        src = pattern(rng)
        flags = rng.choice(["", "", "i", "m", "s", "u"])
        subs = lua.table_from([s.encode("utf-8") for s in subjects(rng)])
        diff, was_generated = compare(src.encode("utf-8"), flags.encode(), subs)
        assert diff is None, "/%s/%s: %s" % (src, flags, diff)
        generated += bool(was_generated)
    # most patterns of this grammar are in the generator's subset
    assert generated >= 100


def test_a_pattern_with_many_constants_is_generated(lua):
    # 100 long alternatives: more constants than a Lua function may hold as upvalues
    compare = lua.execute(COMPARE)
    words = ["alpha%03dxyzlong" % i for i in range(100)]
    src = "^(?:%s)$" % "|".join(words)
    subs = lua.table_from([w.encode() for w in words[::7] + ["alpha100xyzlong", "beta"]])
    diff, was_generated = compare(src.encode(), b"", subs)
    assert diff is None and was_generated
