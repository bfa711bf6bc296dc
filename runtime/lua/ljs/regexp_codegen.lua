----------------------------------------------------------------------------
-- ljs.regexp_codegen: a hot regular expression's instruction array turned
-- into Lua source, loaded as a function of its own.
--
-- The VM in ljs.regexp_engine dispatches on every instruction, and all
-- patterns share its one loop, so LuaJIT's traces of it serve no pattern
-- well.  Here each pattern gets its own code: literal tests inline, class
-- tests as a table read, a greedy class loop as a plain while loop.  What
-- the VM does at a choice point is unchanged (the same 4-slot records on the
-- same backtrack stack, the same registers), so either can run a program.
--
-- A register written while no choice point is on the stack gets no undo
-- record: failing then ends the attempt, and the caller clears the
-- registers before the next one.
--
-- Control flow: straight-line runs of instructions make blocks, tested in
-- order; the first attempt runs them straight, backtracking goes on in a
-- dispatch loop over the same blocks (a backward goto would not be traced; a
-- loop is), where pc 0 is the failure handler, the VM's own backtrack.  A
-- lookaround's body runs on the VM (lib.run).
--
--   gen(prog, lib) -> f(s, slen, pos, regs, bt) -> end position | nil
----------------------------------------------------------------------------

local concat, format = table.concat, string.format
local tostring, type = tostring, type

local O = {
  CHAR = 1, STR = 2, STRB = 3, ONE = 4, STAR = 5, LAZY = 6, SPLIT = 7, JMP = 8,
  GOPEN = 9, GCLOSE = 10, LINIT = 11, LOOP = 12, LEND = 13,
  BOL = 14, EOL = 15, WB = 16, BREF = 17, LOOK = 18, MATCH = 19,
}

-- the opcodes the generator takes (lookbehind code, which runs backward, stays on the VM)
local TAKEN = {
  [O.CHAR] = true, [O.STR] = true, [O.ONE] = true, [O.STAR] = true, [O.LAZY] = true,
  [O.SPLIT] = true, [O.JMP] = true, [O.GOPEN] = true, [O.GCLOSE] = true,
  [O.BOL] = true, [O.EOL] = true, [O.WB] = true, [O.BREF] = true, [O.MATCH] = true,
  [O.LINIT] = true, [O.LOOP] = true, [O.LEND] = true, [O.LOOK] = true,
}

-- The instructions the generated code runs, in order: all but the bodies of lookarounds, which
-- it hands to the VM (a body is the code between its LOOK and the LOOK's continuation).
local function own_instructions(code)
  local list, i = {}, 1
  while i <= #code do
    list[#list + 1] = i
    if code[i][1] == O.LOOK then i = code[i][5] else i = i + 1 end
  end
  return list
end

-- The own instruction after i.
local function next_own(code, i)
  if code[i][1] == O.LOOK then return code[i][5] end
  return i + 1
end

local MAX_CODE = 5000   -- instructions: a bigger program stays on the VM (its source would be huge)

local function supported(code, own)
  if #code > MAX_CODE then return false end
  for _, i in ipairs(own) do
    local I = code[i]
    local o = I[1]
    if not TAKEN[o] then return false end
    if o == O.STAR and I[6] then return false end          -- a lookbehind's loop
    if o == O.GCLOSE and I[4] then return false end
    if o == O.BREF and (I[3] or I[4]) then return false end -- case-folded or backward
  end
  return true
end

-- Instructions a jump or a backtrack record can resume at.
local function leaders(code, own)
  local L = { [1] = true }
  for _, i in ipairs(own) do
    local I = code[i]
    local o = I[1]
    if o == O.SPLIT then
      L[I[3]] = true
      if I[2] ~= i + 1 then L[I[2]] = true end
    elseif o == O.JMP then
      L[I[2]] = true
    elseif (o == O.STAR and not I[7]) or o == O.LAZY then
      L[i + 1] = true
    elseif o == O.LOOP then
      L[i + 1], L[I[6]] = true, true
    elseif o == O.LEND then
      L[I[3]] = true
    end
  end
  return L
end

-- Source that advances `p` over one code point the matcher accepts, or runs
-- `fail`.  Matchers the engine described (info) are inlined; others are
-- called through their constant.
local function step(info, fname, aname, p, fail)
  local kind = info and info.kind
  if kind == "byte" then
    return format("if byte(s, %s) ~= %d then %s end %s = %s + 1", p, info.c, fail, p, p)
  elseif kind == "set" and not info.wide then
    -- (aname's table has all 256 bytes, and reading it at nil is nil)
    return format("if not %s[byte(s, %s)] then %s end %s = %s + 1", aname, p, fail, p, p)
  elseif kind == "set" then
    -- (a code point past ASCII goes to the engine's matcher)
    local wide = format("local q = %s(s, %s) if not q then %s end %s = q", fname, p, fail, p)
    return format("do local b = byte(s, %s) if b and b < 128 then if not %s[b] then %s end %s = %s + 1 " ..
      "else %s end end", p, aname, fail, p, p, wide)
  elseif kind == "all" then
    return format("do local b = byte(s, %s) if not b then %s elseif b < 128 then %s = %s + 1 " ..
      "else %s = %s(s, %s) end end", p, fail, p, p, p, fname, p)
  end
  return format("do local q = %s(s, %s) if not q then %s end %s = q end", fname, p, fail, p)
end

-- The blocks are written twice.  The first run of a match goes through
-- them straight, with no loop: a loop on that path is where LuaJIT would
-- try to start a trace at every call, and a match that never backtracks
-- never loops.  Failing with a choice point left, or jumping back, goes on
-- in `resume`, the same blocks in a dispatch loop.  In both, blocks are
-- tested in order, so a jump forward only sets pc.
local function mode(fail, back)
  return {fail = fail, jump = function(first, target)
    if target > first then return format("pc = %d", target) end
    return format(back, target)
  end}
end
local STRAIGHT = mode("goto fail", "do return resume(s, slen, pos, regs, bt, sp, %d) end")
local LOOPED = mode("do pc = 0 goto next end", "pc = %d goto next")

-- The constant a class test reads: the engine's table of ASCII members, or
-- for a class without wider members, one of all 256 bytes.
local function class_table(info, const)
  if not (info and info.asc) then return nil end
  if info.wide then return const(info.asc) end
  if not info.bytes then
    local t = {}
    for b = 0, 255 do t[b] = b < 128 and info.asc[b] or false end
    info.bytes = t
  end
  return const(info.bytes)
end

local function push(kind, a, b, c)
  return format("sp = sp + 4 bt[sp - 3], bt[sp - 2], bt[sp - 1], bt[sp] = %d, %s, %s, %s", kind, a, b, c)
end

local K_UNDO, K_UNDO2, K_CHOICE, K_STAR, K_LAZY, K_LLAZY = 1, 2, 3, 4, 5, 6

-- Logged register stores (see the note on undo records above).
local function set_reg(r, value)
  return format("if sp > 0 then %s end regs[%d] = %s", push(K_UNDO, r, format("regs[%d]", r), "false"), r, value)
end

-- Entering a general loop's body: where this iteration began (for the
-- empty-iteration check) and the body's captures cleared.
local function enter_body(I)
  local out = {}
  if I[9] then out[#out + 1] = set_reg(I[2] + 1, "pos") end
  for j = I[7], I[8] do
    out[#out + 1] = format("if regs[%d] then %s end", j, set_reg(j, "false"))
  end
  return concat(out, " ")
end

-- A lookaround: its body runs on the VM, on the same registers and stack, to its first
-- success; its choice points are then dropped (lookarounds are atomic), and a positive one's
-- captures kept.
local function look(I, i, fail)
  local out = { format("do local e, top = run(code, s, slen, %d, pos, regs, bt, sp)", i + 1) }
  if I[2] then
    out[#out + 1] = format("if e then unwind(regs, bt, top, sp) %s end", fail)
  else
    out[#out + 1] = format("if not e then %s end", fail)
    local a, b = I[3], I[4]
    if a <= b then
      out[#out + 1] = "local vals = {}"
      out[#out + 1] = format("for j = %d, %d do vals[j] = regs[j] end", a, b)
      out[#out + 1] = "unwind(regs, bt, top, sp)"
      out[#out + 1] = format("for j = %d, %d do local v = vals[j] if regs[j] ~= v then " ..
        "if sp > 0 then sp = sp + 4 bt[sp - 3], bt[sp - 2], bt[sp - 1] = 1, j, regs[j] end regs[j] = v end end", a, b)
    else
      out[#out + 1] = "unwind(regs, bt, top, sp)"
    end
  end
  out[#out + 1] = "end"
  return concat(out, " ")
end

local function gen_block(out, code, L, first, const, mode)
  local FAIL = mode.fail
  local i = first
  while true do
    local I = code[i]
    local o = I[1]
    if o == O.CHAR then
      out[#out + 1] = format("if byte(s, pos) ~= %d then %s end pos = pos + 1", I[2], FAIL)
    elseif o == O.STR then
      local lit, n = I[2], I[3]
      local tests = { format("pos + %d > slen", n - 1) }
      if n <= 8 then
        for k = 1, n do tests[#tests + 1] = format("byte(s, pos + %d) ~= %d", k - 1, lit:byte(k)) end
        out[#out + 1] = format("if %s then %s end pos = pos + %d", concat(tests, " or "), FAIL, n)
      else
        out[#out + 1] = format("if %s or sub(s, pos, pos + %d) ~= %s then %s end pos = pos + %d",
          tests[1], n - 1, const(lit), FAIL, n)
      end
    elseif o == O.ONE then
      local f = const(I[2])
      local info = const.info[I[2]]
      out[#out + 1] = step(info, f, class_table(info, const), "pos", FAIL)
    elseif o == O.STAR or o == O.LAZY then
      local f, min, max = const(I[2]), I[3], I[4]
      local info = const.info[I[2]]
      local asc = class_table(info, const)
      local bounded = max ~= math.huge
      out[#out + 1] = "do local p, cnt = pos, 0"
      if min == 1 then
        out[#out + 1] = step(info, f, asc, "p", FAIL) .. " cnt = 1"
      elseif min > 1 then
        out[#out + 1] = format("while cnt < %d do %s cnt = cnt + 1 end", min, step(info, f, asc, "p", FAIL))
      end
      if o == O.STAR then
        out[#out + 1] = "local pmin = p"
        out[#out + 1] = format("while %s do %s %s end", bounded and format("cnt < %d", max) or "true",
          step(info, f, asc, "p", "break"), bounded and "cnt = cnt + 1" or "")
        if not I[7] then
          out[#out + 1] = "if p ~= pmin then " .. push(K_STAR, i, "p", "pmin") .. " end"
        end
      elseif min < max then
        out[#out + 1] = push(K_LAZY, i, "p", "cnt")
      end
      out[#out + 1] = "pos = p end"
    elseif o == O.SPLIT then
      out[#out + 1] = push(K_CHOICE, I[3], "pos", "false")
      if I[2] ~= i + 1 then
        out[#out + 1] = mode.jump(first, I[2])
        return
      end
    elseif o == O.JMP then
      out[#out + 1] = mode.jump(first, I[2])
      return
    elseif o == O.GOPEN then
      out[#out + 1] = set_reg(I[2], "pos")
    elseif o == O.LINIT then
      out[#out + 1] = set_reg(I[2], "0")
    elseif o == O.LOOP then
      -- ends its block: the body (i + 1) or the exit (I[6]) follows
      local r, min, max, exit = I[2], I[3], I[4], I[6]
      local full = max ~= math.huge and format("regs[%d] >= %d", r, max) or "false"
      if I[5] then
        out[#out + 1] = format("if %s then pc = %d else if regs[%d] >= %d then %s end %s pc = %d end",
          full, exit, r, min, push(K_CHOICE, exit, "pos", "false"), enter_body(I), i + 1)
      else
        out[#out + 1] = format("if %s then pc = %d elseif regs[%d] >= %d then %s pc = %d else %s pc = %d end",
          full, exit, r, min, push(K_LLAZY, i, "pos", "false"), exit, enter_body(I), i + 1)
      end
      return
    elseif o == O.LEND then
      local r = I[2]
      if I[5] then
        out[#out + 1] = format("if regs[%d] >= %d and pos == regs[%d] then %s end", r, I[4], r + 1, FAIL)
      end
      out[#out + 1] = set_reg(r, format("regs[%d] + 1", r))
      out[#out + 1] = mode.jump(first, I[3])
      return
    elseif o == O.GCLOSE then
      local r, t = I[2], I[3]
      out[#out + 1] = format("if sp > 0 then %s end regs[%d], regs[%d] = regs[%d], pos",
        push(K_UNDO2, r, format("regs[%d]", r), format("regs[%d]", r + 1)), r, r + 1, t)
    elseif o == O.BOL then
      out[#out + 1] = format("if pos ~= 1 %s then %s end", I[2] and "and not lt_before(s, pos)" or "", FAIL)
    elseif o == O.EOL then
      out[#out + 1] = format("if pos <= slen %s then %s end",
        I[2] and "and not is_lt_at(s, pos, byte(s, pos))" or "", FAIL)
    elseif o == O.WB then
      out[#out + 1] = format("if (word_before(s, pos, %s) == word_at(s, pos, %s)) ~= %s then %s end",
        tostring(I[3]), tostring(I[3]), tostring(I[2]), FAIL)
    elseif o == O.BREF then
      out[#out + 1] = format("do local st, en = regs[%d], regs[%d] if st and en > st then " ..
        "local len = en - st if pos + len - 1 > slen then %s end " ..
        "for k = 0, len - 1 do if byte(s, st + k) ~= byte(s, pos + k) then %s end end " ..
        "pos = pos + len end end", I[2], I[2] + 1, FAIL, FAIL)
    elseif o == O.LOOK then
      out[#out + 1] = look(I, i, FAIL)
    elseif o == O.MATCH then
      out[#out + 1] = "do return pos end"
      return
    end
    i = next_own(code, i)
    if L[i] then
      out[#out + 1] = format("pc = %d", i)   -- the next block follows: no jump
      return
    end
  end
end

-- The failure handler: the VM's own (lib.backtrack), with undo records elided as above.
local HANDLER = [[
pc, pos, sp = backtrack(code, s, regs, bt, sp, 0, true)
if not pc then return nil end
]]

local M = {}
local MAX_LOCAL_CONSTS = 40

function M.gen(prog, lib)
  local code = prog.code
  local own = own_instructions(code)
  if not supported(code, own) then return nil end
  local L = leaders(code, own)
  local consts, names = {}, {}
  local const = setmetatable({ info = lib.matcher_info }, {
    __call = function(_, v)
      local name = names[v]
      if not name then
        consts[#consts + 1] = v
        -- (LuaJIT allows 60 upvalues a function: past 40 constants, the rest are read from K)
        name = #consts <= MAX_LOCAL_CONSTS and "k" .. #consts or format("K[%d]", #consts)
        names[v] = name
      end
      return name
    end,
  })
  local starts = {}
  for _, i in ipairs(own) do if L[i] then starts[#starts + 1] = i end end
  local function blocks(mode)
    local all = {}
    for _, i in ipairs(starts) do
      local out = { format("if pc == %d then", i) }
      gen_block(out, code, L, i, const, mode)
      out[#out + 1] = "end"
      all[#all + 1] = concat(out, "\n")
    end
    return concat(all, "\n")
  end
  local straight, looped = blocks(STRAIGHT), blocks(LOOPED)
  local head = {}
  for n = 1, math.min(#consts, MAX_LOCAL_CONSTS) do head[n] = format("local k%d = K[%d]", n, n) end
  local src = concat({
    "local K, lib, code = ...",
    "local byte, sub = string.byte, string.sub",
    "local lt_before, is_lt_at = lib.lt_before, lib.is_lt_at",
    "local word_at, word_before = lib.word_at, lib.word_before",
    "local run, unwind, backtrack = lib.run, lib.unwind, lib.backtrack",
    concat(head, "\n"),
    "local function resume(s, slen, pos, regs, bt, sp, pc)",
    "while true do",
    "if pc == 0 then",
    HANDLER,
    "end",
    looped,
    "::next::",
    "end",
    "end",
    "return function(s, slen, pos, regs, bt)",
    "local sp, pc = 0, 1",
    straight,
    "::fail::",
    "if sp <= 0 then return nil end",
    "return resume(s, slen, pos, regs, bt, sp, 0)",
    "end",
  }, "\n")
  local chunk = load(src, "=regexp " .. tostring(prog.source))
  if not chunk then return nil, src end   -- (a limit of Lua's: the VM runs the pattern)
  return chunk(consts, lib, code), src
end

return M
