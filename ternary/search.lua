-- ternary.search: ternary search over a sorted array and over a unimodal function, and
-- golden-section search (the usual alternative: one evaluation per step instead of two) for
-- comparison.
local floor = math.floor
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
function S.ternary_min(f, lo, hi, tol)
  local evals = 0
  while hi - lo > tol do
    local m1 = lo + (hi - lo) / 3
    local m2 = hi - (hi - lo) / 3
    local f1, f2 = f(m1), f(m2)
    evals = evals + 2
    local nlo, nhi = lo, hi
    if f1 < f2 then nhi = m2 else nlo = m1 end
    if nlo == lo and nhi == hi then break end
    lo, hi = nlo, nhi
  end
  local x = (lo + hi) / 2
  return x, f(x), evals + 1
end

local INVPHI = (5 ^ 0.5 - 1) / 2   -- 0.618...

function S.golden_min(f, lo, hi, tol)
  local c = hi - INVPHI * (hi - lo)
  local d = lo + INVPHI * (hi - lo)
  local fc, fd = f(c), f(d)
  local evals = 2
  while hi - lo > tol do
    local olo, ohi = lo, hi
    if fc < fd then
      hi, d, fd = d, c, fc
      c = hi - INVPHI * (hi - lo)
      fc = f(c)
    else
      lo, c, fc = c, d, fd
      d = lo + INVPHI * (hi - lo)
      fd = f(d)
    end
    evals = evals + 1
    if lo == olo and hi == ohi then break end
  end
  local x = (lo + hi) / 2
  return x, f(x), evals + 1
end

return S
