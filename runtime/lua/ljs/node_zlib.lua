-- ljs.node_zlib: node's `zlib` module over the system's zlib (and brotli, when its libraries are
-- there) through the FFI, written to behave as node 20's: the stream layer does what node's
-- ZlibBase does (a Transform with its processChunk / processCallback loop, the convenience
-- functions), the handle below it what node's native handle does (lazy init, unzip's header
-- sniffing, gzip members, dictionaries, the error texts), so results, errors and option checks
-- are node's.
--
-- Differences from node: a stream's "thread pool" work runs in a later turn of the event loop (a
-- setImmediate callback) on the main thread; the sync functions without `info` run straight on a
-- handle, without making a stream; ZLIB_VERNUM is the system zlib's; no crc32.
local ffi = require("ffi")
local R = require("ljs.core")
require("ljs.nodelib")
local B = require("ljs.node_buffer")
local S = require("ljs.node_stream")

local type, rawget, rawset, ipairs, pcall = type, rawget, rawset, ipairs, pcall
local floor = math.floor
local null = R.null
local N = R.nodelib
local put, coded_error, invalid_arg_type, out_of_range = N.put, N.coded_error, N.invalid_arg_type, N.out_of_range
local truthy, callable, numtostr = R.truthy, R.iscallable, R.numtostr
local byte_view, TA_PTR = B.byte_view, R.TA_PTR
local Buffer = B.Buffer
local allocUnsafe, bconcat = R.get(Buffer, "allocUnsafe"), R.get(Buffer, "concat")
local Transform = S.Transform

local function alloc(n) return allocUnsafe(Buffer, n) end
local function tick(f, ...) R.enqueue_tick(f, R.pack(...)) end
local function get(o, k) return R.get(o, k) end

---------------------------------------------------------------------------------------------
-- The libraries: zlib when the module loads, brotli on first use

local cbytes = ffi.typeof("const uint8_t *")
pcall(ffi.cdef, [[
typedef struct ljs_z_stream {
  const uint8_t *next_in; unsigned int avail_in; unsigned long total_in;
  uint8_t *next_out; unsigned int avail_out; unsigned long total_out;
  const char *msg; void *state; void *zalloc; void *zfree; void *opaque;
  int data_type; unsigned long adler; unsigned long reserved;
} ljs_z_stream;
const char *zlibVersion(void);
int deflateInit2_(ljs_z_stream *s, int level, int method, int windowBits, int memLevel, int strategy, const char *version, int size);
int deflate(ljs_z_stream *s, int flush);
int deflateEnd(ljs_z_stream *s);
int deflateReset(ljs_z_stream *s);
int deflateParams(ljs_z_stream *s, int level, int strategy);
int deflateSetDictionary(ljs_z_stream *s, const uint8_t *dict, unsigned int n);
int inflateInit2_(ljs_z_stream *s, int windowBits, const char *version, int size);
int inflate(ljs_z_stream *s, int flush);
int inflateEnd(ljs_z_stream *s);
int inflateReset(ljs_z_stream *s);
int inflateSetDictionary(ljs_z_stream *s, const uint8_t *dict, unsigned int n);
void *BrotliEncoderCreateInstance(void *a, void *f, void *o);
int BrotliEncoderSetParameter(void *s, int p, uint32_t v);
int BrotliEncoderCompressStream(void *s, int op, size_t *ain, const uint8_t **nin, size_t *aout, uint8_t **nout, size_t *total);
void BrotliEncoderDestroyInstance(void *s);
void *BrotliDecoderCreateInstance(void *a, void *f, void *o);
int BrotliDecoderSetParameter(void *s, int p, uint32_t v);
int BrotliDecoderDecompressStream(void *s, size_t *ain, const uint8_t **nin, size_t *aout, uint8_t **nout, size_t *total);
int BrotliDecoderGetErrorCode(const void *s);
const char *BrotliDecoderErrorString(int c);
void BrotliDecoderDestroyInstance(void *s);
]])

-- ffi.load("z") needs the development symlink libz.so; libz.so.1 is what every Linux has
local function load_lib(names)
  for _, name in ipairs(names) do
    local ok, lib = pcall(ffi.load, name)
    if ok then return lib end
  end
  return nil
end

local Z = load_lib({"z", "libz.so.1", "libz.dylib"})
local ZVERSION, ZSIZE = nil, ffi.sizeof("ljs_z_stream")
if Z and not pcall(function() ZVERSION = Z.zlibVersion() end) then Z = nil end
local zstream_ct = ffi.typeof("ljs_z_stream")

local BE, BD, brotli_tried
local function brotli_libs()
  if not brotli_tried then
    brotli_tried = true
    BE = load_lib({"brotlienc", "libbrotlienc.so.1", "libbrotlienc.dylib", "/opt/homebrew/lib/libbrotlienc.dylib",
                   "/usr/local/lib/libbrotlienc.dylib"})
    BD = load_lib({"brotlidec", "libbrotlidec.so.1", "libbrotlidec.dylib", "/opt/homebrew/lib/libbrotlidec.dylib",
                   "/usr/local/lib/libbrotlidec.dylib"})
    if not (BE and BD) then BE, BD = nil, nil end
  end
  return BE ~= nil
end

local function unsupported(what, fname)
  local e = R.make_error("Error", "LuaScript could not load the system's " .. what .. " (zlib." .. fname ..
    " was called)")
  e.code = "ERR_LUASCRIPT_UNSUPPORTED"
  R.throw(e)
end
local function need_zlib(fname) if not Z then unsupported("zlib library (libz)", fname) end end
local function need_brotli(fname)
  if not brotli_libs() then unsupported("brotli libraries (libbrotlienc, libbrotlidec)", fname) end
end

---------------------------------------------------------------------------------------------
-- Constants, in node 20's order

local constants = R.newobj(null)
local CONSTANTS = {
  "Z_NO_FLUSH", 0, "Z_PARTIAL_FLUSH", 1, "Z_SYNC_FLUSH", 2, "Z_FULL_FLUSH", 3, "Z_FINISH", 4, "Z_BLOCK", 5,
  "Z_OK", 0, "Z_STREAM_END", 1, "Z_NEED_DICT", 2, "Z_ERRNO", -1, "Z_STREAM_ERROR", -2, "Z_DATA_ERROR", -3,
  "Z_MEM_ERROR", -4, "Z_BUF_ERROR", -5, "Z_VERSION_ERROR", -6, "Z_NO_COMPRESSION", 0, "Z_BEST_SPEED", 1,
  "Z_BEST_COMPRESSION", 9, "Z_DEFAULT_COMPRESSION", -1, "Z_FILTERED", 1, "Z_HUFFMAN_ONLY", 2, "Z_RLE", 3,
  "Z_FIXED", 4, "Z_DEFAULT_STRATEGY", 0, "ZLIB_VERNUM", 4880, "DEFLATE", 1, "INFLATE", 2, "GZIP", 3,
  "GUNZIP", 4, "DEFLATERAW", 5, "INFLATERAW", 6, "UNZIP", 7, "BROTLI_DECODE", 8, "BROTLI_ENCODE", 9,
  "Z_MIN_WINDOWBITS", 8, "Z_MAX_WINDOWBITS", 15, "Z_DEFAULT_WINDOWBITS", 15, "Z_MIN_CHUNK", 64,
  "Z_MAX_CHUNK", math.huge, "Z_DEFAULT_CHUNK", 16384, "Z_MIN_MEMLEVEL", 1, "Z_MAX_MEMLEVEL", 9,
  "Z_DEFAULT_MEMLEVEL", 8, "Z_MIN_LEVEL", -1, "Z_MAX_LEVEL", 9, "Z_DEFAULT_LEVEL", -1,
  "BROTLI_OPERATION_PROCESS", 0, "BROTLI_OPERATION_FLUSH", 1, "BROTLI_OPERATION_FINISH", 2,
  "BROTLI_OPERATION_EMIT_METADATA", 3, "BROTLI_PARAM_MODE", 0, "BROTLI_MODE_GENERIC", 0, "BROTLI_MODE_TEXT", 1,
  "BROTLI_MODE_FONT", 2, "BROTLI_DEFAULT_MODE", 0, "BROTLI_PARAM_QUALITY", 1, "BROTLI_MIN_QUALITY", 0,
  "BROTLI_MAX_QUALITY", 11, "BROTLI_DEFAULT_QUALITY", 11, "BROTLI_PARAM_LGWIN", 2, "BROTLI_MIN_WINDOW_BITS", 10,
  "BROTLI_MAX_WINDOW_BITS", 24, "BROTLI_LARGE_MAX_WINDOW_BITS", 30, "BROTLI_DEFAULT_WINDOW", 22,
  "BROTLI_PARAM_LGBLOCK", 3, "BROTLI_MIN_INPUT_BLOCK_BITS", 16, "BROTLI_MAX_INPUT_BLOCK_BITS", 24,
  "BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING", 4, "BROTLI_PARAM_SIZE_HINT", 5, "BROTLI_PARAM_LARGE_WINDOW", 6,
  "BROTLI_PARAM_NPOSTFIX", 7, "BROTLI_PARAM_NDIRECT", 8, "BROTLI_DECODER_RESULT_ERROR", 0,
  "BROTLI_DECODER_RESULT_SUCCESS", 1, "BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT", 2,
  "BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT", 3, "BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION", 0,
  "BROTLI_DECODER_PARAM_LARGE_WINDOW", 1, "BROTLI_DECODER_NO_ERROR", 0, "BROTLI_DECODER_SUCCESS", 1,
  "BROTLI_DECODER_NEEDS_MORE_INPUT", 2, "BROTLI_DECODER_NEEDS_MORE_OUTPUT", 3,
  "BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE", -1, "BROTLI_DECODER_ERROR_FORMAT_RESERVED", -2,
  "BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE", -3, "BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET", -4,
  "BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME", -5, "BROTLI_DECODER_ERROR_FORMAT_CL_SPACE", -6,
  "BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE", -7, "BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT", -8,
  "BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1", -9, "BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2", -10,
  "BROTLI_DECODER_ERROR_FORMAT_TRANSFORM", -11, "BROTLI_DECODER_ERROR_FORMAT_DICTIONARY", -12,
  "BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS", -13, "BROTLI_DECODER_ERROR_FORMAT_PADDING_1", -14,
  "BROTLI_DECODER_ERROR_FORMAT_PADDING_2", -15, "BROTLI_DECODER_ERROR_FORMAT_DISTANCE", -16,
  "BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET", -19, "BROTLI_DECODER_ERROR_INVALID_ARGUMENTS", -20,
  "BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES", -21, "BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS", -22,
  "BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP", -25, "BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1", -26,
  "BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2", -27, "BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES", -30,
  "BROTLI_DECODER_ERROR_UNREACHABLE", -31,
}
local BROTLI_ERROR_NAMES = {}
for i = 1, #CONSTANTS, 2 do
  local k, v = CONSTANTS[i], CONSTANTS[i + 1]
  if string.sub(k, 1, 21) == "BROTLI_DECODER_ERROR_" then BROTLI_ERROR_NAMES[v] = "ERR_" .. string.sub(k, 15) end
  if k == "ZLIB_VERNUM" and ZVERSION then   -- the system's: "1.2.13" is 0x12d0, as in zlib.h
    local a, b, c, d = string.match(ffi.string(ZVERSION), "^(%d+)%.(%d+)%.?(%d*)%.?(%d*)")
    if a then v = ((tonumber(a) * 16 + tonumber(b)) * 16 + (tonumber(c) or 0)) * 16 + (tonumber(d) or 0) end
    CONSTANTS[i + 1] = v
  end
  R.defprop(constants, k, {value = v, writable = false, enumerable = true, configurable = false})
end

local Z_NO_FLUSH, Z_PARTIAL_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_FINISH, Z_BLOCK = 0, 1, 2, 3, 4, 5
local Z_OK, Z_STREAM_END, Z_NEED_DICT, Z_DATA_ERROR, Z_BUF_ERROR = 0, 1, 2, -3, -5
local NONE, DEFLATE, INFLATE, GZIP, GUNZIP, DEFLATERAW, INFLATERAW, UNZIP, BROTLI_DECODE, BROTLI_ENCODE =
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9
local BROTLI_PROCESS, BROTLI_FLUSH, BROTLI_FINISH = 0, 1, 2
local CHUNK, K_MAX_LENGTH = 16384, 4294967296
local CODE_NAMES = {[0] = "Z_OK", [1] = "Z_STREAM_END", [2] = "Z_NEED_DICT", [-1] = "Z_ERRNO", [-2] = "Z_STREAM_ERROR",
                    [-3] = "Z_DATA_ERROR", [-4] = "Z_MEM_ERROR", [-5] = "Z_BUF_ERROR", [-6] = "Z_VERSION_ERROR"}

---------------------------------------------------------------------------------------------
-- Handles: node's ZlibContext / BrotliEncoderContext / BrotliDecoderContext. A state table `st`
-- with `ops` for its kind; work(st, flush, in, n, out, m) leaves st.avail_out and st.avail_in,
-- errinfo(st) gives (message, code, errno) when the last step failed.

local zops, bencops, bdecops = {}, {}, {}

local function zlib_state(mode, wbits, level, memlevel, strategy, dict)
  if mode == GZIP or mode == GUNZIP then wbits = wbits + 16 end
  if mode == UNZIP then wbits = wbits + 32 end
  if mode == DEFLATERAW or mode == INFLATERAW then wbits = -wbits end
  return {ops = zops, mode = mode, wbits = wbits, level = level, memlevel = memlevel, strategy = strategy,
          dict = dict, strm = ffi.new(zstream_ct), init_done = false, err = Z_OK, flush = Z_NO_FLUSH,
          gzip_id = 0, avail_in = 0, avail_out = 0}
end

local function is_deflate(mode) return mode == DEFLATE or mode == GZIP or mode == DEFLATERAW end

local function z_set_dictionary(st)
  local d = st.dict
  if not d then return Z_OK end
  local m = st.mode
  st.err = Z_OK
  if m == DEFLATE or m == DEFLATERAW then st.err = Z.deflateSetDictionary(st.strm, d, #d)
  elseif m == INFLATERAW then st.err = Z.inflateSetDictionary(st.strm, d, #d) end
  return st.err
end

-- true on the call that initialised (node initialises on the first write, reset or params)
local function z_init(st)
  if st.init_done then return false end
  local s, m = st.strm, st.mode
  if is_deflate(m) then
    st.err = Z.deflateInit2_(s, st.level, 8, st.wbits, st.memlevel, st.strategy, ZVERSION, ZSIZE)
  else
    st.err = Z.inflateInit2_(s, st.wbits, ZVERSION, ZSIZE)
  end
  if st.err ~= Z_OK then
    st.dict, st.mode = nil, NONE
    return true
  end
  -- the C library's state is freed with the handle if the program never closes it
  st.strm = ffi.gc(s, is_deflate(m) and Z.deflateEnd or Z.inflateEnd)
  z_set_dictionary(st)
  st.init_done = true
  return true
end

local function z_reset_stream(st)
  local m = st.mode
  if is_deflate(m) then st.err = Z.deflateReset(st.strm)
  elseif m == INFLATE or m == INFLATERAW or m == GUNZIP then st.err = Z.inflateReset(st.strm) end
end

local function z_message(st, msg)
  local m = st.strm.msg
  if m ~= nil then msg = ffi.string(m) end
  return msg, CODE_NAMES[st.err] or "Z_UNKNOWN_ERROR", st.err
end

function zops.work(st, flush, inp, n, outp, m)
  local s = st.strm
  s.next_in, s.avail_in, s.next_out, s.avail_out = inp, n, outp, m
  st.flush = flush
  if not (z_init(st) and st.err ~= Z_OK) then
    local mode = st.mode
    if is_deflate(mode) then
      st.err = Z.deflate(s, flush)
    else
      if mode == UNZIP and s.avail_in > 0 then
        -- gzip's two magic bytes, possibly split between writes, choose between gunzip and inflate
        local p, left = s.next_in, s.avail_in
        if st.gzip_id == 0 then
          if p[0] == 0x1f then
            st.gzip_id, p, left = 1, p + 1, left - 1
          else
            st.mode, left = INFLATE, 0
          end
        end
        if st.gzip_id == 1 and left > 0 then
          if p[0] == 0x8b then st.gzip_id, st.mode = 2, GUNZIP else st.mode = INFLATE end
        end
        mode = st.mode
      end
      st.err = Z.inflate(s, flush)
      local d = st.dict
      if mode ~= INFLATERAW and st.err == Z_NEED_DICT and d then
        st.err = Z.inflateSetDictionary(s, d, #d)
        if st.err == Z_OK then st.err = Z.inflate(s, flush)
        elseif st.err == Z_DATA_ERROR then st.err = Z_NEED_DICT end   -- a bad dictionary, not bad input
      end
      -- another gzip member follows (zero bytes after one are padding)
      while s.avail_in > 0 and mode == GUNZIP and st.err == Z_STREAM_END and s.next_in[0] ~= 0 do
        z_reset_stream(st)
        st.err = Z.inflate(s, flush)
      end
    end
  end
  st.avail_out, st.avail_in = s.avail_out, s.avail_in
end

function zops.errinfo(st)
  local err = st.err
  if err == Z_OK or err == Z_BUF_ERROR then
    if st.strm.avail_out ~= 0 and st.flush == Z_FINISH then return z_message(st, "unexpected end of file") end
  elseif err == Z_NEED_DICT then
    return z_message(st, st.dict and "Bad dictionary" or "Missing dictionary")
  elseif err ~= Z_STREAM_END then
    return z_message(st, "Zlib error")
  end
  return nil
end

function zops.close(st)
  if st.init_done then
    local s = st.strm
    ffi.gc(s, nil)
    if is_deflate(st.mode) then Z.deflateEnd(s) else Z.inflateEnd(s) end
    st.init_done = false
  end
  st.mode, st.dict = NONE, nil
end

function zops.reset(st)
  if z_init(st) and st.err ~= Z_OK then return z_message(st, "Failed to init stream before reset") end
  st.err = Z_OK
  z_reset_stream(st)
  if st.err ~= Z_OK then return z_message(st, "Failed to reset stream") end
  if z_set_dictionary(st) ~= Z_OK then return z_message(st, "Failed to set dictionary") end
end

function zops.params(st, level, strategy)
  if z_init(st) and st.err ~= Z_OK then return z_message(st, "Failed to init stream before set parameters") end
  st.err = Z_OK
  if st.mode == DEFLATE or st.mode == DEFLATERAW then st.err = Z.deflateParams(st.strm, level, strategy) end
  if st.err ~= Z_OK and st.err ~= Z_BUF_ERROR then return z_message(st, "Failed to set parameters") end
end

-- Brotli: the encoder's and decoder's instances, the in/out cursors in C memory
local sizep_ct, inp_ct, outp_ct = ffi.typeof("size_t[1]"), ffi.typeof("const uint8_t *[1]"), ffi.typeof("uint8_t *[1]")

local function brotli_state(mode, params)
  local ops = mode == BROTLI_ENCODE and bencops or bdecops
  local st = {ops = ops, mode = mode, params = params, flush = BROTLI_PROCESS, avail_in = 0, avail_out = 0,
              ain = sizep_ct(), nin = inp_ct(), aout = sizep_ct(), nout = outp_ct(), error = 0, last = 0}
  if not ops.create(st) then return st, "Initialization failed" end
  for k = 0, 8 do
    local v = params[k]
    if v and not ops.set(st, k, v) then return st, "Setting parameter failed" end
  end
  return st
end

local function brotli_work(st, flush, inp, n, outp, m, step)
  st.ain[0], st.nin[0], st.aout[0], st.nout[0] = n, inp, m, outp
  st.flush = flush
  step(st)
  st.avail_out, st.avail_in = tonumber(st.aout[0]), tonumber(st.ain[0])
end

function bencops.create(st)
  local s = BE.BrotliEncoderCreateInstance(nil, nil, nil)
  if s == nil then return false end
  st.state = ffi.gc(s, BE.BrotliEncoderDestroyInstance)
  return true
end
function bencops.set(st, k, v) return BE.BrotliEncoderSetParameter(st.state, k, v) ~= 0 end
local function benc_step(st)
  st.last = BE.BrotliEncoderCompressStream(st.state, st.flush, st.ain, st.nin, st.aout, st.nout, nil)
end
function bencops.work(st, flush, inp, n, outp, m) brotli_work(st, flush, inp, n, outp, m, benc_step) end
function bencops.errinfo(st)
  if st.last == 0 then return "Compression failed", "ERR_BROTLI_COMPRESSION_FAILED", -1 end
end

function bdecops.create(st)
  local s = BD.BrotliDecoderCreateInstance(nil, nil, nil)
  if s == nil then return false end
  st.state = ffi.gc(s, BD.BrotliDecoderDestroyInstance)
  return true
end
function bdecops.set(st, k, v) return BD.BrotliDecoderSetParameter(st.state, k, v) ~= 0 end
local function bdec_step(st)
  st.last = BD.BrotliDecoderDecompressStream(st.state, st.ain, st.nin, st.aout, st.nout, nil)
  if st.last == 0 then
    st.error = BD.BrotliDecoderGetErrorCode(st.state)
    -- node's bundled brotli names the code with its prefix: ERR__ERROR_FORMAT_PADDING_1
    st.error_string = BROTLI_ERROR_NAMES[st.error] or ("ERR_" .. ffi.string(BD.BrotliDecoderErrorString(st.error)))
  end
end
function bdecops.work(st, flush, inp, n, outp, m) brotli_work(st, flush, inp, n, outp, m, bdec_step) end
function bdecops.errinfo(st)
  if st.error ~= 0 then return "Decompression failed", st.error_string, st.error end
  -- brotli takes a cut-off stream for one that wants more input
  if st.flush == BROTLI_FINISH and st.last == 2 then return "unexpected end of file", "Z_BUF_ERROR", Z_BUF_ERROR end
end

for _, ops in ipairs({bencops, bdecops}) do
  ops.close = function(st)
    local s = st.state
    if s then
      st.state = nil
      ffi.gc(s, nil)
      if ops == bencops then BE.BrotliEncoderDestroyInstance(s) else BD.BrotliDecoderDestroyInstance(s) end
    end
  end
  -- node's reset makes a new instance without the parameters
  ops.reset = function(st)
    ops.close(st)
    st.error, st.last = 0, 0
    if not ops.create(st) then return "Initialization failed", "ERR_ZLIB_INITIALIZATION_FAILED", -1 end
  end
  ops.params = function() end
end

---------------------------------------------------------------------------------------------
-- Option checks (lib/internal/validators.js's checkRangesOrGetDefault)

-- false for undefined and NaN, true for a finite number; throws otherwise
local function finite(v, name)
  if v == nil then return false end
  if type(v) == "number" then
    if v ~= v then return false end
    if v - v == 0 then return true end
    out_of_range(name, "a finite number", v)
  end
  R.throw(invalid_arg_type(name, "number", v))
end

local function range_or_default(v, name, lo, hi, def)
  if not finite(v, name) then return def end
  if v < lo or v > hi then out_of_range(name, ">= " .. numtostr(lo) .. " and <= " .. numtostr(hi), v) end
  return v
end

local VIEW_TYPES = {"Buffer", "TypedArray", "DataView", "ArrayBuffer"}

-- Zlib's own options: windowBits, level, memLevel, strategy, dictionary (a Lua string or nil)
local function zlib_options(opts, mode)
  local wbits, level, memlevel, strategy, dict = 15, -1, 8, 0, nil
  if truthy(opts) then
    local w = get(opts, "windowBits")
    if (w == nil or w == null or w == 0) and (mode == INFLATE or mode == GUNZIP or mode == UNZIP) then
      wbits = 0   -- inflate takes the window size from the stream's header
    else
      wbits = range_or_default(w, "options.windowBits", mode == GZIP and 9 or 8, 15, 15)
    end
    level = range_or_default(get(opts, "level"), "options.level", -1, 9, -1)
    memlevel = range_or_default(get(opts, "memLevel"), "options.memLevel", 1, 9, 8)
    strategy = range_or_default(get(opts, "strategy"), "options.strategy", 0, 4, 0)
    local d = get(opts, "dictionary")
    if d ~= nil then
      local p, n = byte_view(d)
      if not p then R.throw(invalid_arg_type("options.dictionary", VIEW_TYPES, d)) end
      if n > 0 then dict = ffi.string(p, n) end
    end
  end
  return wbits, level, memlevel, strategy, dict
end

-- Brotli's `params`: key -> uint32 value for keys 0..8 (node's Uint32Array filled with -1)
local function brotli_params(opts)
  local params = {}
  local p = truthy(opts) and get(opts, "params")
  if truthy(p) then
    local keys, n = R.ownkeys(p)
    for i = 1, n do
      local orig = keys[i]
      local key = R.tonum(orig)
      if key ~= key or key < 0 or key > 8 or key ~= floor(key) or params[key] ~= nil then
        R.throw(coded_error("RangeError", "ERR_BROTLI_INVALID_PARAM", R.tostr(orig) .. " is not a valid Brotli parameter"))
      end
      local v = get(p, orig)
      if type(v) ~= "number" and type(v) ~= "boolean" then
        R.throw(invalid_arg_type("options.params[key]", "number", v))
      end
      params[key] = R.touint32(v == true and 1 or v == false and 0 or v)
      if params[key] == 4294967295 then params[key] = nil end
    end
  end
  return params
end

-- ZlibBase's options: chunkSize, flush, finishFlush, maxOutputLength
local function base_options(opts, brotli, flush, finish)
  local chunk, maxout = CHUNK, K_MAX_LENGTH
  if truthy(opts) then
    chunk = get(opts, "chunkSize")
    if not finite(chunk, "options.chunkSize") then
      chunk = CHUNK
    elseif chunk < 64 then
      out_of_range("options.chunkSize", ">= 64", chunk)
    end
    chunk = floor(chunk)
    local hi = brotli and 3 or 5
    flush = range_or_default(get(opts, "flush"), "options.flush", 0, hi, flush)
    finish = range_or_default(get(opts, "finishFlush"), "options.finishFlush", 0, hi, finish)
    maxout = range_or_default(get(opts, "maxOutputLength"), "options.maxOutputLength", 1, K_MAX_LENGTH, K_MAX_LENGTH)
  end
  return chunk, flush, finish, maxout
end

local function too_large(max)
  return coded_error("RangeError", "ERR_BUFFER_TOO_LARGE", "Cannot create a Buffer larger than " .. numtostr(max) .. " bytes")
end

-- node's genericNodeError for what the handle reports
local function handle_error(msg, code, errno)
  local e = R.make_error("Error", msg)
  put(e, "errno", errno)
  put(e, "code", code)
  return e
end

---------------------------------------------------------------------------------------------
-- processChunkSync: writes until the handle leaves output room. Returns the output Buffer and
-- the input consumed, or nil and (message, code, errno) of the handle's error, or nil and the
-- ERR_BUFFER_TOO_LARGE error.

local function run_sync(st, inp, inlen, flush, chunk_size, maxout, buffer, offset, write_state)
  local ops = st.ops
  local avail_in_before, avail_out_before, in_off = inlen, chunk_size - offset, 0
  local bufs, nbufs, nread, input_read = nil, 0, 0, 0
  while true do
    ops.work(st, flush, inp + in_off, avail_in_before, buffer[TA_PTR] + offset, avail_out_before)
    local msg, code, errno = ops.errinfo(st)
    if msg then return nil, msg, code, errno end
    local avail_out_after, avail_in_after = st.avail_out, st.avail_in
    if write_state then write_state[0], write_state[1] = avail_out_after, avail_in_after end
    local in_delta = avail_in_before - avail_in_after
    input_read = input_read + in_delta
    local have = avail_out_before - avail_out_after
    if have > 0 then
      local out = buffer:slice(offset, offset + have)
      offset = offset + have
      nbufs = nbufs + 1
      if nbufs == 1 then bufs = R.pack(out) else rawset(bufs, nbufs - 1, out); rawset(bufs, "length", nbufs) end
      nread = nread + have
      if nread > maxout then return nil, too_large(maxout) end
    end
    if avail_out_after == 0 or offset >= chunk_size then
      avail_out_before, offset, buffer = chunk_size, 0, alloc(chunk_size)
    end
    if avail_out_after ~= 0 then break end
    in_off = in_off + in_delta
    avail_in_before = avail_in_after
  end
  if nread == 0 then return alloc(0), input_read end
  if nbufs == 1 then return rawget(bufs, 0), input_read end
  return bconcat(Buffer, bufs, nread), input_read
end

-- The bytes of a sync call's input (strings as UTF-8): pointer, length, and what keeps them alive
local INPUT_TYPES = {"string", "Buffer", "TypedArray", "DataView", "ArrayBuffer"}
local function input_bytes(v)
  if type(v) == "string" then
    local s = B.encode(v, "utf8")
    return ffi.cast(cbytes, s), #s, s
  end
  local p, n = byte_view(v)
  if not p then R.throw(invalid_arg_type("buffer", INPUT_TYPES, v)) end
  return p, n, v
end

---------------------------------------------------------------------------------------------
-- The JavaScript classes: ZlibBase < Transform, Zlib < ZlibBase, Deflate ... < Zlib,
-- Brotli < Zlib (its constructor skips Zlib's), BrotliCompress / BrotliDecompress < Brotli

local KST = {}   -- a handle object's Lua state, under a key JavaScript cannot name

local function class(name, len, f, parent)
  return R.library_class(name, len, f, rawget(R.fprop_table(parent), "prototype"), parent)
end

local function handle_state(self)
  local h = self._handle
  if type(h) == "table" and h ~= null then return rawget(h, KST) end
  return nil
end

local function close_state(st)
  if st.writing then st.pending_close = true; return end
  st.pending_close = false
  if not st.closed then
    st.closed = true
    st.ops.close(st)
  end
end

-- the handle reports an error: zlibOnError destroys the stream with it
local function emit_error(st, msg, code, errno)
  local e = handle_error(msg, code, errno)
  local self = st.owner
  st.error = e
  if self then self:destroy(e) end
  st.writing = false
  if st.pending_close then close_state(st) end
  return e
end

local function engine_close(self)   -- lib/zlib.js's _close
  local st = handle_state(self)
  if st then close_state(st) end
  self._handle = null
end

local HandleProto = R.newobj()
R.method(HandleProto, "close", 0, function(this) close_state(rawget(this, KST)) end)
R.method(HandleProto, "reset", 0, function(this)
  local st = rawget(this, KST)
  local msg, code, errno = st.ops.reset(st)
  if msg then emit_error(st, msg, code, errno) end
end)
R.method(HandleProto, "params", 2, function(this, level, strategy)
  local st = rawget(this, KST)
  local msg, code, errno = st.ops.params(st, R.toint32(level), R.toint32(strategy))
  if msg then emit_error(st, msg, code, errno) end
end)

local function new_handle(st)
  local h = R.newobj(HandleProto)
  rawset(h, KST, st)
  return h
end

local ZlibBase, Zlib, Brotli
local process_callback

-- the handle's asynchronous write: the work runs in a later turn, as node's thread pool's does
local function write_async(st, flush, chunk, in_off, in_len, out, out_off, out_len)
  if st.closed then return end   -- (node aborts: its handle is gone)
  st.writing = true
  R.set_immediate(function()
    local inp = byte_view(chunk)
    st.ops.work(st, flush, inp + in_off, in_len, out[TA_PTR] + out_off, out_len)
    st.writing = false
    local msg, code, errno = st.ops.errinfo(st)
    if msg then
      emit_error(st, msg, code, errno)
      return
    end
    local ws = st.write_state
    if ws then ws[0], ws[1] = st.avail_out, st.avail_in end
    process_callback(st)
    if st.pending_close then close_state(st) end
  end)
end

process_callback = function(st)
  local self = st.owner
  if truthy(self.destroyed) then
    st.buffer = nil
    return st.cb(nil)
  end
  local avail_out_after, avail_in_after = st.avail_out, st.avail_in
  local in_delta = st.avail_in_before - avail_in_after
  self.bytesWritten = self.bytesWritten + in_delta
  local have = st.avail_out_before - avail_out_after
  local full = false
  if have > 0 then
    local off = self._outOffset
    local out = self._outBuffer:slice(off, off + have)
    self._outOffset = off + have
    full = not truthy(self:push(out))
  end
  if truthy(self.destroyed) then return st.cb(nil) end
  local chunk_size = self._chunkSize
  if avail_out_after == 0 or self._outOffset >= chunk_size then
    st.avail_out_before = chunk_size
    self._outOffset = 0
    self._outBuffer = alloc(chunk_size)
  end
  if avail_out_after == 0 then
    -- the output filled up: go on with the rest of this chunk's input, once there is room to read
    st.in_off = st.in_off + in_delta
    st.avail_in_before = avail_in_after
    local function again()
      write_async(st, st.flush_flag, st.buffer, st.in_off, st.avail_in_before, self._outBuffer, self._outOffset, chunk_size)
    end
    if not full then return again() end
    local old = self._read
    self._read = N.builtin("", 1, function(_, n)
      self._read = old
      again()
      self:_read(n)
    end)
    return
  end
  -- input left over with output room to spare: the compressed stream ended early
  if avail_in_after > 0 then self:push(null) end
  st.buffer = nil
  st.cb(nil)
end

local function process_chunk(self, chunk, flush, cb)
  local st = handle_state(self)
  if not st then return tick(cb) end
  local _, n = byte_view(chunk)
  st.buffer, st.cb = chunk, cb
  st.avail_out_before = self._chunkSize - self._outOffset
  st.avail_in_before, st.in_off, st.flush_flag = n, 0, flush
  write_async(st, flush, chunk, 0, n, self._outBuffer, self._outOffset, st.avail_out_before)
end

-- processChunkSync on a stream
local function process_chunk_sync(self, chunk, flush)
  local st = handle_state(self)
  local inp, n, keep = input_bytes(chunk)
  self:on("error", N.builtin("onError", 1, function() end))
  st.keep = keep   -- (the bytes' owner stays alive while C reads them)
  local res, a, b, c = run_sync(st, inp, n, flush, self._chunkSize, self._maxOutputLength, self._outBuffer,
                                self._outOffset, st.write_state)
  st.keep = nil
  if res == nil then
    if type(a) == "string" then R.throw(emit_error(st, a, b, c)) end
    engine_close(self)
    R.throw(a)
  end
  self.bytesWritten = a
  engine_close(self)
  return res
end

-- the flush order: Z_NO_FLUSH < Z_BLOCK < Z_PARTIAL_FLUSH < Z_SYNC_FLUSH < Z_FULL_FLUSH < Z_FINISH
local FLUSHINESS = {[Z_NO_FLUSH] = 0, [Z_BLOCK] = 1, [Z_PARTIAL_FLUSH] = 2, [Z_SYNC_FLUSH] = 3, [Z_FULL_FLUSH] = 4, [Z_FINISH] = 5}
local function max_flush(a, b)
  if (FLUSHINESS[a] or -1) > (FLUSHINESS[b] or -1) then return a end
  return b
end

-- empty Buffers that carry a flush through write() to _transform (made on first use: the
-- sandbox, which has no Buffers, can still load the module)
local FLUSH_BUFFERS, FLUSH_OF
local function flush_buffer(flag)
  if not FLUSH_BUFFERS then
    FLUSH_BUFFERS, FLUSH_OF = {}, {}
    for f in pairs(FLUSHINESS) do
      local b = B.from_bytes("")
      FLUSH_BUFFERS[f], FLUSH_OF[b] = b, f
    end
  end
  return FLUSH_BUFFERS[flag]
end

ZlibBase = function(this, opts, mode, handle, flush, finish, full)
  local brotli = mode == BROTLI_ENCODE or mode == BROTLI_DECODE
  local chunk, maxout
  chunk, flush, finish, maxout = base_options(opts, brotli, flush, finish)
  local o = R.newobj()
  o.autoDestroy = true
  if truthy(opts) then
    R.assign_spread(o, opts)
    if truthy(get(opts, "encoding")) or truthy(get(opts, "objectMode")) or truthy(get(opts, "writableObjectMode")) then
      o.encoding, o.objectMode, o.writableObjectMode = null, false, false
    end
  end
  Transform(this, o)
  this.bytesWritten = 0
  this._handle = handle
  local st = rawget(handle, KST)
  st.owner = this
  this._outBuffer = alloc(chunk)
  this._outOffset = 0
  this._chunkSize = chunk
  this._defaultFlushFlag = flush
  this._finishFlushFlag = finish
  this._defaultFullFlushFlag = full
  if truthy(opts) then this._info = get(opts, "info") else this._info = nil end
  this._maxOutputLength = maxout
end
local ZlibBaseProto = class("ZlibBase", 5, ZlibBase, Transform)

R.defprop(ZlibBaseProto, "_closed", {get = N.builtin("get", 0, function(this)
  local h = this._handle
  return h == nil or h == null
end), enumerable = true, configurable = true})

do
  local util = R.builtin_modules.util()
  local deprecate = get(util, "deprecate")
  R.defprop(ZlibBaseProto, "bytesRead", {
    get = deprecate(util, N.builtin("get", 0, function(this) return this.bytesWritten end),
      "zlib.bytesRead is deprecated and will change its meaning in the future. Use zlib.bytesWritten instead.", "DEP0108"),
    set = deprecate(util, N.builtin("set", 1, function(this, v) this.bytesWritten = v end),
      "Setting zlib.bytesRead is deprecated. This feature will be removed in the future.", "DEP0108"),
    enumerable = true, configurable = true})
end

local function zlib_assert(cond, msg)
  if not cond then R.throw(coded_error("Error", "ERR_INTERNAL_ASSERTION", msg)) end
end

R.method(ZlibBaseProto, "reset", 0, function(this)
  zlib_assert(handle_state(this), "zlib binding closed")
  local h = this._handle
  return h:reset()
end)
R.method(ZlibBaseProto, "_flush", 1, function(this, cb) return this:_transform(alloc(0), "", cb) end)
R.method(ZlibBaseProto, "_final", 1, function(_, cb) return cb(nil) end)
R.method(ZlibBaseProto, "flush", 2, function(this, kind, cb)
  if callable(kind) or (kind == nil and not truthy(cb)) then
    cb, kind = kind, this._defaultFullFlushFlag
  end
  if truthy(this.writableFinished) then
    if truthy(cb) then tick(cb) end
  elseif truthy(this.writableEnded) then
    if truthy(cb) then this:once("end", cb) end
  else
    this:write(type(kind) == "number" and flush_buffer(kind) or nil, "", cb)
  end
end)
R.method(ZlibBaseProto, "close", 1, function(this, cb)
  if truthy(cb) then S.finished(this, cb) end
  this:destroy()
end)
R.method(ZlibBaseProto, "_destroy", 2, function(this, err, cb)
  engine_close(this)
  cb(nil, err)
end)
R.method(ZlibBaseProto, "_transform", 3, function(this, chunk, _, cb)
  local flush = this._defaultFlushFlag
  local f = FLUSH_OF and FLUSH_OF[chunk]
  if f then flush = f end
  local _, n = byte_view(chunk)
  if truthy(this.writableEnded) and this.writableLength == n then flush = max_flush(flush, this._finishFlushFlag) end
  process_chunk(this, chunk, flush, cb)
end)
R.method(ZlibBaseProto, "_processChunk", 3, function(this, chunk, flush, cb)
  if callable(cb) then return process_chunk(this, chunk, flush, cb) end
  return process_chunk_sync(this, chunk, flush)
end)

Zlib = function(this, opts, mode)
  local wbits, level, memlevel, strategy, dict = zlib_options(opts, mode)
  local st = zlib_state(mode, wbits, level, memlevel, strategy, dict)
  this._writeState = R.new(R.typed_ctors.Uint32Array, 2)
  st.write_state = this._writeState[TA_PTR]
  ZlibBase(this, opts, mode, new_handle(st), Z_NO_FLUSH, Z_FINISH, Z_FULL_FLUSH)
  this._level = level
  this._strategy = strategy
end
local ZlibProto = class("Zlib", 2, Zlib, ZlibBase)

R.method(ZlibProto, "params", 3, function(this, level, strategy, cb)
  range_or_default(level, "level", -1, 9)
  range_or_default(strategy, "strategy", 0, 4)
  if this._level ~= level or this._strategy ~= strategy then
    this:flush(Z_SYNC_FLUSH, N.builtin("bound paramsAfterFlushCallback", 0, function()
      zlib_assert(handle_state(this), "zlib binding closed")
      local h = this._handle
      h:params(level, strategy)
      if not truthy(this.destroyed) then
        this._level = level
        this._strategy = strategy
        if truthy(cb) then cb(nil) end
      end
    end))
  else
    if not callable(cb) then R.throw(invalid_arg_type("callback", "Function", cb)) end
    tick(cb)
  end
end)

local BROTLI_INIT_FAILED = "Initialization failed"

Brotli = function(this, opts, mode)
  local params = brotli_params(opts)
  local st, failed = brotli_state(mode, params)
  this._writeState = R.new(R.typed_ctors.Uint32Array, 2)
  st.write_state = this._writeState[TA_PTR]
  if failed then
    st.ops.close(st)
    R.throw(coded_error("Error", "ERR_ZLIB_INITIALIZATION_FAILED", BROTLI_INIT_FAILED))
  end
  ZlibBase(this, opts, mode, new_handle(st), BROTLI_PROCESS, BROTLI_FINISH, BROTLI_FLUSH)
end
class("Brotli", 2, Brotli, Zlib)

---------------------------------------------------------------------------------------------
-- The exported classes and functions

local zlib = R.newobj()
local classes = {}

local function make_class(name, mode, parent, init)
  local C
  C = function(this, opts)
    if mode == BROTLI_ENCODE or mode == BROTLI_DECODE then need_brotli(name) else need_zlib(name) end
    if not (type(this) == "table" and R.instanceof(this, C)) then return R.new(C, opts) end
    init(this, opts, mode)
  end
  class(name, 1, C, parent)
  classes[mode] = C
  put(zlib, name, C)
  return C
end

local KINDS = {{"Deflate", DEFLATE}, {"Inflate", INFLATE}, {"Gzip", GZIP}, {"Gunzip", GUNZIP},
               {"DeflateRaw", DEFLATERAW}, {"InflateRaw", INFLATERAW}, {"Unzip", UNZIP},
               {"BrotliCompress", BROTLI_ENCODE}, {"BrotliDecompress", BROTLI_DECODE}}
local NAMES = {}
for _, k in ipairs(KINDS) do
  local name, mode = k[1], k[2]
  NAMES[mode] = name
  if mode >= BROTLI_DECODE then
    make_class(name, mode, Brotli, Brotli)
  elseif mode == DEFLATERAW then
    make_class(name, mode, Zlib, function(this, opts, m)
      -- zlib refuses a raw deflate window of 256 bytes; node asks for 512 instead
      if truthy(opts) and get(opts, "windowBits") == 8 then R.put(opts, "windowBits", 9) end
      Zlib(this, opts, m)
    end)
  else
    make_class(name, mode, Zlib, Zlib)
  end
end

-- zlibBuffer: the callback forms run a stream and collect what it gives
local function on_data(this, chunk)
  local bufs = this.buffers
  if bufs == null or bufs == nil then
    this.buffers = R.pack(chunk)
  else
    local n = rawget(bufs, "length")
    rawset(bufs, n, chunk)
    rawset(bufs, "length", n + 1)
  end
  this.nread = this.nread + chunk.length
  if this.nread > this._maxOutputLength then
    this:close()
    this:removeAllListeners("end")
    this:cb(too_large(this._maxOutputLength))
  end
end
local function on_error(this, err)
  this:removeAllListeners("end")
  this:cb(err)
end
local function on_end(this)
  local buf
  if this.nread == 0 then
    buf = alloc(0)
  else
    local bufs = this.buffers
    buf = rawget(bufs, "length") == 1 and rawget(bufs, 0) or bconcat(Buffer, bufs, this.nread)
  end
  this:close()
  if truthy(this._info) then
    this:cb(null, N.jsobject("buffer", buf, "engine", this))
  else
    this:cb(null, buf)
  end
end
local zlibBufferOnData = N.builtin("zlibBufferOnData", 1, on_data)
local zlibBufferOnError = N.builtin("zlibBufferOnError", 1, on_error)
local zlibBufferOnEnd = N.builtin("zlibBufferOnEnd", 0, on_end)

local function zlib_buffer(engine, buffer, callback)
  N.validate_function(callback, "callback")
  -- streams take Uint8Arrays: other views become Buffers over the same memory
  if type(buffer) == "table" and buffer ~= null then
    if R.is_arraybuffer(buffer) then
      buffer = get(Buffer, "from")(Buffer, buffer)
    elseif (R.typed_kind(buffer) and not B.is_u8(buffer)) or R.dataview_state(buffer) then
      buffer = get(Buffer, "from")(Buffer, get(buffer, "buffer"), get(buffer, "byteOffset"), get(buffer, "byteLength"))
    end
  end
  engine.buffers = null
  engine.nread = 0
  engine.cb = callback
  engine:on("data", zlibBufferOnData)
  engine:on("error", zlibBufferOnError)
  engine:on("end", zlibBufferOnEnd)
  engine["end"](engine, buffer)
end

-- the sync forms: without `info`, straight on a handle (what a stream would add is invisible)
local function sync_direct(mode, buffer, opts)
  local brotli = mode >= BROTLI_DECODE
  local st, failed
  if brotli then
    st, failed = brotli_state(mode, brotli_params(opts))
    if failed then
      st.ops.close(st)
      R.throw(coded_error("Error", "ERR_ZLIB_INITIALIZATION_FAILED", BROTLI_INIT_FAILED))
    end
  else
    if mode == DEFLATERAW and truthy(opts) and get(opts, "windowBits") == 8 then R.put(opts, "windowBits", 9) end
    st = zlib_state(mode, zlib_options(opts, mode))
  end
  -- (a throw from here on leaves the brotli instance to its finalizer)
  local chunk, _, finish, maxout = base_options(opts, brotli, brotli and BROTLI_PROCESS or Z_NO_FLUSH,
                                               brotli and BROTLI_FINISH or Z_FINISH)
  local inp, n, keep = input_bytes(buffer)
  st.keep = keep
  local res, a, b, c = run_sync(st, inp, n, finish, chunk, maxout, alloc(chunk), 0)
  st.keep = nil
  st.ops.close(st)
  if res == nil then
    if type(a) == "string" then R.throw(handle_error(a, b, c)) end
    R.throw(a)
  end
  return res
end

local CONVENIENCE = {{"deflate", DEFLATE}, {"gzip", GZIP}, {"deflateRaw", DEFLATERAW}, {"unzip", UNZIP},
                     {"inflate", INFLATE}, {"gunzip", GUNZIP}, {"inflateRaw", INFLATERAW},
                     {"brotliCompress", BROTLI_ENCODE}, {"brotliDecompress", BROTLI_DECODE}}
local function check_lib(mode, fname)
  if mode >= BROTLI_DECODE then need_brotli(fname) else need_zlib(fname) end
end
for _, c in ipairs(CONVENIENCE) do
  local name, mode = c[1], c[2]
  local C = classes[mode]
  put(zlib, name, N.builtin("asyncBufferWrapper", 3, function(_, buffer, opts, callback)
    check_lib(mode, name)
    if callable(opts) then callback, opts = opts, R.newobj() end
    return zlib_buffer(R.new(C, opts), buffer, callback)
  end))
  put(zlib, name .. "Sync", N.builtin("syncBufferWrapper", 2, function(_, buffer, opts)
    check_lib(mode, name .. "Sync")
    if not (truthy(opts) and truthy(get(opts, "info"))) then return sync_direct(mode, buffer, opts) end
    local engine = R.new(C, opts)
    if type(buffer) == "string" then
      buffer = B.from_bytes(B.encode(buffer, "utf8"))
    elseif not byte_view(buffer) then
      R.throw(invalid_arg_type("buffer", INPUT_TYPES, buffer))
    end
    return N.jsobject("buffer", process_chunk_sync(engine, buffer, engine._finishFlushFlag), "engine", engine)
  end))
end

for _, mode in ipairs({DEFLATE, INFLATE, DEFLATERAW, INFLATERAW, GZIP, GUNZIP, UNZIP, BROTLI_ENCODE, BROTLI_DECODE}) do
  local C = classes[mode]
  put(zlib, "create" .. NAMES[mode], N.builtin("value", 1, function(_, o) return R.new(C, o) end))
end
put(zlib, "constants", constants)

local codes = R.newobj()
local CODE_ORDER = {0, 1, 2, -1, -2, -3, -4, -5, -6}
for _, i in ipairs(CODE_ORDER) do put(codes, CODE_NAMES[i], i) end
for _, i in ipairs(CODE_ORDER) do R.put(codes, i, CODE_NAMES[i]) end
get(R.G.Object, "freeze")(nil, codes)
put(zlib, "codes", codes)

-- the legacy top-level constants: non-enumerable, read-only, brotli's left out
for i = 1, #CONSTANTS, 2 do
  local k = CONSTANTS[i]
  if string.sub(k, 1, 6) ~= "BROTLI" then
    R.defprop(zlib, k, {value = CONSTANTS[i + 1], writable = false, enumerable = false, configurable = false})
  end
end

return {exports = zlib}
