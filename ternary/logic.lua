-- ternary.logic: three-valued connectives on trits -1 (false), 0 (unknown), +1 (true).
-- Kleene's strong logic takes min and max; Lukasiewicz's differs in its implication,
-- min(1, 1 - a + b), from which its strong conjunction and disjunction follow. Consensus and
-- "any" are the balanced-ternary gates: consensus keeps agreement, any adds and clamps.
local min, max = math.min, math.max

local kleene = {
  ["and"] = min,
  ["or"] = max,
  ["not"] = function(a) return -a end,
  implies = function(a, b) return max(-a, b) end,
  equiv = function(a, b) return min(max(-a, b), max(a, -b)) end,
  xor = function(a, b) return -min(max(-a, b), max(a, -b)) end,
  consensus = function(a, b) return a == b and a or 0 end,
  any = function(a, b) local s = a + b; return s > 0 and 1 or (s < 0 and -1 or 0) end,
}

local function l_implies(a, b) return min(1, 1 - a + b) end

local lukasiewicz = {
  implies = l_implies,
  ["not"] = function(a) return l_implies(a, -1) end,
  ["and"] = function(a, b) return -l_implies(a, -b) end,      -- max(-1, a + b - 1)
  ["or"] = function(a, b) return l_implies(-a, b) end,        -- min(1, a + b + 1)
  equiv = function(a, b) return min(l_implies(a, b), l_implies(b, a)) end,   -- 1 - |a - b|
}

-- (the connectives negate with unary minus: their callers turn a -0 into 0)

-- name -> arity, in the order the docs list them
local ARITY = {["and"] = 2, ["or"] = 2, ["not"] = 1, implies = 2, equiv = 2, xor = 2, consensus = 2, any = 2}

return {kleene = kleene, lukasiewicz = lukasiewicz, ARITY = ARITY}
