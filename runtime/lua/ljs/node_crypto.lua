-- ljs.node_crypto: node's `crypto` module (hashes, HMAC, randomness) and the global `crypto`
-- (Web Crypto's getRandomValues and randomUUID, without `subtle`). Messages and codes follow
-- node 20's lib/internal/crypto/*.js.
--
-- The hashes are MD5 (RFC 1321), SHA-1 and the SHA-2 family (FIPS 180-4) over FFI memory, a block
-- at a time, so that update() may be called any number of times. The round loops are unrolled by
-- the number of working variables and each round returns only the variables it changes: rotating
-- eight variables through a loop makes LuaJIT's PHI shuffling give up ("NYI: PHI shuffling too
-- complex"), and the loop then runs interpreted. SHA-512 works on uint64_t cdata: compiled, it ran
-- at 220 MB/s, pairs of 32-bit halves at 40 at best (each carry costs a floating-point modulo).
--
-- Randomness comes from the kernel: getrandom(2), else /dev/urandom. The sandbox leaves this
-- module in: it reaches no file, environment or process of the host (the /dev/urandom fallback
-- is the runtime's own read), and what returns FFI memory (Buffers, typed arrays) fails there
-- with the sandbox's TypeError, while string hashing, randomUUID and randomInt work.
local ffi = require("ffi")
local bit = require("bit")
local R = require("ljs.core")
local B = require("ljs.node_buffer")
require("ljs.nodelib")

local type, rawget, rawset, setmetatable, getmetatable, tonumber, select =
      type, rawget, rawset, setmetatable, getmetatable, tonumber, select
local floor, min = math.floor, math.min
local unpack = unpack
local slower = string.lower
local band, bor, bxor, bnot, rshift, rol, ror, tobit, bswap =
      bit.band, bit.bor, bit.bxor, bit.bnot, bit.rshift, bit.rol, bit.ror, bit.tobit, bit.bswap
local fcopy, fcast, fstring = ffi.copy, ffi.cast, ffi.string

local G, null = R.G, R.null
local N = R.nodelib
local put, export, coded_error, invalid_arg_type = N.put, N.export, N.coded_error, N.invalid_arg_type
local out_of_range = B.out_of_range

local cbytes = ffi.typeof("const uint8_t *")
local u8vla = ffi.typeof("uint8_t[?]")
local LE = ffi.abi("le")

local M = {}

---------------------------------------------------------------------------------------------
-- Block functions: compress(H, p, nblocks) folds nblocks whole blocks at p into state H.
-- Each block is first copied to aligned scratch memory, then read as words (input may sit at
-- any byte offset of a Buffer).

local S32 = ffi.new("int32_t[16]")
local S64 = ffi.new("uint64_t[16]")
local W32 = ffi.new("int32_t[80]")
local W64 = ffi.new("uint64_t[80]")
-- big-endian words (the SHAs) and little-endian ones (MD5) on this machine
local be32 = LE and bswap or tobit
local le32 = LE and tobit or bswap
local be64 = LE and bswap or function(x) return x end

-- MD5 ---------------------------------------------------------------------------------------
local KMD5 = ffi.new("int32_t[64]")
for i = 0, 63 do KMD5[i] = tobit(floor(math.abs(math.sin(i + 1)) * 4294967296)) end
-- the message word each step of rounds 2 to 4 reads
local XMD5 = ffi.new("int32_t[64]")
for i = 0, 15 do XMD5[i], XMD5[16 + i], XMD5[32 + i], XMD5[48 + i] = i, (5 * i + 1) % 16, (3 * i + 5) % 16, (7 * i) % 16 end

local function md5_f(a, b, c, d, kx, s) return tobit(b + rol(a + bxor(d, band(b, bxor(c, d))) + kx, s)) end
local function md5_g(a, b, c, d, kx, s) return tobit(b + rol(a + bxor(c, band(d, bxor(b, c))) + kx, s)) end
local function md5_h(a, b, c, d, kx, s) return tobit(b + rol(a + bxor(b, c, d) + kx, s)) end
local function md5_i(a, b, c, d, kx, s) return tobit(b + rol(a + bxor(c, bor(b, bnot(d))) + kx, s)) end

local function md5_blocks(H, p, n)
  local h0, h1, h2, h3 = H[0], H[1], H[2], H[3]
  local X, K, XI = W32, KMD5, XMD5
  for off = 0, (n - 1) * 64, 64 do
    fcopy(S32, p + off, 64)
    for i = 0, 15 do X[i] = le32(S32[i]) end
    local a, b, c, d = h0, h1, h2, h3
    for i = 0, 15, 4 do
      a = md5_f(a, b, c, d, K[i] + X[i], 7)
      d = md5_f(d, a, b, c, K[i + 1] + X[i + 1], 12)
      c = md5_f(c, d, a, b, K[i + 2] + X[i + 2], 17)
      b = md5_f(b, c, d, a, K[i + 3] + X[i + 3], 22)
    end
    for i = 16, 31, 4 do
      a = md5_g(a, b, c, d, K[i] + X[XI[i]], 5)
      d = md5_g(d, a, b, c, K[i + 1] + X[XI[i + 1]], 9)
      c = md5_g(c, d, a, b, K[i + 2] + X[XI[i + 2]], 14)
      b = md5_g(b, c, d, a, K[i + 3] + X[XI[i + 3]], 20)
    end
    for i = 32, 47, 4 do
      a = md5_h(a, b, c, d, K[i] + X[XI[i]], 4)
      d = md5_h(d, a, b, c, K[i + 1] + X[XI[i + 1]], 11)
      c = md5_h(c, d, a, b, K[i + 2] + X[XI[i + 2]], 16)
      b = md5_h(b, c, d, a, K[i + 3] + X[XI[i + 3]], 23)
    end
    for i = 48, 63, 4 do
      a = md5_i(a, b, c, d, K[i] + X[XI[i]], 6)
      d = md5_i(d, a, b, c, K[i + 1] + X[XI[i + 1]], 10)
      c = md5_i(c, d, a, b, K[i + 2] + X[XI[i + 2]], 15)
      b = md5_i(b, c, d, a, K[i + 3] + X[XI[i + 3]], 21)
    end
    h0, h1, h2, h3 = tobit(h0 + a), tobit(h1 + b), tobit(h2 + c), tobit(h3 + d)
  end
  H[0], H[1], H[2], H[3] = h0, h1, h2, h3
end

-- SHA-1 -------------------------------------------------------------------------------------
-- one step: the new a (stored where e was) and rol(b, 30) (stored where b was)
local function sha1_ch(a, b, c, d, e, w) return tobit(rol(a, 5) + bxor(d, band(b, bxor(c, d))) + e + w), ror(b, 2) end
local function sha1_par(a, b, c, d, e, w) return tobit(rol(a, 5) + bxor(b, c, d) + e + w), ror(b, 2) end
local function sha1_maj(a, b, c, d, e, w) return tobit(rol(a, 5) + bor(band(b, c), band(d, bor(b, c))) + e + w), ror(b, 2) end

local K1, K2, K3, K4 = 0x5A827999, 0x6ED9EBA1, tobit(0x8F1BBCDC), tobit(0xCA62C1D6)

-- (four loops, not one choosing the step by i: the branches halved the speed)
local function sha1_blocks(H, p, n)
  local h0, h1, h2, h3, h4 = H[0], H[1], H[2], H[3], H[4]
  local W = W32
  for off = 0, (n - 1) * 64, 64 do
    fcopy(S32, p + off, 64)
    for i = 0, 15 do W[i] = be32(S32[i]) end
    for i = 16, 79 do W[i] = rol(bxor(W[i - 3], W[i - 8], W[i - 14], W[i - 16]), 1) end
    local a, b, c, d, e = h0, h1, h2, h3, h4
    for i = 0, 19, 5 do
      e, b = sha1_ch(a, b, c, d, e, K1 + W[i])
      d, a = sha1_ch(e, a, b, c, d, K1 + W[i + 1])
      c, e = sha1_ch(d, e, a, b, c, K1 + W[i + 2])
      b, d = sha1_ch(c, d, e, a, b, K1 + W[i + 3])
      a, c = sha1_ch(b, c, d, e, a, K1 + W[i + 4])
    end
    for i = 20, 39, 5 do
      e, b = sha1_par(a, b, c, d, e, K2 + W[i])
      d, a = sha1_par(e, a, b, c, d, K2 + W[i + 1])
      c, e = sha1_par(d, e, a, b, c, K2 + W[i + 2])
      b, d = sha1_par(c, d, e, a, b, K2 + W[i + 3])
      a, c = sha1_par(b, c, d, e, a, K2 + W[i + 4])
    end
    for i = 40, 59, 5 do
      e, b = sha1_maj(a, b, c, d, e, K3 + W[i])
      d, a = sha1_maj(e, a, b, c, d, K3 + W[i + 1])
      c, e = sha1_maj(d, e, a, b, c, K3 + W[i + 2])
      b, d = sha1_maj(c, d, e, a, b, K3 + W[i + 3])
      a, c = sha1_maj(b, c, d, e, a, K3 + W[i + 4])
    end
    for i = 60, 79, 5 do
      e, b = sha1_par(a, b, c, d, e, K4 + W[i])
      d, a = sha1_par(e, a, b, c, d, K4 + W[i + 1])
      c, e = sha1_par(d, e, a, b, c, K4 + W[i + 2])
      b, d = sha1_par(c, d, e, a, b, K4 + W[i + 3])
      a, c = sha1_par(b, c, d, e, a, K4 + W[i + 4])
    end
    h0, h1, h2, h3, h4 = tobit(h0 + a), tobit(h1 + b), tobit(h2 + c), tobit(h3 + d), tobit(h4 + e)
  end
  H[0], H[1], H[2], H[3], H[4] = h0, h1, h2, h3, h4
end

-- SHA-224 / SHA-256 -------------------------------------------------------------------------
local K256 = ffi.new("int32_t[64]")
do
  local k = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  }
  for i = 1, 64 do K256[i - 1] = tobit(k[i]) end
end

-- one round: the new d and h (the variables a round changes once the names rotate instead)
local function sha256_round(a, b, c, d, e, f, g, h, kw)
  local t1 = h + bxor(ror(e, 6), ror(e, 11), ror(e, 25)) + bxor(g, band(e, bxor(f, g))) + kw
  local t2 = bxor(ror(a, 2), ror(a, 13), ror(a, 22)) + bor(band(a, b), band(c, bor(a, b)))
  return tobit(d + t1), tobit(t1 + t2)
end

local function sha256_blocks(H, p, n)
  local h0, h1, h2, h3, h4, h5, h6, h7 = H[0], H[1], H[2], H[3], H[4], H[5], H[6], H[7]
  local W, K, F = W32, K256, sha256_round
  for off = 0, (n - 1) * 64, 64 do
    fcopy(S32, p + off, 64)
    for i = 0, 15 do W[i] = be32(S32[i]) end
    for i = 16, 63 do
      local x, y = W[i - 15], W[i - 2]
      W[i] = tobit(W[i - 16] + bxor(ror(x, 7), ror(x, 18), rshift(x, 3)) + W[i - 7]
                   + bxor(ror(y, 17), ror(y, 19), rshift(y, 10)))
    end
    local a, b, c, d, e, f, g, h = h0, h1, h2, h3, h4, h5, h6, h7
    for i = 0, 63, 8 do
      d, h = F(a, b, c, d, e, f, g, h, K[i] + W[i])
      c, g = F(h, a, b, c, d, e, f, g, K[i + 1] + W[i + 1])
      b, f = F(g, h, a, b, c, d, e, f, K[i + 2] + W[i + 2])
      a, e = F(f, g, h, a, b, c, d, e, K[i + 3] + W[i + 3])
      h, d = F(e, f, g, h, a, b, c, d, K[i + 4] + W[i + 4])
      g, c = F(d, e, f, g, h, a, b, c, K[i + 5] + W[i + 5])
      f, b = F(c, d, e, f, g, h, a, b, K[i + 6] + W[i + 6])
      e, a = F(b, c, d, e, f, g, h, a, K[i + 7] + W[i + 7])
    end
    h0, h1, h2, h3 = tobit(h0 + a), tobit(h1 + b), tobit(h2 + c), tobit(h3 + d)
    h4, h5, h6, h7 = tobit(h4 + e), tobit(h5 + f), tobit(h6 + g), tobit(h7 + h)
  end
  H[0], H[1], H[2], H[3], H[4], H[5], H[6], H[7] = h0, h1, h2, h3, h4, h5, h6, h7
end

-- SHA-384 / SHA-512 -------------------------------------------------------------------------
local K512 = ffi.new("uint64_t[80]", {
  0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
  0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
  0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
  0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
  0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
  0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
  0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
  0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
  0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
  0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
  0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
  0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
  0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
  0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
  0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
  0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
  0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
  0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
  0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
  0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
})

local function sha512_round(a, b, c, d, e, f, g, h, kw)
  local t1 = h + bxor(ror(e, 14), ror(e, 18), ror(e, 41)) + bxor(g, band(e, bxor(f, g))) + kw
  local t2 = bxor(ror(a, 28), ror(a, 34), ror(a, 39)) + bor(band(a, b), band(c, bor(a, b)))
  return d + t1, t1 + t2
end

local function sha512_blocks(H, p, n)
  local h0, h1, h2, h3, h4, h5, h6, h7 = H[0], H[1], H[2], H[3], H[4], H[5], H[6], H[7]
  local W, K, F = W64, K512, sha512_round
  for off = 0, (n - 1) * 128, 128 do
    fcopy(S64, p + off, 128)
    for i = 0, 15 do W[i] = be64(S64[i]) end
    for i = 16, 79 do
      local x, y = W[i - 15], W[i - 2]
      W[i] = W[i - 16] + bxor(ror(x, 1), ror(x, 8), rshift(x, 7)) + W[i - 7]
             + bxor(ror(y, 19), ror(y, 61), rshift(y, 6))
    end
    local a, b, c, d, e, f, g, h = h0, h1, h2, h3, h4, h5, h6, h7
    for i = 0, 79, 8 do
      d, h = F(a, b, c, d, e, f, g, h, K[i] + W[i])
      c, g = F(h, a, b, c, d, e, f, g, K[i + 1] + W[i + 1])
      b, f = F(g, h, a, b, c, d, e, f, K[i + 2] + W[i + 2])
      a, e = F(f, g, h, a, b, c, d, e, K[i + 3] + W[i + 3])
      h, d = F(e, f, g, h, a, b, c, d, K[i + 4] + W[i + 4])
      g, c = F(d, e, f, g, h, a, b, c, K[i + 5] + W[i + 5])
      f, b = F(c, d, e, f, g, h, a, b, K[i + 6] + W[i + 6])
      e, a = F(b, c, d, e, f, g, h, a, K[i + 7] + W[i + 7])
    end
    h0, h1, h2, h3, h4, h5, h6, h7 = h0 + a, h1 + b, h2 + c, h3 + d, h4 + e, h5 + f, h6 + g, h7 + h
  end
  H[0], H[1], H[2], H[3], H[4], H[5], H[6], H[7] = h0, h1, h2, h3, h4, h5, h6, h7
end

---------------------------------------------------------------------------------------------
-- Algorithms: block size, digest size, state type and initial value, compress, whether the
-- words and the length are big-endian, and the size of the length field.

local ALGS = {
  md5 = {block = 64, size = 16, state = "int32_t[4]", compress = md5_blocks, be = false, lenbytes = 8,
         iv = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}},
  sha1 = {block = 64, size = 20, state = "int32_t[5]", compress = sha1_blocks, be = true, lenbytes = 8,
          iv = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0}},
  sha224 = {block = 64, size = 28, state = "int32_t[8]", compress = sha256_blocks, be = true, lenbytes = 8,
            iv = {0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4}},
  sha256 = {block = 64, size = 32, state = "int32_t[8]", compress = sha256_blocks, be = true, lenbytes = 8,
            iv = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}},
  sha384 = {block = 128, size = 48, state = "uint64_t[8]", compress = sha512_blocks, be = true, lenbytes = 16,
            iv = {0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL, 0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
                  0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL, 0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL}},
  sha512 = {block = 128, size = 64, state = "uint64_t[8]", compress = sha512_blocks, be = true, lenbytes = 16,
            iv = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
                  0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL}},
}
for _, a in pairs(ALGS) do
  a.ctype = ffi.typeof(a.state)
  a.wide = a.block == 128
  a.words = #a.iv
  if not a.wide then
    for i = 1, #a.iv do a.iv[i] = tobit(a.iv[i]) end
  end
  a.ivc = a.ctype(a.iv)
  a.bytes = ffi.sizeof(a.ctype)
end

-- OpenSSL's names for them, as node's getHashes() lists them (the ones provided here)
local HASH_NAMES = {"RSA-MD5", "RSA-SHA1", "RSA-SHA1-2", "RSA-SHA224", "RSA-SHA256", "RSA-SHA384", "RSA-SHA512",
                    "md5", "md5WithRSAEncryption", "sha1", "sha1WithRSAEncryption", "sha224",
                    "sha224WithRSAEncryption", "sha256", "sha256WithRSAEncryption", "sha384",
                    "sha384WithRSAEncryption", "sha512", "sha512WithRSAEncryption", "ssl3-md5", "ssl3-sha1"}
-- lower-cased name or alias -> algorithm (OpenSSL looks names up without case)
local BY_NAME = {
  md5 = ALGS.md5, ["rsa-md5"] = ALGS.md5, md5withrsaencryption = ALGS.md5, ["ssl3-md5"] = ALGS.md5,
  sha1 = ALGS.sha1, ["sha-1"] = ALGS.sha1, ["rsa-sha1"] = ALGS.sha1, ["rsa-sha1-2"] = ALGS.sha1,
  sha1withrsaencryption = ALGS.sha1, ["ssl3-sha1"] = ALGS.sha1,
}
for _, bits in ipairs({"224", "256", "384", "512"}) do
  local a = ALGS["sha" .. bits]
  for _, n in ipairs({"sha" .. bits, "sha-" .. bits, "sha2-" .. bits, "rsa-sha" .. bits, "sha" .. bits .. "withrsaencryption"}) do
    BY_NAME[n] = a
  end
end

local function find_alg(name) return BY_NAME[name] or BY_NAME[slower(name)] end

---------------------------------------------------------------------------------------------
-- Streaming contexts: {alg, H (state), buf (a partial block), nbuf, total (bytes so far)}

local function new_ctx(alg)
  local H = alg.ctype()
  fcopy(H, alg.ivc, alg.bytes)   -- (a table initialiser would stop the trace of a caller's loop)
  return {alg = alg, H = H, buf = u8vla(128), nbuf = 0, total = 0}
end

local function ctx_copy(c)
  local alg = c.alg
  local d = {alg = alg, H = alg.ctype(), buf = u8vla(128), nbuf = c.nbuf, total = c.total}
  fcopy(d.H, c.H, alg.bytes)
  fcopy(d.buf, c.buf, 128)
  return d
end

-- feed n bytes at pointer p
local function ctx_update(c, p, n)
  if n == 0 then return end
  local alg = c.alg
  local bs, nb = alg.block, c.nbuf
  c.total = c.total + n
  if nb > 0 then
    local k = min(bs - nb, n)
    fcopy(c.buf + nb, p, k)
    nb, p, n = nb + k, p + k, n - k
    if nb < bs then c.nbuf = nb; return end
    alg.compress(c.H, c.buf, 1)
    nb = 0
  end
  local full = floor(n / bs)
  if full > 0 then
    alg.compress(c.H, p, full)
    p, n = p + full * bs, n - full * bs
  end
  if n > 0 then fcopy(c.buf, p, n) end
  c.nbuf = n
end

local function ctx_update_string(c, s) ctx_update(c, fcast(cbytes, s), #s) end

-- the digest as a Lua string; the context is spent
local DOUT = u8vla(64)
local function ctx_final(c)
  local alg, buf, H = c.alg, c.buf, c.H
  local bs, nb = alg.block, c.nbuf
  buf[nb] = 0x80
  nb = nb + 1
  if nb > bs - alg.lenbytes then   -- no room for the length: it goes in one more block
    ffi.fill(buf + nb, bs - nb)
    alg.compress(H, buf, 1)
    nb = 0
  end
  ffi.fill(buf + nb, bs - nb)
  -- the length in bits, below 2^56 (doubles divide it exactly), in the last 8 bytes
  local bits = c.total * 8
  for i = 0, 7 do
    buf[alg.be and bs - 1 - i or bs - 8 + i] = bits % 256
    bits = floor(bits / 256)
  end
  alg.compress(H, buf, 1)
  local out = DOUT
  if alg.wide then
    for i = 0, 7 do
      local w = H[i]
      for k = 0, 7 do out[i * 8 + k] = tonumber(band(rshift(w, 56 - 8 * k), 0xff)) end
    end
  else
    local first, step = alg.be and 24 or 0, alg.be and -8 or 8
    for i = 0, alg.words - 1 do
      local w = H[i]
      for k = 0, 3 do out[i * 4 + k] = band(rshift(w, first + step * k), 0xff) end
    end
  end
  return fstring(out, alg.size)
end

-- one-shot digest of a Lua string (HMAC keys, the inner hash)
local function digest_string(alg, s)
  local c = new_ctx(alg)
  ctx_update_string(c, s)
  return ctx_final(c)
end
-- (for Lua callers: M.digest_string("sha256", s) gives the raw digest)
M.digest_string = function(name, s) return digest_string(find_alg(name), s) end

-- HMAC (RFC 2104): the inner context starts with key ^ ipad; the outer pad is kept for the end
local function hmac_ctx(alg, key)
  local bs = alg.block
  if #key > bs then key = digest_string(alg, key) end
  local ipad, opad = u8vla(bs), u8vla(bs)
  local kp = fcast(cbytes, key)
  for i = 0, bs - 1 do
    local k = i < #key and kp[i] or 0
    ipad[i], opad[i] = bxor(k, 0x36), bxor(k, 0x5c)
  end
  local c = new_ctx(alg)
  ctx_update(c, ipad, bs)
  return c, fstring(opad, bs)
end

local function hmac_final(c, opad)
  local inner = ctx_final(c)
  local o = new_ctx(c.alg)
  ctx_update_string(o, opad)
  ctx_update_string(o, inner)
  return ctx_final(o)
end

---------------------------------------------------------------------------------------------
-- Arguments

local DATA_TYPES = {"string", "Buffer", "TypedArray", "DataView"}
local KEY_TYPES = {"string", "ArrayBuffer", "Buffer", "TypedArray", "DataView", "KeyObject", "CryptoKey"}

-- The bytes of hash input v as (pointer, length, what keeps them alive), or nil.
local function input_bytes(v, enc)
  if type(v) == "string" then
    local e = B.normalize(enc)
    if e == "hex" and R.strlen(v) % 2 ~= 0 then
      R.throw(coded_error("TypeError", "ERR_INVALID_ARG_VALUE", "The argument 'encoding' is invalid for data of length " ..
        R.strlen(v) .. ". Received " .. R.inspect(enc)))
    end
    local s = B.encode(v, e or "utf8")   -- (an encoding node does not know hashes as UTF-8)
    return fcast(cbytes, s), #s, s
  end
  if type(v) == "table" and not R.is_arraybuffer(v) then
    local p, n = B.byte_view(v)
    if p then return p, n, v end
  end
  return nil
end

-- node reads `outputEncoding || 'buffer'`
local function no_encoding(enc)
  return enc == nil or enc == null or enc == false or enc == "" or enc == 0 or enc ~= enc
end

-- a hash's output: a Buffer, or a string in encoding `enc` (node: anything it does not know
-- as an encoding, 'buffer' included, gives the Buffer)
local function output(bytes, enc)
  if no_encoding(enc) then return B.from_bytes(bytes) end
  local e = B.normalize(R.tostr(enc))
  if not e then return B.from_bytes(bytes) end
  return B.decode(bytes, e)
end

local function finalized()
  R.throw(coded_error("Error", "ERR_CRYPTO_HASH_FINALIZED", "Digest already called"))
end

local function is_int(v)
  return type(v) == "number" and v == floor(v) and v - v == 0
end

---------------------------------------------------------------------------------------------
-- Hash and Hmac objects (node's are streams too: write/end/read/pipe are not provided)

local state = setmetatable({}, {__mode = "k"})   -- Hash / Hmac -> {ctx, done, opad (Hmac)}

local function class(name, len, f)
  local proto = R.newobj()
  R.fn(f, name, len)
  rawset(R.fprop_table(f), "prototype", proto)
  rawset(proto, "constructor", f)
  return proto, R.protomt(proto)
end

local HashPrototype, HashMT
local function Hash(this, algorithm, options)
  N.validate_string(algorithm, "algorithm")
  local alg = find_alg(algorithm)
  if not alg then R.throw(R.make_error("Error", "Digest method not supported")) end
  -- outputLength is for the XOFs (shake*), which are not provided: only the digest's own size passes
  local olen = type(options) == "table" and options ~= null and options.outputLength or nil
  if olen ~= nil then
    if type(olen) ~= "number" then R.throw(invalid_arg_type("options.outputLength", "number", olen)) end
    if olen ~= alg.size then
      R.throw(coded_error("Error", "ERR_OSSL_EVP_NOT_XOF_OR_INVALID_LENGTH",
        "error:030000B2:digital envelope routines::not XOF or invalid length"))
    end
  end
  if not R.constructing(this, HashPrototype) then this = setmetatable({}, HashMT) end
  state[this] = {ctx = new_ctx(alg), done = false}
  return this
end
HashPrototype, HashMT = class("Hash", 2, Hash)

local function hash_state(this, what)
  local st = type(this) == "table" and state[this]
  if not st then
    R.throw(coded_error("TypeError", "ERR_INVALID_THIS", 'Value of "this" must be of type ' .. what))
  end
  return st
end

local function update(this, data, enc, what)
  local st = hash_state(this, what)
  if st.done then finalized() end
  local p, n, keep = input_bytes(data, enc)
  if not p then R.throw(invalid_arg_type("data", DATA_TYPES, data)) end
  ctx_update(st.ctx, p, n)   -- (keep holds a string's bytes until here)
  return this
end

R.method(HashPrototype, "update", 2, function(this, data, enc) return update(this, data, enc, "Hash") end)
R.method(HashPrototype, "digest", 1, function(this, enc)
  local st = hash_state(this, "Hash")
  if st.done then finalized() end
  st.done = true
  return output(ctx_final(st.ctx), enc)
end)
R.method(HashPrototype, "copy", 1, function(this)
  local st = hash_state(this, "Hash")
  if st.done then finalized() end
  local h = setmetatable({}, HashMT)
  state[h] = {ctx = ctx_copy(st.ctx), done = false}
  return h
end)

local HmacPrototype, HmacMT
local function Hmac(this, algorithm, key)
  N.validate_string(algorithm, "hmac")
  local kb
  if type(key) == "string" then
    kb = B.encode(key, "utf8")
  elseif type(key) == "table" then
    local p, n = B.byte_view(key)
    if p then kb = fstring(p, n) end
  end
  if not kb then R.throw(invalid_arg_type("key", KEY_TYPES, key)) end
  local alg = find_alg(algorithm)
  if not alg then R.throw(coded_error("TypeError", "ERR_CRYPTO_INVALID_DIGEST", "Invalid digest: " .. algorithm)) end
  if not R.constructing(this, HmacPrototype) then this = setmetatable({}, HmacMT) end
  local c, opad = hmac_ctx(alg, kb)
  state[this] = {ctx = c, opad = opad, done = false}
  return this
end
HmacPrototype, HmacMT = class("Hmac", 3, Hmac)

R.method(HmacPrototype, "update", 2, function(this, data, enc) return update(this, data, enc, "Hmac") end)
R.method(HmacPrototype, "digest", 1, function(this, enc)
  local st = hash_state(this, "Hmac")
  -- node's Hmac answers a second digest() with nothing rather than an error
  if st.done then
    if no_encoding(enc) or enc == "buffer" then return B.from_bytes("") end
    return ""
  end
  st.done = true
  return output(hmac_final(st.ctx, st.opad), enc)
end)

-- crypto.hash(algorithm, data, outputEncoding = 'hex'): node 20.12's one-shot digest
local function one_shot(_, algorithm, data, enc)
  N.validate_string(algorithm, "algorithm")
  if type(data) ~= "string" and not (type(data) == "table" and (R.typed_kind(data) or R.dataview_state(data))) then
    R.throw(invalid_arg_type("input", DATA_TYPES, data))
  end
  local e = "hex"
  if enc ~= nil and enc ~= "hex" then
    N.validate_string(enc, "outputEncoding")
    e = B.normalize(enc)
    if not e then
      if slower(enc) ~= "buffer" then
        R.throw(coded_error("TypeError", "ERR_INVALID_ARG_VALUE", "The argument 'outputEncoding' is invalid. Received " .. R.inspect(enc)))
      end
      e = nil
    end
  end
  local alg = find_alg(algorithm)
  if not alg then R.throw(R.make_error("Error", "Digest method " .. algorithm .. " is not supported")) end
  local c = new_ctx(alg)
  local p, n, keep = input_bytes(data)
  ctx_update(c, p, n)   -- (keep holds a string's bytes until here)
  local bytes = ctx_final(c)
  if e == nil then return B.from_bytes(bytes) end
  return B.decode(bytes, e)
end

---------------------------------------------------------------------------------------------
-- Randomness from the kernel

pcall(ffi.cdef, "ssize_t getrandom(void *buf, size_t buflen, unsigned int flags);")
local C = ffi.C
local EINTR = 4
local have_getrandom = pcall(function() return C.getrandom end)
local urandom

-- fill n bytes at p
local function os_random(p, n)
  local done = 0
  while have_getrandom and done < n do
    local k = tonumber(C.getrandom(p + done, n - done, 0))
    if k > 0 then
      done = done + k
    else
      -- a kernel older than 3.17 (ENOSYS) or a seccomp filter refusing it: the device instead
      if ffi.errno() ~= EINTR then have_getrandom = false end
    end
  end
  if done < n then
    if not urandom then
      urandom = io.open("/dev/urandom", "rb")
      if not urandom then R.throw_error("Error", "no source of random bytes (getrandom(2), /dev/urandom)") end
      urandom:setvbuf("no")
    end
    local s = urandom:read(n - done)
    if not s or #s < n - done then R.throw_error("Error", "reading /dev/urandom failed") end
    fcopy(p + done, s, #s)
  end
end

-- small draws (UUIDs, randomInt) come from a pool, refilled as it runs out, as node's do
local POOL = 512
local pool, pool_pos = u8vla(POOL), POOL
local function take(n)
  if pool_pos + n > POOL then
    os_random(pool, POOL)
    pool_pos = 0
  end
  local at = pool_pos
  pool_pos = at + n
  return pool + at
end

local HEX = "0123456789abcdef"
local hexdig = u8vla(16)
fcopy(hexdig, HEX, 16)
-- xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx: where each byte's two digits go
local uuid_out = u8vla(36)
ffi.fill(uuid_out, 36, 45)
local UUID_AT = ffi.new("uint8_t[16]", {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34})
local function uuid()
  local b = take(16)
  b[6] = bor(band(b[6], 0x0f), 0x40)   -- version 4
  b[8] = bor(band(b[8], 0x3f), 0x80)   -- variant 10xx
  for i = 0, 15 do
    local x, o = b[i], UUID_AT[i]
    uuid_out[o], uuid_out[o + 1] = hexdig[rshift(x, 4)], hexdig[band(x, 15)]
  end
  return fstring(uuid_out, 36)
end

local MAX_INT32 = 2147483647
local function check_size(size)
  if type(size) ~= "number" then R.throw(invalid_arg_type("size", "number", size)) end
  if size ~= size or size < 0 or size > MAX_INT32 then out_of_range("size", ">= 0 && <= 2147483647", size) end
end

local function optional_callback(cb)
  if cb ~= nil and not R.iscallable(cb) then R.throw(invalid_arg_type("callback", "Function", cb)) end
  return cb
end

-- callbacks run in a later turn of the event loop, after this tick's nextTicks and microtasks,
-- as node's thread pool answers
local function later(cb, ...)
  local args, n = {...}, select("#", ...)
  rawget(G, "setImmediate")(nil, function() cb(nil, unpack(args, 1, n)) end)
end

local function random_bytes(_, size, cb)
  check_size(size)
  optional_callback(cb)
  local n = floor(size)
  local tmp = u8vla(n)
  if n > 0 then os_random(tmp, n) end
  local buf = B.from_bytes(fstring(tmp, n))
  if cb then later(cb, null, buf); return nil end
  return buf
end

-- randomFillSync's checks: (pointer, byte offset, byte count)
local function fill_range(buf, offset, size)
  local p, len
  if type(buf) == "table" then p, len = B.byte_view(buf) end
  if not p then R.throw(invalid_arg_type("buf", {"ArrayBuffer", "ArrayBufferView"}, buf)) end
  local kind = R.typed_kind(buf)
  local esize = kind and getmetatable(buf).tinfo.size or 1
  if offset == nil then offset = 0 end
  if type(offset) ~= "number" then R.throw(invalid_arg_type("offset", "number", offset)) end
  offset = offset * esize
  local maxlen = min(len, MAX_INT32)
  if offset ~= offset or offset > maxlen or offset < 0 then out_of_range("offset", ">= 0 && <= " .. maxlen, offset) end
  offset = floor(offset)
  if size == nil then
    size = len - offset
  else
    if type(size) ~= "number" then R.throw(invalid_arg_type("size", "number", size)) end
    size = size * esize
    if size ~= size or size > MAX_INT32 or size < 0 then out_of_range("size", ">= 0 && <= 2147483647", size) end
    if size + offset > len then out_of_range("size + offset", "<= " .. len, size + offset) end
    size = floor(size)
  end
  return p, offset, size
end

local function random_fill_sync(_, buf, offset, size)
  local p, off, n = fill_range(buf, offset, size)
  if n > 0 then os_random(p + off, n) end
  return buf
end

local function random_fill(_, buf, offset, size, cb)
  if type(buf) ~= "table" or not B.byte_view(buf) then
    R.throw(invalid_arg_type("buf", {"ArrayBuffer", "ArrayBufferView"}, buf))
  end
  if R.iscallable(offset) then
    cb, offset, size = offset, nil, nil
  elseif R.iscallable(size) then
    cb, size = size, nil
  elseif not R.iscallable(cb) then
    R.throw(invalid_arg_type("callback", "Function", cb))
  end
  local p, off, n = fill_range(buf, offset, size)
  if n > 0 then os_random(p + off, n) end
  later(cb, null, buf)
  return nil
end

local RAND_MAX = 0xFFFFFFFFFFFF   -- randomInt draws 48 bits
local MAX_SAFE = 9007199254740991

local function random_int(_, lo, hi, cb)
  local no_min = hi == nil or R.iscallable(hi)
  if no_min then lo, hi, cb = 0, lo, hi end
  optional_callback(cb)
  if not (is_int(lo) and lo >= -MAX_SAFE and lo <= MAX_SAFE) then R.throw(invalid_arg_type("min", "a safe integer", lo)) end
  if not (is_int(hi) and hi >= -MAX_SAFE and hi <= MAX_SAFE) then R.throw(invalid_arg_type("max", "a safe integer", hi)) end
  if hi <= lo then out_of_range("max", 'greater than the value of "min" (' .. R.numtostr(lo) .. ")", hi) end
  local range = hi - lo
  if not (range <= RAND_MAX) then out_of_range(no_min and "max" or "max - min", "<= " .. R.numtostr(RAND_MAX), range) end
  -- the largest multiple of range: draws at or above it would favour the low results
  local limit = RAND_MAX - RAND_MAX % range
  local x
  repeat
    local b = take(6)
    x = ((((b[0] * 256 + b[1]) * 256 + b[2]) * 256 + b[3]) * 256 + b[4]) * 256 + b[5]
  until x < limit
  local r = lo + x % range
  if cb then R.enqueue_tick(cb, R.pack(nil, r)); return nil end
  return r
end

local function random_uuid(_, options)
  if options ~= nil then
    N.validate_object(options, "options")
    local d = options.disableEntropyCache
    if d ~= nil and type(d) ~= "boolean" then R.throw(invalid_arg_type("options.disableEntropyCache", "boolean", d)) end
  end
  return uuid()
end

local function timing_safe_equal(_, a, b)
  local pa, na, pb, nb
  if type(a) == "table" then pa, na = B.byte_view(a) end
  if not pa then
    R.throw(coded_error("TypeError", "ERR_INVALID_ARG_TYPE",
      'The "buf1" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.'))
  end
  if type(b) == "table" then pb, nb = B.byte_view(b) end
  if not pb then
    R.throw(coded_error("TypeError", "ERR_INVALID_ARG_TYPE",
      'The "buf2" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.'))
  end
  if na ~= nb then
    R.throw(coded_error("RangeError", "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH", "Input buffers must have the same byte length"))
  end
  -- every byte is looked at, whatever the first difference
  local d = 0
  for i = 0, na - 1 do d = bor(d, bxor(pa[i], pb[i])) end
  return d == 0
end

---------------------------------------------------------------------------------------------
-- Web Crypto: the Crypto object (globalThis.crypto, crypto.webcrypto)

local INTEGER_KINDS = {Int8Array = true, Uint8Array = true, Uint8ClampedArray = true, Int16Array = true,
                       Uint16Array = true, Int32Array = true, Uint32Array = true, BigInt64Array = true,
                       BigUint64Array = true}

local function get_random_values(v, nargs)
  if nargs == 0 then
    R.throw(coded_error("TypeError", "ERR_MISSING_ARGS",
      "Failed to execute 'getRandomValues' on 'Crypto': 1 argument required, but only 0 present."))
  end
  local kind = type(v) == "table" and R.typed_kind(v)
  if not (kind and INTEGER_KINDS[kind]) then
    R.dom_throw("The data argument must be an integer-type TypedArray", "TypeMismatchError")
  end
  local p, n = B.byte_view(v)
  if n > 65536 then R.dom_throw("The requested length exceeds 65,536 bytes", "QuotaExceededError") end
  if n > 0 then os_random(p, n) end
  return v
end

local CryptoPrototype = class("Crypto", 0, function()
  R.throw(coded_error("TypeError", "ERR_ILLEGAL_CONSTRUCTOR", "Illegal constructor"))
end)
R.tag(CryptoPrototype, "Crypto")
local webcrypto = R.newobj(CryptoPrototype)

local function check_crypto(this)
  if this ~= webcrypto then
    R.throw(coded_error("TypeError", "ERR_INVALID_THIS", 'Value of "this" must be of type Crypto'))
  end
end
R.method(CryptoPrototype, "getRandomValues", 1, function(this, ...)
  check_crypto(this)
  return get_random_values((...), select("#", ...))
end)
R.method(CryptoPrototype, "randomUUID", 0, function(this)
  check_crypto(this)
  return uuid()
end)

---------------------------------------------------------------------------------------------
-- The module

local exports = R.newobj()
export(exports, "createHash", 2, function(_, algorithm, options) return Hash(nil, algorithm, options) end)
export(exports, "createHmac", 3, function(_, algorithm, key) return Hmac(nil, algorithm, key) end)
export(exports, "getHashes", 0, function()
  local a = R.newarray(0)
  for i = 1, #HASH_NAMES do a[i - 1] = HASH_NAMES[i] end
  return a
end)
export(exports, "randomBytes", 2, random_bytes)
export(exports, "randomFill", 4, random_fill)
export(exports, "randomFillSync", 1, random_fill_sync)
export(exports, "randomInt", 3, random_int)
export(exports, "randomUUID", 1, random_uuid)
export(exports, "timingSafeEqual", 0, timing_safe_equal)
export(exports, "hash", 2, one_shot)
put(exports, "Hash", Hash)
put(exports, "Hmac", Hmac)
put(exports, "webcrypto", webcrypto)
-- (it passes its one argument on, present or not)
export(exports, "getRandomValues", 1, function(_, v) return get_random_values(v, 1) end)
M.exports = exports
M.webcrypto = webcrypto

R.hidden(G, "crypto", webcrypto)

return M
