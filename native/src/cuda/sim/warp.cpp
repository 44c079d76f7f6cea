// cuda-sim warp collectives: shuffles, votes, reductions, __syncwarp.
//
// Each lane writes its operand (and its own arguments: CUDA lets every lane pass a different
// srcLane or delta) into its slot, then waits at the warp barrier (scheduler.cpp). The last lane
// to arrive runs the combine step below for every participant, which fills each lane's out
// slot; each lane then copies its own result out.
//
// Semantics as the CUDA C++ Programming Guide gives them:
//  - width (a power of two, at most 32) splits the warp into segments; srcLane is taken modulo
//    width within the caller's segment; __shfl_up/down leave var unchanged where the source
//    would cross the segment's start/end; __shfl_xor may read earlier segments but returns the
//    caller's own var for a source in a later segment.
//  - reading a lane that is not in the mask (or has exited) is undefined: the sim returns what
//    that lane's slot last held.
//  - votes and reductions cover the participants: the lanes of the mask that have not exited.
#include <cstring>

#include "cuda/sim/cuda_sim.h"

namespace nv {
namespace sim {
namespace {

void combine_shfl(WarpLane* lanes, unsigned participants) {
  for (unsigned m = participants; m != 0; m &= m - 1) {
    const int lane = __builtin_ctz(m);
    WarpLane& me = lanes[lane];
    const int width = me.width;
    const int seg_start = lane & ~(width - 1);
    int src = lane;
    switch (me.op) {
      case kShflIdx:
        src = seg_start + (me.arg & (width - 1));
        break;
      case kShflUp:
        src = (lane - seg_start) >= me.arg ? lane - me.arg : lane;
        break;
      case kShflDown:
        src = (lane - seg_start) + me.arg < width ? lane + me.arg : lane;
        break;
      case kShflXor: {
        const int j = lane ^ me.arg;
        src = (j >= 0 && j < seg_start + width) ? j : lane;  // a later segment: own value
        break;
      }
    }
    if (src < 0 || src > 31) src = lane;
    std::memcpy(me.out, lanes[src].in, me.size);
  }
}

void combine_ballot(WarpLane* lanes, unsigned participants) {
  unsigned ballot = 0;
  for (unsigned m = participants; m != 0; m &= m - 1) {
    const int lane = __builtin_ctz(m);
    if (lanes[lane].arg != 0) ballot |= 1u << lane;
  }
  for (unsigned m = participants; m != 0; m &= m - 1)
    std::memcpy(lanes[__builtin_ctz(m)].out, &ballot, sizeof ballot);
}

void combine_reduce(WarpLane* lanes, unsigned participants) {
  const int op = lanes[__builtin_ctz(participants)].op;
  bool first = true;
  unsigned acc = 0;
  for (unsigned m = participants; m != 0; m &= m - 1) {
    unsigned v;
    std::memcpy(&v, lanes[__builtin_ctz(m)].in, sizeof v);
    if (first) {
      acc = v;
      first = false;
      continue;
    }
    switch (op) {
      case kReduceAddU: acc += v; break;
      case kReduceMinU: acc = v < acc ? v : acc; break;
      case kReduceMaxU: acc = v > acc ? v : acc; break;
      case kReduceMinS: acc = static_cast<int>(v) < static_cast<int>(acc) ? v : acc; break;
      case kReduceMaxS: acc = static_cast<int>(v) > static_cast<int>(acc) ? v : acc; break;
      case kReduceAnd: acc &= v; break;
      case kReduceOr: acc |= v; break;
      case kReduceXor: acc ^= v; break;
    }
  }
  for (unsigned m = participants; m != 0; m &= m - 1)
    std::memcpy(lanes[__builtin_ctz(m)].out, &acc, sizeof acc);
}

void combine_nothing(WarpLane*, unsigned) {}

}  // namespace

void syncwarp(unsigned mask) { warp_sync(mask, combine_nothing); }

void shfl_bytes(unsigned mask, ShflKind kind, const void* in, void* out, unsigned size, int arg,
                int width) {
  if (width < 1 || width > 32 || (width & (width - 1)) != 0) {
    kernel_abort("__shfl_*_sync: width %d is not a power of two between 1 and 32", width);
  }
  WarpLane& me = this_lane();
  std::memcpy(me.in, in, size);
  me.op = kind;
  me.arg = arg;
  me.width = width;
  me.size = size;
  warp_sync(mask, combine_shfl);
  std::memcpy(out, me.out, size);
}

unsigned vote_ballot(unsigned mask, int pred, unsigned* participants) {
  WarpLane& me = this_lane();
  me.arg = pred != 0;
  const unsigned group = warp_sync(mask, combine_ballot);
  if (participants != nullptr) *participants = group;
  unsigned ballot;
  std::memcpy(&ballot, me.out, sizeof ballot);
  return ballot;
}

unsigned warp_reduce(unsigned mask, ReduceOp op, unsigned value) {
  WarpLane& me = this_lane();
  std::memcpy(me.in, &value, sizeof value);
  me.op = op;
  warp_sync(mask, combine_reduce);
  unsigned r;
  std::memcpy(&r, me.out, sizeof r);
  return r;
}

}  // namespace sim
}  // namespace nv
