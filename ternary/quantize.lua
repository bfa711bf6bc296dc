-- ternary.quantize: float weights to trits plus one scale, the two usual ways.
--   twn      Ternary Weight Networks (Li & Liu, 2016): threshold 0.7 * mean|w|; trits are the signs
--            of the weights above it, the scale is the mean |w| of those weights.
--   absmean  BitNet b1.58 (Ma et al., 2024): scale = mean|w|, trit = round(w / scale) clipped
--            to [-1, 1], rounding half to even as NumPy's round does.
-- Both read w[0..n-1] (any FFI number pointer) and write trits to out[0..n-1] (int8_t *).
local abs, floor = math.abs, math.floor

local Q = {}

local function mean_abs(w, n)
  local s = 0
  for i = 0, n - 1 do s = s + abs(w[i]) end
  return n > 0 and s / n or 0
end

function Q.twn(w, n, out)
  local delta = 0.7 * mean_abs(w, n)
  local s, kept = 0, 0
  for i = 0, n - 1 do
    local v = w[i]
    if v > delta then out[i] = 1; s = s + v; kept = kept + 1
    elseif v < -delta then out[i] = -1; s = s - v; kept = kept + 1
    else out[i] = 0 end
  end
  return kept > 0 and s / kept or 0, delta
end

-- round half to even
local function round_even(x)
  local f = floor(x)
  local d = x - f
  if d > 0.5 or (d == 0.5 and f % 2 == 1) then return f + 1 end
  return f
end

function Q.absmean(w, n, out)
  local gamma = mean_abs(w, n)
  if gamma == 0 then
    for i = 0, n - 1 do out[i] = 0 end
    return 0
  end
  for i = 0, n - 1 do
    local t = round_even(w[i] / gamma)
    out[i] = t > 1 and 1 or (t < -1 and -1 or t)
  end
  return gamma
end

return Q
