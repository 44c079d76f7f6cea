// The unary elementwise ops of nv_unary_f32 / nv_unary_backward_f32, each written once for every
// backend: fwd(x) = f(x) and bwd(x, y, dy) = dy * f'(x), from x and/or y = f(x); a and b are
// the op's parameters (alpha, beta). Each is a template over the backend's math M:
//   M::T           the value type: a float vector on the CPU (one instance per ISA), float on a GPU
//   M::set1, zero  a broadcast constant
//   M::neg, add, sub, mul, div, abs, sqrt, max (b when unordered, as vmaxps), fma(a, b, c) =
//   a b + c, fnma(a, b, c) = c - a b, gt / lt (a mask), sel(mask, a, b)
//   M::exp, log, tanh, sigmoid, softplus: each backend's own (the CPU's vector approximations,
//   CUDA's libdevice), so results agree between backends to float rounding, not to the bit.
// The backends instantiate them through NV_UNARY_OPS: the CPU in cpu/elementwise.inl, CUDA and
// cuda-sim in cuda/elementwise.cu. NV_UNARY_POW is not here: both backends compute it per element
// with pow, which has no vector form.
//
// To add a unary op: its code in nerve.h, a struct here and its line in NV_UNARY_OPS, its double
// reference in ref/elementwise.cpp (the native tests run every code below NV_UNARY_COUNT).
//
// No include guard on purpose: the CPU includes this once per ISA section (its functions must
// carry that section's target attributes), CUDA once.

#ifndef NV_UNARY_MATH
#if defined(__CUDACC__) || defined(NERVE_CUDA_SIM)
#define NV_UNARY_MATH __device__ __forceinline__
#else
#define NV_UNARY_MATH inline
#endif
#endif

#define NV_UNARY_OP_TYPES_(M) \
  using T = typename M::T;    \
  float a, b;

template <class M>
struct UCopy {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return x; }
  NV_UNARY_MATH T bwd(T, T, T dy) const { return dy; }
};

template <class M>
struct UNeg {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::neg(x); }
  NV_UNARY_MATH T bwd(T, T, T dy) const { return M::neg(dy); }
};

template <class M>
struct UExp {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::exp(x); }
  NV_UNARY_MATH T bwd(T, T y, T dy) const { return M::mul(dy, y); }
};

template <class M>
struct ULog {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::log(x); }
  NV_UNARY_MATH T bwd(T x, T, T dy) const { return M::div(dy, x); }
};

template <class M>
struct USqrt {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::sqrt(x); }
  NV_UNARY_MATH T bwd(T, T y, T dy) const { return M::div(M::mul(dy, M::set1(0.5f)), y); }
};

// relu(NaN) is NaN: max returns its second operand when unordered.
template <class M>
struct URelu {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::max(M::zero(), x); }
  NV_UNARY_MATH T bwd(T x, T, T dy) const { return M::sel(M::gt(x, M::zero()), dy, M::zero()); }
};

template <class M>
struct USigmoid {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::sigmoid(x); }
  NV_UNARY_MATH T bwd(T, T y, T dy) const {
    return M::mul(dy, M::mul(y, M::sub(M::set1(1.0f), y)));
  }
};

template <class M>
struct UTanh {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::tanh(x); }
  NV_UNARY_MATH T bwd(T, T y, T dy) const { return M::mul(dy, M::fnma(y, y, M::set1(1.0f))); }
};

// d|x| = sign(x), 0 at 0 (as PyTorch).
template <class M>
struct UAbs {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::abs(x); }
  NV_UNARY_MATH T bwd(T x, T, T dy) const {
    T s = M::sel(M::gt(x, M::zero()), M::set1(1.0f), M::zero());
    s = M::sel(M::lt(x, M::zero()), M::set1(-1.0f), s);
    return M::mul(dy, s);
  }
};

// log(1 + exp(x)), stable for large |x| (M::softplus); its derivative is sigmoid(x).
template <class M>
struct USoftplus {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::softplus(x); }
  NV_UNARY_MATH T bwd(T x, T, T dy) const { return M::mul(dy, M::sigmoid(x)); }
};

template <class M>
struct USquare {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::mul(x, x); }
  NV_UNARY_MATH T bwd(T x, T, T dy) const { return M::mul(dy, M::add(x, x)); }
};

template <class M>
struct URecip {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::div(M::set1(1.0f), x); }
  NV_UNARY_MATH T bwd(T, T y, T dy) const { return M::neg(M::mul(dy, M::mul(y, y))); }
};

// x > 0 ? x : a x
template <class M>
struct ULeaky {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::sel(M::gt(x, M::zero()), x, M::mul(M::set1(a), x)); }
  NV_UNARY_MATH T bwd(T x, T, T dy) const {
    return M::sel(M::gt(x, M::zero()), dy, M::mul(M::set1(a), dy));
  }
};

// a x + b
template <class M>
struct UScaleShift {
  NV_UNARY_OP_TYPES_(M)
  NV_UNARY_MATH T fwd(T x) const { return M::fma(M::set1(a), x, M::set1(b)); }
  NV_UNARY_MATH T bwd(T, T, T dy) const { return M::mul(M::set1(a), dy); }
};

#undef NV_UNARY_OP_TYPES_

// X(code, struct) for every op above.
#define NV_UNARY_OPS(X)                                                                      \
  X(NV_UNARY_COPY, UCopy) X(NV_UNARY_NEG, UNeg) X(NV_UNARY_EXP, UExp) X(NV_UNARY_LOG, ULog)  \
  X(NV_UNARY_SQRT, USqrt) X(NV_UNARY_RELU, URelu) X(NV_UNARY_SIGMOID, USigmoid)              \
  X(NV_UNARY_TANH, UTanh) X(NV_UNARY_ABS, UAbs) X(NV_UNARY_SOFTPLUS, USoftplus)              \
  X(NV_UNARY_SQUARE, USquare) X(NV_UNARY_RECIPROCAL, URecip) X(NV_UNARY_LEAKY_RELU, ULeaky)  \
  X(NV_UNARY_SCALE_SHIFT, UScaleShift)
