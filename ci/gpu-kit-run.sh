#!/usr/bin/env bash
# The GPU kit's run script (copied into gpu-kit/ by ci/gpu-kit).
#   run.sh cpu        the whole CPU test suite on the kit's own runtime image
#   run.sh gpu [OUT]  GPU tests (native and Java), GPU benchmarks beside PyTorch, and the digit models
#                     trained on the GPU (when the kit carries MNIST); report in OUT (default ./report)
set -uo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mode="${1:-gpu}"
out="${2:-$kit/report}"
mkdir -p "$out"
java="$kit/runtime/bin/java"
# JavaCPP extracts the native libraries from nerve.jar into this cache on first load; the native
# test programs then load libnerve.so from there.
cache="$kit/cache"
export JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=$cache ${JAVA_TOOL_OPTIONS:-}"
cp="$kit/lib/nerve.jar:$kit/lib/nerve-tests.jar"
# The launcher and the tests on one class path (not --class-path): tests that start a child JVM
# hand it java.class.path.
junit=("$java" -Xmx8g -cp "$kit/lib/junit-console.jar:$cp" org.junit.platform.console.ConsoleLauncher execute --disable-banner
       --fail-if-no-tests --reports-dir "$kit/junit-reports")
status=0

case "$mode" in
  cpu)
    "${junit[@]}" --scan-class-path "$kit/lib/nerve-tests.jar" --exclude-tag gpu --details=summary 2>&1 | tee "$out/cpu-tests.txt" || status=1
    ;;
  gpu)
    # cuBLAS and cuDNN for the reference path (CudaReferenceTest) come from PyTorch's pip wheels.
    # (nvidia is a namespace package: no __file__; the library folders differ between CUDA 12 and
    # 13 wheels, so every folder holding a shared library is added.)
    nvidia_root="$(python3 -c 'import nvidia; print(list(nvidia.__path__)[0])' 2>/dev/null || true)"
    if [[ -n "$nvidia_root" ]]; then
      while read -r d; do LD_LIBRARY_PATH="$d:${LD_LIBRARY_PATH:-}"; done \
        < <(find "$nvidia_root" -name 'lib*.so*' -printf '%h\n' | sort -u)
      export LD_LIBRARY_PATH
    fi
    {
      echo "# Nerve GPU kit report"
      echo "date: $(date -u)"
      nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | sed 's/^/gpu: /'
      "$java" -jar "$kit/lib/nerve.jar" info 2>&1
    } | tee "$out/report.txt"
    # Every stage has its own time limit, so one hung kernel cannot eat the whole lease.
    echo "== native GPU tests" | tee -a "$out/report.txt"
    libdir="$(dirname "$(find "$cache" -name libnerve.so | head -n 1)")"
    # A program per op family runs its cases over every backend; here only cuda-sim and CUDA (CI
    # runs the CPU configs).
    export NERVE_TEST_BACKENDS=cuda-sim,cuda
    for t in "$kit"/native/test_*; do
      [[ -x "$t" ]] || continue
      LD_LIBRARY_PATH="$libdir" timeout 60 "$t" 2>&1 | tail -n 40 | tee -a "$out/report.txt"
      rc=${PIPESTATUS[0]}
      echo "-- $(basename "$t"): exit $rc" | tee -a "$out/report.txt"
      if [[ $rc -ne 0 ]]; then
        status=1
        # A failing kernel test again under compute-sanitizer (memcheck), for the first error it finds.
        if command -v compute-sanitizer >/dev/null; then
          LD_LIBRARY_PATH="$libdir" timeout 60 compute-sanitizer --print-limit 5 "$t" 2>&1 | head -n 60 | tee -a "$out/report.txt"
        fi
      fi
    done
    echo "== Java GPU tests" | tee -a "$out/report.txt"
    timeout 180 "${junit[@]}" --scan-class-path "$kit/lib/nerve-tests.jar" --include-tag gpu --details=tree 2>&1 \
      | grep -v '^\s*$' | tail -n 120 | tee -a "$out/report.txt"
    [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
    if [[ -x "$kit/bench.sh" ]]; then
      echo "== GPU benchmarks" | tee -a "$out/report.txt"
      timeout 200 "$kit/bench.sh" "$out" 2>&1 | tee -a "$out/report.txt" || status=1
    fi
    if [[ -d "$kit/mnist" ]]; then
      echo "== training on the GPU (nerve train ... --device cuda)" | tee -a "$out/report.txt"
      for model in mnist-mlp mnist-cnn resnet; do
        timeout 120 "$java" -jar "$kit/lib/nerve.jar" train "$model" --device cuda --data "$kit/mnist" 2>&1 \
          | tail -n 8 | tee -a "$out/report.txt"
        [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
      done
    fi
    ;;
  *)
    echo "usage: run.sh cpu | gpu [OUT]" >&2
    exit 2
    ;;
esac
exit $status
