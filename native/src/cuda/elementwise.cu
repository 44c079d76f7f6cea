// Unary ops (forward and backward) and broadcast binary / compare ops on the GPU. Each op is a
// small functor; one grid-stride kernel per functor, 16-byte vectors where the pointers allow.
// The formulas are the CPU's (cpu/elementwise.inl), so both backends agree to float rounding.
#include "core/strided_plan.h"
#include "cuda/cuda_kernels.cuh"

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- kernels

// Unary forward: f(x); a and b are the op's parameters (alpha, beta).
struct FCopy { float a, b; __device__ float operator()(float x) const { return x; } };
struct FNeg { float a, b; __device__ float operator()(float x) const { return -x; } };
struct FExp { float a, b; __device__ float operator()(float x) const { return expf(x); } };
struct FLog { float a, b; __device__ float operator()(float x) const { return logf(x); } };
struct FSqrt { float a, b; __device__ float operator()(float x) const { return sqrtf(x); } };
// relu(NaN) is NaN, as on the CPU.
struct FRelu { float a, b; __device__ float operator()(float x) const { return x < 0.0f ? 0.0f : x; } };
struct FSigmoid {
  float a, b;
  __device__ float operator()(float x) const { return 1.0f / (1.0f + expf(-x)); }
};
struct FTanh { float a, b; __device__ float operator()(float x) const { return tanhf(x); } };
struct FAbs { float a, b; __device__ float operator()(float x) const { return fabsf(x); } };
// max(x, 0) + log1p(exp(-|x|)): no overflow for large x; NaN stays NaN.
struct FSoftplus {
  float a, b;
  __device__ float operator()(float x) const {
    if (x != x) return x;
    return (x > 0.0f ? x : 0.0f) + log1pf(expf(-fabsf(x)));
  }
};
struct FSquare { float a, b; __device__ float operator()(float x) const { return x * x; } };
struct FRecip { float a, b; __device__ float operator()(float x) const { return 1.0f / x; } };
struct FPow { float a, b; __device__ float operator()(float x) const { return powf(x, a); } };
struct FLeaky {
  float a, b;
  __device__ float operator()(float x) const { return x > 0.0f ? x : a * x; }
};
struct FScaleShift {
  float a, b;
  __device__ float operator()(float x) const { return fmaf(a, x, b); }
};

// Unary backward: dx = dy * f'(x), from x and/or y = f(x).
struct GCopy { float a, b; __device__ float operator()(float, float, float dy) const { return dy; } };
struct GNeg { float a, b; __device__ float operator()(float, float, float dy) const { return -dy; } };
struct GExp { float a, b; __device__ float operator()(float, float y, float dy) const { return dy * y; } };
struct GLog { float a, b; __device__ float operator()(float x, float, float dy) const { return dy / x; } };
struct GSqrt {
  float a, b;
  __device__ float operator()(float, float y, float dy) const { return dy * 0.5f / y; }
};
struct GRelu {
  float a, b;
  __device__ float operator()(float x, float, float dy) const { return x > 0.0f ? dy : 0.0f; }
};
struct GSigmoid {
  float a, b;
  __device__ float operator()(float, float y, float dy) const { return dy * (y * (1.0f - y)); }
};
struct GTanh {
  float a, b;
  __device__ float operator()(float, float y, float dy) const { return dy * fmaf(-y, y, 1.0f); }
};
// d|x| = sign(x), 0 at 0 (as PyTorch).
struct GAbs {
  float a, b;
  __device__ float operator()(float x, float, float dy) const {
    return dy * (x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f));
  }
};
struct GSoftplus {
  float a, b;
  __device__ float operator()(float x, float, float dy) const { return dy * (1.0f / (1.0f + expf(-x))); }
};
struct GSquare { float a, b; __device__ float operator()(float x, float, float dy) const { return dy * (x + x); } };
struct GRecip { float a, b; __device__ float operator()(float, float y, float dy) const { return -(dy * (y * y)); } };
// d x^a = a x^(a-1); a == 0 gives 0 everywhere (also at x = 0).
struct GPow {
  float a, b;
  __device__ float operator()(float x, float, float dy) const {
    return a == 0.0f ? 0.0f * dy : dy * a * powf(x, a - 1.0f);
  }
};
struct GLeaky {
  float a, b;
  __device__ float operator()(float x, float, float dy) const { return x > 0.0f ? dy : a * dy; }
};
struct GScaleShift { float a, b; __device__ float operator()(float, float, float dy) const { return a * dy; } };

// y[i] = f(x[i]) for i < n; vec: x and y are 16-byte aligned, so whole float4s are used.
// y may alias x (each element is read, then written, by the same thread).
template <class F>
__global__ void unary_kernel(int64_t n, const float* x, float* y, F f, bool vec) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  const int64_t start = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  int64_t done = 0;
  if (vec) {
    const int64_t nv = n / 4;
    for (int64_t i = start; i < nv; i += stride) {
      f4 v = reinterpret_cast<const f4*>(x)[i];
      v.x = f(v.x);
      v.y = f(v.y);
      v.z = f(v.z);
      v.w = f(v.w);
      reinterpret_cast<f4*>(y)[i] = v;
    }
    done = nv * 4;
  }
  for (int64_t i = done + start; i < n; i += stride) y[i] = f(x[i]);
}

// dx[i] = g(x[i], y[i], dy[i]); dx may alias dy.
template <class G>
__global__ void unary_backward_kernel(int64_t n, const float* x, const float* y,
                                      const float* dy, float* dx, G g, bool vec) {
  const int64_t stride = int64_t(gridDim.x) * blockDim.x;
  const int64_t start = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  int64_t done = 0;
  if (vec) {
    const int64_t nv = n / 4;
    for (int64_t i = start; i < nv; i += stride) {
      f4 xv = reinterpret_cast<const f4*>(x)[i];
      f4 yv = reinterpret_cast<const f4*>(y)[i];
      f4 d = reinterpret_cast<const f4*>(dy)[i];
      d.x = g(xv.x, yv.x, d.x);
      d.y = g(xv.y, yv.y, d.y);
      d.z = g(xv.z, yv.z, d.z);
      d.w = g(xv.w, yv.w, d.w);
      reinterpret_cast<f4*>(dx)[i] = d;
    }
    done = nv * 4;
  }
  for (int64_t i = done + start; i < n; i += stride) dx[i] = g(x[i], y[i], dy[i]);
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

template <class F>
nv_status launch_unary(nv_ctx* ctx, int64_t n, const float* x, float* y, F f) {
  const bool vec = aligned16(x) && aligned16(y);
  const int64_t work = vec ? n / 4 + 3 : n;
  return gpu::launch("nv_unary_f32", unary_kernel<F>, dim3(grid_for(ctx, work, kThreads)),
                     dim3(kThreads), 0, stream_of(ctx), n, x, y, f, vec);
}

template <class G>
nv_status launch_unary_backward(nv_ctx* ctx, int64_t n, const float* x, const float* y,
                                const float* dy, float* dx, G g) {
  const bool vec = aligned16(x) && aligned16(y) && aligned16(dy) && aligned16(dx);
  const int64_t work = vec ? n / 4 + 3 : n;
  return gpu::launch("nv_unary_backward_f32", unary_backward_kernel<G>,
                     dim3(grid_for(ctx, work, kThreads)), dim3(kThreads), 0, stream_of(ctx), n,
                     x, y, dy, dx, g, vec);
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

}  // namespace

NV_KERNEL_DEF(unary_f32) {
  // x, y are (n)
  if (n == 0) return NV_OK;
  nv_status s = activate(ctx, "nv_unary_f32");
  if (s != NV_OK) return s;
  switch (op) {
    case NV_UNARY_COPY: return launch_unary(ctx, n, x, y, FCopy{alpha, beta});
    case NV_UNARY_NEG: return launch_unary(ctx, n, x, y, FNeg{alpha, beta});
    case NV_UNARY_EXP: return launch_unary(ctx, n, x, y, FExp{alpha, beta});
    case NV_UNARY_LOG: return launch_unary(ctx, n, x, y, FLog{alpha, beta});
    case NV_UNARY_SQRT: return launch_unary(ctx, n, x, y, FSqrt{alpha, beta});
    case NV_UNARY_RELU: return launch_unary(ctx, n, x, y, FRelu{alpha, beta});
    case NV_UNARY_SIGMOID: return launch_unary(ctx, n, x, y, FSigmoid{alpha, beta});
    case NV_UNARY_TANH: return launch_unary(ctx, n, x, y, FTanh{alpha, beta});
    case NV_UNARY_ABS: return launch_unary(ctx, n, x, y, FAbs{alpha, beta});
    case NV_UNARY_SOFTPLUS: return launch_unary(ctx, n, x, y, FSoftplus{alpha, beta});
    case NV_UNARY_SQUARE: return launch_unary(ctx, n, x, y, FSquare{alpha, beta});
    case NV_UNARY_RECIPROCAL: return launch_unary(ctx, n, x, y, FRecip{alpha, beta});
    case NV_UNARY_POW: return launch_unary(ctx, n, x, y, FPow{alpha, beta});
    case NV_UNARY_LEAKY_RELU: return launch_unary(ctx, n, x, y, FLeaky{alpha, beta});
    case NV_UNARY_SCALE_SHIFT: return launch_unary(ctx, n, x, y, FScaleShift{alpha, beta});
    default: return fail(NV_ERR_INVALID_ARGUMENT, "nv_unary_f32: op=%d has no GPU kernel", op);
  }
}

NV_KERNEL_DEF(unary_backward_f32) {
  // x, y, dy, dx are (n)
  if (n == 0) return NV_OK;
  nv_status s = activate(ctx, "nv_unary_backward_f32");
  if (s != NV_OK) return s;
  switch (op) {
    case NV_UNARY_COPY: return launch_unary_backward(ctx, n, x, y, dy, dx, GCopy{alpha, beta});
    case NV_UNARY_NEG: return launch_unary_backward(ctx, n, x, y, dy, dx, GNeg{alpha, beta});
    case NV_UNARY_EXP: return launch_unary_backward(ctx, n, x, y, dy, dx, GExp{alpha, beta});
    case NV_UNARY_LOG: return launch_unary_backward(ctx, n, x, y, dy, dx, GLog{alpha, beta});
    case NV_UNARY_SQRT: return launch_unary_backward(ctx, n, x, y, dy, dx, GSqrt{alpha, beta});
    case NV_UNARY_RELU: return launch_unary_backward(ctx, n, x, y, dy, dx, GRelu{alpha, beta});
    case NV_UNARY_SIGMOID: return launch_unary_backward(ctx, n, x, y, dy, dx, GSigmoid{alpha, beta});
    case NV_UNARY_TANH: return launch_unary_backward(ctx, n, x, y, dy, dx, GTanh{alpha, beta});
    case NV_UNARY_ABS: return launch_unary_backward(ctx, n, x, y, dy, dx, GAbs{alpha, beta});
    case NV_UNARY_SOFTPLUS: return launch_unary_backward(ctx, n, x, y, dy, dx, GSoftplus{alpha, beta});
    case NV_UNARY_SQUARE: return launch_unary_backward(ctx, n, x, y, dy, dx, GSquare{alpha, beta});
    case NV_UNARY_RECIPROCAL: return launch_unary_backward(ctx, n, x, y, dy, dx, GRecip{alpha, beta});
    case NV_UNARY_POW: return launch_unary_backward(ctx, n, x, y, dy, dx, GPow{alpha, beta});
    case NV_UNARY_LEAKY_RELU: return launch_unary_backward(ctx, n, x, y, dy, dx, GLeaky{alpha, beta});
    case NV_UNARY_SCALE_SHIFT:
      return launch_unary_backward(ctx, n, x, y, dy, dx, GScaleShift{alpha, beta});
    default:
      return fail(NV_ERR_INVALID_ARGUMENT, "nv_unary_backward_f32: op=%d has no GPU kernel", op);
  }
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
