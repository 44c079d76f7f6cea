#!/usr/bin/env bash
# The GPU kit's run script (copied into gpu-kit/ by ci/gpu-kit).
#   run.sh cpu        the whole CPU test suite on the kit's own runtime image
#   run.sh gpu [OUT]  GPU tests (native and Java) and GPU benchmarks; report in OUT (default ./report)
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
       --details=summary --fail-if-no-tests --reports-dir "$out/junit")
status=0

case "$mode" in
  cpu)
    "${junit[@]}" --scan-class-path "$kit/lib/nerve-tests.jar" --exclude-tag gpu 2>&1 | tee "$out/cpu-tests.txt" || status=1
    ;;
  gpu)
    # cuBLAS and cuDNN for the reference path (CudaReferenceTest) come from PyTorch's pip wheels.
    nvidia_root="$(python3 -c 'import nvidia, os; print(os.path.dirname(nvidia.__file__))' 2>/dev/null || true)"
    if [[ -n "$nvidia_root" ]]; then
      for d in "$nvidia_root"/*/lib; do LD_LIBRARY_PATH="$d:${LD_LIBRARY_PATH:-}"; done
      export LD_LIBRARY_PATH
    fi
    {
      echo "# Nerve GPU kit report"
      echo "date: $(date -u)"
      nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | sed 's/^/gpu: /'
      "$java" -jar "$kit/lib/nerve.jar" info 2>&1
    } | tee "$out/report.txt"
    echo "== native GPU tests" | tee -a "$out/report.txt"
    libdir="$(dirname "$(find "$cache" -name libnerve.so | head -n 1)")"
    for t in "$kit"/native/test_gpu_* "$kit"/native/test_cuda_*; do
      [[ -x "$t" ]] || continue
      LD_LIBRARY_PATH="$libdir" "$t" 2>&1 | tee -a "$out/report.txt"
      [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
    done
    echo "== Java GPU tests" | tee -a "$out/report.txt"
    "${junit[@]}" --scan-class-path "$kit/lib/nerve-tests.jar" --include-tag gpu 2>&1 | tee -a "$out/report.txt" || status=1
    if [[ -x "$kit/bench.sh" ]]; then
      echo "== GPU benchmarks" | tee -a "$out/report.txt"
      "$kit/bench.sh" "$out" 2>&1 | tee -a "$out/report.txt" || status=1
    fi
    ;;
  *)
    echo "usage: run.sh cpu | gpu [OUT]" >&2
    exit 2
    ;;
esac
exit $status
