// cuda-sim's SIMT layer itself (src/cuda/sim/): kernels written as CUDA, compiled here as C++
// with NERVE_CUDA_SIM, launched through nv::gpu::launch. Checks barrier accounting with early
// exits, a shared-memory tree reduction, every shuffle kind and width, votes and reductions
// with partial masks and partial warps, atomics from many blocks on several OS threads, the
// TF32 mma twin against a plain reference, launch validation and its messages, dynamic shared
// memory, builtin indices in 3-D, and the runtime API's checks. Ends with the time of a
// 128x128x128 tiled GEMM launch.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cuda/cuda_common.cuh"
#include "cuda/mma.cuh"
#include "harness.h"

using namespace harness;

namespace {

Rng rng(17);

// ---------------------------------------------------------------- __syncthreads, early exit
// Threads with t % 7 == 3 and all of warp 1 return before the barriers; the rest exchange
// values through shared memory across three barriers. A fiber resumes only when every thread
// that has not exited waits, so this neither hangs nor reads stale values.
__global__ void k_early_exit(int n, int* out) {
  __shared__ int buf[128];
  const int t = threadIdx.x;
  if (t % 7 == 3 || (t >= 32 && t < 64)) return;
  buf[t] = t * 3;
  __syncthreads();
  int v = buf[(t + 1) % n];
  __syncthreads();
  buf[t] = v + 1;
  __syncthreads();
  out[t] = buf[t] + buf[(t + 5) % n];
}

bool live_thread(int t) { return !(t % 7 == 3 || (t >= 32 && t < 64)); }

void test_early_exit() {
  const int n = 100;
  std::vector<int> out(n, -1);
  CHECK_OK(nv::gpu::launch("early_exit", k_early_exit, dim3(1), dim3(n), 0, nullptr, n,
                           out.data()));
  // Slots of exited threads are never written (shared memory is uninitialised): check the
  // threads whose result depends on live threads only.
  auto buf2 = [&](int t) { return ((t + 1) % n) * 3 + 1; };
  bool ok = true;
  int checked = 0;
  for (int t = 0; t < n; ++t) {
    if (!live_thread(t)) {
      ok &= out[t] == -1;
      continue;
    }
    const int other = (t + 5) % n;
    if (live_thread((t + 1) % n) && live_thread(other) && live_thread((other + 1) % n)) {
      if (out[t] != buf2(t) + buf2(other)) {
        if (ok) std::printf("     thread %d: got %d want %d\n", t, out[t], buf2(t) + buf2(other));
        ok = false;
      }
      ++checked;
    }
  }
  ok &= checked > 20;
  std::printf("%s __syncthreads with early exits (partial warps, a whole warp gone), %d checked\n",
              ok ? "ok  " : "FAIL", checked);
  if (!ok) ++failures();
}

// __syncthreads_count / _and / _or
__global__ void k_sync_count(int* out) {
  const int t = threadIdx.x;
  int c = __syncthreads_count(t % 3 == 0);
  int a = __syncthreads_and(t < 1000);
  int a2 = __syncthreads_and(t != 17);
  int o = __syncthreads_or(t == 17);
  int o2 = __syncthreads_or(0);
  if (t == 0) {
    out[0] = c;
    out[1] = a;
    out[2] = a2;
    out[3] = o;
    out[4] = o2;
  }
}

void test_sync_count() {
  int out[5] = {-1, -1, -1, -1, -1};
  CHECK_OK(nv::gpu::launch("sync_count", k_sync_count, dim3(1), dim3(70), 0, nullptr, out));
  bool ok = out[0] == 24 && out[1] == 1 && out[2] == 0 && out[3] == 1 && out[4] == 0;
  std::printf("%s __syncthreads_count/and/or (%d %d %d %d %d)\n", ok ? "ok  " : "FAIL", out[0],
              out[1], out[2], out[3], out[4]);
  if (!ok) ++failures();
}

// ---------------------------------------------------------------- tree reduction
template <int BLOCK>
__global__ void k_block_sum(int64_t n, const float* x, double* out) {
  __shared__ double s[BLOCK];
  const int t = threadIdx.x;
  double acc = 0;
  for (int64_t i = blockIdx.x * (int64_t)BLOCK + t; i < n; i += (int64_t)gridDim.x * BLOCK) acc += x[i];
  s[t] = acc;
  __syncthreads();
  for (int stride = BLOCK / 2; stride > 0; stride /= 2) {
    if (t < stride) s[t] += s[t + stride];
    __syncthreads();
  }
  if (t == 0) out[blockIdx.x] = s[0];
}

void test_reduction() {
  const int64_t n = 50001;
  std::vector<float> x = rng.floats(n, -1, 1);
  double want = 0;
  for (float v : x) want += v;
  for (int grid : {1, 37}) {
    std::vector<double> part(grid, 0.0);
    CHECK_OK(nv::gpu::launch("block_sum", k_block_sum<256>, dim3(grid), dim3(256), 0, nullptr, n,
                             x.data(), part.data()));
    double got = 0;
    for (double p : part) got += p;
    const bool ok = std::fabs(got - want) <= 1e-9 * std::fabs(want);
    std::printf("%s tree reduction in shared memory, grid %d x 256: %.12g vs %.12g\n",
                ok ? "ok  " : "FAIL", grid, got, want);
    if (!ok) ++failures();
  }
}

// ---------------------------------------------------------------- shuffles
// out[t * 4 + k]: the four shuffle kinds of (value = 1000 * blockwarp + lane * 7 + 1) with the
// given width and arg.
__global__ void k_shuffles(int width, int arg, int* out, double* out64) {
  const int t = threadIdx.x;
  const int lane = t % 32;
  const int v = 1000 * (t / 32) + lane * 7 + 1;
  out[t * 4 + 0] = __shfl_sync(0xffffffffu, v, arg, width);
  out[t * 4 + 1] = __shfl_up_sync(0xffffffffu, v, arg, width);
  out[t * 4 + 2] = __shfl_down_sync(0xffffffffu, v, arg, width);
  out[t * 4 + 3] = __shfl_xor_sync(0xffffffffu, v, arg, width);
  // 8-byte values travel whole.
  out64[t] = __shfl_xor_sync(0xffffffffu, v + 0.25 + 1e12, 1, width);
}

int shfl_ref(int kind, int lane, int arg, int width, const int* vals) {
  const int seg = lane & ~(width - 1);
  switch (kind) {
    case 0: return vals[seg + (arg % width + width) % width];
    case 1: return lane - seg >= arg ? vals[lane - arg] : vals[lane];
    case 2: return lane - seg + arg < width ? vals[lane + arg] : vals[lane];
    default: {
      int j = lane ^ arg;
      return j < seg + width ? vals[j] : vals[lane];
    }
  }
}

void test_shuffles() {
  const int n = 64;
  bool ok = true;
  int cases = 0;
  for (int width : {32, 16, 8, 4, 2, 1}) {
    for (int arg : {0, 1, 2, 3, 5, 8, 13, 16, 31, 33}) {
      std::vector<int> out(n * 4, -1);
      std::vector<double> out64(n, -1);
      CHECK_OK(nv::gpu::launch("shuffles", k_shuffles, dim3(1), dim3(n), 0, nullptr, width, arg,
                               out.data(), out64.data()));
      for (int t = 0; t < n; ++t) {
        int vals[32];
        for (int l = 0; l < 32; ++l) vals[l] = 1000 * (t / 32) + l * 7 + 1;
        const int lane = t % 32;
        for (int k = 0; k < 4; ++k) {
          int want = shfl_ref(k, lane, arg, width, vals);
          if (k != 0 && arg >= 32) continue;  // deltas and masks beyond the warp: not specified
          if (out[t * 4 + k] != want) {
            if (ok)
              std::printf("     shuffle kind %d width %d arg %d lane %d: got %d want %d\n", k,
                          width, arg, lane, out[t * 4 + k], want);
            ok = false;
          }
        }
        double want64 = shfl_ref(3, lane, 1, width, vals) + 0.25 + 1e12;
        ok &= out64[t] == want64;
      }
      ++cases;
    }
  }
  std::printf("%s __shfl_sync/_up/_down/_xor, widths 32..1, %d cases, int and double\n",
              ok ? "ok  " : "FAIL", cases);
  if (!ok) ++failures();
}

// A butterfly warp sum on the first 16 lanes only (mask 0xffff) while the other lanes run a
// different collective with their own mask, and lanes that read per-lane source indices.
__global__ void k_partial_shuffles(int* out) {
  const int lane = threadIdx.x % 32;
  int v = lane + 1;
  if (lane < 16) {
    for (int off = 8; off > 0; off /= 2) v += __shfl_xor_sync(0x0000ffffu, v, off, 16);
    out[lane] = v;  // 1 + ... + 16 = 136
  } else {
    out[lane] = __shfl_sync(0xffff0000u, v, 47 - lane);  // (47 - lane) % 32: reversed upper half
  }
}

void test_partial_shuffles() {
  int out[32];
  CHECK_OK(nv::gpu::launch("partial_shuffles", k_partial_shuffles, dim3(1), dim3(32), 0, nullptr,
                           out));
  bool ok = true;
  for (int l = 0; l < 16; ++l) ok &= out[l] == 136;
  for (int l = 16; l < 32; ++l) ok &= out[l] == 47 - l + 1;
  std::printf("%s shuffles on half-warp masks (two groups in one warp)\n", ok ? "ok  " : "FAIL");
  if (!ok) ++failures();
}

// ---------------------------------------------------------------- votes and reductions
// Block of 40: warp 1 has 8 lanes (the mask names lanes that do not exist). In warp 0, lanes
// 20..31 exit first; the full-mask votes then cover lanes 0..19.
__global__ void k_votes(unsigned* out) {
  const int t = threadIdx.x;
  const int lane = t % 32, warp = t / 32;
  if (warp == 0 && lane >= 20) return;
  unsigned* o = out + warp * 16;
  unsigned b = __ballot_sync(0xffffffffu, lane % 3 == 0);
  int any = __any_sync(0xffffffffu, lane == 5);
  int none = __any_sync(0xffffffffu, lane == 25);
  int all = __all_sync(0xffffffffu, lane < 20);
  int notall = __all_sync(0xffffffffu, lane < 4);
  unsigned sum = __reduce_add_sync(0xffffffffu, (unsigned)lane);
  int mx = __reduce_max_sync(0xffffffffu, lane * (lane % 2 ? -1 : 1));
  int mn = __reduce_min_sync(0xffffffffu, lane * (lane % 2 ? -1 : 1));
  unsigned active = __activemask();
  // A partial mask inside the group: lanes 0..7 only.
  unsigned b8 = 0;
  if (lane < 8) b8 = __ballot_sync(0xffu, lane & 1);
  __syncwarp();
  if (lane == 0) {
    o[0] = b;
    o[1] = any;
    o[2] = none;
    o[3] = all;
    o[4] = notall;
    o[5] = sum;
    o[6] = (unsigned)mx;
    o[7] = (unsigned)mn;
    o[8] = active;
    o[9] = b8;
  }
}

void test_votes() {
  std::vector<unsigned> out(32, 0xdeadbeef);
  CHECK_OK(nv::gpu::launch("votes", k_votes, dim3(1), dim3(40), 0, nullptr, out.data()));
  bool ok = true;
  for (int warp = 0; warp < 2; ++warp) {
    const int lanes = warp == 0 ? 20 : 8;
    const unsigned* o = out.data() + warp * 16;
    unsigned b = 0, sum = 0, b8 = 0;
    int mx = -1000, mn = 1000;
    for (int l = 0; l < lanes; ++l) {
      if (l % 3 == 0) b |= 1u << l;
      sum += l;
      int v = l * (l % 2 ? -1 : 1);
      mx = v > mx ? v : mx;
      mn = v < mn ? v : mn;
      if (l < 8 && (l & 1)) b8 |= 1u << l;
    }
    unsigned active = lanes == 32 ? 0xffffffffu : (1u << lanes) - 1;
    bool w = o[0] == b && o[1] == (lanes > 5 ? 1u : 0u) && o[2] == 0 && o[3] == 1 && o[4] == 0 &&
             o[5] == sum && (int)o[6] == mx && (int)o[7] == mn && o[8] == active && o[9] == b8;
    if (!w)
      std::printf("     warp %d: ballot %08x any %u none %u all %u notall %u sum %u max %d min %d "
                  "active %08x b8 %08x\n",
                  warp, o[0], o[1], o[2], o[3], o[4], o[5], (int)o[6], (int)o[7], o[8], o[9]);
    ok &= w;
  }
  std::printf("%s __ballot/__any/__all/__reduce_*_sync/__activemask: exited lanes, partial warp, "
              "partial mask\n",
              ok ? "ok  " : "FAIL");
  if (!ok) ++failures();
}

// ---------------------------------------------------------------- atomics
__global__ void k_atomics(float* fsum, int* isum, unsigned long long* usum, int* imax, int* imin,
                          int* cas_counter, int* exch) {
  const int g = blockIdx.x * blockDim.x + threadIdx.x;
  atomicAdd(fsum, 1.0f);
  atomicAdd(isum, g);
  atomicAdd(usum, (unsigned long long)g << 20);
  atomicMax(imax, (g * 7919) % 10007);
  atomicMin(imin, -((g * 7919) % 10007));
  // An increment through a CAS loop.
  int old = *cas_counter, assumed;
  do {
    assumed = old;
    old = atomicCAS(cas_counter, assumed, assumed + 1);
  } while (old != assumed);
  atomicExch(exch, g);
}

void test_atomics() {
  const int blocks = 64, threads = 128, n = blocks * threads;
  float fsum = 0;
  int isum = 0, imax = -1, imin = 1, cas = 0, exch = -1;
  unsigned long long usum = 0;
  CHECK_OK(nv::gpu::launch("atomics", k_atomics, dim3(blocks), dim3(threads), 0, nullptr, &fsum,
                           &isum, &usum, &imax, &imin, &cas, &exch));
  long long want_i = (long long)n * (n - 1) / 2;
  int want_max = 0;
  for (int g = 0; g < n; ++g) want_max = std::max(want_max, (g * 7919) % 10007);
  bool ok = fsum == (float)n && isum == (int)want_i &&
            usum == (unsigned long long)want_i << 20 && imax == want_max && imin == -want_max &&
            cas == n && exch >= 0 && exch < n;
  std::printf("%s atomics from %d blocks x %d threads (add f32/i32/u64, max, min, CAS loop, exch)\n",
              ok ? "ok  " : "FAIL", blocks, threads);
  if (!ok) ++failures();
}

// ---------------------------------------------------------------- mma twin
// Each warp of the block multiplies its own 16x8x8 tile: warp w uses A + w*128, B + w*64 and
// C/D + w*128 (row-major A 16x8, B 8x8 as K x N, C/D 16x8).
__global__ void k_mma(const float* A, const float* B, const float* C, float* D) {
  const int lane = threadIdx.x % 32, w = threadIdx.x / 32;
  const float* a = A + w * 128;
  const float* b = B + w * 64;
  const float* c = C + w * 128;
  float* d = D + w * 128;
  const int g = lane >> 2, t = lane & 3;
  uint32_t af[4] = {nv::gpu::cvt_rna_tf32(a[g * 8 + t]), nv::gpu::cvt_rna_tf32(a[(g + 8) * 8 + t]),
                    nv::gpu::cvt_rna_tf32(a[g * 8 + t + 4]),
                    nv::gpu::cvt_rna_tf32(a[(g + 8) * 8 + t + 4])};
  uint32_t bf[2] = {nv::gpu::cvt_rna_tf32(b[t * 8 + g]), nv::gpu::cvt_rna_tf32(b[(t + 4) * 8 + g])};
  float cf[4] = {c[g * 8 + 2 * t], c[g * 8 + 2 * t + 1], c[(g + 8) * 8 + 2 * t],
                 c[(g + 8) * 8 + 2 * t + 1]};
  float df[4];
  nv::gpu::mma_m16n8k8_tf32(df, af, bf, cf);
  d[g * 8 + 2 * t] = df[0];
  d[g * 8 + 2 * t + 1] = df[1];
  d[(g + 8) * 8 + 2 * t] = df[2];
  d[(g + 8) * 8 + 2 * t + 1] = df[3];
}

// TF32 rounding done independently of the sim: keep 11 significant bits, ties away from zero.
double tf32_ref(float x) {
  if (x == 0 || std::isinf(x) || std::isnan(x)) return x;
  int e;
  double m = std::frexp((double)x, &e);  // |m| in [0.5, 1)
  double scaled = std::ldexp(std::fabs(m), 11);
  int q = e - 11;  // the quantum: 11 significant bits, but never below 2^-136 (subnormals keep
  if (q < -136) {  // the top 10 bits of the 23-bit mantissa field)
    scaled = std::ldexp(std::fabs((double)x), 136);
    q = -136;
  }
  double r = std::floor(scaled + 0.5);
  return std::copysign(std::ldexp(r, q), (double)x);
}

float bits_to_float(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

void test_mma() {
  // cvt.rna.tf32.f32 on edge values.
  struct {
    float in;
    float want;
  } cvt_cases[] = {
      {1.0f, 1.0f},
      {1.0f + std::ldexp(1.0f, -11), 1.0f + std::ldexp(1.0f, -10)},  // tie: away from zero
      {-(1.0f + std::ldexp(1.0f, -11)), -(1.0f + std::ldexp(1.0f, -10))},
      {1.0f + std::ldexp(1.0f, -12), 1.0f},
      {1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20), 1.0f + std::ldexp(1.0f, -10)},
      {3.4028235e38f, INFINITY},
      {INFINITY, INFINITY},
      {-INFINITY, -INFINITY},
      {1e-40f, (float)tf32_ref(1e-40f)},
  };
  bool ok = true;
  for (auto& c : cvt_cases) {
    float got = bits_to_float(nv::sim::cvt_rna_tf32(c.in));
    if (got != c.want) {
      std::printf("     cvt_rna_tf32(%.9g) = %.9g, want %.9g\n", c.in, got, c.want);
      ok = false;
    }
  }
  ok &= std::isnan(bits_to_float(nv::sim::cvt_rna_tf32(NAN)));
  for (int i = 0; i < 10000; ++i) {
    float x = rng.uniform(-1000, 1000) * std::ldexp(1.0f, (int)rng.below(40) - 20);
    float got = bits_to_float(nv::sim::cvt_rna_tf32(x));
    ok &= got == (float)tf32_ref(x) && (nv::sim::cvt_rna_tf32(x) & 0x1fffu) == 0;
  }
  std::printf("%s cvt_rna_tf32: ties away from zero, overflow to inf, NaN, 10000 random values\n",
              ok ? "ok  " : "FAIL");
  if (!ok) ++failures();

  const int warps = 3;
  std::vector<float> A = rng.floats(warps * 128, -2, 2), B = rng.floats(warps * 64, -2, 2),
                     C = rng.floats(warps * 128, -2, 2), D(warps * 128, NAN);
  CHECK_OK(nv::gpu::launch("mma", k_mma, dim3(1), dim3(32 * warps), 0, nullptr, A.data(),
                           B.data(), C.data(), D.data()));
  std::vector<double> want(warps * 128);
  for (int w = 0; w < warps; ++w)
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j < 8; ++j) {
        double acc = C[w * 128 + i * 8 + j];
        for (int k = 0; k < 8; ++k)
          acc += tf32_ref(A[w * 128 + i * 8 + k]) * tf32_ref(B[w * 64 + k * 8 + j]);
        want[w * 128 + i * 8 + j] = acc;
      }
  compare("mma_m16n8k8_tf32 twin vs TF32-rounded reference, 3 warps", D.data(), want.data(),
          warps * 128, 1e-5, 1e-5);
  // Without the TF32 rounding the reference differs by much more than that: the twin rounds.
  double worst = 0;
  for (int w = 0; w < warps; ++w)
    for (int i = 0; i < 16; ++i)
      for (int j = 0; j < 8; ++j) {
        double acc = C[w * 128 + i * 8 + j];
        for (int k = 0; k < 8; ++k) acc += (double)A[w * 128 + i * 8 + k] * B[w * 64 + k * 8 + j];
        worst = std::max(worst, std::fabs(acc - D[w * 128 + i * 8 + j]));
      }
  CHECK(worst > 1e-4, "mma twin agrees with an unrounded product to %.3g: TF32 rounding missing",
        worst);
}

// ---------------------------------------------------------------- launch validation
__global__ void k_noop(int* p) {
  if (p != nullptr && threadIdx.x == 0 && blockIdx.x == 0) *p = 1;
}

__global__ void k_big_smem(int n, float* out) {
  float* s = nv::gpu::dynamic_shared<float>();
  for (int i = threadIdx.x; i < n; i += blockDim.x) s[i] = (float)i;
  __syncthreads();
  if (threadIdx.x == 0) out[0] = s[n - 1];
}

void expect_launch_error(nv_status st, const char* what, const char* text) {
  cudaError_t last = cudaGetLastError();
  bool ok = st == NV_ERR_INTERNAL && std::strstr(nv_last_error(), text) != nullptr &&
            std::strstr(nv_last_error(), "kernel launch failed") != nullptr &&
            last != cudaSuccess && cudaGetLastError() == cudaSuccess;
  std::printf("%s launch rejected: %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) {
    std::printf("     status %d, last error %d, message \"%s\"\n", st, last, nv_last_error());
    ++failures();
  }
}

void test_launch_validation() {
  int flag = 0;
  float fflag = 0;
  expect_launch_error(nv::gpu::launch("v1025", k_noop, dim3(1), dim3(1025), 0, nullptr, &flag),
                      "1025 threads per block", "too many threads per block (1025 > 1024)");
  expect_launch_error(nv::gpu::launch("v2d", k_noop, dim3(1), dim3(64, 17), 0, nullptr, &flag),
                      "64 x 17 threads per block", "too many threads per block");
  expect_launch_error(nv::gpu::launch("vz", k_noop, dim3(1), dim3(1, 1, 65), 0, nullptr, &flag),
                      "block.z 65", "block.z 65");
  expect_launch_error(nv::gpu::launch("v0", k_noop, dim3(0), dim3(32), 0, nullptr, &flag),
                      "empty grid", "must be positive");
  expect_launch_error(nv::gpu::launch("vgy", k_noop, dim3(1, 65536), dim3(32), 0, nullptr, &flag),
                      "grid.y 65536", "grid too large");
  expect_launch_error(
      nv::gpu::launch("vsmem", k_big_smem, dim3(1), dim3(64), 48 * 1024 + 4, nullptr, 16, &fflag),
      "48 KiB + 4 bytes of dynamic shared memory", "too much dynamic shared memory");
  expect_launch_error(nv::gpu::launch("vstream", k_noop, dim3(1), dim3(32), 0,
                                      reinterpret_cast<cudaStream_t>(&flag), &flag),
                      "unknown stream", "invalid resource handle");
  CHECK(std::strstr(nv_last_error(), "vstream: kernel launch failed (grid 1 x 1 x 1, block 32 x 1 x 1") != nullptr,
        "message: %s", nv_last_error());
  CHECK(flag == 0, "a rejected launch ran");

  // Raised with cudaFuncSetAttribute: 100000 bytes of dynamic shared memory.
  CHECK(cudaFuncSetAttribute(k_big_smem, cudaFuncAttributeMaxDynamicSharedMemorySize, 232449) ==
            cudaErrorInvalidValue,
        "attribute above 227 KiB accepted");
  CHECK(cudaGetLastError() == cudaErrorInvalidValue, "last error not recorded");
  CHECK(cudaFuncSetAttribute(k_big_smem, cudaFuncAttributeMaxDynamicSharedMemorySize, 100000) ==
            cudaSuccess,
        "cudaFuncSetAttribute failed");
  float out = 0;
  CHECK_OK(nv::gpu::launch("big_smem", k_big_smem, dim3(2), dim3(256), 100000, nullptr, 25000,
                           &out));
  CHECK(out == 24999.0f, "big dynamic shared memory: %g", out);
  std::printf("ok   100000 bytes of dynamic shared memory after cudaFuncSetAttribute\n");
}

// ---------------------------------------------------------------- dynamic shared memory
// Reverses each block's slice through dynamic shared memory; the buffer is 16-byte aligned and
// per block (blocks on two OS threads at once).
__global__ void k_reverse(int n, const float* x, float* y, int* misaligned) {
  float* s = nv::gpu::dynamic_shared<float>();
  if (reinterpret_cast<uintptr_t>(s) % 16 != 0) atomicAdd(misaligned, 1);
  const int base = blockIdx.x * blockDim.x;
  const int t = threadIdx.x;
  if (base + t < n) s[t] = x[base + t];
  __syncthreads();
  const int len = min(n - base, (int)blockDim.x);
  if (t < len) y[base + t] = s[len - 1 - t];
}

void test_dynamic_shared() {
  const int n = 1000, block = 96;
  std::vector<float> x = rng.floats(n, -1, 1), y(n, NAN);
  int misaligned = 0;
  const int grid = (n + block - 1) / block;
  CHECK_OK(nv::gpu::launch("reverse", k_reverse, dim3(grid), dim3(block), block * sizeof(float),
                           nullptr, n, x.data(), y.data(), &misaligned));
  bool ok = misaligned == 0;
  for (int b = 0; b < grid; ++b) {
    int base = b * block, len = std::min(n - base, block);
    for (int t = 0; t < len; ++t) ok &= y[base + t] == x[base + len - 1 - t];
  }
  std::printf("%s dynamic shared memory: per block, 16-byte aligned, %d blocks\n",
              ok ? "ok  " : "FAIL", grid);
  if (!ok) ++failures();
}

// ---------------------------------------------------------------- 3-D indices
__global__ void k_indices(int* out) {
  const int bx = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
  const int tx = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
  const int nt = blockDim.x * blockDim.y * blockDim.z;
  out[bx * nt + tx] = bx * 10000 + tx + warpSize * 0;
}

void test_indices() {
  dim3 grid(3, 2, 2), block(5, 4, 3);
  const int total = 12 * 60;
  std::vector<int> out(total, -1);
  CHECK_OK(nv::gpu::launch("indices", k_indices, grid, block, 0, nullptr, out.data()));
  bool ok = true;
  for (int b = 0; b < 12; ++b)
    for (int t = 0; t < 60; ++t) ok &= out[b * 60 + t] == b * 10000 + t;
  std::printf("%s threadIdx/blockIdx/blockDim/gridDim in 3-D (grid 3x2x2, block 5x4x3)\n",
              ok ? "ok  " : "FAIL");
  if (!ok) ++failures();
}

// ---------------------------------------------------------------- runtime API
void test_runtime() {
  const int failures_before = failures();
  int count = 0, dev = -1;
  CHECK(cudaGetDeviceCount(&count) == cudaSuccess && count == 1, "device count %d", count);
  CHECK(cudaSetDevice(0) == cudaSuccess && cudaGetDevice(&dev) == cudaSuccess && dev == 0,
        "device 0");
  CHECK(cudaSetDevice(1) == cudaErrorInvalidDevice, "cudaSetDevice(1) accepted");
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, 0) == cudaSuccess, "properties");
  CHECK(std::strcmp(prop.name, "cuda-sim (simulated sm_90)") == 0 && prop.major == 9 &&
            prop.minor == 0 && prop.multiProcessorCount == 132 &&
            prop.totalGlobalMem == (80ull << 30) && prop.sharedMemPerBlock == 48 * 1024 &&
            prop.sharedMemPerBlockOptin == 227 * 1024 && prop.warpSize == 32 &&
            prop.maxThreadsPerBlock == 1024,
        "properties: %s %d.%d", prop.name, prop.major, prop.minor);
  CHECK(cudaGetDeviceProperties(&prop, 3) == cudaErrorInvalidDevice, "properties of device 3");

  size_t free0 = 0, total = 0;
  CHECK(cudaMemGetInfo(&free0, &total) == cudaSuccess && total == (80ull << 30), "mem info");
  float* d = nullptr;
  CHECK(cudaMalloc(&d, 1000 * sizeof(float)) == cudaSuccess && d != nullptr, "cudaMalloc");
  CHECK(reinterpret_cast<uintptr_t>(d) % 256 == 0, "cudaMalloc alignment");
  size_t free1 = 0;
  cudaMemGetInfo(&free1, &total);
  CHECK(free0 - free1 == 4000, "mem info after malloc: %zu", free0 - free1);
  std::vector<float> h(1000), back(1000, 0);
  for (int i = 0; i < 1000; ++i) h[i] = (float)i;
  CHECK(cudaMemcpy(d, h.data(), 4000, cudaMemcpyHostToDevice) == cudaSuccess, "memcpy H2D");
  CHECK(cudaMemcpy(back.data(), d, 4000, cudaMemcpyDeviceToHost) == cudaSuccess && back == h,
        "memcpy D2H");
  CHECK(cudaMemcpy(back.data(), d, 4004, cudaMemcpyDeviceToHost) == cudaErrorInvalidValue,
        "memcpy past the end of an allocation accepted");
  CHECK(cudaMemcpy(back.data(), h.data(), 4, cudaMemcpyDeviceToHost) == cudaErrorInvalidValue,
        "memcpy from a host pointer as device accepted");
  CHECK(cudaMemcpy(d + 500, d, 400, cudaMemcpyDeviceToDevice) == cudaSuccess, "memcpy D2D");
  CHECK(cudaMemsetAsync(d, 0, 400, nullptr) == cudaSuccess, "memset");
  CHECK(cudaMemset(d + 999, 0, 8) == cudaErrorInvalidValue, "memset past the end accepted");
  cudaMemcpy(back.data(), d, 4000, cudaMemcpyDeviceToHost);
  CHECK(back[0] == 0 && back[99] == 0 && back[100] == 100 && back[500] == 0 && back[599] == 99,
        "memset/D2D contents");
  cudaGetLastError();

  cudaStream_t s = nullptr;
  CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking) == cudaSuccess, "stream");
  CHECK(cudaMemcpyAsync(d, h.data(), 4000, cudaMemcpyHostToDevice, s) == cudaSuccess, "async copy");
  CHECK(cudaStreamSynchronize(s) == cudaSuccess, "stream sync");
  int flag = 0;
  CHECK_OK(nv::gpu::launch("on_stream", k_noop, dim3(1), dim3(32), 0, s, &flag));
  CHECK(flag == 1, "kernel on a stream did not run");
  cudaEvent_t e0, e1;
  CHECK(cudaEventCreate(&e0) == cudaSuccess && cudaEventCreate(&e1) == cudaSuccess, "events");
  float ms = -1;
  CHECK(cudaEventElapsedTime(&ms, e0, e1) == cudaErrorInvalidResourceHandle,
        "elapsed time of unrecorded events");
  cudaEventRecord(e0, s);
  cudaEventRecord(e1, s);
  CHECK(cudaEventSynchronize(e1) == cudaSuccess &&
            cudaEventElapsedTime(&ms, e0, e1) == cudaSuccess && ms >= 0,
        "elapsed %g", ms);
  CHECK(cudaEventDestroy(e0) == cudaSuccess && cudaEventDestroy(e1) == cudaSuccess, "event destroy");
  CHECK(cudaEventDestroy(e0) == cudaErrorInvalidResourceHandle, "double event destroy accepted");
  CHECK(cudaStreamDestroy(s) == cudaSuccess, "stream destroy");
  CHECK(cudaStreamSynchronize(s) == cudaErrorInvalidResourceHandle, "destroyed stream accepted");
  CHECK(cudaStreamDestroy(s) == cudaErrorInvalidResourceHandle, "double stream destroy accepted");

  CHECK(cudaFree(d) == cudaSuccess, "cudaFree");
  CHECK(cudaFree(d) == cudaErrorInvalidValue, "double cudaFree accepted");
  CHECK(cudaFree(h.data()) == cudaErrorInvalidValue, "cudaFree of a host pointer accepted");
  CHECK(cudaPeekAtLastError() == cudaErrorInvalidValue && cudaGetLastError() == cudaErrorInvalidValue &&
            cudaGetLastError() == cudaSuccess,
        "last error state");
  CHECK(cudaFree(nullptr) == cudaSuccess, "cudaFree(nullptr)");
  void* p = nullptr;
  CHECK(cudaMalloc(&p, 100ull << 30) == cudaErrorMemoryAllocation && p == nullptr,
        "100 GiB allocation accepted");
  cudaGetLastError();
  float* pinned = nullptr;
  CHECK(cudaMallocHost(&pinned, 64) == cudaSuccess && cudaFreeHost(pinned) == cudaSuccess &&
            cudaFreeHost(pinned) == cudaErrorInvalidValue,
        "pinned memory");
  cudaGetLastError();
  CHECK(std::strcmp(cudaGetErrorString(cudaErrorInvalidValue), "invalid argument") == 0 &&
            std::strcmp(cudaGetErrorName(cudaErrorMemoryAllocation), "cudaErrorMemoryAllocation") == 0 &&
            std::strcmp(cudaGetErrorString(cudaErrorInvalidConfiguration),
                        "invalid configuration argument") == 0,
        "error strings");
  std::printf("%s runtime API: device, memory (range checks), streams, events, errors\n",
              failures() == failures_before ? "ok  " : "FAIL");
}

// ---------------------------------------------------------------- timing: tiled GEMM
constexpr int TILE = 16;
__global__ void k_gemm(int M, int N, int K, const float* A, const float* B, float* C) {
  __shared__ float as[TILE][TILE];
  __shared__ float bs[TILE][TILE];
  const int tx = threadIdx.x, ty = threadIdx.y;
  const int row = blockIdx.y * TILE + ty, col = blockIdx.x * TILE + tx;
  float acc = 0;
  for (int k0 = 0; k0 < K; k0 += TILE) {
    as[ty][tx] = (row < M && k0 + tx < K) ? A[row * K + k0 + tx] : 0.0f;
    bs[ty][tx] = (col < N && k0 + ty < K) ? B[(k0 + ty) * N + col] : 0.0f;
    __syncthreads();
    for (int k = 0; k < TILE; ++k) acc += as[ty][k] * bs[k][tx];
    __syncthreads();
  }
  if (row < M && col < N) C[row * N + col] = acc;
}

void test_gemm_timing() {
  for (int s : {33, 128}) {
    const int M = s, N = s + (s == 33 ? 14 : 0), K = s + (s == 33 ? 32 : 0);
    std::vector<float> A = rng.floats((int64_t)M * K, -1, 1), B = rng.floats((int64_t)K * N, -1, 1),
                       C((int64_t)M * N, NAN);
    std::vector<double> want((int64_t)M * N, 0.0);
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) {
        double acc = 0;
        for (int k = 0; k < K; ++k) acc += (double)A[i * K + k] * B[k * N + j];
        want[i * N + j] = acc;
      }
    dim3 grid((N + TILE - 1) / TILE, (M + TILE - 1) / TILE), block(TILE, TILE);
    auto t0 = std::chrono::steady_clock::now();
    CHECK_OK(nv::gpu::launch("gemm", k_gemm, grid, block, 0, nullptr, M, N, K, A.data(), B.data(),
                             C.data()));
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    compare(fmt("tiled GEMM %dx%dx%d (%u blocks x 256 threads): %.3f s", M, N, K,
                grid.x * grid.y, secs)
                .c_str(),
            C.data(), want.data(), (int64_t)M * N, 1e-5, 1e-5);
  }
}

}  // namespace

int main() {
  test_early_exit();
  test_sync_count();
  test_reduction();
  test_shuffles();
  test_partial_shuffles();
  test_votes();
  test_atomics();
  test_mma();
  test_launch_validation();
  test_dynamic_shared();
  test_indices();
  test_runtime();
  test_gemm_timing();
  return report();
}
