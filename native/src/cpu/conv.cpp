// 2-D convolution (NCHW) on the CPU: the column matrix col(x) + our GEMM, for every stride,
// padding, dilation and group count.
//
//   forward:         y[n, g] (Kg x PQ)     = w[g] (Kg x CRS) * col(x[n, g]) (CRS x PQ) + bias
//   backward data:   dcol (CRS x PQ)       = w[g]^T * dy[n, g];  dx[n, g] = col2im(dcol)
//   backward filter: dw[g]^T (CRS x Kg)   += col(x[n, g]) (CRS x PQ) * dy[n, g]^T
//
// Work is split over images: each pool thread takes a contiguous run of images (and, for the
// filter gradient, keeps its own partial dw^T, transposed and summed at the end), so the GEMMs
// inside run single-threaded on hot buffers. With fewer images than threads, one task walks the
// images and the GEMM itself goes parallel. A 1x1 stride-1 unpadded convolution needs no
// column matrix: x[n, g] is one.
//
// The forward never stores col(x): the GEMM's B panels are gathered from the image directly
// (Im2colPanels). The backward passes build it a band of output rows at a time (kBandFloats,
// about half of a core's L2) in a per-task buffer from the context's workspace: a whole image's
// (7.2 MB for 64 channels, 3x3, 56x56) went out to memory and came back for the GEMM's packing,
// and that traffic cost as much as the arithmetic. For the filter gradient the band is the
// GEMM's A, which the narrow-C kernel (Kg <= 64) reads in place.
#include <cstring>
#include <vector>

#include "core/context.h"
#include "core/error.h"
#include "cpu/cpu_kernels.h"

namespace nv::cpu {
namespace {

// The valid output columns [q0, q1) of a filter tap at offset `off` (= s * dw - pw): those whose
// input column q * sw + off lies in [0, W).
inline void valid_range(int64_t Q, int64_t W, int64_t sw, int64_t off, int64_t& q0, int64_t& q1) {
  // q * sw + off >= 0  <=>  q >= ceil(-off / sw)
  q0 = off >= 0 ? 0 : (-off + sw - 1) / sw;
  // q * sw + off <= W - 1  <=>  q <= floor((W - 1 - off) / sw)
  int64_t last = W - 1 - off;
  q1 = last < 0 ? 0 : last / sw + 1;
  if (q1 > Q) q1 = Q;
  if (q0 > q1) q0 = q1;
}

// Output channels up to which the forward builds col(x) in bands rather than gathering it into
// the GEMM's panels: cpu/gemm.cpp reads B in place for M <= 4 MR (48 rows with AVX-512's MR 12).
// C = K = 16 at 28 x 28 ran 109 GFLOP/s gathered.
constexpr int64_t kBInPlaceRows = 48;

// Floats of column matrix per band: 512 KiB.
constexpr int64_t kBandFloats = 128 * 1024;

// Output rows per band: at least one.
inline int64_t band_rows(const ConvShape& s) {
  const int64_t per_row = s.CRS() * s.Q;
  const int64_t rows = per_row > 0 ? kBandFloats / per_row : s.P;
  return rows < 1 ? 1 : (rows > s.P ? s.P : rows);
}

// col (Cg*R*S, (p1 - p0) Q): output rows [p0, p1) of one image's column matrix, from its Cg
// channels x (Cg, H, W).
void im2col(const ConvShape& s, const float* x, float* col, int64_t p0, int64_t p1) {
  const int64_t Cg = s.Cg(), PQ = (p1 - p0) * s.Q;
  for (int64_t c = 0; c < Cg; ++c) {
    const float* xc = x + c * s.H * s.W;
    for (int64_t r = 0; r < s.R; ++r) {
      for (int64_t t = 0; t < s.S; ++t) {
        float* row = col + ((c * s.R + r) * s.S + t) * PQ;
        const int64_t woff = t * s.dw - s.pw;
        int64_t q0, q1;
        valid_range(s.Q, s.W, s.sw, woff, q0, q1);
        for (int64_t p = p0; p < p1; ++p) {
          float* out = row + (p - p0) * s.Q;
          const int64_t ih = p * s.sh - s.ph + r * s.dh;
          if (ih < 0 || ih >= s.H) {
            std::memset(out, 0, sizeof(float) * s.Q);
            continue;
          }
          const float* in = xc + ih * s.W + woff;
          for (int64_t q = 0; q < q0; ++q) out[q] = 0.0f;
          if (s.sw == 1) {
            std::memcpy(out + q0, in + q0, sizeof(float) * (q1 - q0));
          } else {
            for (int64_t q = q0; q < q1; ++q) out[q] = in[q * s.sw];
          }
          for (int64_t q = q1; q < s.Q; ++q) out[q] = 0.0f;
        }
      }
    }
  }
}

// dx (Cg, H, W) += col2im(col) for output rows [p0, p1): the adjoint of im2col. dx must be
// zeroed by the caller before the first band.
void col2im(const ConvShape& s, const float* col, float* dx, int64_t p0, int64_t p1) {
  const int64_t Cg = s.Cg(), PQ = (p1 - p0) * s.Q;
  for (int64_t c = 0; c < Cg; ++c) {
    float* dxc = dx + c * s.H * s.W;
    for (int64_t r = 0; r < s.R; ++r) {
      for (int64_t t = 0; t < s.S; ++t) {
        const float* row = col + ((c * s.R + r) * s.S + t) * PQ;
        const int64_t woff = t * s.dw - s.pw;
        int64_t q0, q1;
        valid_range(s.Q, s.W, s.sw, woff, q0, q1);
        for (int64_t p = p0; p < p1; ++p) {
          const int64_t ih = p * s.sh - s.ph + r * s.dh;
          if (ih < 0 || ih >= s.H) continue;
          const float* in = row + (p - p0) * s.Q;
          float* out = dxc + ih * s.W + woff;
          if (s.sw == 1) {
            for (int64_t q = q0; q < q1; ++q) out[q] += in[q];
          } else {
            for (int64_t q = q0; q < q1; ++q) out[q * s.sw] += in[q];
          }
        }
      }
    }
  }
}

// The forward's column matrix, never stored: the GEMM asks for NR-wide panels of it and they are
// gathered from the image directly (im2col into a buffer and then packing that buffer was two
// passes over 576 x 3136 floats per image on issue 5's shape).
class Im2colPanels final : public BPanelSource {
 public:
  Im2colPanels(const ConvShape& s, const float* x) : s_(s), x_(x), q0_(s.S), q1_(s.S) {
    for (int64_t t = 0; t < s.S; ++t) valid_range(s.Q, s.W, s.sw, t * s.dw - s.pw, q0_[t], q1_[t]);
  }

  void pack(int64_t k0, int64_t j0, int64_t n, int64_t kc, int nr, float* dst) const override {
    // The panel's columns j0 .. j0 + n - 1 as runs within one output row each.
    constexpr int kMaxRuns = 64;  // nr <= 64
    int64_t run_p[kMaxRuns], run_q[kMaxRuns], run_len[kMaxRuns];
    int runs = 0;
    for (int64_t j = j0, c = 0; c < n; ++runs) {
      run_p[runs] = j / s_.Q;
      run_q[runs] = j - run_p[runs] * s_.Q;
      run_len[runs] = n - c < s_.Q - run_q[runs] ? n - c : s_.Q - run_q[runs];
      c += run_len[runs];
      j += run_len[runs];
    }
    const int64_t RS = s_.R * s_.S;
    int64_t ch = k0 / RS, r = (k0 % RS) / s_.S, t = k0 % s_.S;
    for (int64_t k = 0; k < kc; ++k) {
      float* d = dst + k * nr;
      const float* xc = x_ + ch * s_.H * s_.W;
      const int64_t woff = t * s_.dw - s_.pw;
      for (int i = 0; i < runs; ++i) {
        const int64_t ih = run_p[i] * s_.sh - s_.ph + r * s_.dh;
        const int64_t qa = run_q[i], qb = qa + run_len[i];
        if (ih < 0 || ih >= s_.H) {
          std::memset(d, 0, sizeof(float) * run_len[i]);
        } else {
          // valid output columns [lo, hi) of this tap, clipped to the run
          const int64_t lo = q0_[t] > qa ? (q0_[t] < qb ? q0_[t] : qb) : qa;
          const int64_t hi = q1_[t] < qb ? (q1_[t] > lo ? q1_[t] : lo) : qb;
          const float* in = xc + ih * s_.W + woff;
          for (int64_t q = qa; q < lo; ++q) d[q - qa] = 0.0f;
          if (s_.sw == 1) {
            std::memcpy(d + (lo - qa), in + lo, sizeof(float) * (hi - lo));
          } else {
            for (int64_t q = lo; q < hi; ++q) d[q - qa] = in[q * s_.sw];
          }
          for (int64_t q = hi; q < qb; ++q) d[q - qa] = 0.0f;
        }
        d += run_len[i];
      }
      for (int64_t c = n; c < nr; ++c) dst[k * nr + c] = 0.0f;
      if (++t == s_.S) {
        t = 0;
        if (++r == s_.R) {
          r = 0;
          ++ch;
        }
      }
    }
  }

 private:
  const ConvShape& s_;
  const float* x_;
  std::vector<int64_t> q0_, q1_;
};

// Tasks for N images on the context's pool: one per thread, at most one per image.
inline int64_t image_tasks(nv_ctx* ctx, int64_t N) {
  int64_t threads = ctx->pool ? ctx->pool->size() : 1;
  return N < threads ? (N < 1 ? 1 : N) : threads;
}

// sum of row[0, n) in double, from float partials of at most 16 consecutive elements per lane
// (8 lanes the compiler can keep in one vector register): a plain float running sum over a
// 56 x 56 map lost 1e-4 relative.
double sum_row(const float* row, int64_t n) {
  double total = 0.0;
  int64_t i = 0;
  for (; i + 128 <= n; i += 128) {
    float lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t j = 0; j < 128; j += 8) {
      for (int l = 0; l < 8; ++l) lane[l] += row[i + j + l];
    }
    total += double(lane[0] + lane[1]) + double(lane[2] + lane[3]) + double(lane[4] + lane[5]) +
             double(lane[6] + lane[7]);
  }
  for (; i < n; ++i) total += row[i];
  return total;
}

nv_status no_workspace(const char* fn, int64_t bytes) {
  return fail(NV_ERR_OUT_OF_MEMORY, "%s: out of memory for %lld bytes of workspace (im2col)", fn,
              static_cast<long long>(bytes));
}

}  // namespace

NV_KERNEL_DEF(conv2d_forward_f32) {
  if (s.N == 0) return NV_OK;  // no images: nothing to write
  const int64_t Kg = s.Kg(), CRS = s.CRS(), PQ = s.PQ(), HW = s.H * s.W;
  const int64_t tasks = image_tasks(ctx, s.N);
  // Few output channels: each gathered element of col(x) would feed few FMAs, and the GEMM
  // reads B in place for so few rows (kBInPlaceRows), so build col(x) in bands and let it.
  const bool banded = !s.pointwise() && Kg <= kBInPlaceRows;
  const int64_t band = band_rows(s);
  const int64_t col_elems = banded ? CRS * band * s.Q : 0;
  Workspace::Lease lease(ctx->workspace);
  float* ws = lease.get<float>(tasks * col_elems);
  if (col_elems > 0 && ws == nullptr) return no_workspace("nv_conv2d_forward_f32", tasks * col_elems * 4);
  parallel_tasks(ctx, tasks, [&](int64_t t) {
    float* col = ws + t * col_elems;
    for (int64_t n = s.N * t / tasks; n < s.N * (t + 1) / tasks; ++n) {
      for (int64_t g = 0; g < s.G; ++g) {
        const float* xg = x + (n * s.C + g * s.Cg()) * HW;
        const float* wg = w + g * Kg * CRS;
        float* yg = y + (n * s.K + g * Kg) * PQ;
        float beta = 0.0f;
        if (bias != nullptr) {
          for (int64_t k = 0; k < Kg; ++k) {
            const float v = bias[g * Kg + k];
            float* row = yg + k * PQ;
            for (int64_t i = 0; i < PQ; ++i) row[i] = v;
          }
          beta = 1.0f;
        }
        if (s.pointwise()) {
          gemm_f32(ctx, false, false, Kg, PQ, CRS, 1.0f, wg, CRS, xg, PQ, beta, yg, PQ);
        } else if (banded) {
          for (int64_t p0 = 0; p0 < s.P; p0 += band) {
            const int64_t p1 = p0 + band < s.P ? p0 + band : s.P, cols = (p1 - p0) * s.Q;
            im2col(s, xg, col, p0, p1);
            gemm_f32(ctx, false, false, Kg, cols, CRS, 1.0f, wg, CRS, col, cols, beta, yg + p0 * s.Q, PQ);
          }
        } else {
          gemm_f32_gathered_b(ctx, Kg, PQ, CRS, wg, CRS, Im2colPanels(s, xg), beta, yg, PQ);
        }
      }
    }
  });
  return NV_OK;
}

NV_KERNEL_DEF(conv2d_backward_data_f32) {
  if (s.N == 0) return NV_OK;
  const int64_t Kg = s.Kg(), Cg = s.Cg(), CRS = s.CRS(), PQ = s.PQ(), HW = s.H * s.W;
  const int64_t tasks = image_tasks(ctx, s.N);
  const int64_t band = band_rows(s);
  const int64_t col_elems = s.pointwise() ? 0 : CRS * band * s.Q;
  Workspace::Lease lease(ctx->workspace);
  float* ws = lease.get<float>(tasks * col_elems);
  if (col_elems > 0 && ws == nullptr)
    return no_workspace("nv_conv2d_backward_data_f32", tasks * col_elems * 4);
  parallel_tasks(ctx, tasks, [&](int64_t t) {
    float* col = ws + t * col_elems;
    for (int64_t n = s.N * t / tasks; n < s.N * (t + 1) / tasks; ++n) {
      for (int64_t g = 0; g < s.G; ++g) {
        float* dxg = dx + (n * s.C + g * Cg) * HW;
        const float* dyg = dy + (n * s.K + g * Kg) * PQ;
        const float* wg = w + g * Kg * CRS;
        if (s.pointwise()) {
          gemm_f32(ctx, true, false, CRS, PQ, Kg, 1.0f, wg, CRS, dyg, PQ, 0.0f, dxg, PQ);
          continue;
        }
        std::memset(dxg, 0, sizeof(float) * Cg * HW);
        for (int64_t p0 = 0; p0 < s.P; p0 += band) {
          const int64_t p1 = p0 + band < s.P ? p0 + band : s.P, cols = (p1 - p0) * s.Q;
          gemm_f32(ctx, true, false, CRS, cols, Kg, 1.0f, wg, CRS, dyg + p0 * s.Q, PQ, 0.0f, col, cols);
          col2im(s, col, dxg, p0, p1);
        }
      }
    }
  });
  return NV_OK;
}

NV_KERNEL_DEF(conv2d_backward_filter_f32) {
  const int64_t Kg = s.Kg(), CRS = s.CRS(), PQ = s.PQ(), HW = s.H * s.W;
  const int64_t dw_elems = s.K * CRS;
  const int64_t tasks = image_tasks(ctx, s.N);
  const int64_t band = band_rows(s);
  const int64_t col_elems = s.pointwise() ? 0 : CRS * band * s.Q;
  // Each task sums its images into a private dw^T (per group CRS x Kg): dw^T = col * dy^T has
  // the big column matrix as A, which the narrow-C GEMM reads in place (Kg <= 64), and only
  // the small dy band gets packed; dw = dy * col^T packed the whole column matrix, transposed.
  // The parts are transposed and added in task order at the end.
  const int64_t per_task = col_elems + dw_elems;
  Workspace::Lease lease(ctx->workspace);
  float* ws = lease.get<float>(tasks * per_task);
  if (ws == nullptr) return no_workspace("nv_conv2d_backward_filter_f32", tasks * per_task * 4);
  parallel_tasks(ctx, tasks, [&](int64_t t) {
    float* col = ws + t * per_task;
    float* acc = col + col_elems;
    bool first = true;
    for (int64_t n = s.N * t / tasks; n < s.N * (t + 1) / tasks; ++n) {
      for (int64_t g = 0; g < s.G; ++g) {
        const float* xg = x + (n * s.C + g * s.Cg()) * HW;
        const float* dyg = dy + (n * s.K + g * Kg) * PQ;
        if (s.pointwise()) {
          gemm_f32(ctx, false, true, CRS, Kg, PQ, 1.0f, xg, PQ, dyg, PQ, first ? 0.0f : 1.0f,
                   acc + g * Kg * CRS, Kg);
          continue;
        }
        for (int64_t p0 = 0; p0 < s.P; p0 += band) {
          const int64_t p1 = p0 + band < s.P ? p0 + band : s.P, cols = (p1 - p0) * s.Q;
          im2col(s, xg, col, p0, p1);
          gemm_f32(ctx, false, true, CRS, Kg, cols, 1.0f, col, cols, dyg + p0 * s.Q, PQ,
                   first && p0 == 0 ? 0.0f : 1.0f, acc + g * Kg * CRS, Kg);
        }
      }
      first = false;
    }
    if (first) std::memset(acc, 0, sizeof(float) * dw_elems);  // a task with no image
  });
  // dw[g Kg + k, i] = sum over tasks of acc_t[g][i][k], rows (g, k) split over the pool.
  parallel_for(ctx, s.K, 1 + 4096 / (CRS + 1), [&](int64_t lo, int64_t hi) {
    for (int64_t gk = lo; gk < hi; ++gk) {
      const int64_t g = gk / Kg, k = gk % Kg;
      float* out = dw + gk * CRS;
      for (int64_t t = 0; t < tasks; ++t) {
        const float* part = ws + t * per_task + col_elems + g * Kg * CRS + k;
        if (t == 0) {
          for (int64_t i = 0; i < CRS; ++i) out[i] = part[i * Kg];
        } else {
          for (int64_t i = 0; i < CRS; ++i) out[i] += part[i * Kg];
        }
      }
    }
  });
  if (dbias != nullptr) {
    parallel_for(ctx, s.K, 1 + 65536 / (s.N * PQ + 1), [&](int64_t lo, int64_t hi) {
      for (int64_t k = lo; k < hi; ++k) {
        double total = 0.0;
        for (int64_t n = 0; n < s.N; ++n) total += sum_row(dy + (n * s.K + k) * PQ, PQ);
        dbias[k] = static_cast<float>(total);
      }
    });
  }
  return NV_OK;
}

}  // namespace nv::cpu
