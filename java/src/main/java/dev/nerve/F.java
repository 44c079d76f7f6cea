package dev.nerve;

import dev.nerve.internal.ConvFunctions;
import dev.nerve.internal.DropoutFunctions;
import dev.nerve.internal.EmbeddingFunctions;
import dev.nerve.internal.LossFunctions;
import dev.nerve.internal.MatrixFunctions;
import dev.nerve.internal.MemoryFunctions;
import dev.nerve.internal.NormFunctions;
import dev.nerve.internal.PointwiseFunctions;
import dev.nerve.internal.PoolFunctions;
import dev.nerve.internal.RecurrentFunctions;
import dev.nerve.internal.RecurrentFunctions.Cell;
import dev.nerve.internal.ReductionFunctions;
import dev.nerve.internal.SoftmaxFunctions;
import dev.nerve.internal.Views;
import dev.nerve.internal.ops.Pointwise.Binary;
import dev.nerve.internal.ops.Pointwise.Unary;
import java.util.List;

/**
 * The functional forms of every differentiable op, with PyTorch's names and semantics. Tensor
 * methods and the layers call these. Each op checks its arguments and names itself, the
 * argument and the shapes in the exception. (The implementations live in
 * {@code dev.nerve.internal}, one class per kernel family.)
 */
public final class F {
  private F() {}

  /** Comparison ops, returning 1.0 where true and 0.0 elsewhere (no gradient). */
  public enum Compare {
    /** a == b. */ EQ,
    /** a &gt; b. */ GT,
    /** a &gt;= b. */ GE,
    /** a &lt; b. */ LT,
    /** a &lt;= b. */ LE
  }

  // ---------------------------------------------------------------- pointwise (broadcasting)

  /** a + b, broadcast. */
  public static Tensor add(Tensor a, Tensor b) { return PointwiseFunctions.binary("add", Binary.ADD, a, b); }
  /** a - b, broadcast. */
  public static Tensor sub(Tensor a, Tensor b) { return PointwiseFunctions.binary("sub", Binary.SUB, a, b); }
  /** a * b, broadcast. */
  public static Tensor mul(Tensor a, Tensor b) { return PointwiseFunctions.binary("mul", Binary.MUL, a, b); }
  /** a / b, broadcast. */
  public static Tensor div(Tensor a, Tensor b) { return PointwiseFunctions.binary("div", Binary.DIV, a, b); }
  /** max(a, b), broadcast; the gradient goes to a where a >= b. */
  public static Tensor maximum(Tensor a, Tensor b) { return PointwiseFunctions.binary("maximum", Binary.MAXIMUM, a, b); }
  /** min(a, b), broadcast; the gradient goes to a where a &lt;= b. */
  public static Tensor minimum(Tensor a, Tensor b) { return PointwiseFunctions.binary("minimum", Binary.MINIMUM, a, b); }

  /** alpha * x + beta. */
  public static Tensor scaleShift(Tensor x, float alpha, float beta) {
    return PointwiseFunctions.unary("scaleShift", Unary.SCALE_SHIFT, x, alpha, beta);
  }
  /** -x. */
  public static Tensor neg(Tensor x) { return PointwiseFunctions.unary("neg", Unary.NEG, x, 0, 0); }
  /** e^x, elementwise. */
  public static Tensor exp(Tensor x) { return PointwiseFunctions.unary("exp", Unary.EXP, x, 0, 0); }
  /** Natural logarithm ln(x), elementwise (-inf at 0, NaN below). */
  public static Tensor log(Tensor x) { return PointwiseFunctions.unary("log", Unary.LOG, x, 0, 0); }
  /** sqrt(x), elementwise (NaN below 0). */
  public static Tensor sqrt(Tensor x) { return PointwiseFunctions.unary("sqrt", Unary.SQRT, x, 0, 0); }
  /** |x|, elementwise; the gradient at 0 is 0. */
  public static Tensor abs(Tensor x) { return PointwiseFunctions.unary("abs", Unary.ABS, x, 0, 0); }
  /** x^2, elementwise. */
  public static Tensor square(Tensor x) { return PointwiseFunctions.unary("square", Unary.SQUARE, x, 0, 0); }
  /** 1 / x, elementwise. */
  public static Tensor reciprocal(Tensor x) { return PointwiseFunctions.unary("reciprocal", Unary.RECIPROCAL, x, 0, 0); }
  /** x ^ p. */
  public static Tensor pow(Tensor x, float p) { return PointwiseFunctions.unary("pow", Unary.POW, x, p, 0); }
  /** max(x, 0). */
  public static Tensor relu(Tensor x) { return PointwiseFunctions.unary("relu", Unary.RELU, x, 0, 0); }
  /** x > 0 ? x : slope * x. */
  public static Tensor leakyRelu(Tensor x, float slope) { return PointwiseFunctions.unary("leakyRelu", Unary.LEAKY_RELU, x, slope, 0); }
  /** 1 / (1 + exp(-x)). */
  public static Tensor sigmoid(Tensor x) { return PointwiseFunctions.unary("sigmoid", Unary.SIGMOID, x, 0, 0); }
  /** tanh(x), elementwise. */
  public static Tensor tanh(Tensor x) { return PointwiseFunctions.unary("tanh", Unary.TANH, x, 0, 0); }
  /** log(1 + exp(x)), computed stably. */
  public static Tensor softplus(Tensor x) { return PointwiseFunctions.unary("softplus", Unary.SOFTPLUS, x, 0, 0); }

  /** op(a, b), broadcast: 1.0 where it holds and 0.0 elsewhere, f32; no gradient. */
  public static Tensor compare(Tensor a, Tensor b, Compare op) { return PointwiseFunctions.compare(a, b, op); }

  /** A copy converted to dtype (f32 to i32 truncates toward zero); no gradient. */
  public static Tensor cast(Tensor x, DType dtype) { return MemoryFunctions.cast(x, dtype); }

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
  /** Sum along dim (negative counts from the end); keepDim keeps it as a dimension of size 1. */
  public static Tensor sum(Tensor x, int dim, boolean keepDim) { return ReductionFunctions.reduce("sum", x, dim, keepDim, false); }
  /** Mean of all elements, a 0-D tensor. */
  public static Tensor mean(Tensor x) { return ReductionFunctions.reduceAll("mean", x, true); }
  /** Mean along dim (negative counts from the end); keepDim keeps it as a dimension of size 1. */
  public static Tensor mean(Tensor x, int dim, boolean keepDim) { return ReductionFunctions.reduce("mean", x, dim, keepDim, true); }
  /** Maximum along dim; the gradient goes to every position that holds the maximum. */
  public static Tensor max(Tensor x, int dim, boolean keepDim) { return ReductionFunctions.max(x, dim, keepDim); }
  /** Index of the first maximum along dim, as i32; no gradient. */
  public static Tensor argmax(Tensor x, int dim) { return ReductionFunctions.argmax(x, dim); }

  // ---------------------------------------------------------------- softmax and losses

  /** softmax(x)_i = exp(x_i - max x) / sum_j exp(x_j - max x) along dim (numerically stable). */
  public static Tensor softmax(Tensor x, int dim) { return SoftmaxFunctions.softmax(x, dim, false); }
  /** log softmax(x)_i = x_i - max x - log sum_j exp(x_j - max x) along dim. */
  public static Tensor logSoftmax(Tensor x, int dim) { return SoftmaxFunctions.softmax(x, dim, true); }

  /**
   * Mean cross-entropy of logits [N, C] against i32 labels [N] in [0, C), fused with its gradient:
   * -mean(log softmax(logits)[i, labels[i]]). An empty batch (N = 0) gives NaN, as PyTorch, and a zero gradient.
   */
  public static Tensor crossEntropy(Tensor logits, Tensor labels) { return SoftmaxFunctions.crossEntropy(logits, labels); }

  /** mean((input - target)^2). */
  public static Tensor mseLoss(Tensor input, Tensor target) { return LossFunctions.mse(input, target); }

  /** mean(max(x, 0) - x * y + log(1 + exp(-|x|))), the stable form of BCE on sigmoid(x). */
  public static Tensor bceWithLogits(Tensor logits, Tensor target) { return LossFunctions.bceWithLogits(logits, target); }

  // ---------------------------------------------------------------- recurrent

  /**
   * The fused LSTM cell on gate pre-activations (gate order i, f, g, o as PyTorch): gates = gx + gh,
   * gx and gh [B, 4H] (gh may be null), cPrev [B, H] or null (zeros);
   * c = sigmoid(f) cPrev + sigmoid(i) tanh(g), h = sigmoid(o) tanh(c). One kernel each way.
   */
  public static LstmState lstmGates(Tensor gx, Tensor gh, Tensor cPrev) { return RecurrentFunctions.lstmGates(gx, gh, cPrev); }

  /**
   * One LSTM step, as torch.lstm_cell: x [B, I], state (h, c) [B, H] or null (zeros), wIh [4H, I],
   * wHh [4H, H], biases [4H] or null. Two GEMMs, then {@link #lstmGates}.
   */
  public static LstmState lstmCell(Tensor x, LstmState state, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
    Tensor gx = linear(x, wIh, bIh);
    Tensor gh = state == null ? null : linear(state.h(), wHh, bHh);
    if (state == null && bHh != null) gx = gx.add(bHh);
    return lstmGates(gx, gh, state == null ? null : state.c());
  }

  /**
   * The fused GRU cell (PyTorch's formulation, gate order r, z, n): gi = x W_ih^T + b_ih and
   * gh = h W_hh^T + b_hh [B, 3H], hPrev [B, H] or null; r = sigmoid(gi_r + gh_r),
   * z = sigmoid(gi_z + gh_z), n = tanh(gi_n + r gh_n), h = (1 - z) n + z hPrev.
   */
  public static Tensor gruGates(Tensor gi, Tensor gh, Tensor hPrev) { return RecurrentFunctions.gruGates(gi, gh, hPrev); }

  /** One GRU step, as torch.gru_cell: x [B, I], h [B, H] or null (zeros), weights as {@link #lstmCell} with 3H. */
  public static Tensor gruCell(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
    Tensor gi = linear(x, wIh, bIh);
    Tensor gh;
    if (h != null) {
      gh = linear(h, wHh, bHh);
    } else {
      gh = Tensor.zeros(x.device(), x.size(0), wHh.size(0));
      if (bHh != null) gh = gh.add(bHh);
    }
    return gruGates(gi, gh, h);
  }

  /**
   * One recurrent layer over a whole time-first sequence x [T, B, I]: h_t = act(x_t W_ih^T + b_ih +
   * h_{t-1} W_hh^T + b_hh), act tanh (or relu). The input projection of all steps is one GEMM;
   * only the recurrent product stays in the loop; the whole layer is one autograd node.
   * h0 [B, H] or null; mask [T, B] or null (0 marks padding: the state is carried through).
   */
  public static RecurrentOutput rnnLayer(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
      boolean relu, Tensor mask) {
    return RecurrentFunctions.layer("rnn", relu ? Cell.RNN_RELU : Cell.RNN_TANH, x, h0, null, wIh, wHh, bIh, bHh, mask);
  }

  /** {@link #rnnLayer} with the fused LSTM cell: weights [4H, I], [4H, H]; state null or (h0, c0) [B, H]. */
  public static RecurrentOutput lstmLayer(Tensor x, LstmState state, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
      Tensor mask) {
    return RecurrentFunctions.layer("lstm", Cell.LSTM, x, state == null ? null : state.h(),
        state == null ? null : state.c(), wIh, wHh, bIh, bHh, mask);
  }

  /** {@link #rnnLayer} with the fused GRU cell: weights [3H, I], [3H, H]. */
  public static RecurrentOutput gruLayer(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, Tensor mask) {
    return RecurrentFunctions.layer("gru", Cell.GRU, x, h0, null, wIh, wHh, bIh, bHh, mask);
  }

  /** Rows of weight [num, dim] at i32 indices [...]: [..., dim]; the gradient is a scatter-add. */
  public static Tensor embedding(Tensor indices, Tensor weight) { return EmbeddingFunctions.embedding(indices, weight); }

  /** Joins tensors of one shape along a new dimension dim. */
  public static Tensor stack(List<Tensor> tensors, int dim) { return Views.stack(tensors, dim); }

  // ---------------------------------------------------------------- convolution, pooling, normalisation

  /**
   * 2-D convolution, as torch.nn.functional.conv2d: input [N, C, H, W], weight [K, C/groups, R, S],
   * bias [K] or null, output [N, K, P, Q] with P = (H + 2 padding - dilation (R - 1) - 1) / stride + 1.
   */
  public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
    return conv2d(input, weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, 1);
  }

  /** conv2d with (height, width) pairs for stride, padding and dilation, and channel groups. */
  public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
    return ConvFunctions.conv2d(input, weight, bias, stride, padding, dilation, groups);
  }

  /**
   * Transposed convolution, as torch.nn.functional.conv_transpose2d (groups 1, dilation 1): input
   * [N, C_in, H, W], weight [C_in, C_out, R, S], bias [C_out] or null, output
   * [N, C_out, (H - 1) stride - 2 padding + R + outputPadding, ...]. The gradient of conv2d in its input.
   */
  public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int outputPadding) {
    return ConvFunctions.convTranspose2d(input, weight, bias, stride, padding, outputPadding);
  }

  /** Max pooling with a square kernel, stride = kernel, no padding. */
  public static Tensor maxPool2d(Tensor input, int kernel) {
    return maxPool2d(input, kernel, kernel, 0, false);
  }

  /** Max pooling [N, C, H, W] to [N, C, P, Q]; padding at most kernel / 2; ceilMode as PyTorch. */
  public static Tensor maxPool2d(Tensor input, int kernel, int stride, int padding, boolean ceilMode) {
    return PoolFunctions.maxPool2d(input, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, ceilMode);
  }

  /** Average pooling with a square kernel, stride = kernel, no padding. */
  public static Tensor avgPool2d(Tensor input, int kernel) {
    return avgPool2d(input, kernel, kernel, 0, false, true);
  }

  /** Average pooling; countIncludePad divides by the whole window (padding counted as zeros). */
  public static Tensor avgPool2d(Tensor input, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
    return PoolFunctions.avgPool2d(input, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
        ceilMode, countIncludePad);
  }

  /** Average pooling to an outH x outW output; H and W must be multiples of it ((1, 1): global average pooling). */
  public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
    return PoolFunctions.adaptiveAvgPool2d(input, outH, outW);
  }

  /**
   * Batch normalisation over input [N, C, ...] per channel: y = (x - mean) / sqrt(var + eps) * weight + bias.
   * training: batch statistics, and runningMean/runningVar (may be null) move by momentum toward
   * them (unbiased variance); evaluation: the running statistics. weight and bias may be null.
   */
  public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
      boolean training, float momentum, float eps) {
    return NormFunctions.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
  }

  /**
   * Inverted dropout: in training each element is zeroed with probability p and the rest scaled by
   * 1 / (1 - p) (the mask is drawn from gen); in evaluation (or p = 0) the input itself is returned.
   */
  public static Tensor dropout(Tensor input, float p, boolean training, Generator gen) {
    return DropoutFunctions.dropout(input, p, training, gen);
  }
}
