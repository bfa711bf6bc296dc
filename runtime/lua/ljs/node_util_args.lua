-- ljs.node_util_args: node's util.parseArgs({args, options, strict, allowPositionals,
-- allowNegative, tokens}), loaded by the util module on the first call. Written from node 20's
-- observed behaviour: what it accepts, the tokens it reports and its errors (codes and texts).
--
-- An argument is one of: `--` (ends the options), `--name`, `--name=value`, `-x`, `-xVALUE`
-- (x a string option), `-xyz` (a group of short options) or a positional. A string option takes
-- the next argument as its value whatever it looks like; strict mode then calls a value that
-- starts with a dash ambiguous. Strings are JS strings here: a short option is one UTF-16 unit.
local R = require("ljs.core")
require("ljs.nodelib")

local type, rawset = type, rawset
local sbyte, ssub, sfind = string.byte, string.sub, string.find
local null = R.null
local N = R.nodelib
local invalid_arg_type, coded_error, jsobject = N.invalid_arg_type, N.coded_error, N.jsobject

local M = {}

local function absent(v) return v == nil or v == null end
local function starts_dash(s) return type(s) == "string" and sbyte(s, 1) == 45 end

-- an own property of a config object (node reads only own ones: an inherited `type` is unset)
local function own(o, k)
  if type(o) ~= "table" and type(o) ~= "function" then return nil end
  if not R.hasown(o, k) then return nil end
  return R.get(o, k)
end

local function throw(code, msg) R.throw(coded_error("TypeError", code, msg)) end

local function invalid_value(name, reason, v)
  local kind = sfind(name, ".", 1, true) and "property" or "argument"
  throw("ERR_INVALID_ARG_VALUE", "The " .. kind .. " '" .. name .. "' " .. reason .. ". Received " .. R.inspect(v))
end

local function check_boolean(v, name)
  if type(v) ~= "boolean" then R.throw(invalid_arg_type(name, "boolean", v)) end
end

local function check_string(v, name)
  if type(v) ~= "string" then R.throw(invalid_arg_type(name, "string", v)) end
end

local function keyname(k) return type(k) == "number" and R.numtostr(k) or k end

---------------------------------------------------------------------------------------------
-- The configuration: a flag's `null` means its default, as in node

local function flag(config, name, default)
  local v = own(config, name)
  if absent(v) then return default end
  check_boolean(v, name)
  return v
end

local function check_default(v, typ, multiple, name)
  if not multiple then
    if typ == "string" then check_string(v, name) else check_boolean(v, name) end
    return
  end
  if not R.isarray(v) then R.throw(invalid_arg_type(name, "Array", v)) end
  for i = 0, R.get(v, "length") - 1 do
    local e = R.get(v, i)
    local ename = name .. "[" .. i .. "]"
    if typ == "string" then check_string(e, ename) else check_boolean(e, ename) end
  end
end

-- options -> {list = {spec...}, by_name = {name -> spec}}; spec: name, type, short,
-- multiple, default (nil when there is none)
local function read_options(options)
  local specs = {list = {}, by_name = {}}
  if absent(options) then return specs end
  N.validate_object(options, "options")
  local ks, n = R.ownkeys(options)
  for i = 1, n do
    local name = keyname(ks[i])
    local o = R.get(options, ks[i])
    local path = "options." .. name
    N.validate_object(o, path)
    local typ = own(o, "type")
    if typ ~= "string" and typ ~= "boolean" then
      R.throw(invalid_arg_type(path .. ".type", "('string|boolean')", typ))
    end
    local short = own(o, "short")
    if short ~= nil then
      check_string(short, path .. ".short")
      if R.strlen(short) ~= 1 then invalid_value(path .. ".short", "must be a single character", short) end
    end
    local multiple = own(o, "multiple")
    if multiple ~= nil then check_boolean(multiple, path .. ".multiple") end
    local default = own(o, "default")
    if default ~= nil then check_default(default, typ, multiple, path .. ".default") end
    local spec = {name = name, type = typ, short = short, multiple = multiple == true, default = default}
    specs.list[#specs.list + 1] = spec
    specs.by_name[name] = spec
  end
  return specs
end

-- the arguments to parse: config.args, else what follows the script in process.argv
-- (["luascript", script, ...] here, as node's is [node, script, ...])
local function read_args(config)
  local args = own(config, "args")
  local src, first = args, 0
  if absent(args) then
    src, first = R.process and R.process.argv, 2
    if src == nil then return {} end
  elseif not R.isarray(args) then
    R.throw(invalid_arg_type("args", "Array", args))
  end
  local out = {}
  for i = first, R.get(src, "length") - 1 do out[#out + 1] = R.get(src, i) end
  return out
end

---------------------------------------------------------------------------------------------
-- Errors of strict mode

local function short_and_long(spec)
  return (spec.short and ("-" .. spec.short .. ", ") or "") .. "--" .. spec.name
end

local function unknown_option(raw, allow_positionals)
  local msg = "Unknown option '" .. raw .. "'"
  if allow_positionals then
    -- (node's text lacks the closing quote)
    msg = msg .. ". To specify a positional argument starting with a '-', place it at the end of the command " ..
      "after '--', as in '-- \"" .. raw .. "\""
  end
  throw("ERR_PARSE_ARGS_UNKNOWN_OPTION", msg)
end

-- the option a token names, its misuse (a string without a value, a boolean with one), and a
-- value taken from the next argument that looks like an option
local function check_option(st, tok)
  local spec = st.specs.by_name[tok.name]
  if spec == nil then
    -- --no-name negates a boolean option when allowNegative is set
    local base = st.negative and ssub(tok.name, 1, 3) == "no-" and st.specs.by_name[ssub(tok.name, 4)]
    if not base or base.type ~= "boolean" then unknown_option(tok.raw, st.allow_positionals) end
    spec = base
  end
  if spec.type == "string" and type(tok.value) ~= "string" then
    throw("ERR_PARSE_ARGS_INVALID_OPTION_VALUE", "Option '" .. short_and_long(spec) .. " <value>' argument missing")
  end
  if spec.type == "boolean" and tok.value ~= nil then
    throw("ERR_PARSE_ARGS_INVALID_OPTION_VALUE", "Option '" .. short_and_long(spec) .. "' does not take an argument")
  end
  local v = tok.value
  if tok.inline == false and type(v) == "string" and sbyte(v, 1) == 45 and #v > 1 then
    local raw = tok.raw
    local alt = ssub(raw, 2, 2) ~= "-" and (" or '" .. raw .. "-XYZ'") or ""
    throw("ERR_PARSE_ARGS_INVALID_OPTION_VALUE", "Option '" .. raw .. "' argument is ambiguous.\n" ..
      "Did you forget to specify the option argument for '" .. raw .. "'?\n" ..
      "To specify an option argument starting with a dash use '--" .. tok.name .. "=-XYZ'" .. alt .. ".")
  end
end

---------------------------------------------------------------------------------------------
-- Storing what was parsed

local function push_token(st, t)
  if st.tokens then st.ntok = st.ntok + 1; st.tokens[st.ntok] = t end
end

local function store(st, tok, jstok)
  local name, v = tok.name, tok.value
  if v == nil then
    v = true
    if st.negative and ssub(name, 1, 3) == "no-" then
      name, v = ssub(name, 4), false
      if jstok then R.put(jstok, "name", name) end
    end
  end
  -- (node drops this name rather than set the prototype of `values`)
  if name == "__proto__" then return end
  local spec = st.specs.by_name[name]
  if spec and spec.multiple then
    local list = R.get(st.values, name)
    if list == nil then list = R.newarray(0); R.put(st.values, name, list) end
    R.push1(list, v)
  else
    R.put(st.values, name, v)
  end
end

local function option(st, name, raw, index, value, inline)
  local tok = {name = name, raw = raw, value = value, inline = inline}
  if st.strict then check_option(st, tok) end
  local jstok = st.tokens and jsobject("kind", "option", "name", name, "rawName", raw, "index", index,
                                       "value", value, "inlineValue", inline)
  push_token(st, jstok)
  store(st, tok, jstok)
end

local function positional(st, value, index)
  if st.strict and not st.allow_positionals then
    throw("ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL",
      "Unexpected argument '" .. R.tostr(value) .. "'. This command does not take positional arguments")
  end
  push_token(st, st.tokens and jsobject("kind", "positional", "index", index, "value", value))
  R.push1(st.positionals, value)
end

---------------------------------------------------------------------------------------------
-- The scan

-- the option a short letter stands for: the first with that `short`, else the letter itself
local function long_for_short(specs, ch)
  for _, spec in ipairs(specs.list) do
    if spec.short == ch then return spec.name end
  end
  return ch
end

local function type_of(specs, name)
  local spec = specs.by_name[name]
  return spec and spec.type
end

-- The arguments still to read: the members of the group being expanded (all at the group's
-- index) come before the rest of the list.
local function cursor(args)
  return {args = args, next = 1, group = {}, ghead = 1, gtail = 0, gindex = 0}
end

local function has_more(c) return c.ghead <= c.gtail or c.next <= #c.args end

-- the next argument and its index in args (0-based, as node's tokens give it)
local function take(c)
  if c.ghead <= c.gtail then
    local a = c.group[c.ghead]
    c.ghead = c.ghead + 1
    return a, c.gindex
  end
  local i = c.next
  c.next = i + 1
  return c.args[i], i - 1
end

-- -abc as -a -b -c; a string option among them takes the rest of the group as its value
local function expand_group(st, c, arg, at)
  local n, k = R.strlen(arg), 0
  for u = 1, n - 1 do
    local ch = R.str_sub(arg, u, u + 1)
    k = k + 1
    if u < n - 1 and type_of(st.specs, long_for_short(st.specs, ch)) == "string" then
      c.group[k] = "-" .. R.str_sub(arg, u)
      break
    end
    c.group[k] = "-" .. ch
  end
  c.ghead, c.gtail, c.gindex = 1, k, at
end

-- a lone --name or -n: a string option takes the next argument, whatever it is
local function lone_option(st, c, name, raw, at)
  if type_of(st.specs, name) == "string" and has_more(c) then
    option(st, name, raw, at, (take(c)), false)
  else
    option(st, name, raw, at, nil, nil)
  end
end

local function scan(st, args)
  local c = cursor(args)
  while has_more(c) do
    local arg, at = take(c)
    local len = type(arg) == "string" and #arg or 0
    if arg == "--" then
      push_token(st, st.tokens and jsobject("kind", "option-terminator", "index", at))
      -- (numbered on from the terminator's index, as node does even when the terminator
      -- came out of a group like -a-: the rest of that group then shifts the numbers by one)
      local k = at
      while has_more(c) do
        k = k + 1
        positional(st, (take(c)), k)
      end
    elseif not starts_dash(arg) or len == 1 then
      positional(st, arg, at)
    elseif sbyte(arg, 2) == 45 then
      -- --name=value when an '=' follows the first letter of the name (--=x is a name)
      if sfind(arg, "=", 4, true) then
        local eq = sfind(arg, "=", 3, true)
        local name = ssub(arg, 3, eq - 1)
        option(st, name, "--" .. name, at, ssub(arg, eq + 1), true)
      else
        lone_option(st, c, ssub(arg, 3), arg, at)
      end
    elseif R.strlen(arg) == 2 then
      lone_option(st, c, long_for_short(st.specs, R.str_sub(arg, 1, 2)), arg, at)
    else
      local ch = R.str_sub(arg, 1, 2)
      local name = long_for_short(st.specs, ch)
      if type_of(st.specs, name) == "string" then
        option(st, name, "-" .. ch, at, R.str_sub(arg, 2), true)
      else
        expand_group(st, c, arg, at)
      end
    end
  end
end

function M.parse_args(_, config)
  if config == null then R.type_error("Cannot convert undefined or null to object") end
  local args = read_args(config)
  -- (checked in node's order, which decides the error a config with several faults gets)
  local strict = flag(config, "strict", true)
  local allow_positionals = flag(config, "allowPositionals", not strict)
  local tokens = flag(config, "tokens", false)
  local negative = flag(config, "allowNegative", false)
  local st = {strict = strict, allow_positionals = allow_positionals, tokens = tokens and {} or nil, ntok = 0,
              negative = negative}
  st.specs = read_options(own(config, "options"))
  st.values = R.newobj(null)
  st.positionals = R.newarray(0)
  scan(st, args)
  for _, spec in ipairs(st.specs.list) do
    if spec.default ~= nil and spec.name ~= "__proto__" and R.get(st.values, spec.name) == nil then
      R.put(st.values, spec.name, spec.default)
    end
  end
  local result = jsobject("values", st.values, "positionals", st.positionals)
  if st.tokens then
    local list = R.newarray(0)
    for i = 1, st.ntok do R.push1(list, st.tokens[i]) end
    R.addkey(result, "tokens")
    rawset(result, "tokens", list)
  end
  return result
end

return M
