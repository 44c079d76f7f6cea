// Fused optimizer updates (SGD, RMSprop, Adam/AdamW) on the GPU. One launch updates up to
// kMaxTensors tensors of a parameter group: their device pointers travel by value in a
// parameter struct with a prefix sum of blocks, so block b finds its tensor with a short scan
// and updates kChunk consecutive elements of it. The update formulas are the CPU's
// (cpu/optim.inl), FMA for FMA.
#include <cmath>
#include <cstring>

#include "cuda/cuda_kernels.cuh"

namespace nv {
namespace NV_CUDA_NS {

// ---------------------------------------------------------------- kernels

constexpr int kMaxTensors = 32;
constexpr int kThreads = 256;
constexpr int64_t kChunk = kThreads * 8;  // elements per block

// Up to kMaxTensors tensors: p[0..3] are the per-tensor arrays of one update (w, g and its
// state tensors), tensor t owns blocks [block_start[t], block_start[t + 1]).
struct Group {
  int32_t count;
  float* p[4][kMaxTensors];
  int64_t size[kMaxTensors];
  int64_t block_start[kMaxTensors + 1];
};

// The tensor of block b: the last t with block_start[t] <= b.
__device__ __forceinline__ int tensor_of(const Group& grp, int64_t b) {
  int t = 0;
  while (t + 1 < grp.count && grp.block_start[t + 1] <= b) ++t;
  return t;
}

struct SgdParams {
  float lr, momentum, dampening, weight_decay;
  bool nesterov, first_step;
};

// p = {w, g, buf}
__global__ void sgd_kernel(Group grp, SgdParams h) {
  const int t = tensor_of(grp, blockIdx.x);
  const int64_t begin = (int64_t(blockIdx.x) - grp.block_start[t]) * kChunk;
  const int64_t end = begin + kChunk < grp.size[t] ? begin + kChunk : grp.size[t];
  float* w = grp.p[0][t];
  const float* g = grp.p[1][t];
  float* buf = grp.p[2][t];
  for (int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) {
    float wv = w[i];
    float gv = fmaf(h.weight_decay, wv, g[i]);
    if (h.momentum != 0.0f) {
      float b = h.first_step ? gv : fmaf(h.momentum, buf[i], (1.0f - h.dampening) * gv);
      buf[i] = b;
      gv = h.nesterov ? fmaf(h.momentum, b, gv) : b;
    }
    w[i] = fmaf(-h.lr, gv, wv);
  }
}

struct RmspropParams {
  float lr, alpha, eps, weight_decay, momentum;
};

// p = {w, g, sq, buf}
__global__ void rmsprop_kernel(Group grp, RmspropParams h) {
  const int t = tensor_of(grp, blockIdx.x);
  const int64_t begin = (int64_t(blockIdx.x) - grp.block_start[t]) * kChunk;
  const int64_t end = begin + kChunk < grp.size[t] ? begin + kChunk : grp.size[t];
  float* w = grp.p[0][t];
  const float* g = grp.p[1][t];
  float* sq = grp.p[2][t];
  float* buf = grp.p[3][t];
  for (int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) {
    float wv = w[i];
    float gv = fmaf(h.weight_decay, wv, g[i]);
    float s = fmaf(h.alpha, sq[i], (1.0f - h.alpha) * (gv * gv));
    sq[i] = s;
    float d = gv / (sqrtf(s) + h.eps);
    if (h.momentum != 0.0f) {
      d = fmaf(h.momentum, buf[i], d);
      buf[i] = d;
    }
    w[i] = fmaf(-h.lr, d, wv);
  }
}

struct AdamParams {
  float beta1, beta2, eps, weight_decay;
  float step_size;        // lr / (1 - beta1^step)
  float inv_sqrt_bc2;     // 1 / sqrt(1 - beta2^step)
  float decay;            // 1 - lr * weight_decay (AdamW)
  bool decoupled;
};

// p = {w, g, m, v}
__global__ void adam_kernel(Group grp, AdamParams h) {
  const int t = tensor_of(grp, blockIdx.x);
  const int64_t begin = (int64_t(blockIdx.x) - grp.block_start[t]) * kChunk;
  const int64_t end = begin + kChunk < grp.size[t] ? begin + kChunk : grp.size[t];
  float* w = grp.p[0][t];
  const float* g = grp.p[1][t];
  float* m = grp.p[2][t];
  float* v = grp.p[3][t];
  for (int64_t i = begin + threadIdx.x; i < end; i += blockDim.x) {
    float wv = w[i];
    float gv = g[i];
    if (h.decoupled) wv = wv * h.decay;           // AdamW: w -= lr * wd * w
    else gv = fmaf(h.weight_decay, wv, gv);       // Adam: L2 penalty through the gradient
    float mv = fmaf(h.beta1, m[i], (1.0f - h.beta1) * gv);
    float vv = fmaf(h.beta2, v[i], (1.0f - h.beta2) * (gv * gv));
    m[i] = mv;
    v[i] = vv;
    float denom = fmaf(sqrtf(vv), h.inv_sqrt_bc2, h.eps);
    w[i] = fmaf(-h.step_size, mv / denom, wv);
  }
}

// ---------------------------------------------------------------- launchers

namespace {

// Calls launch(group, blocks) for each run of up to kMaxTensors non-empty tensors; arrays[a]
// is the a-th per-tensor pointer array (nullptr entries stay nullptr: unused state).
template <class Launch>
nv_status for_each_group(int32_t count, const int64_t* sizes, float** const* arrays,
                         int narrays, Launch launch) {
  Group grp;
  std::memset(&grp, 0, sizeof grp);
  int64_t blocks = 0;
  for (int32_t t = 0; t <= count; ++t) {
    const bool flush = t == count || grp.count == kMaxTensors;
    if (flush && grp.count > 0) {
      grp.block_start[grp.count] = blocks;
      nv_status s = launch(grp, blocks);
      if (s != NV_OK) return s;
      std::memset(&grp, 0, sizeof grp);
      blocks = 0;
    }
    if (t == count) break;
    if (sizes[t] == 0) continue;
    const int k = grp.count++;
    for (int a = 0; a < narrays; ++a) grp.p[a][k] = arrays[a] != nullptr ? arrays[a][t] : nullptr;
    grp.size[k] = sizes[t];
    grp.block_start[k] = blocks;
    blocks += (sizes[t] + kChunk - 1) / kChunk;
  }
  return NV_OK;
}

// The launch every update makes: the context's device current, then kernel(group, h) over each
// group of the parameter tensors.
template <class H, int N>
nv_status launch_groups(nv_ctx* ctx, const char* fn, int32_t count, const int64_t* sizes,
                        float** const (&arrays)[N], void (*kernel)(Group, H), const H& h) {
  nv_status s = activate(ctx, fn);
  if (s != NV_OK) return s;
  return for_each_group(count, sizes, arrays, N, [&](const Group& grp, int64_t blocks) {
    return gpu::launch(fn, kernel, dim3(unsigned(blocks)), dim3(kThreads), 0, stream_of(ctx),
                       grp, h);
  });
}

}  // namespace

NV_KERNEL_DEF(sgd_step_f32) {
  // w[t], g[t], buf[t] are (sizes[t]); the pointer arrays are host arrays
  float** const arrays[] = {w, g, momentum != 0.0f ? buf : nullptr};
  const SgdParams h{lr, momentum, dampening, weight_decay, nesterov, first_step};
  return launch_groups(ctx, "nv_sgd_step_f32", count, sizes, arrays, sgd_kernel, h);
}

NV_KERNEL_DEF(rmsprop_step_f32) {
  // w[t], g[t], sq[t], buf[t] are (sizes[t]); the pointer arrays are host arrays
  float** const arrays[] = {w, g, sq, momentum != 0.0f ? buf : nullptr};
  const RmspropParams h{lr, alpha, eps, weight_decay, momentum};
  return launch_groups(ctx, "nv_rmsprop_step_f32", count, sizes, arrays, rmsprop_kernel, h);
}

NV_KERNEL_DEF(adam_step_f32) {
  // w[t], g[t], m[t], v[t] are (sizes[t]); the pointer arrays are host arrays
  // Bias corrections in double, as on the CPU.
  const double bc1 = 1.0 - std::pow(static_cast<double>(beta1), static_cast<double>(step));
  const double bc2 = 1.0 - std::pow(static_cast<double>(beta2), static_cast<double>(step));
  AdamParams h;
  h.beta1 = beta1;
  h.beta2 = beta2;
  h.eps = eps;
  h.weight_decay = weight_decay;
  h.step_size = static_cast<float>(lr / bc1);
  h.inv_sqrt_bc2 = static_cast<float>(1.0 / std::sqrt(bc2));
  h.decay = 1.0f - lr * weight_decay;
  h.decoupled = decoupled;
  float** const arrays[] = {w, g, m, v};
  return launch_groups(ctx, "nv_adam_step_f32", count, sizes, arrays, adam_kernel, h);
}

}  // namespace NV_CUDA_NS
}  // namespace nv
