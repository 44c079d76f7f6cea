// Unary ops (forward and backward) and broadcast binary / compare ops on the GPU. Each op is a
// small functor (the unary ones shared with the CPU: core/unary_ops.inl); one grid-stride kernel
// per functor, 16-byte vectors where the pointers allow.
#include "core/strided_plan.h"
#include "cuda/cuda_kernels.cuh"

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- kernels

// Unary ops: shared with the CPU (core/unary_ops.inl); this is CUDA's math for them.
struct FMath {
  using T = float;
  __device__ static float set1(float a) { return a; }
  __device__ static float zero() { return 0.0f; }
  __device__ static float neg(float a) { return -a; }
  __device__ static float add(float a, float b) { return a + b; }
  __device__ static float sub(float a, float b) { return a - b; }
  __device__ static float mul(float a, float b) { return a * b; }
  __device__ static float div(float a, float b) { return a / b; }
  __device__ static float fma(float a, float b, float c) { return fmaf(a, b, c); }
  __device__ static float fnma(float a, float b, float c) { return fmaf(-a, b, c); }
  __device__ static float max(float a, float b) { return a > b ? a : b; }  // b when unordered
  __device__ static float abs(float a) { return fabsf(a); }
  __device__ static float sqrt(float a) { return sqrtf(a); }
  __device__ static bool gt(float a, float b) { return a > b; }
  __device__ static bool lt(float a, float b) { return a < b; }
  __device__ static float sel(bool m, float a, float b) { return m ? a : b; }
  __device__ static float exp(float x) { return expf(x); }
  __device__ static float log(float x) { return logf(x); }
  __device__ static float tanh(float x) { return tanhf(x); }
  __device__ static float sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }
  // max(x, 0) + log1p(exp(-|x|)): no overflow for large x; NaN stays NaN.
  __device__ static float softplus(float x) {
    if (x != x) return x;
    return (x > 0.0f ? x : 0.0f) + log1pf(expf(-fabsf(x)));
  }
};

#include "core/unary_ops.inl"

// x^a per element (powf); d x^a = a x^(a-1), and a == 0 gives 0 everywhere (also at x = 0).
struct UPow {
  float a, b;
  __device__ float fwd(float x) const { return powf(x, a); }
  __device__ float bwd(float x, float, float dy) const {
    return a == 0.0f ? 0.0f * dy : dy * a * powf(x, a - 1.0f);
  }
};

// out[i] = u.fwd(x[i]) (forward) or u.bwd(x[i], y[i], dy[i]) (backward) for i < n; vec: every
// pointer the pass reads or writes is 16-byte aligned, so whole float4s are used. out may alias x
// (forward) or dy (backward): each element is read, then written, by the same thread.
template <bool kBackward, class U>
__global__ void unary_kernel(int64_t n, const float* x, const float* y, const float* dy,
                             float* out, U u, bool vec) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  const int64_t start = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  int64_t done = 0;
  if (vec) {
    const int64_t nv = n / 4;
    for (int64_t i = start; i < nv; i += stride) {
      f4 v = reinterpret_cast<const f4*>(x)[i];
      if constexpr (kBackward) {
        const f4 yv = reinterpret_cast<const f4*>(y)[i];
        const f4 d = reinterpret_cast<const f4*>(dy)[i];
        v = f4{u.bwd(v.x, yv.x, d.x), u.bwd(v.y, yv.y, d.y), u.bwd(v.z, yv.z, d.z),
               u.bwd(v.w, yv.w, d.w)};
      } else {
        v = f4{u.fwd(v.x), u.fwd(v.y), u.fwd(v.z), u.fwd(v.w)};
      }
      reinterpret_cast<f4*>(out)[i] = v;
    }
    done = nv * 4;
  }
  for (int64_t i = done + start; i < n; i += stride) {
    if constexpr (kBackward) out[i] = u.bwd(x[i], y[i], dy[i]);
    else out[i] = u.fwd(x[i]);
  }
}

// Binary and compare ops; maximum/minimum propagate NaN, as torch.maximum does.
struct BAdd { __device__ static float s(float a, float b) { return a + b; } };
struct BSub { __device__ static float s(float a, float b) { return a - b; } };
struct BMul { __device__ static float s(float a, float b) { return a * b; } };
struct BDiv { __device__ static float s(float a, float b) { return a / b; } };
struct BMax {
  __device__ static float s(float a, float b) { return (a != a || b != b) ? a + b : (a > b ? a : b); }
};
struct BMin {
  __device__ static float s(float a, float b) { return (a != a || b != b) ? a + b : (a < b ? a : b); }
};
struct CEq { __device__ static float s(float a, float b) { return a == b ? 1.0f : 0.0f; } };
struct CGt { __device__ static float s(float a, float b) { return a > b ? 1.0f : 0.0f; } };
struct CGe { __device__ static float s(float a, float b) { return a >= b ? 1.0f : 0.0f; } };
struct CLt { __device__ static float s(float a, float b) { return a < b ? 1.0f : 0.0f; } };
struct CLe { __device__ static float s(float a, float b) { return a <= b ? 1.0f : 0.0f; } };

// out[i] = a[.] op b[.] for the contiguous out of plan p; I is the index type (int32 when the
// offsets fit, for cheaper divisions). out may alias a contiguous input.
template <class Op, typename I>
__global__ void binary_kernel(StridedPlan p, const float* a, const float* b, float* out) {
  const I total = I(p.total);
  const I stride = I(gridDim.x) * I(blockDim.x);
  for (I i = I(blockIdx.x) * I(blockDim.x) + I(threadIdx.x); i < total; i += stride) {
    I rest = i, oa = 0, ob = 0;
    for (int d = p.ndim - 1; d > 0; --d) {
      I len = I(p.shape[d]);
      I idx = rest % len;
      rest /= len;
      oa += idx * I(p.sa[d]);
      ob += idx * I(p.sb[d]);
    }
    oa += rest * I(p.sa[0]);
    ob += rest * I(p.sb[0]);
    out[i] = Op::s(a[oa], b[ob]);
  }
}

// ---------------------------------------------------------------- launchers

namespace {

constexpr int kThreads = 256;

bool aligned16(const void* p) { return reinterpret_cast<uintptr_t>(p) % 16 == 0; }

// The forward (out = y; y and dy unused) or backward (out = dx) pass of unary op u.
template <bool kBackward, class U>
nv_status launch_unary(nv_ctx* ctx, const char* fn, int64_t n, const float* x, const float* y,
                       const float* dy, float* out, U u) {
  const bool vec =
      aligned16(x) && aligned16(out) && (!kBackward || (aligned16(y) && aligned16(dy)));
  const int64_t work = vec ? n / 4 + 3 : n;
  return gpu::launch(fn, unary_kernel<kBackward, U>, dim3(grid_for(ctx, work, kThreads)),
                     dim3(kThreads), 0, stream_of(ctx), n, x, y, dy, out, u, vec);
}

// Largest |offset| plan p reaches in an input with strides s, plus the element count.
int64_t plan_extent(const StridedPlan& p, const int64_t* s) {
  int64_t e = p.total;
  for (int d = 0; d < p.ndim; ++d) {
    int64_t st = s[d] < 0 ? -s[d] : s[d];
    e += (p.shape[d] - 1) * st;
  }
  return e;
}

template <class Op>
nv_status launch_binary(nv_ctx* ctx, const char* fn, const StridedPlan& p, const float* a,
                        const float* b, float* out) {
  dim3 grid(grid_for(ctx, p.total, kThreads));
  // Half the int32 range: i + stride must not overflow either.
  if (plan_extent(p, p.sa) < INT32_MAX / 2 && plan_extent(p, p.sb) < INT32_MAX / 2)
    return gpu::launch(fn, binary_kernel<Op, int32_t>, grid, dim3(kThreads), 0, stream_of(ctx),
                       p, a, b, out);
  return gpu::launch(fn, binary_kernel<Op, int64_t>, grid, dim3(kThreads), 0, stream_of(ctx), p,
                     a, b, out);
}

// Both passes of nv_unary_f32: the forward (out = y; y and dy unused) and the backward
// (out = dx).
template <bool kBackward>
nv_status unary_pass(nv_ctx* ctx, const char* fn, int32_t op, int64_t n, const float* x,
                     const float* y, const float* dy, float* out, float alpha, float beta) {
  if (n == 0) return NV_OK;
  nv_status s = activate(ctx, fn);
  if (s != NV_OK) return s;
  auto run = [&](auto u) { return launch_unary<kBackward>(ctx, fn, n, x, y, dy, out, u); };
  switch (op) {
#define NV_CASE(code, U) \
  case code: return run(U<FMath>{alpha, beta});
    NV_UNARY_OPS(NV_CASE)
#undef NV_CASE
    case NV_UNARY_POW: return run(UPow{alpha, beta});
    default: return fail(NV_ERR_INVALID_ARGUMENT, "%s: op=%d has no GPU kernel", fn, op);
  }
}

}  // namespace

NV_KERNEL_DEF(unary_f32) {
  return unary_pass<false>(ctx, "nv_unary_f32", op, n, x, nullptr, nullptr, y, alpha, beta);
}

NV_KERNEL_DEF(unary_backward_f32) {
  return unary_pass<true>(ctx, "nv_unary_backward_f32", op, n, x, y, dy, dx, alpha, beta);
}

NV_KERNEL_DEF(binary_f32) {
  // out is contiguous (shape); a, b are read through their strides over (shape)
  StridedPlan p = make_strided_plan(ndim, shape, a_strides, b_strides);
  if (p.total == 0) return NV_OK;
  const char* fn = compare ? "nv_compare_f32" : "nv_binary_f32";
  nv_status s = activate(ctx, fn);
  if (s != NV_OK) return s;
  if (compare) {
    switch (op) {
      case NV_COMPARE_EQ: return launch_binary<CEq>(ctx, fn, p, a, b, out);
      case NV_COMPARE_GT: return launch_binary<CGt>(ctx, fn, p, a, b, out);
      case NV_COMPARE_GE: return launch_binary<CGe>(ctx, fn, p, a, b, out);
      case NV_COMPARE_LT: return launch_binary<CLt>(ctx, fn, p, a, b, out);
      case NV_COMPARE_LE: return launch_binary<CLe>(ctx, fn, p, a, b, out);
      default: break;
    }
  } else {
    switch (op) {
      case NV_BINARY_ADD: return launch_binary<BAdd>(ctx, fn, p, a, b, out);
      case NV_BINARY_SUB: return launch_binary<BSub>(ctx, fn, p, a, b, out);
      case NV_BINARY_MUL: return launch_binary<BMul>(ctx, fn, p, a, b, out);
      case NV_BINARY_DIV: return launch_binary<BDiv>(ctx, fn, p, a, b, out);
      case NV_BINARY_MAXIMUM: return launch_binary<BMax>(ctx, fn, p, a, b, out);
      case NV_BINARY_MINIMUM: return launch_binary<BMin>(ctx, fn, p, a, b, out);
      default: break;
    }
  }
  return fail(NV_ERR_INVALID_ARGUMENT, "%s: op=%d has no GPU kernel", fn, op);
}

}  // namespace NV_CUDA_NS
}  // namespace nv
