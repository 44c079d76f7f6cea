#!/usr/bin/env bash
# The GPU kit's benchmarks (copied into gpu-kit/bench.sh by ci/gpu-kit; run by run.sh gpu):
# Nerve's side (GpuBench) and the peers' side (gpu_peers.py: PyTorch, cuBLAS) in one run, joined
# into one table with the ratio Nerve / peer. The softmax peer is PyTorch's own softmax kernel;
# the copy row is the bandwidth ceiling softmax is judged against.
set -uo pipefail
kit="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$kit/report}"
mkdir -p "$out"
"$kit/runtime/bin/java" -cp "$kit/lib/nerve.jar" dev.nerve.bench.GpuBench --device cuda | tee "$out/nerve-bench.tsv"
python3 "$kit/gpu_peers.py" | tee "$out/peers-bench.tsv"
echo
printf '%-32s %14s %14s %8s  %s\n' benchmark nerve peer ratio unit | tee "$out/bench-table.txt"
awk -F'\t' 'NR == FNR && !/^#/ { peer[$1] = $2; next }
  !/^#/ { r = ($1 in peer && peer[$1] > 0) ? sprintf("%.2f", $2 / peer[$1]) : "-";
          printf "%-32s %14s %14s %8s  %s\n", $1, $2, ($1 in peer ? peer[$1] : "-"), r, $3; seen[$1] = 1 }
  END { for (p in peer) if (!(p in seen)) printf "%-32s %14s %14s %8s  %s\n", p, "-", peer[p], "-", "(peer only)" }' \
  "$out/peers-bench.tsv" "$out/nerve-bench.tsv" | tee -a "$out/bench-table.txt"
