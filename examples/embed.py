"""Embedding LuaScript in a Python program: evaluate code, call functions, share NumPy arrays."""
import numpy as np

import luascript

rt = luascript.Runtime()
rt.eval("""
function scale(values, factor) {
  for (let i = 0; i < values.length; i++) values[i] *= factor;
  return values.length;
}
globalThis.scale = scale;
""")
data = np.arange(5, dtype=np.float64)
n = rt.call("scale", data, 2.5)          # the typed array shares the NumPy buffer
print(n, data.tolist())
print(rt.eval("[1, 2, 3].map(x => x * x)"))
rt.set("config", {"name": "demo", "sizes": [1, 2, 3]})
print(rt.eval("`${config.name}: ${config.sizes.join('+')}`"))
try:
    rt.eval("null.x")
except luascript.JSError as e:
    print("JSError:", e.name)
