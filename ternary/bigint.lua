-- ternary.bigint: magnitudes of balanced-ternary integers.
--
-- A magnitude is a Lua table of little-endian limbs m[0..m.n-1] in base B = 3^15, each an
-- integer-valued double in [0, B), the top limb non-zero (zero has n = 0). A signed value is a
-- (sign, magnitude) pair kept by the caller. Base 3^15 keeps every product of two limbs below
-- 2^48, so a column of up to 40 products still sums exactly in a double (< 2^53); the trit view
-- is computed only when asked for (15 trits per limb).
local floor, fmod = math.floor, math.fmod
local tnew = require("table.new")
local sbyte, schar, concat = string.byte, string.char, table.concat

local K = 15                  -- trits per limb
local B = 3 ^ K               -- 14348907
local COLS = 40               -- products summed in one column before carrying (40 * B^2 < 2^53)
local KARATSUBA = 40          -- limbs: below this schoolbook wins (measured)

local M = {K = K, B = B}

local function new(n)
  local m = tnew(n, 1)
  m.n = 0
  return m
end

local ZERO = new(0)
M.ZERO = ZERO

-- Drop zero limbs at the top; returns m.
local function trim(m, n)
  while n > 0 and m[n - 1] == 0 do n = n - 1 end
  m.n = n
  return m
end
M.trim = trim

-- Carry c[lo..hi-1] (integer doubles of any sign, |c[i]| < 2^53) into limbs in [0, B), and on
-- past hi while a carry remains (missing limbs count as 0). The value c holds from lo up must be
-- non-negative.
local function carry(c, lo, hi)
  local cy = 0
  local i = lo
  while i < hi or cy ~= 0 do
    local v = (c[i] or 0) + cy
    local q = floor(v / B)
    local r = v - q * B
    if r < 0 then q = q - 1; r = r + B elseif r >= B then q = q + 1; r = r - B end
    c[i] = r
    cy = q
    i = i + 1
  end
end

local function zeros(n)
  local z = tnew(n, 1)
  for i = 0, n - 1 do z[i] = 0 end
  return z
end

-- Write the integer 0 <= x <= 2^53 as limbs from m[n] on; returns the new limb count.
local function spill(m, n, x)
  while x > 0 do
    local r = fmod(x, B)
    m[n] = r
    n = n + 1
    x = (x - r) / B
  end
  return n
end

-- An integer 0 <= x <= 2^53.
function M.from_int(x)
  local m = new(4)
  m.n = spill(m, 0, x)
  return m
end

-- The value as a double, exact when below 2^53 (rounded otherwise: the caller checks).
function M.to_double(m)
  local v = 0
  for i = m.n - 1, 0, -1 do v = v * B + m[i] end
  return v
end

function M.cmp(a, b)
  local an, bn = a.n, b.n
  if an ~= bn then return an < bn and -1 or 1 end
  for i = an - 1, 0, -1 do
    local x, y = a[i], b[i]
    if x ~= y then return x < y and -1 or 1 end
  end
  return 0
end

function M.add(a, b)
  if a.n < b.n then a, b = b, a end
  local an, bn = a.n, b.n
  local c = new(an + 1)
  local cy = 0
  for i = 0, an - 1 do
    local s = a[i] + (i < bn and b[i] or 0) + cy
    if s >= B then c[i] = s - B; cy = 1 else c[i] = s; cy = 0 end
  end
  c[an] = cy
  return trim(c, an + 1)
end

-- a - b for a >= b
function M.sub(a, b)
  local an, bn = a.n, b.n
  local c = new(an)
  local bw = 0
  for i = 0, an - 1 do
    local s = a[i] - (i < bn and b[i] or 0) - bw
    if s < 0 then c[i] = s + B; bw = 1 else c[i] = s; bw = 0 end
  end
  return trim(c, an)
end

-- a * s + add for integers 0 <= s, add with s * B < 2^53
function M.mul_small(a, s, add)
  local an = a.n
  local c = new(an + 2)
  local cy = add or 0
  for i = 0, an - 1 do
    local v = a[i] * s + cy
    local r = fmod(v, B)
    c[i] = r
    cy = (v - r) / B
  end
  return trim(c, spill(c, an, cy))
end

-- Truncating division by an integer 0 < s with s * B < 2^53: quotient, remainder (a number).
local function divmod_small(a, s)
  local an = a.n
  local q = new(an)
  local r = 0
  for i = an - 1, 0, -1 do
    local v = r * B + a[i]
    local d = floor(v / s)
    local rr = v - d * s
    if rr < 0 then d = d - 1; rr = rr + s elseif rr >= s then d = d + 1; rr = rr - s end
    q[i] = d
    r = rr
  end
  return trim(q, an), r
end
M.divmod_small = divmod_small

---------------------------------------------------------------------------------------------
-- Multiplication

-- c[co + ...] += a[ao .. ao+an-1] * b[bo .. bo+bn-1]; the limbs of c from co up are carried
-- before and after. Rows run over the shorter operand, so a column gains one product per row.
local function schoolbook(c, co, a, ao, an, b, bo, bn)
  if an > bn then a, ao, an, b, bo, bn = b, bo, bn, a, ao, an end
  local top = co + an + bn
  local rows = 0
  for i = 0, an - 1 do
    local ai = a[ao + i]
    if ai ~= 0 then
      local base = co + i - bo
      for j = bo, bo + bn - 1 do
        c[base + j] = c[base + j] + ai * b[j]
      end
      rows = rows + 1
      -- columns below co + i receive no more products
      if rows == COLS then carry(c, co + i, top); rows = 0 end
    end
  end
  carry(c, co, top)
end

local kmul

-- c[co + ...] += a * b for operands of any lengths: the longer one is cut into pieces the size
-- of the shorter.
local function mul_into(c, co, a, ao, an, b, bo, bn)
  if an < bn then a, ao, an, b, bo, bn = b, bo, bn, a, ao, an end
  if bn < KARATSUBA then return schoolbook(c, co, a, ao, an, b, bo, bn) end
  if an < 2 * bn then return kmul(c, co, a, ao, an, b, bo, bn) end
  for off = 0, an - 1, bn do
    local len = an - off < bn and an - off or bn
    mul_into(c, co + off, a, ao + off, len, b, bo, bn)
  end
end

-- a0 + a1 for the halves a[ao..ao+h-1] and a[ao+h..ao+an-1], carried: limbs, count.
local function halves_sum(a, ao, h, an)
  local s = tnew(h + 1, 1)
  local cy = 0
  for i = 0, h - 1 do
    local v = a[ao + i] + (i + h < an and a[ao + h + i] or 0) + cy
    if v >= B then s[i] = v - B; cy = 1 else s[i] = v; cy = 0 end
  end
  s[h] = cy
  return s, h + cy
end

-- Karatsuba: c[co + ...] += a * b for an >= bn, splitting both at h = ceil(an / 2).
function kmul(c, co, a, ao, an, b, bo, bn)
  local h = floor((an + 1) / 2)
  if bn <= h then    -- an = 2 bn - 1: a in two pieces, each balanced against b
    mul_into(c, co, a, ao, h, b, bo, bn)
    return mul_into(c, co + h, a, ao + h, an - h, b, bo, bn)
  end
  local n0, n2 = 2 * h, an + bn - 2 * h
  local z0 = zeros(n0 + 1)
  mul_into(z0, 0, a, ao, h, b, bo, h)
  local z2 = zeros(n2 + 1)
  mul_into(z2, 0, a, ao + h, an - h, b, bo + h, bn - h)
  local sa, sn = halves_sum(a, ao, h, an)
  local sb, tn = halves_sum(b, bo, h, bn)
  local nm = sn + tn
  local m = zeros(nm + 1)
  mul_into(m, 0, sa, 0, sn, sb, 0, tn)
  -- c += z0 + (m - z0 - z2) B^h + z2 B^2h: each limb moves by less than 4B, one carry pass
  local hi = co + an + bn
  if co + h + nm > hi then hi = co + h + nm end
  for i = co + an + bn, hi - 1 do if c[i] == nil then c[i] = 0 end end
  for i = 0, n0 - 1 do c[co + i] = c[co + i] + z0[i] end
  for i = 0, n2 - 1 do c[co + n0 + i] = c[co + n0 + i] + z2[i] end
  for i = 0, nm - 1 do
    c[co + h + i] = c[co + h + i] + m[i] - (i < n0 and z0[i] or 0) - (i < n2 and z2[i] or 0)
  end
  carry(c, co, hi)
end

function M.mul(a, b)
  local an, bn = a.n, b.n
  if an == 0 or bn == 0 then return ZERO end
  local c = zeros(an + bn + 1)
  mul_into(c, 0, a, 0, an, b, 0, bn)
  return trim(c, an + bn)
end

function M.pow(a, e)
  local r = M.from_int(1)
  while e > 0 do
    if e % 2 == 1 then r = M.mul(r, a) end
    e = floor(e / 2)
    if e > 0 then a = M.mul(a, a) end
  end
  return r
end

---------------------------------------------------------------------------------------------
-- Division (Knuth's algorithm D in base B; every intermediate stays below B^2 + B < 2^53)

-- Truncating a / b for b ~= 0: quotient, remainder.
function M.divmod(a, b)
  if M.cmp(a, b) < 0 then return ZERO, a end
  local n = b.n
  if n == 1 then
    local q, r = divmod_small(a, b[0])
    return q, M.from_int(r)
  end
  local d = floor(B / (b[n - 1] + 1))   -- scales b so that its top limb is >= B/2
  local u = M.mul_small(a, d)
  local v = M.mul_small(b, d)
  local m = a.n - n
  for i = u.n, a.n do u[i] = 0 end
  local vt, vs = v[n - 1], v[n - 2]
  local q = new(m + 1)
  for j = m, 0, -1 do
    local num = u[j + n] * B + u[j + n - 1]
    local qh = floor(num / vt)
    local rh = num - qh * vt
    if rh < 0 then qh = qh - 1; rh = rh + vt end
    while qh >= B or qh * vs > rh * B + u[j + n - 2] do
      qh = qh - 1
      rh = rh + vt
      if rh >= B then break end
    end
    local bw = 0
    for i = 0, n - 1 do
      local t = u[i + j] - qh * v[i] - bw
      local f = floor(t / B)
      local r = t - f * B
      if r < 0 then f = f - 1; r = r + B elseif r >= B then f = f + 1; r = r - B end
      u[i + j] = r
      bw = -f
    end
    local t = u[j + n] - bw
    if t < 0 then   -- qh was one too large: add b back
      qh = qh - 1
      local cy = 0
      for i = 0, n - 1 do
        local s = u[i + j] + v[i] + cy
        if s >= B then u[i + j] = s - B; cy = 1 else u[i + j] = s; cy = 0 end
      end
      t = t + cy
    end
    u[j + n] = t
    q[j] = qh
  end
  trim(u, n)
  local r = divmod_small(u, d)
  return trim(q, m + 1), r
end

---------------------------------------------------------------------------------------------
-- Decimal strings

local DEC = 8           -- decimal digits per step (10^8 * B < 2^53)
local POW10 = {}
for i = 1, DEC do POW10[i] = 10 ^ i end

-- digits: a string of ASCII digits only (checked by the caller). One pass of c = c * 10^8 +
-- chunk over the limbs so far per chunk, in place: quadratic, but without allocation.
function M.from_decimal(s)
  local len = #s
  local c = zeros(floor(len / 7) + 2)     -- B > 10^7
  local n = 0
  local pos, stop = 1, (len - 1) % DEC + 1
  while pos <= len do
    local mult, cy = POW10[stop - pos + 1], tonumber(s:sub(pos, stop))
    for i = 0, n - 1 do
      local v = c[i] * mult + cy
      local q = floor(v / B)
      local r = v - q * B
      if r < 0 then q = q - 1; r = r + B elseif r >= B then q = q + 1; r = r - B end
      c[i] = r
      cy = q
    end
    n = spill(c, n, cy)
    pos, stop = stop + 1, stop + DEC
  end
  return trim(c, n)
end

-- Repeated division by 10^8: the remainders are the decimal digits, eight at a time.
function M.to_decimal(m)
  if m.n == 0 then return "0" end
  local s = POW10[DEC]
  local parts, np, r = {}, 0, nil
  while m.n > 0 do
    m, r = divmod_small(m, s)
    np = np + 1
    parts[np] = r
  end
  local out = tnew(np, 0)
  out[1] = string.format("%d", parts[np])
  for i = 2, np do out[i] = string.format("%08d", parts[np - i + 1]) end
  return concat(out)
end

---------------------------------------------------------------------------------------------
-- Trits

-- Balanced trits of the magnitude, least significant first, in a 1-based table; returns t, n.
local function trits(m)
  local t = tnew(m.n * K + 1, 0)
  local n, cy = 0, 0
  for i = 0, m.n - 1 do
    local l = m[i]
    for _ = 1, K do
      local d = fmod(l, 3)
      l = (l - d) / 3
      d = d + cy
      if d >= 2 then d = d - 3; cy = 1 else cy = 0 end
      n = n + 1
      t[n] = d
    end
  end
  if cy > 0 then n = n + 1; t[n] = 1 end
  while n > 0 and t[n] == 0 do t[n] = nil; n = n - 1 end
  return t, n
end
M.trits = trits

local PLUS, ZEROC, MINUS = sbyte("+"), sbyte("0"), sbyte("-")

-- "+0-" text, most significant trit first; sign flips every trit.
function M.to_trit_string(m, sign)
  if m.n == 0 then return "0" end
  local t, n = trits(m)
  local hi, lo = PLUS, MINUS
  if sign < 0 then hi, lo = MINUS, PLUS end
  local buf = tnew(n, 0)
  for i = 1, n do
    local d = t[n - i + 1]
    buf[i] = d > 0 and hi or (d < 0 and lo or ZEROC)
  end
  local parts = {}
  for i = 1, n, 4096 do
    parts[#parts + 1] = schar(unpack(buf, i, i + 4095 < n and i + 4095 or n))
  end
  return concat(parts)
end

-- A string of '+', '0', '-' only (checked by the caller): sign, magnitude.
function M.from_trit_string(s)
  local len = #s
  local first = 1
  while first <= len and sbyte(s, first) == ZEROC do first = first + 1 end
  if first > len then return 0, ZERO end
  -- the leading non-zero trit is the sign; negating flips every trit
  local sign = sbyte(s, first) == PLUS and 1 or -1
  local nl = floor((len - first) / K) + 1
  local c = zeros(nl + 1)
  local li = 0
  for hi = len, first, -K do
    local lo = hi - K + 1
    if lo < first then lo = first end
    local v = 0
    for i = lo, hi do
      local ch = sbyte(s, i)
      v = v * 3 + (ch == PLUS and sign or (ch == MINUS and -sign or 0))
    end
    c[li] = v
    li = li + 1
  end
  carry(c, 0, li)
  return sign, trim(c, li + 1)
end

-- Number of balanced trits of a non-zero magnitude: the smallest t with m <= (3^t - 1) / 2,
-- that is the count of base-3 digits of 2m.
function M.trit_length(m)
  if m.n == 0 then return 0 end
  local d = M.mul_small(m, 2)
  local top = d[d.n - 1]
  local t = (d.n - 1) * K
  while top >= 1 do top = floor(top / 3); t = t + 1 end
  return t
end

-- 3^k
function M.pow3(k)
  local m = new(floor(k / K) + 1)
  local whole = floor(k / K)
  for i = 0, whole - 1 do m[i] = 0 end
  m[whole] = 3 ^ (k % K)
  m.n = whole + 1
  return m
end

-- m * 3^k for k >= 0
function M.shift_up(m, k)
  if m.n == 0 then return m end
  local whole = floor(k / K)
  local part = M.mul_small(m, 3 ^ (k % K))
  if whole == 0 then return part end
  local c = new(part.n + whole)
  for i = 0, whole - 1 do c[i] = 0 end
  for i = 0, part.n - 1 do c[whole + i] = part[i] end
  c.n = part.n + whole
  return c
end

return M
