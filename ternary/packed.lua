-- ternary.packed: matrices of trits packed into bytes, and their product with a vector.
--
-- Two formats, rows padded to an even number of bytes:
--   "2bit"  four trits per byte, trit k of a byte in bits 2k..2k+1 (0 -> 0, 1 -> +1, 2 -> -1)
--   "base3" five trits per byte, the byte is sum (t_k + 1) * 3^k (0..242)
-- matvec never multiplies a weight: for every group of columns that shares a byte it first
-- tabulates the signed sums of that group's activations for all byte values (adds and
-- subtracts), then each row adds one table entry per byte. Four rows go through the loop
-- together so that the table offset is computed once per byte column. The table covers at most
-- CHUNK byte columns at a time (2 MB), so a wide matrix with few rows does not pay for a table
-- hundreds of times its own size.
local ffi = require("ffi")
local band, rshift = bit.band, bit.rshift
local floor = math.floor

local P = {}

local FORMATS = {
  ["2bit"] = {per_byte = 4, codes = 256},
  base3 = {per_byte = 5, codes = 243},
}
P.FORMATS = FORMATS

local u8arr, f64arr = ffi.typeof("uint8_t[?]"), ffi.typeof("double[?]")
local CHUNK = 1024   -- byte columns per table (even: the row loop takes them in pairs)
P.CHUNK = CHUNK

-- The byte of trits t[0..n-1] (n <= per_byte) in format `fmt`.
local function encode_2bit(t, base, n)
  local b = 0
  for k = n - 1, 0, -1 do
    local v = t[base + k]
    b = b * 4 + (v == 1 and 1 or (v == -1 and 2 or 0))
  end
  return b
end

local function encode_base3(t, base, n)
  local b = 0
  for k = 4, 0, -1 do b = b * 3 + (k < n and t[base + k] + 1 or 1) end
  return b
end

-- A matrix from row-major trits t[0 .. rows*cols-1] (values already checked to be -1, 0, 1).
function P.new(t, rows, cols, format, scale)
  local f = FORMATS[format]
  local per = f.per_byte
  local groups = floor((cols + per - 1) / per)
  local stride = groups + groups % 2
  local data = u8arr(rows * stride)
  local encode = format == "2bit" and encode_2bit or encode_base3
  local pad = format == "2bit" and 0 or encode_base3(t, 0, 0)
  for r = 0, rows - 1 do
    local row, out = r * cols, r * stride
    for g = 0, groups - 1 do
      local c = g * per
      local n = cols - c < per and cols - c or per
      data[out + g] = encode(t, row + c, n)
    end
    if stride > groups then data[out + groups] = pad end
  end
  return {
    rows = rows, cols = cols, format = format, per_byte = per, codes = f.codes,
    stride = stride, data = data, scale = scale or 1,
    lut = f64arr(math.min(stride, CHUNK) * f.codes),
  }
end

-- Trit at (r, c).
function P.get(m, r, c)
  local per = m.per_byte
  local b = m.data[r * m.stride + floor(c / per)]
  local k = c % per
  if m.format == "2bit" then
    local v = band(rshift(b, 2 * k), 3)
    return v == 1 and 1 or (v == 2 and -1 or 0)
  end
  return floor(b / 3 ^ k) % 3 - 1
end

-- Activation c, or 0 past the last column (the padding trits).
local function act(x, c, cols)
  if c < cols then return x[c] end
  return 0
end

-- lut[(g-g0)*256 + byte] = signed sum of the four activations of byte column g, for g0 <= g < g1.
local function tabulate_2bit(lut, x, cols, g0, g1)
  for g = g0, g1 - 1 do
    local c = g * 4
    local x0, x1, x2, x3 = act(x, c, cols), act(x, c + 1, cols), act(x, c + 2, cols), act(x, c + 3, cols)
    local base = (g - g0) * 256
    for d3 = 0, 2 do
      local s3 = d3 == 0 and 0 or (d3 == 1 and x3 or -x3)
      for d2 = 0, 2 do
        local s2 = d2 == 0 and s3 or (d2 == 1 and s3 + x2 or s3 - x2)
        for d1 = 0, 2 do
          local s1 = d1 == 0 and s2 or (d1 == 1 and s2 + x1 or s2 - x1)
          local i = base + d3 * 64 + d2 * 16 + d1 * 4
          lut[i] = s1
          lut[i + 1] = s1 + x0
          lut[i + 2] = s1 - x0
        end
      end
    end
  end
end

-- lut[(g-g0)*243 + byte]: the byte's digits d_k = t_k + 1, built one digit at a time: digit 0
-- subtracts x_k, 1 leaves the sum as it is, 2 adds x_k. (A zero trit never touches its
-- activation, as in "2bit": an infinite or NaN activation under a zero weight adds nothing.)
local function tabulate_base3(lut, x, cols, g0, g1)
  for g = g0, g1 - 1 do
    local c = g * 5
    local base = (g - g0) * 243
    lut[base] = 0
    local n = 1
    for k = 0, 4 do
      local xk = act(x, c + k, cols)
      for i = base, base + n - 1 do
        local v = lut[i]
        lut[i + n] = v
        lut[i + 2 * n] = v + xk
        lut[i] = v - xk
      end
      n = n * 3
    end
  end
end

-- out[r] (+)= the sums of byte columns g0 .. g1-1 of every row, from their table.
local function accumulate(m, lut, g0, g1, out, first)
  local data, stride, codes, rows = m.data, m.stride, m.codes, m.rows
  local r = 0
  while r + 4 <= rows do
    local pa = r * stride
    local pb, pc, pd = pa + stride, pa + 2 * stride, pa + 3 * stride
    local a0, a1, b0, b1, c0, c1, d0, d1 = 0, 0, 0, 0, 0, 0, 0, 0
    for g = g0, g1 - 1, 2 do
      local o = (g - g0) * codes
      local o1 = o + codes
      a0 = a0 + lut[o + data[pa + g]]
      a1 = a1 + lut[o1 + data[pa + g + 1]]
      b0 = b0 + lut[o + data[pb + g]]
      b1 = b1 + lut[o1 + data[pb + g + 1]]
      c0 = c0 + lut[o + data[pc + g]]
      c1 = c1 + lut[o1 + data[pc + g + 1]]
      d0 = d0 + lut[o + data[pd + g]]
      d1 = d1 + lut[o1 + data[pd + g + 1]]
    end
    if first then
      out[r], out[r + 1], out[r + 2], out[r + 3] = a0 + a1, b0 + b1, c0 + c1, d0 + d1
    else
      out[r], out[r + 1] = out[r] + (a0 + a1), out[r + 1] + (b0 + b1)
      out[r + 2], out[r + 3] = out[r + 2] + (c0 + c1), out[r + 3] + (d0 + d1)
    end
    r = r + 4
  end
  for rr = r, rows - 1 do
    local pa = rr * stride
    local a0 = 0
    for g = g0, g1 - 1 do a0 = a0 + lut[(g - g0) * codes + data[pa + g]] end
    out[rr] = first and a0 or out[rr] + a0
  end
end

-- out[r] = scale * sum_c W[r][c] * x[c]
function P.matvec(m, x, out)
  local lut, stride, cols = m.lut, m.stride, m.cols
  local tabulate = m.format == "2bit" and tabulate_2bit or tabulate_base3
  for g0 = 0, stride - 1, CHUNK do
    local g1 = g0 + CHUNK < stride and g0 + CHUNK or stride
    tabulate(lut, x, cols, g0, g1)
    accumulate(m, lut, g0, g1, out, g0 == 0)
  end
  local scale = m.scale
  if scale ~= 1 then
    for i = 0, m.rows - 1 do out[i] = out[i] * scale end
  end
  return out
end

-- The same product as a CUDA kernel, one warp per row, for both formats (NVRTC or nvcc
-- compiles it; `ternary_matvec_2bit` / `ternary_matvec_base3`, grid = ceil(rows / 8) blocks of
-- 256 threads). P.matvec_device runs it through ljs.gpu.
P.CUDA_SOURCE = [[
// Packed ternary matrix-vector product: out[r] = scale * sum_c W[r][c] * x[c], with W's trits
// packed row-major, `stride` bytes per row. Adds and subtracts only; one warp per row.
__device__ __forceinline__ float ternary_warp_sum(float v) {
  for (int off = 16; off > 0; off >>= 1) v += __shfl_down_sync(0xffffffffu, v, off);
  return v;
}

extern "C" __global__ void ternary_matvec_2bit(const unsigned char *__restrict__ w, int stride,
    const float *__restrict__ x, float *__restrict__ out, int rows, int cols, float scale) {
  int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
  int lane = threadIdx.x & 31;
  if (row >= rows) return;
  const unsigned char *wr = w + (size_t)row * stride;
  int groups = (cols + 3) >> 2;
  float acc = 0.0f;
  for (int g = lane; g < groups; g += 32) {
    unsigned int code = wr[g];
    int c = g << 2;
#pragma unroll
    for (int k = 0; k < 4; ++k) {
      unsigned int t = (code >> (2 * k)) & 3u;
      if (c + k < cols) {
        float v = x[c + k];
        if (t == 1u) acc += v;
        else if (t == 2u) acc -= v;
      }
    }
  }
  acc = ternary_warp_sum(acc);
  if (lane == 0) out[row] = scale == 1.0f ? acc : acc * scale;
}

extern "C" __global__ void ternary_matvec_base3(const unsigned char *__restrict__ w, int stride,
    const float *__restrict__ x, float *__restrict__ out, int rows, int cols, float scale) {
  int row = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
  int lane = threadIdx.x & 31;
  if (row >= rows) return;
  const unsigned char *wr = w + (size_t)row * stride;
  int groups = (cols + 4) / 5;
  float acc = 0.0f;
  for (int g = lane; g < groups; g += 32) {
    unsigned int code = wr[g];
    int c = g * 5;
#pragma unroll
    for (int k = 0; k < 5; ++k) {
      unsigned int d = code % 3u;
      code /= 3u;
      if (c + k < cols) {
        float v = x[c + k];
        if (d == 2u) acc += v;
        else if (d == 0u) acc -= v;
      }
    }
  }
  acc = ternary_warp_sum(acc);
  if (lane == 0) out[row] = scale == 1.0f ? acc : acc * scale;
}
]]

local ceil = math.ceil
local BLOCK, ROWS_PER_BLOCK = 256, 8

-- The kernel's arguments, kept with the matrix: three addresses, three ints, a float, and the
-- array of their addresses that cuLaunchKernel reads.
local function launch_args(m)
  local a = m.device_args
  if a then return a end
  local u, i, f = ffi.new("uint64_t[3]"), ffi.new("int[3]"), ffi.new("float[1]")
  local ptrs = ffi.new("void *[7]", {u, i, u + 1, u + 2, i + 1, i + 2, f})
  i[0], i[1], i[2], f[0] = m.stride, m.rows, m.cols, m.scale
  a = {u = u, i = i, f = f, ptrs = ptrs}
  m.device_args = a
  return a
end

local function run_matvec(gpu, fn, m, w, x, out)
  local a = launch_args(m)
  -- every row's lane 0 stores out[row]: out need not go up first
  a.u[0], a.u[1], a.u[2] = w.ptr, gpu.bind(x, false), gpu.bind(out, "all")
  gpu.launch_function(fn, ceil(m.rows / ROWS_PER_BLOCK), BLOCK, 0, a.ptrs, "PackedTernaryMatrix matvec")
end

-- out = W x on the device (x and out Float32Arrays, host or device arrays): the packed matrix
-- is uploaded once and stays there while the matrix lives; a host x goes up and a host out
-- comes back in each call.
function P.matvec_device(gpu, m, x, out)
  local fn = gpu.function_of(P.CUDA_SOURCE, "ternary_matvec_" .. m.format, false)
  local w = m.device_w
  if not (w and gpu.valid(w)) then
    w = gpu.constant(m.data, m.rows * m.stride)
    m.device_w = w
  end
  gpu.sequence(run_matvec, gpu, fn, m, w, x, out)
  return out
end

return P
