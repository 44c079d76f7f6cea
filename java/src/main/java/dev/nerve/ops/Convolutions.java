package dev.nerve.ops;

import dev.nerve.Tensor;
import dev.nerve.bindings.Nerve;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * Convolution, pooling, batch norm and dropout kernels on contiguous NCHW tensors. The geometry
 * arrays are {stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w} (convolution) and
 * {kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w} (pooling). Internal.
 */
public final class Convolutions {
  private Convolutions() {}

  private static FloatPointer f32OrNull(Tensor t) {
    return t == null ? null : Memory.f32(t);
  }

  /** y [N, K, P, Q] = conv(x [N, C, H, W], w [K, C/groups, R, S]) + bias [K] (or null). */
  public static void conv2dForward(Tensor x, Tensor w, Tensor bias, long[] g, long groups, Tensor y) {
    long[] xs = x.shape();
    long[] ws = w.shape();
    Native.check(Nerve.nv_conv2d_forward_f32(Memory.ctx(x).handle, xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3],
        g[0], g[1], g[2], g[3], g[4], g[5], groups, Memory.f32(x), Memory.f32(w), f32OrNull(bias), Memory.f32(y)),
        "nv_conv2d_forward_f32");
  }

  public static void conv2dBackwardData(Tensor dy, Tensor w, long[] g, long groups, Tensor dx) {
    long[] xs = dx.shape();
    long[] ws = w.shape();
    Native.check(Nerve.nv_conv2d_backward_data_f32(Memory.ctx(dy).handle, xs[0], xs[1], xs[2], xs[3], ws[0], ws[2],
        ws[3], g[0], g[1], g[2], g[3], g[4], g[5], groups, Memory.f32(dy), Memory.f32(w), Memory.f32(dx)),
        "nv_conv2d_backward_data_f32");
  }

  /** dw and (unless null) dbias, overwritten. */
  public static void conv2dBackwardFilter(Tensor x, Tensor dy, long[] g, long groups, Tensor dw, Tensor dbias) {
    long[] xs = x.shape();
    long[] ws = dw.shape();
    Native.check(Nerve.nv_conv2d_backward_filter_f32(Memory.ctx(x).handle, xs[0], xs[1], xs[2], xs[3], ws[0], ws[2],
        ws[3], g[0], g[1], g[2], g[3], g[4], g[5], groups, Memory.f32(x), Memory.f32(dy), Memory.f32(dw),
        f32OrNull(dbias)), "nv_conv2d_backward_filter_f32");
  }

  /** The pooled size along one axis (PyTorch's rule, ceil mode included). */
  public static long poolOutputSize(long in, long kernel, long stride, long pad, boolean ceilMode) {
    long[] out = new long[1];
    Native.check(Nerve.nv_pool2d_output_size(in, kernel, stride, pad, ceilMode ? 1 : 0, out), "nv_pool2d_output_size");
    return out[0];
  }

  /** argmax may be null (no backward). */
  public static void maxPoolForward(Tensor x, long[] k, boolean ceilMode, Tensor y, Tensor argmax) {
    long[] s = x.shape();
    Native.check(Nerve.nv_max_pool2d_forward_f32(Memory.ctx(x).handle, s[0], s[1], s[2], s[3], k[0], k[1], k[2], k[3],
        k[4], k[5], ceilMode ? 1 : 0, Memory.f32(x), Memory.f32(y), argmax == null ? (IntPointer) null : Memory.i32(argmax)),
        "nv_max_pool2d_forward_f32");
  }

  public static void maxPoolBackward(Tensor dy, Tensor argmax, Tensor dx) {
    long[] s = dx.shape();
    Native.check(Nerve.nv_max_pool2d_backward_f32(Memory.ctx(dy).handle, s[0], s[1], s[2], s[3], dy.size(2), dy.size(3),
        Memory.f32(dy), Memory.i32(argmax), Memory.f32(dx)), "nv_max_pool2d_backward_f32");
  }

  public static void avgPoolForward(Tensor x, long[] k, boolean ceilMode, boolean includePad, Tensor y) {
    long[] s = x.shape();
    Native.check(Nerve.nv_avg_pool2d_forward_f32(Memory.ctx(x).handle, s[0], s[1], s[2], s[3], k[0], k[1], k[2], k[3],
        k[4], k[5], ceilMode ? 1 : 0, includePad ? 1 : 0, Memory.f32(x), Memory.f32(y)), "nv_avg_pool2d_forward_f32");
  }

  public static void avgPoolBackward(Tensor dy, long[] k, boolean ceilMode, boolean includePad, Tensor dx) {
    long[] s = dx.shape();
    Native.check(Nerve.nv_avg_pool2d_backward_f32(Memory.ctx(dy).handle, s[0], s[1], s[2], s[3], k[0], k[1], k[2], k[3],
        k[4], k[5], ceilMode ? 1 : 0, includePad ? 1 : 0, Memory.f32(dy), Memory.f32(dx)), "nv_avg_pool2d_backward_f32");
  }

  /** x and y [N, C, HW...]; every optional tensor may be null. */
  public static void batchNormForward(Tensor x, long n, long c, long hw, Tensor gamma, Tensor beta, Tensor runningMean,
      Tensor runningVar, float momentum, float eps, boolean training, Tensor y, Tensor saveMean, Tensor saveInvstd) {
    Native.check(Nerve.nv_batch_norm_forward_f32(Memory.ctx(x).handle, n, c, hw, Memory.f32(x), f32OrNull(gamma),
        f32OrNull(beta), f32OrNull(runningMean), f32OrNull(runningVar), momentum, eps, training ? 1 : 0, Memory.f32(y),
        f32OrNull(saveMean), f32OrNull(saveInvstd)), "nv_batch_norm_forward_f32");
  }

  public static void batchNormBackward(Tensor x, Tensor dy, long n, long c, long hw, Tensor gamma, Tensor saveMean,
      Tensor saveInvstd, boolean training, Tensor dx, Tensor dgamma, Tensor dbeta) {
    Native.check(Nerve.nv_batch_norm_backward_f32(Memory.ctx(x).handle, n, c, hw, Memory.f32(x), Memory.f32(dy),
        f32OrNull(gamma), Memory.f32(saveMean), Memory.f32(saveInvstd), training ? 1 : 0, Memory.f32(dx),
        f32OrNull(dgamma), f32OrNull(dbeta)), "nv_batch_norm_backward_f32");
  }

  public static void dropoutForward(Tensor x, float p, long seed, long offset, Tensor y, Tensor mask) {
    Native.check(Nerve.nv_dropout_forward_f32(Memory.ctx(x).handle, x.numel(), p, seed, offset, Memory.f32(x),
        Memory.f32(y), Memory.f32(mask)), "nv_dropout_forward_f32");
  }

  public static void dropoutBackward(Tensor dy, Tensor mask, Tensor dx) {
    Native.check(Nerve.nv_dropout_backward_f32(Memory.ctx(dy).handle, dy.numel(), Memory.f32(dy), Memory.f32(mask),
        Memory.f32(dx)), "nv_dropout_backward_f32");
  }
}
