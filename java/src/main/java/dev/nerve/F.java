package dev.nerve;

/**
 * The functional forms of every differentiable op, with PyTorch's names and semantics. Tensor
 * methods and the layers call these. Each op checks its arguments and names itself, the
 * argument and the shapes in the exception.
 */
public final class F {
  private F() {}

  /** Comparison ops, returning 1.0 where true and 0.0 elsewhere (no gradient). */
  public enum Compare { EQ, GT, GE, LT, LE }

  // ---------------------------------------------------------------- pointwise (broadcasting)

  /** a + b, broadcast. */
  public static Tensor add(Tensor a, Tensor b) { return PointwiseFunctions.binary("add", PointwiseFunctions.ADD, a, b); }
  /** a - b, broadcast. */
  public static Tensor sub(Tensor a, Tensor b) { return PointwiseFunctions.binary("sub", PointwiseFunctions.SUB, a, b); }
  /** a * b, broadcast. */
  public static Tensor mul(Tensor a, Tensor b) { return PointwiseFunctions.binary("mul", PointwiseFunctions.MUL, a, b); }
  /** a / b, broadcast. */
  public static Tensor div(Tensor a, Tensor b) { return PointwiseFunctions.binary("div", PointwiseFunctions.DIV, a, b); }
  /** max(a, b), broadcast; the gradient goes to a where a >= b. */
  public static Tensor maximum(Tensor a, Tensor b) { return PointwiseFunctions.binary("maximum", PointwiseFunctions.MAXIMUM, a, b); }
  /** min(a, b), broadcast; the gradient goes to a where a <= b. */
  public static Tensor minimum(Tensor a, Tensor b) { return PointwiseFunctions.binary("minimum", PointwiseFunctions.MINIMUM, a, b); }

  /** alpha * x + beta. */
  public static Tensor scaleShift(Tensor x, float alpha, float beta) {
    return PointwiseFunctions.unary("scaleShift", PointwiseFunctions.SCALE_SHIFT, x, alpha, beta);
  }
  public static Tensor neg(Tensor x) { return PointwiseFunctions.unary("neg", PointwiseFunctions.NEG, x, 0, 0); }
  public static Tensor exp(Tensor x) { return PointwiseFunctions.unary("exp", PointwiseFunctions.EXP, x, 0, 0); }
  public static Tensor log(Tensor x) { return PointwiseFunctions.unary("log", PointwiseFunctions.LOG, x, 0, 0); }
  public static Tensor sqrt(Tensor x) { return PointwiseFunctions.unary("sqrt", PointwiseFunctions.SQRT, x, 0, 0); }
  public static Tensor abs(Tensor x) { return PointwiseFunctions.unary("abs", PointwiseFunctions.ABS, x, 0, 0); }
  public static Tensor square(Tensor x) { return PointwiseFunctions.unary("square", PointwiseFunctions.SQUARE, x, 0, 0); }
  public static Tensor reciprocal(Tensor x) { return PointwiseFunctions.unary("reciprocal", PointwiseFunctions.RECIPROCAL, x, 0, 0); }
  /** x ^ p. */
  public static Tensor pow(Tensor x, float p) { return PointwiseFunctions.unary("pow", PointwiseFunctions.POW, x, p, 0); }
  /** max(x, 0). */
  public static Tensor relu(Tensor x) { return PointwiseFunctions.unary("relu", PointwiseFunctions.RELU, x, 0, 0); }
  /** x > 0 ? x : slope * x. */
  public static Tensor leakyRelu(Tensor x, float slope) { return PointwiseFunctions.unary("leakyRelu", PointwiseFunctions.LEAKY_RELU, x, slope, 0); }
  /** 1 / (1 + exp(-x)). */
  public static Tensor sigmoid(Tensor x) { return PointwiseFunctions.unary("sigmoid", PointwiseFunctions.SIGMOID, x, 0, 0); }
  public static Tensor tanh(Tensor x) { return PointwiseFunctions.unary("tanh", PointwiseFunctions.TANH, x, 0, 0); }
  /** log(1 + exp(x)), computed stably. */
  public static Tensor softplus(Tensor x) { return PointwiseFunctions.unary("softplus", PointwiseFunctions.SOFTPLUS, x, 0, 0); }

  public static Tensor compare(Tensor a, Tensor b, Compare op) { return PointwiseFunctions.compare(a, b, op); }

  /** A copy converted to dtype (f32 to i32 truncates toward zero); no gradient. */
  public static Tensor cast(Tensor x, DType dtype) { return PointwiseFunctions.cast(x, dtype); }

  // ---------------------------------------------------------------- matrices

  /** Matrix product: [M, K] x [K, N], batched [B, M, K] x [B, K, N], or [..., K] x [K, N]. */
  public static Tensor matmul(Tensor a, Tensor b) { return MatrixFunctions.matmul(a, b); }

  /**
   * y = x W^T + b, as torch.nn.functional.linear: x [..., in], weight [out, in], bias [out] or
   * null. One GEMM with the bias folded in (C starts as the broadcast bias, beta = 1).
   */
  public static Tensor linear(Tensor x, Tensor weight, Tensor bias) { return MatrixFunctions.linear(x, weight, bias); }

  // ---------------------------------------------------------------- reductions

  /** Sum of all elements, a 0-D tensor. */
  public static Tensor sum(Tensor x) { return ReductionFunctions.reduceAll("sum", x, false); }
  public static Tensor sum(Tensor x, int dim, boolean keepDim) { return ReductionFunctions.reduce("sum", x, dim, keepDim, false); }
  public static Tensor mean(Tensor x) { return ReductionFunctions.reduceAll("mean", x, true); }
  public static Tensor mean(Tensor x, int dim, boolean keepDim) { return ReductionFunctions.reduce("mean", x, dim, keepDim, true); }
  /** Maximum along dim; the gradient goes to every position that holds the maximum. */
  public static Tensor max(Tensor x, int dim, boolean keepDim) { return ReductionFunctions.max(x, dim, keepDim); }
  /** Index of the first maximum along dim, as i32; no gradient. */
  public static Tensor argmax(Tensor x, int dim) { return ReductionFunctions.argmax(x, dim); }

  // ---------------------------------------------------------------- softmax and losses

  public static Tensor softmax(Tensor x, int dim) { return SoftmaxFunctions.softmax(x, dim, false); }
  public static Tensor logSoftmax(Tensor x, int dim) { return SoftmaxFunctions.softmax(x, dim, true); }

  /**
   * Mean cross-entropy of logits [N, C] against i32 labels [N] in [0, C), fused with its gradient:
   * -mean(log softmax(logits)[i, labels[i]]).
   */
  public static Tensor crossEntropy(Tensor logits, Tensor labels) { return LossFunctions.crossEntropy(logits, labels); }

  /** mean((input - target)^2). */
  public static Tensor mseLoss(Tensor input, Tensor target) { return LossFunctions.mse(input, target); }

  /** mean(max(x, 0) - x * y + log(1 + exp(-|x|))), the stable form of BCE on sigmoid(x). */
  public static Tensor bceWithLogits(Tensor logits, Tensor target) { return LossFunctions.bceWithLogits(logits, target); }

  // ---------------------------------------------------------------- argument checks

  static void checkF32(String op, String arg, Tensor t) {
    if (t == null) throw new IllegalArgumentException(op + ": " + arg + " is null");
    t.checkOpen(op);
    if (t.dtype() != DType.F32) {
      throw new IllegalArgumentException(op + ": " + arg + " must be f32 but is " + t.dtype() + " (shape "
          + Shapes.str(t.shape()) + ")");
    }
  }

  static void checkSameDevice(String op, Tensor a, Tensor b) {
    if (a.device() != b.device()) {
      throw new IllegalArgumentException(op + ": tensors are on different devices (" + a.device() + " "
          + Shapes.str(a.shape()) + " and " + b.device() + " " + Shapes.str(b.shape()) + ")");
    }
  }

  static void checkSameShape(String op, Tensor a, Tensor b) {
    if (!java.util.Arrays.equals(a.shape(), b.shape())) {
      throw new IllegalArgumentException(op + ": shape mismatch " + Shapes.str(a.shape()) + " vs " + Shapes.str(b.shape()));
    }
  }
}
