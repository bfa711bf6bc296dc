-- ternary.search: ternary search over a sorted array and over a unimodal function, and
-- golden-section search (the usual alternative: one evaluation per step instead of two) for
-- comparison.
local floor, abs = math.floor, math.abs
local type = type

local S = {}

-- An index i in [0, n) with a[i] == x for ascending a (FFI pointer or 0-based table), or -1;
-- or nil and the index of an element that is no number (a plain array's).
-- Each step compares with the elements at one and two thirds and keeps one third.
function S.index_of(a, n, x)
  local lo, hi = 0, n - 1
  while lo <= hi do
    local third = floor((hi - lo) / 3)
    local m1, m2 = lo + third, hi - third
    local v1, v2 = a[m1], a[m2]
    if type(v1) ~= "number" then return nil, m1 end
    if type(v2) ~= "number" then return nil, m2 end
    if v1 == x then return m1 end
    if v2 == x then return m2 end
    if x < v1 then hi = m1 - 1
    elseif x > v2 then lo = m2 + 1
    else lo, hi = m1 + 1, m2 - 1 end
  end
  return -1
end

-- Minimum of f on [lo, hi] for f unimodal there (f(x) a Lua function returning a number):
-- x, f(x), number of evaluations. Stops when the bracket is narrower than tol, or when it no
-- longer narrows (tol below the spacing of doubles there: near 1e8 that is 1.5e-8).
-- (Points are weighted means of lo and hi: hi - lo overflows for bounds past 2^1023 apart.)
function S.ternary_min(f, lo, hi, tol)
  local evals = 0
  while hi - lo > tol do
    local m1 = lo * (2 / 3) + hi / 3
    local m2 = lo / 3 + hi * (2 / 3)
    local f1, f2 = f(m1), f(m2)
    evals = evals + 2
    local nlo, nhi = lo, hi
    if f1 < f2 then nhi = m2 else nlo = m1 end
    if nlo == lo and nhi == hi then break end
    lo, hi = nlo, nhi
  end
  local x = lo / 2 + hi / 2
  return x, f(x), evals + 1
end

local INVPHI = (5 ^ 0.5 - 1) / 2   -- 0.618...

-- The golden points of [lo, hi], as weighted means (no hi - lo to overflow).
local function golden_c(lo, hi) return INVPHI * lo + (1 - INVPHI) * hi end
local function golden_d(lo, hi) return (1 - INVPHI) * lo + INVPHI * hi end

-- One evaluation per step: the inner point kept from the step before becomes one of the new
-- pair. Its rounding error stays while the bracket shrinks by 0.618 a step, so after some
-- 80 steps it is no longer near its place: a kept point more than 1% of the bracket off is
-- placed and evaluated anew.
function S.golden_min(f, lo, hi, tol)
  local c, d = golden_c(lo, hi), golden_d(lo, hi)
  local fc, fd = f(c), f(d)
  local evals = 2
  while hi - lo > tol do
    local olo, ohi = lo, hi
    if fc < fd then
      hi, d, fd = d, c, fc
      c = golden_c(lo, hi)
      fc = f(c)
      local want = golden_d(lo, hi)
      if abs(d - want) > 0.01 * (hi / 2 - lo / 2) then d = want; fd = f(d); evals = evals + 1 end
    else
      lo, c, fc = c, d, fd
      d = golden_d(lo, hi)
      fd = f(d)
      local want = golden_c(lo, hi)
      if abs(c - want) > 0.01 * (hi / 2 - lo / 2) then c = want; fc = f(c); evals = evals + 1 end
    end
    evals = evals + 1
    if lo == olo and hi == ohi then break end
  end
  local x = lo / 2 + hi / 2
  return x, f(x), evals + 1
end

return S
