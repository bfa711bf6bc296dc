#!/bin/sh
# Regenerates the committed FFI bindings from the headers they were made from. Run from the repository
# root. Each module's first lines record its header version and the exact command below that made it;
# tests/test_bindgen.py reruns those commands where the same headers are installed and compares.
#
# Headers:
#   cuda.lua      CUDA toolkit 13.0 (CUDA_VERSION 13000): $CUDA_HOME/include/cuda.h
#   nvrtc.lua     pip wheel nvidia-cuda-nvrtc-cu12==12.9.86 (nvidia/cuda_nvrtc/include/nvrtc.h)
#   cublas.lua    pip wheel nvidia-cublas-cu12==12.9.3.13 (nvidia/cublas/include; only its headers are
#                 unpacked), plus the CUDA toolkit's driver_types.h, library_types.h and cuComplex.h
#   openvino.lua  pip wheel openvino==2026.4.1, which carries the C API headers (openvino/include)
set -e
CUDA_HOME=${CUDA_HOME:-/usr/local/cuda}
SITE=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
CUBLAS=${CUBLAS_WHEEL_DIR:-/tmp/cublas}

luascript bindgen cuda.h -I "$CUDA_HOME/include" --lib cuda --lib libcuda.so.1 \
  --include-prefix cu --include-prefix CU --version-macro CUDA_VERSION \
  --note "Source: cuda.h of the CUDA toolkit (the driver API; libcuda comes with the NVIDIA driver)" -o bindings/cuda.lua

pip install nvidia-cuda-nvrtc-cu12==12.9.86 >/dev/null
luascript bindgen nvrtc.h -I "$SITE/nvidia/cuda_nvrtc/include" --lib nvrtc --lib libnvrtc.so.12 \
  --include-prefix nvrtc --include-prefix NVRTC_ --lib-path "$CUDA_HOME/lib64" \
  --note "Version: nvrtc.h of the pip wheel nvidia-cuda-nvrtc-cu12 12.9.86 (CUDA 12.9)" \
  --note "Library: libnvrtc.so.12 of that wheel (site-packages/nvidia/cuda_nvrtc/lib) or of a CUDA 12 toolkit" \
  -o bindings/nvrtc.lua

if [ ! -f "$CUBLAS/nvidia/cublas/include/cublas_v2.h" ]; then
  pip download --no-deps nvidia-cublas-cu12==12.9.3.13 -d "$CUBLAS"
  (cd "$CUBLAS" && python3 -m zipfile -e nvidia_cublas_cu12-*.whl . )
fi
luascript bindgen cublas_v2.h -I "$CUBLAS/nvidia/cublas/include" -I "$CUDA_HOME/include" \
  --lib cublas --lib libcublas.so.12 --include-prefix cublas --include-prefix CUBLAS_ \
  --lib-path "$CUDA_HOME/lib64" --version-macro CUBLAS_VERSION \
  --note "Source: cublas_v2.h and cublas_api.h of the pip wheel nvidia-cublas-cu12 12.9.3.13; CUDA types from the CUDA 13.0 toolkit" \
  -o bindings/cublas.lua

pip install openvino==2026.4.1 >/dev/null
luascript bindgen openvino/c/openvino.h -I "$SITE/openvino/include" --lib openvino_c --lib libopenvino_c.so.2641 \
  --include-prefix ov_ --include-prefix OV_ --name openvino \
  --note "Version: the C API headers and libopenvino_c.so.2641 of the pip wheel openvino 2026.4.1 (openvino/include, openvino/libs)" \
  -o bindings/openvino.lua
