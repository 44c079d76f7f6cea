// Convolution workbench: milliseconds and GFLOP/s of the three CPU conv passes on issue 5's
// shape (N=32, C=K=64, 56x56, 3x3, pad 1), 2 threads. Not a test and not the published figures
// (those come from JMH: ConvBenchmark beside PyTorch); a quick loop for kernel work:
//
//   g++ -O2 -std=c++17 -I native/include native/dev/conv_bench.cpp -L /tmp/cb -lnerve \
//       -Wl,-rpath,/tmp/cb -o /tmp/conv_bench && /tmp/conv_bench [N C H K R stride pad]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "nerve.h"

int main(int argc, char** argv) {
  long N = 32, C = 64, H = 56, K = 64, R = 3, st = 1, pad = 1;
  if (argc == 8) {
    N = atol(argv[1]), C = atol(argv[2]), H = atol(argv[3]), K = atol(argv[4]);
    R = atol(argv[5]), st = atol(argv[6]), pad = atol(argv[7]);
  }
  const long W = H, S = R, P = (H + 2 * pad - R) / st + 1, Q = P;
  nv_ctx* ctx = nullptr;
  if (nv_ctx_create(NV_BACKEND_CPU, 0, 2, &ctx) != NV_OK) return 1;
  std::vector<float> x(N * C * H * W), w(K * C * R * S), y(N * K * P * Q), dx(x.size()), dw(w.size());
  for (size_t i = 0; i < x.size(); ++i) x[i] = float(i % 17) * 0.1f - 0.8f;
  for (size_t i = 0; i < w.size(); ++i) w[i] = float(i % 13) * 0.01f - 0.06f;
  const double flop = 2.0 * N * K * C * R * S * P * Q;
  auto bench = [&](const char* name, auto&& fn) {
    fn();
    std::vector<double> t;
    for (int i = 0; i < 7; ++i) {
      auto a = std::chrono::steady_clock::now();
      if (fn() != NV_OK) {
        std::printf("%s failed: %s\n", name, nv_last_error());
        std::exit(1);
      }
      t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count());
    }
    std::sort(t.begin(), t.end());
    std::printf("%-16s %8.2f ms  %7.1f GFLOP/s\n", name, t[3] * 1e3, flop / t[3] / 1e9);
  };
  bench("forward", [&] {
    return nv_conv2d_forward_f32(ctx, N, C, H, W, K, R, S, st, st, pad, pad, 1, 1, 1, x.data(), w.data(), nullptr, y.data());
  });
  bench("backward-data", [&] {
    return nv_conv2d_backward_data_f32(ctx, N, C, H, W, K, R, S, st, st, pad, pad, 1, 1, 1, y.data(), w.data(), dx.data());
  });
  bench("backward-filter", [&] {
    return nv_conv2d_backward_filter_f32(ctx, N, C, H, W, K, R, S, st, st, pad, pad, 1, 1, 1, x.data(), y.data(), dw.data(), nullptr);
  });
  nv_ctx_destroy(ctx);
  return 0;
}
