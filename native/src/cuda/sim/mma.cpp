// cuda-sim tensor-core twin: mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 and
// cvt.rna.tf32.f32. The warp's 32 lanes deposit their fragments at a warp barrier; the last to
// arrive rebuilds A (16x8), B (8x8) and C (16x8) from the fragment layouts of the PTX ISA
// manual (cuda_sim.h lists them), computes D = A*B + C and scatters D back into every lane's
// out slot.
#include <cstring>

#include "cuda/sim/cuda_sim.h"

namespace nv {
namespace sim {
namespace {

struct MmaFragments {  // one lane's operands, packed into WarpLane::in
  uint32_t a[4];
  uint32_t b[2];
  float c[4];
};
static_assert(sizeof(MmaFragments) <= sizeof(WarpLane::in), "fragments do not fit a lane slot");

float tf32_value(uint32_t bits) {
  float x;
  std::memcpy(&x, &bits, 4);
  const uint32_t r = cvt_rna_tf32(x);
  std::memcpy(&x, &r, 4);
  return x;
}

void combine_mma(WarpLane* lanes, unsigned participants) {
  if (participants != 0xffffffffu) {
    kernel_abort("mma.sync m16n8k8: all 32 lanes of the warp must take part (lanes 0x%08x did)",
                 participants);
  }
  float A[16][8], B[8][8], C[16][8];
  for (int lane = 0; lane < 32; ++lane) {
    MmaFragments f;
    std::memcpy(&f, lanes[lane].in, sizeof f);
    const int g = lane >> 2, t = lane & 3;
    A[g][t] = tf32_value(f.a[0]);
    A[g + 8][t] = tf32_value(f.a[1]);
    A[g][t + 4] = tf32_value(f.a[2]);
    A[g + 8][t + 4] = tf32_value(f.a[3]);
    B[t][g] = tf32_value(f.b[0]);
    B[t + 4][g] = tf32_value(f.b[1]);
    C[g][2 * t] = f.c[0];
    C[g][2 * t + 1] = f.c[1];
    C[g + 8][2 * t] = f.c[2];
    C[g + 8][2 * t + 1] = f.c[3];
  }
  for (int lane = 0; lane < 32; ++lane) {
    const int g = lane >> 2, t = lane & 3;
    const int rows[4] = {g, g, g + 8, g + 8};
    const int cols[4] = {2 * t, 2 * t + 1, 2 * t, 2 * t + 1};
    float d[4];
    for (int i = 0; i < 4; ++i) {
      float acc = C[rows[i]][cols[i]];
      // TF32 products (11-bit significands) are exact in float.
      for (int k = 0; k < 8; ++k) acc += A[rows[i]][k] * B[k][cols[i]];
      d[i] = acc;
    }
    std::memcpy(lanes[lane].out, d, sizeof d);
  }
}

}  // namespace

uint32_t cvt_rna_tf32(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, 4);
  if ((bits & 0x7f800000u) == 0x7f800000u) {
    // Inf stays Inf; a NaN stays a NaN (keep a mantissa bit in the kept 10).
    return (bits & 0x007fffffu) != 0 ? 0x7fffffffu & ~0x1fffu : bits;
  }
  // Sign-magnitude: adding half an ulp of the 10-bit mantissa to the magnitude and truncating
  // rounds half away from zero; a carry into the exponent is the correct result (up to Inf).
  return (bits + 0x1000u) & ~0x1fffu;
}

void mma_m16n8k8_tf32(float (&d)[4], const uint32_t (&a)[4], const uint32_t (&b)[2],
                      const float (&c)[4]) {
  WarpLane& me = this_lane();
  MmaFragments f;
  std::memcpy(f.a, a, sizeof f.a);
  std::memcpy(f.b, b, sizeof f.b);
  std::memcpy(f.c, c, sizeof f.c);
  std::memcpy(me.in, &f, sizeof f);
  warp_sync(0xffffffffu, combine_mma);
  std::memcpy(d, me.out, sizeof d);
}

}  // namespace sim
}  // namespace nv
